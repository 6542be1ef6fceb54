"""The tamper-evident audit chain: every event carries SHA-256(previous hash + its canonical
form), so changing, deleting, inserting, reordering or cutting off any record shows in `verify`.

The canonical form is JSON with sorted keys, no spaces, integer minor units for money and
thousandths for quantities, and ISO UTC times: the same bytes on any machine and in any locale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from store.core.db import unit_of_work
from store.core.i18n import _
from store.models import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64


def canonical(data: Any) -> str:
    """Refuses floats and Decimals: amounts enter the chain as integers (see `minor`)."""
    def refuse(value: object) -> Any:
        raise TypeError(f"not canonical: {type(value).__name__} {value!r}")

    if _has_float(data):
        raise TypeError("not canonical: float")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=refuse)


def _has_float(data: Any) -> bool:
    if isinstance(data, float):
        return True
    if isinstance(data, dict):
        return any(_has_float(v) for v in data.values())
    if isinstance(data, list | tuple):
        return any(_has_float(v) for v in data)
    return False


def minor(amount: Decimal | None, places: int = 2) -> int | None:
    """Money (places=2) or a quantity (places=3) as an exact integer."""
    return None if amount is None else int(amount.scaleb(places).to_integral_value())


def _time(at: dt.datetime) -> str:
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


def link_hash(prev_hash: str, seq: int, at: dt.datetime, kind: str, user_id: int | None,
              terminal: str, reference: str, payload: str) -> str:
    head = canonical({"seq": seq, "at": _time(at), "kind": kind, "user": user_id,
                      "terminal": terminal, "ref": reference})
    return hashlib.sha256((prev_hash + head + payload).encode("utf-8")).hexdigest()


@unit_of_work
def record(kind: str, data: dict[str, Any], *, user_id: int | None = None, terminal: str = "",
           reference: str = "") -> AuditEvent:
    """Append one event in the caller's transaction. Taking the head row's lock first makes
    concurrent appends queue up, so the chain never forks."""
    if not AuditHead.update(seq=AuditHead.seq + 1).where(AuditHead.id == 1).execute():
        AuditHead.create(id=1, seq=1, hash=GENESIS)
    head = AuditHead.get_by_id(1)
    at = utcnow()
    payload = canonical(data)
    digest = link_hash(head.hash, head.seq, at, kind, user_id, terminal, reference[:64], payload)
    event = AuditEvent.create(seq=head.seq, created_at=at, kind=kind, user=user_id,
                              terminal=terminal, reference=reference[:64], payload=payload,
                              prev_hash=head.hash, hash=digest)
    AuditHead.update(hash=digest).where(AuditHead.id == 1).execute()
    return event


def record_apart(kind: str, data: dict[str, Any], **where: Any) -> Callable[[], None]:
    """An event to record after the caller's transaction rolled back (a refusal, a failed
    login): the refusal must be kept even though the action was not."""
    def write() -> None:
        record(kind, data, **where)
    return write


def tip() -> tuple[int, str]:
    head = AuditHead.get_or_none(AuditHead.id == 1)
    return (head.seq, head.hash) if head else (0, GENESIS)


@dataclass(frozen=True)
class EventView:
    seq: int
    created_at: dt.datetime
    kind: str
    user_id: int | None
    terminal: str
    reference: str
    data: dict[str, Any]
    hash: str


def events(*, kind: str | None = None, reference: str | None = None,
           since_seq: int = 0, limit: int | None = None) -> list[EventView]:
    q = AuditEvent.select().where(AuditEvent.seq > since_seq)
    if kind:
        q = q.where(AuditEvent.kind == kind)
    if reference:
        q = q.where(AuditEvent.reference == reference)
    q = q.order_by(AuditEvent.seq)
    if limit:
        q = q.limit(limit)
    return [EventView(e.seq, e.created_at, e.kind, e.user_id, e.terminal, e.reference,
                      json.loads(e.payload), e.hash) for e in q]


@dataclass(frozen=True)
class Broken:
    """The first record that does not verify, and what is wrong with it."""

    seq: int
    problem: str


def _chain() -> Iterator[AuditEvent]:
    return AuditEvent.select().order_by(AuditEvent.seq).iterator()


def verify_chain() -> tuple[int, Broken | None]:
    """Recompute every link; returns how many events verified and the first break."""
    prev, expected, count = GENESIS, 1, 0
    for e in _chain():
        if e.seq != expected:
            return count, Broken(expected, _("event {seq} is missing (deleted?)").format(
                seq=expected) if e.seq > expected else _("event {seq} is out of order").format(
                seq=e.seq))
        if e.prev_hash != prev:
            return count, Broken(e.seq, _("event {seq} does not follow the one before it "
                                          "(inserted or reordered)").format(seq=e.seq))
        digest = link_hash(prev, e.seq, e.created_at, e.kind, e.user_id, e.terminal,
                           e.reference, e.payload)
        if digest != e.hash:
            return count, Broken(e.seq, _("event {seq} ({kind}) was changed").format(
                seq=e.seq, kind=e.kind))
        prev, expected, count = e.hash, expected + 1, count + 1
    head_seq, head_hash = tip()
    if head_seq != count or head_hash != prev:
        return count, Broken(count + 1, _("the chain ends at event {seq} but its head says "
                                          "{head}: records were cut off the end").format(
            seq=count, head=head_seq))
    return count, None
