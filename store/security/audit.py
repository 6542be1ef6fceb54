"""The tamper-evident audit chain: every event carries HMAC-SHA256(previous hash + its
canonical form) under a secret kept in the key file, outside the database, so changing,
deleting, inserting, reordering or cutting off any record shows in `verify` — and someone who
can write the database but not read the key file cannot recompute the links to hide it. An
anchor (the head's hash, printed on the Z report or written off-site by `audit anchor`) holds
even against the key's holder: history before it cannot be rewritten unnoticed.

The canonical form is JSON with sorted keys, no spaces, integer minor units for money and
thousandths for quantities, and ISO UTC times: the same bytes on any machine and in any locale.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from store.core.db import bulk_insert, unit_of_work, update_one
from store.core.i18n import _
from store.models import AuditEvent, AuditHead, utcnow
from store.security import crypto

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
    # A loop over a stack, not a recursion: it runs on every event sealed, 100,000 of them in
    # a product import.
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str | int | None):
            continue
        if isinstance(value, float):
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return False


def minor(amount: Decimal | None, places: int = 2) -> int | None:
    """Money (places=2) or a quantity (places=3) as an exact integer."""
    return None if amount is None else int(amount.scaleb(places).to_integral_value())


def iso_time(at: dt.datetime) -> str:
    """A stored time as the chain keeps it (UTC, naive, to the microsecond)."""
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


def link_hash(prev_hash: str, seq: int, at: dt.datetime, kind: str, user_id: int | None,
              terminal: str, reference: str, payload: str, *, key: bytes | None = None) -> str:
    head = canonical({"seq": seq, "at": iso_time(at), "kind": kind, "user": user_id,
                      "terminal": terminal, "ref": reference})
    return hmac.new(key if key is not None else crypto.audit_key(),
                    (prev_hash + head + payload).encode("utf-8"), hashlib.sha256).hexdigest()


@unit_of_work
def record(kind: str, data: dict[str, Any], *, user_id: int | None = None, terminal: str = "",
           reference: str = "") -> AuditEvent:
    """Append one event in the caller's transaction. Taking the head row's lock first makes
    concurrent appends queue up, so the chain never forks."""
    key = crypto.audit_key()  # before the head's lock: a missing key file refuses at once
    seq, prev = _move_head(1)
    at = utcnow()
    payload = canonical(data)
    digest = link_hash(prev, seq, at, kind, user_id, terminal, reference[:64], payload,
                       key=key)
    event = AuditEvent.create(seq=seq, created_at=at, kind=kind, user=user_id,
                              terminal=terminal, reference=reference[:64], payload=payload,
                              prev_hash=prev, hash=digest)
    AuditHead.update(hash=digest).where(AuditHead.id == 1).execute()
    return event


@unit_of_work
def record_many(events: Sequence[tuple[str, dict[str, Any], str]], *,
                user_id: int | None = None, terminal: str = "") -> int:
    """Append (kind, data, reference) events as one run of the chain, each sealed as `record`
    seals it: the head is locked and moved once and the events are inserted in batches, so an
    import of 100,000 products seals each one in seconds, not minutes."""
    return _append([(kind, canonical(data), reference, user_id, terminal)
                    for kind, data, reference in events])


def _move_head(count: int) -> tuple[int, str]:
    """Lock the chain's head and move it on by `count`: (its new seq, the hash before)."""
    head = update_one(AuditHead, {AuditHead.seq: AuditHead.seq + count}, AuditHead.id == 1,
                      AuditHead.seq, AuditHead.hash)
    if head is not None:
        return int(head[0]), str(head[1])
    AuditHead.create(id=1, seq=count, hash=GENESIS)
    crypto.record_fingerprint()  # the chain is keyed: this shop needs this key from now on
    return count, GENESIS


def _append(events: list[tuple[str, str, str, int | None, str]]) -> int:
    """(kind, payload, reference, user, terminal) onto the chain, in the caller's
    transaction: the head locked and moved once."""
    if not events:
        return 0
    key = crypto.audit_key()
    count = len(events)
    last, prev = _move_head(count)
    seq, at = last - count + 1, utcnow()
    rows = []
    for kind, payload, reference, user_id, terminal in events:
        digest = link_hash(prev, seq, at, kind, user_id, terminal, reference[:64], payload,
                           key=key)
        rows.append({"seq": seq, "created_at": at, "kind": kind, "user": user_id,
                     "terminal": terminal, "reference": reference[:64], "payload": payload,
                     "prev_hash": prev, "hash": digest})
        prev, seq = digest, seq + 1
    bulk_insert(AuditEvent, rows)
    AuditHead.update(hash=prev).where(AuditHead.id == 1).execute()
    return count


