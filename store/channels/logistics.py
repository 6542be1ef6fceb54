"""Logistics: the orders ready to ship as a courier's bulk-order file, and the courier's
tracking numbers back in, which ship the orders.

The export opens the sealed recipients, so it needs `export_customer_data` and leaves an
audit event naming who took how many addresses. The tracking file is matched by the channel's
order number (or ours); each order ships whole in its own transaction, and a row that cannot
ship is reported by row and reason while the others go on."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import JOIN

from store.channels import parsing
from store.core import files
from store.core.csvfile import read_rows
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import _
from store.customers import orders
from store.models import Product, SalesOrder, SalesOrderLine
from store.security import audit, permissions
from store.security.auth import SessionUser

# The columns couriers' bulk-order templates (顺丰, 中通, 韵达 …) share, in their order.
COLUMNS = ("订单号", "收件人", "电话", "地址", "物品", "数量", "备注")
TRACKING_ALIASES = {
    "id": ("订单号", "订单编号", "主订单编号", "客户订单号", "order", "order number"),
    "carrier": ("物流公司", "快递公司", "carrier"),
    "tracking": ("运单号", "物流单号", "快递单号", "tracking", "tracking number"),
}


@dataclass(frozen=True)
class ShipmentRow:
    order_ref: str  # the channel's order number, or ours for a phone or trade order
    name: str
    phone: str
    address: str
    items: str
    qty: Decimal
    note: str
    number: str


def ready_to_ship(user: SessionUser, *, channel: str = "") -> list[ShipmentRow]:
    """Confirmed, picked and partly shipped orders with what is left to send, recipients
    opened. Recorded in the audit trail: addresses are personal data."""
    permissions.check(user, "export_customer_data", reference=channel or "all")
    q = (SalesOrder.select().where(SalesOrder.status.in_(orders.RESERVING))
         .order_by(SalesOrder.ordered_at, SalesOrder.id))
    if channel:
        q = q.where(SalesOrder.channel == channel)
    found = list(q)
    left: dict[int, list[tuple[str, Decimal]]] = {}
    for ln in (SalesOrderLine.select(SalesOrderLine, Product).join(Product, JOIN.LEFT_OUTER)
               .where(SalesOrderLine.order.in_([o.id for o in found])
                      & (SalesOrderLine.shipped_qty < SalesOrderLine.qty))
               .order_by(SalesOrderLine.order, SalesOrderLine.line_no)):
        name = ln.title or (ln.product.name if ln.product else ln.external_sku)
        left.setdefault(ln.order_id, []).append((name, ln.qty - ln.shipped_qty))
    rows = []
    for o in found:
        if o.id not in left:
            continue
        who = orders.recipient_of(o)
        items = left[o.id]
        rows.append(ShipmentRow(
            o.external_id or o.number, who.name, who.phone, who.address,
            "; ".join(f"{name}×{_qty(q)}" for name, q in items),
            sum((q for _n, q in items), Decimal(0)), o.note, o.number))
    audit.record("export_customer_data", {"what": "shipments", "channel": channel,
                                          "orders": len(rows)}, user_id=user.id)
    return rows


def _qty(q: Decimal) -> str:
    return format(q.normalize(), "f")


def write_shipments(rows: list[ShipmentRow], path: Path, *, encoding: str = "utf-8-sig",
                    force: bool = False) -> Path:
    """The courier's CSV: UTF-8 with a BOM (Excel opens it right) or GBK for older sites.
    Names, phones and addresses: created owner-only (0600), buyers' text never a formula."""
    safe = files.csv_safe

    def fill(fh: TextIO) -> None:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for r in rows:
            # ="…" keeps Excel from turning long order numbers into 1.23E+18; the reference
            # is ours (digits and letters), so the formula is one we wrote.
            ref = "".join(ch for ch in r.order_ref if ch.isalnum() or ch in "-_")
            out.writerow([f'="{ref}"', safe(r.name), safe(r.phone), safe(r.address),
                          safe(r.items), _qty(r.qty), safe(r.note)])

    return files.write_text(path, fill, encoding=encoding, errors="replace", force=force,
                            private=True)


@dataclass
class TrackingReport:
    shipped: list[str] = field(default_factory=list)  # our order numbers
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False


def _find(ref: str) -> SalesOrder:
    matches = list(SalesOrder.select().where(SalesOrder.external_id == ref).limit(2))
    if len(matches) > 1:
        raise ValidationError(_("order number '{ref}' is on more than one channel; use ours "
                                "(SO-…)").format(ref=ref), field="订单号", value=ref)
    if matches:
        return matches[0]
    ours = SalesOrder.get_or_none(SalesOrder.number == ref)
    if ours is None:
        raise NotFound(_("no order '{ref}'").format(ref=ref))
    return ours


def import_tracking(user: SessionUser, path: Path, *, dry_run: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> TrackingReport:
    """Ship each order named in the courier's file with its carrier and tracking number."""
    permissions.check(user, "ship_orders", reference=str(path))
    rows, _enc = read_rows(Path(path), TRACKING_ALIASES, ("id", "tracking"), mark_short=True)
    report = TrackingReport(dry_run=dry_run)
    seen: dict[str, int] = {}
    for done, (line, v) in enumerate(rows, start=1):
        ref, tracking = parsing.text(v["id"]), parsing.text(v.get("tracking", ""))
        carrier = parsing.text(v.get("carrier", ""))
        try:
            why = parsing.short(v)
            if why is None and not ref:
                why = _("no order number")
            elif why is None and not tracking:
                why = _("no tracking number")
            elif why is None and ref in seen:
                why = _("the same order again (first on row {row})").format(row=seen[ref])
            if why is not None:
                raise ValidationError(why, field="row", value=line, row=line)
            seen[ref] = line
            order = _find(ref)
            if order.status in ("shipped", "invoiced", "paid") \
                    and order.tracking_no == tracking:
                report.unchanged += 1  # the same file twice changes nothing
            elif order.status not in orders.RESERVING:
                raise StoreError(_("order {ref} is {status}: only a confirmed order ships")
                                 .format(ref=ref, status=_(order.status)))
            elif not dry_run:
                orders.ship(user, order.number, carrier=carrier, tracking_no=tracking)
                report.shipped.append(order.number)
            else:
                report.shipped.append(order.number)
        except StoreError as err:
            report.rejected.append((line, f"{ref}: {err}" if ref else str(err)))
        if progress is not None:
            progress(done, len(rows))
    return report
