"""Lots and expiry as the stockroom uses them: which products track lots, what expires soon,
and expired stock written off (issue 19.5). The lots themselves move with the stock
(store.stock.lots)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN

from store.books import ledger
from store.books.ledger import Posting
from store.catalog import editor
from store.catalog.products import get_product
from store.common import clock, settings
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_qty
from store.models import LotMove, Product, StockLevel, StockLot, Warehouse, utcnow
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.stock import costing, lots

WARN_KEY = "lots_warn_days"
DEFAULT_WARN_DAYS = 30


@dataclass(frozen=True)
class LotRow:
    sku: str
    name: str
    warehouse: str
    number: str  # "" : stock whose lot is not known
    expires_on: dt.date | None
    qty: Decimal
    days_left: int | None  # negative: expired that many days ago


def warn_days() -> int:
    return int(settings.read(WARN_KEY, DEFAULT_WARN_DAYS))


@unit_of_work
def set_warn_days(user: SessionUser, days: int | str) -> int:
    permissions.check(user, "change_settings", reference=WARN_KEY)
    value = text.whole(str(days), field="days", lowest=1, highest=365)
    settings.write(WARN_KEY, value)
    audit.record("setting_changed", {"key": WARN_KEY, "value": value}, user_id=user.id,
                 reference=WARN_KEY)
    return value


@unit_of_work
def track(user: SessionUser, sku: str, on: bool = True) -> None:
    """Start (or stop) tracking a product's lots. What each warehouse holds when tracking
    starts is of no known lot (""): the first sales take it after the dated lots… unless it
    is counted into lots; stopping forgets the lots."""
    permissions.check(user, "manage_catalog", reference=sku.strip()[:40])
    _track(get_product(sku), on, user.id)


def track_many(user: SessionUser, changes: Sequence[tuple[int, bool]]) -> None:
    """`track` for products by id (a product file's "tracks lots" column), in the caller's
    transaction."""
    permissions.check(user, "manage_catalog")
    wanted = dict(changes)
    for product in Product.select().where(Product.id.in_(list(wanted))):
        _track(product, wanted[product.id], user.id)


def _track(product: Product, on: bool, user_id: int) -> None:
    if bool(product.tracks_lots) == on:
        return
    for held in StockLot.select().where((StockLot.product == product.id) & (StockLot.qty != 0)):
        lots.record(product.id, held.warehouse_id, [(held.number, -held.qty)], reason="lots",
                    reference=product.sku)  # the lots' history ends here
    StockLot.delete().where(StockLot.product == product.id).execute()
    if on:
        levels: Any = (StockLevel.select(StockLevel.warehouse, StockLevel.on_hand)
                       .where((StockLevel.product == product.id) & (StockLevel.on_hand != 0)))
        rows = [{"product": product.id, "warehouse": lv.warehouse_id, "number": lots.UNKNOWN,
                 "qty": lv.on_hand} for lv in levels]
        if rows:
            StockLot.insert_many(rows).execute()
        for row in rows:
            lots.record(product.id, row["warehouse"], [(lots.UNKNOWN, row["qty"])],
                        reason="lots", reference=product.sku)
    Product.update(tracks_lots=on, updated_at=utcnow()).where(
        Product.id == product.id).execute()
    lots.forget()
    audit.record("product_lots", {"sku": product.sku, "on": int(on)}, user_id=user_id,
                 reference=product.sku)


@unit_of_work
def change_product(user: SessionUser, sku: str, changes: editor.Changes,
                   tracks_lots: str | None = None) -> Product:
    """The product editor's save: its fields and (`tracks_lots`: yes/no as typed) whether
    it tracks lots, in one transaction: all of it, or nothing."""
    if tracks_lots is not None:
        track(user, sku, text.yes_no(tracks_lots, field="tracks_lots"))
    if not changes.is_empty():
        return editor.change_product(user, sku, changes)
    return get_product(sku)


@dataclass(frozen=True)
class TraceRow:
    at: dt.datetime
    warehouse: str
    reason: str  # receipt, sale, return, transfer, write_off, count, shipment, …
    reference: str  # the document: GR-000012, T1-000345, …
    qty: Decimal  # in (+) or out (−) of that warehouse


def trace(sku: str, lot: str) -> list[TraceRow]:
    """Where a lot went, oldest first: the receipt it came in on, each sale, transfer and
    write-off of it — who got lot L1 when the supplier recalls it."""
    product = get_product(sku)
    number = lots.lot_number(lot)
    q = (LotMove.select(LotMove, Warehouse).join(Warehouse)
         .where((LotMove.product == product.id) & (LotMove.number == number))
         .order_by(LotMove.id))
    return [TraceRow(clock.to_local(m.created_at), m.warehouse.code, m.reason, m.reference,
                     m.qty) for m in q]


def _rows(where: Any, today: dt.date) -> list[LotRow]:
    q = (StockLot.select(StockLot, Product, Warehouse).join(Product)
         .switch(StockLot).join(Warehouse, JOIN.INNER).where(where)
         .order_by(StockLot.expires_on.asc(nulls="LAST"), Product.sku, StockLot.number))
    return [LotRow(r.product.sku, r.product.local_name, r.warehouse.code, r.number,
                   r.expires_on, r.qty,
                   (r.expires_on - today).days if r.expires_on is not None else None)
            for r in q]


def lots_of(sku: str, *, warehouse: str = "") -> list[LotRow]:
    """A product's lots with stock (or below zero), first to expire first."""
    product = get_product(sku)
    where = (StockLot.product == product.id) & (StockLot.qty != 0)
    if warehouse.strip():
        where &= Warehouse.code == warehouse.strip().upper()
    return _rows(where, clock.local_today())


def expiring(days: int | None = None, *, warehouse: str = "",
             today: dt.date | None = None) -> list[LotRow]:
    """Lots in stock that expire within `days` (the shop's warning, 30 by default) or have
    expired: what the stockroom home and the dashboard warn of."""
    day = today or clock.local_today()
    ahead = warn_days() if days is None else days
    where = (StockLot.qty > 0) & (StockLot.expires_on <= day + dt.timedelta(days=ahead))
    if warehouse.strip():
        where &= Warehouse.code == warehouse.strip().upper()
    return _rows(where, day)


def expiring_count(days: int | None = None, shops: frozenset[int] | None = None) -> int:
    """How many lots in stock expire within the warning days (or have): of some shops'
    warehouses only, when given (a manager's)."""
    day = clock.local_today() + dt.timedelta(days=warn_days() if days is None else days)
    q = StockLot.select().where((StockLot.qty > 0) & (StockLot.expires_on <= day))
    if shops is not None:
        q = q.join(Warehouse).where(Warehouse.shop.in_(list(shops)))
    return int(q.count())


@unit_of_work
def write_off(user: SessionUser, warehouse: str, sku: str, lot: str, *, reason: str,
              qty: Decimal | str | None = None) -> Decimal:
    """Take a lot out of stock (expired, spoilt): all of it, or `qty`, at the moving average,
    to 待处理财产损溢 (1901) as a count's loss goes, for the accountant to clear. Returns the
    value written off."""
    permissions.check(user, "approve_count", reference=f"{sku.strip()[:30]} {lot.strip()[:20]}")
    why = text.name(reason, field="reason", longest=200)
    product = get_product(sku)
    if not product.tracks_lots:
        raise StoreError(_("{sku} does not track lots").format(sku=product.sku))
    place = Warehouse.get_or_none(Warehouse.code == warehouse.strip().upper())
    if place is None:
        raise NotFound(_("No warehouse '{code}'").format(code=warehouse.strip()[:20]))
    number = lots.lot_number(lot)
    row = StockLot.get_or_none((StockLot.product == product.id)
                               & (StockLot.warehouse == place.id) & (StockLot.number == number))
    held = row.qty if row is not None else ZERO
    if held <= 0:
        raise NotFound(_("No lot {lot} of {sku} in {warehouse}").format(
            lot=number, sku=product.sku, warehouse=place.code))
    amount = held if qty is None else costing.positive_qty(qty)
    if amount > held:
        raise ValidationError(_("Lot {lot} of {sku} in {warehouse} holds {held}, not {qty}")
                              .format(lot=number, sku=product.sku, warehouse=place.code,
                                      held=format_qty(held), qty=format_qty(amount)),
                              field="qty", value=amount)
    reference = f"{product.sku}/{number}"[:40]
    value = costing.stock_out(product.id, place.id, amount, reason="write_off",
                              reference=reference, user_id=user.id, may_go_negative=False,
                              lot=number)
    if value:
        ledger.post_entry(phrase(N_("Written off: {sku} lot {lot} ({reason})"),
                                 sku=product.sku, lot=number, reason=why), reference,
                          [Posting(ledger.INVENTORY_PENDING, debit=value),
                           Posting(ledger.INVENTORY, credit=value)],
                          kind="write_off", user_id=user.id)
    audit.record("lot_written_off", {"sku": product.sku, "lot": number,
                                     "warehouse": place.code,
                                     "qty": audit.minor(amount, 3), "reason": why},
                 user_id=user.id, reference=reference)
    return value