_here = threading.local()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Events sealed (`seal`) inside are appended together when the block ends, still in the
    caller's transaction. The chain's head is one row for the whole shop, and its lock is held
    from the first append to the commit: appended as a sale went, twenty tills queued behind
    each other (p95 1.2 s, docs/BENCHMARKS.md); appended at its end, a sale holds the lock for
    the last few milliseconds. Only around work with no savepoint that could roll back part of
    it (that part's events would be kept): a sale's posting."""
    if getattr(_here, "pending", None) is not None:  # within one already: its end appends
        yield
        return
    _here.pending = []
    try:
        yield
        pending = _here.pending
    finally:
        _here.pending = None
    _append(pending)


def seal(kind: str, data: dict[str, Any], *, user_id: int | None = None, terminal: str = "",
         reference: str = "") -> None:
    """`record` for an event nobody reads back: kept for the end of a `deferred()` block,
    recorded at once outside one."""
    pending = getattr(_here, "pending", None)
    if pending is None:
        record(kind, data, user_id=user_id, terminal=terminal, reference=reference)
    else:
        pending.append((kind, canonical(data), reference, user_id, terminal))


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
    key = crypto.audit_key()
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
                           e.reference, e.payload, key=key)
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


ANCHOR_TAG = "zhanggui-audit-anchor"
SEAL_DIGITS = 16  # how much of a hash the Z report prints: 64 bits, enough to bind history


@dataclass(frozen=True)
class Anchor:
    """The chain's head at a moment, kept off-site (a file, the Z report's paper): whoever
    holds the key still cannot rewrite the events up to `seq` without it showing."""

    seq: int
    hash: str  # the event's hash, or its first SEAL_DIGITS+ hex digits

    def line(self) -> str:
        return f"{ANCHOR_TAG} seq={self.seq} hash={self.hash}"

    @property
    def short(self) -> str:
        """As the Z report prints it, and `audit verify --anchor` takes it back."""
        return f"{self.seq}:{self.hash[:SEAL_DIGITS]}"


def anchor() -> Anchor:
    seq, digest = tip()
    return Anchor(seq, digest)


def seal_of(reference: str, digest: str) -> Anchor | None:
    """The event a stored hash belongs to (a Z report's), found by its reference — indexed,
    where the hash is not: `shifts list` asks for every closed shift's seal."""
    if not digest:
        return None
    event = AuditEvent.get_or_none((AuditEvent.reference == reference)
                                   & (AuditEvent.hash == digest))
    return Anchor(event.seq, event.hash) if event is not None else None


def parse_anchors(text: str, *, source: str) -> list[Anchor]:
    """Anchors from `audit anchor`'s lines or `SEQ:HASH` as printed on a Z report; anything
    else is refused, naming the line."""
    found = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
        if line.startswith(ANCHOR_TAG) and "seq" in fields and "hash" in fields:
            seq, digest = fields["seq"], fields["hash"]
        else:
            seq, _sep, digest = line.partition(":")
        digest = digest.strip().lower()
        if not (seq.strip().isdigit() and 8 <= len(digest) <= 64
                and all(c in "0123456789abcdef" for c in digest)):
            raise ValueError(_("{source}, line {line}: not an audit anchor (want SEQ:HASH "
                               "or a line written by 'audit anchor')").format(
                source=source, line=n))
        found.append(Anchor(int(seq), digest))
    return found


def check_anchor(a: Anchor) -> str | None:
    """None if the chain still has that hash at that place; else what is wrong."""
    event = AuditEvent.get_or_none(AuditEvent.seq == a.seq)
    if event is None:
        return _("anchor {seq}: the chain has no event {seq} any more (cut off?)").format(
            seq=a.seq)
    if not event.hash.startswith(a.hash):
        return _("anchor {seq}: the chain's hash there is no longer {hash}: history up to "
                 "it was rewritten").format(seq=a.seq, hash=a.hash[:SEAL_DIGITS])
    return None
