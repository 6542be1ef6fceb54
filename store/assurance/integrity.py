"""`zhanggui audit verify`: the audit chain, every sealed sale against its record in the chain,
every Z report's grand total and chain hash, every journal entry and stock move against its
seal, and the daily account totals and stock levels against the rows they sum — recomputed
from scratch."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.assurance import sealed_rows
from store.core.fields import from_scaled
from store.core.i18n import _
from store.models import AuditEvent, Sale, Shift
from store.security import audit
from store.selling.sales import _views, seal

BATCH = 500


@dataclass(frozen=True)
class Report:
    events: int
    sales: int
    z_reports: int
    problems: tuple[str, ...]
    entries: int = 0
    moves: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(max_problems: int = 50, anchors: Sequence[audit.Anchor] = ()) -> Report:
    problems: list[str] = []
    count, broken = audit.verify_chain()
    if broken is not None:
        problems.append(_("audit event {seq}: {problem}").format(seq=broken.seq,
                                                                 problem=broken.problem))
    problems += filter(None, (audit.check_anchor(a) for a in anchors))
    sealed = {e.reference: e.payload for e in AuditEvent.select(
        AuditEvent.reference, AuditEvent.payload).where(AuditEvent.kind.in_(["sale", "return"]))}
    sales = 0
    last_id = 0
    while True:
        rows = list(Sale.select().where(Sale.id > last_id).order_by(Sale.id).limit(BATCH))
        if not rows:
            break
        last_id = rows[-1].id
        for view in _views(rows):
            sales += 1
            payload = sealed.pop(view.number, None)
            if payload is None:
                problems.append(_("sale {number} is not in the audit chain (inserted?)").format(
                    number=view.number))
            elif _json(payload) != seal(view):
                problems.append(_("sale {number} differs from its sealed record (changed?)")
                                .format(number=view.number))
    for number in sorted(sealed):
        problems.append(_("sale {number} is sealed in the audit chain but missing from the "
                          "sales (deleted?)").format(number=number))
    zs = _verify_z_reports(problems)
    entries = sealed_rows.verify_entries(problems)
    moves = sealed_rows.verify_moves(problems)
    sealed_rows.verify_balances(problems)
    sealed_rows.verify_levels(problems)
    return Report(count, sales, zs, tuple(problems[:max_problems]), entries, moves)


def _json(payload: str) -> dict[str, Any]:
    """A sealed payload; a damaged one reads as empty, so it matches nothing (the chain's own
    check names the event)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _verify_z_reports(problems: list[str]) -> int:
    rows: Any = Sale.select(Sale.shift, fn.SUM(Sale.total)).group_by(Sale.shift).tuples()
    per_shift = {sid: from_scaled(Sale.total, t) for sid, t in rows}
    z_events = {e.reference: e for e in AuditEvent.select().where(AuditEvent.kind == "z")}
    opened = {e.reference: _json(e.payload) for e in AuditEvent.select(
        AuditEvent.reference, AuditEvent.payload).where(AuditEvent.kind == "shift_open")}
    running: dict[str, Decimal] = {}
    count = 0
    for shift in Shift.select().order_by(Shift.terminal, Shift.number):
        ref = f"{shift.terminal}-S{shift.number:04d}"
        record = opened.get(ref)
        if record is None or record.get("float") != audit.minor(shift.opening_float):
            problems.append(_("shift {ref} does not match its opening in the audit chain "
                              "(inserted or changed?)").format(ref=ref))
        grand = running.get(shift.terminal, Decimal(0)) + per_shift.get(shift.id, Decimal(0))
        running[shift.terminal] = grand
        if shift.status != "closed":
            continue
        count += 1
        ref = f"{shift.terminal}-Z{shift.z_number:04d}"
        event = z_events.get(ref)
        if event is None or event.hash != shift.audit_hash:
            problems.append(_("Z report {ref} does not match the audit chain").format(ref=ref))
            continue
        data = _json(event.payload)
        if (data.get("grand_total") != audit.minor(shift.grand_total)
                or audit.minor(shift.grand_total) != audit.minor(grand)
                or data.get("counted") != audit.minor(shift.counted_cash)
                or data.get("expected") != audit.minor(shift.expected_cash)):
            problems.append(_("Z report {ref}: its totals do not add up to the sales "
                              "(changed?)").format(ref=ref))
    return count
