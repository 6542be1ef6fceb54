"""Moving-average cost: what stock is worth, and what each move in or out of it is worth.

One row per product (StockValue) holds the quantity in all warehouses, its value to the cent
and the average unit cost. Every move changes the level of its warehouse and this row in the
caller's transaction, so the inventory account (1405) always equals Σ StockValue.value, which
equals Σ StockMove.value.

The rules:
- A receipt adds qty × its unit cost; the average becomes value / qty.
- An issue (a sale, a transfer out, a count loss) of q units takes value × q / qty, rounded to
  the cent; the last unit takes exactly what is left, so stock at zero is worth zero.
- Selling more than there is (a till may sell below zero): the units beyond stock go out at
  the last average. The receipt that later covers them re-prices them at its own cost and
  posts the difference to cost of goods sold. So the average is always a receipt's cost or a
  weighted mean of them: never negative, never absurd (the bug Odoo and ERPNext shipped).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import EXCLUDED

from store.books import ledger
from store.books.ledger import Posting
from store.common import bounds
from store.core.db import bulk_insert, is_postgres, unit_of_work
from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import (
    COST_PLACES,
    QTY_PLACES,
    ZERO,
    format_qty,
    parse_decimal,
    quantize,
    round_money,
    to_minor,
)
from store.models import Product, StockLevel, StockLot, StockMove, StockValue, Warehouse, utcnow
from store.security import audit
from store.stock import lots

COST_STEP = Decimal(1).scaleb(-COST_PLACES)


class InsufficientStock(StoreError):
    """A move would take a warehouse below zero where that is not allowed."""

    def __init__(self, message: str, *, product_id: int, warehouse_id: int) -> None:
        super().__init__(message)
        self.product_id = product_id
        self.warehouse_id = warehouse_id


@dataclass(frozen=True)
class InResult:
    value: Decimal  # what the goods add to the inventory account at the receipt's cost
    correction: Decimal  # re-pricing of units sold below zero: + to inventory, − to COGS


def _locked(product_id: int) -> StockValue:
    """The product's value row, locked until commit (SQLite: the write transaction is)."""
    def fetch() -> StockValue | None:
        q = StockValue.select().where(StockValue.product == product_id)
        return (q.for_update() if is_postgres() else q).first()

    row = fetch()
    if row is None:
        cost = Product.select(Product.cost).where(Product.id == product_id).scalar() or 0
        (StockValue.insert(product=product_id, qty=0, value=0, unit_cost=cost)
         .on_conflict_ignore().execute())
        row = fetch()
    assert row is not None
    return row


def _save(row: StockValue, qty: Decimal, value: Decimal, unit_cost: Decimal) -> None:
    if qty > 0:
        unit_cost = quantize(value / qty, COST_STEP)
    (StockValue.update(qty=qty, value=value, unit_cost=unit_cost)
     .where(StockValue.id == row.id).execute())


def _name(product_id: int, warehouse_id: int) -> tuple[str, str]:
    p = Product.get_by_id(product_id)
    w = Warehouse.get_by_id(warehouse_id)
    return f"{p.sku} {p.local_name}", w.code


def _level_add(product_id: int, warehouse_id: int, qty: Decimal) -> None:
    # One upsert whose UPDATE adds in SQL: the row is locked by the database, never read and
    # rewritten in Python, so two tills selling the last can never overwrite each other.
    (StockLevel.insert(product=product_id, warehouse=warehouse_id, on_hand=qty)
     .on_conflict(conflict_target=[StockLevel.product, StockLevel.warehouse],
                  update={StockLevel.on_hand: StockLevel.on_hand + EXCLUDED.on_hand})
     .execute())


def _level_take(product_id: int, warehouse_id: int, qty: Decimal, may_go_negative: bool) -> None:
    """Take qty off a level. Below zero only where allowed: the guard is in the UPDATE's WHERE,
    so two terminals taking the last unit at once cannot both succeed."""
    if may_go_negative:
        _level_add(product_id, warehouse_id, -qty)
        return
    taken = (StockLevel.update(on_hand=StockLevel.on_hand - qty)
             .where((StockLevel.product == product_id) & (StockLevel.warehouse == warehouse_id)
                    & (StockLevel.on_hand >= qty)).execute())
    if not taken:
        name, code = _name(product_id, warehouse_id)
        row = StockLevel.get_or_none((StockLevel.product == product_id)
                                     & (StockLevel.warehouse == warehouse_id))
        have = row.on_hand if row is not None else ZERO.quantize(Decimal("0.001"))
        raise InsufficientStock(
            _("Not enough {product} in {warehouse}: {have} on hand, {qty} needed").format(
                product=name, warehouse=code, have=format_qty(have), qty=format_qty(qty)),
            product_id=product_id, warehouse_id=warehouse_id)


def move_seal(m: dict[str, Any]) -> list[Any]:
    """What the audit chain keeps of one stock move (as written: the fields of a StockMove
    row), quantities and amounts as exact integers."""
    return [str(m["uuid"]), m["product"], m["warehouse"], to_minor(m["qty"], QTY_PLACES),
            to_minor(m["value"]), to_minor(m["unit_cost"], COST_PLACES), m["reason"],
            m["reference"], m["user"], audit.iso_time(m["created_at"])]


def _write_moves(moves: list[dict[str, Any]], lot: lots.Lot | lots.Parts | str | None = None,
                 follow: bool = True) -> None:
    """Insert moves and seal them in the audit chain, one event for the lot: `audit verify`
    finds a changed, deleted or slipped-in move by its uuid. A lot-tracked product's lots
    follow (`lot`: the one the goods came in with, or the one asked for going out)."""
    tracked = lots.tracked_ids() if follow else frozenset()
    for m in moves:
        if m["product"] in tracked:
            lots.follow(m["product"], m["warehouse"], m["qty"], lot, reason=m["reason"],
                        reference=m["reference"])
    bulk_insert(StockMove, moves)
    audit.seal("stock", {"moves": [move_seal(m) for m in moves]},
                 user_id=moves[0]["user"], reference=moves[0]["reference"])


def _move(product_id: int, warehouse_id: int, qty: Decimal, value: Decimal, unit_cost: Decimal,
          reason: str, reference: str, user_id: int | None,
          move_uuid: uuidlib.UUID | None, lot: lots.Lot | lots.Parts | str | None = None,
          follow: bool = True) -> None:
    _write_moves([{"uuid": move_uuid or uuidlib.uuid4(), "product": product_id,
                   "warehouse": warehouse_id, "qty": qty, "unit_cost": unit_cost,
                   "value": value, "reason": reason, "reference": reference, "user": user_id,
                   "created_at": utcnow()}], lot, follow)


def positive_qty(qty: Decimal | str) -> Decimal:
    """A quantity to move: a number with at most 3 places, more than zero."""
    q = parse_decimal(qty, field="qty", places=QTY_PLACES)
    if q <= 0:
        raise ValidationError(_("qty: '{value}' must be greater than zero").format(value=q),
                              field="qty", value=q)
    return bounds.check_qty(q)


def line_qty(qty: Decimal | str) -> Decimal:
    """A document line's quantity as corrected by hand: zero takes the line off, never below."""
    q = parse_decimal(qty, field="qty", places=QTY_PLACES)
    if q < 0:
        raise ValidationError(_("qty: '{value}' cannot be negative").format(value=q),
                              field="qty", value=q)
    return q


@unit_of_work
def stock_in(product_id: int, warehouse_id: int, qty: Decimal, unit_cost: Decimal | None, *,
             reason: str, reference: str = "", user_id: int | None = None,
             move_uuid: uuidlib.UUID | None = None,
             lot: lots.Lot | lots.Parts | None = None) -> InResult:
    """Goods in at unit_cost (None: at the current average, e.g. a count gain); `lot`: the
    lot they are of, or how many of each (a lot-tracked product's; else its unknown lot)."""
    qty = positive_qty(qty)
    row = _locked(product_id)
    cost = row.unit_cost if unit_cost is None else quantize(unit_cost, COST_STEP)
    if cost < 0:
        raise ValidationError(_("unit_cost: '{value}' cannot be negative").format(value=cost),
                              field="unit_cost", value=cost)
    value_in = round_money(qty * cost)
    new_qty = row.qty + qty
    correction = ZERO
    if row.qty >= 0:
        new_value = row.value + value_in
    else:
        # Units sold below zero went out at the old average; they are re-priced at this cost.
        new_value = round_money(new_qty * cost)
        correction = new_value - (row.value + value_in)
    _save(row, new_qty, new_value, cost)
    if new_qty > 0:  # the catalog's cost follows the average (price-below-cost checks use it)
        Product.update(cost=quantize(new_value / new_qty, COST_STEP)).where(
            Product.id == product_id).execute()
    _level_add(product_id, warehouse_id, qty)
    _move(product_id, warehouse_id, qty, value_in + correction, cost, reason, reference, user_id,
          move_uuid, lot)
    return InResult(value_in, correction)


def _issue_value(row: StockValue, qty: Decimal) -> Decimal:
    if row.qty <= 0:
        return round_money(qty * row.unit_cost)
    if qty < row.qty:
        return round_money(row.value * qty / row.qty)
    # The last units take exactly what is left, and any beyond go at the average.
    return row.value + round_money((qty - row.qty) * row.unit_cost)


@unit_of_work
def stock_out(product_id: int, warehouse_id: int, qty: Decimal, *, reason: str,
              reference: str = "", user_id: int | None = None,
              may_go_negative: bool | None = None,
              move_uuid: uuidlib.UUID | None = None, lot: str | None = None) -> Decimal:
    """Goods out at the moving average; returns the value taken off the inventory account.
    may_go_negative None follows the warehouse's policy (the till's case). `lot`: the lot
    they come out of first (scanned), the rest first-expiring first."""
    qty = positive_qty(qty)
    if may_go_negative is None:
        may_go_negative = bool(Warehouse.select(Warehouse.allow_negative)
                               .where(Warehouse.id == warehouse_id).scalar())
    _level_take(product_id, warehouse_id, qty, may_go_negative)
    row = _locked(product_id)
    value = _issue_value(row, qty)
    _save(row, row.qty - qty, row.value - value, row.unit_cost)
    _move(product_id, warehouse_id, -qty, -value, row.unit_cost, reason, reference, user_id,
          move_uuid, lot)
    return value


@unit_of_work
def stock_out_many(warehouse_id: int, quantities: dict[int, Decimal], *, reason: str,
                   reference: str = "", user_id: int | None = None) -> Decimal:
    """Many products out of one warehouse at their moving averages in a handful of
    statements (an import's shipments); the same rules and results as `stock_out` per
    product. Where the warehouse may not go below zero, each product goes through `stock_out`
    for its guarded UPDATE. Returns the value taken off the inventory account."""
    wanted = {pid: positive_qty(q) for pid, q in sorted(quantities.items())}
    if not wanted:
        return ZERO
    if not Warehouse.select(Warehouse.allow_negative).where(Warehouse.id == warehouse_id
                                                            ).scalar():
        return sum((stock_out(pid, warehouse_id, q, reason=reason, reference=reference,
                              user_id=user_id) for pid, q in wanted.items()), ZERO)
    ids = list(wanted)
    costs: Any = Product.select(Product.id, Product.cost).where(Product.id.in_(ids)).tuples()
    StockValue.insert_many([{"product": pid, "qty": 0, "value": 0, "unit_cost": cost or 0}
                            for pid, cost in costs]).on_conflict_ignore().execute()
    q = StockValue.select().where(StockValue.product.in_(ids)).order_by(StockValue.product)
    rows = {r.product_id: r for r in (q.for_update() if is_postgres() else q)}
    (StockLevel.insert_many([{"product": pid, "warehouse": warehouse_id, "on_hand": -qty}
                             for pid, qty in wanted.items()])
     .on_conflict(conflict_target=[StockLevel.product, StockLevel.warehouse],
                  update={StockLevel.on_hand: StockLevel.on_hand + EXCLUDED.on_hand})
     .execute())
    now, total = utcnow(), ZERO
    values, moves = [], []
    for pid, qty in wanted.items():
        row = rows[pid]
        value = _issue_value(row, qty)
        new_qty, new_value = row.qty - qty, row.value - value
        unit_cost = quantize(new_value / new_qty, COST_STEP) if new_qty > 0 else row.unit_cost
        values.append({"product": pid, "qty": new_qty, "value": new_value,
                       "unit_cost": unit_cost})
        moves.append({"uuid": uuidlib.uuid4(), "product": pid, "warehouse": warehouse_id,
                      "qty": -qty, "unit_cost": row.unit_cost, "value": -value,
                      "reason": reason, "reference": reference, "user": user_id,
                      "created_at": now})
        total += value
    # One upsert writes every product's new value row (each row was locked above).
    (StockValue.insert_many(values)
     .on_conflict(conflict_target=[StockValue.product],
                  update={StockValue.qty: EXCLUDED.qty, StockValue.value: EXCLUDED.value,
                          StockValue.unit_cost: EXCLUDED.unit_cost})
     .execute())
    _write_moves(moves)
    return total


@unit_of_work
def relocate(product_id: int, source_id: int, destination_id: int, qty: Decimal, *,
             reason: str, reference: str = "", user_id: int | None = None) -> Decimal:
    """Move goods between warehouses: never below zero at the source; the product's value does
    not change (one average per product), the moves carry it out and back in. A lot-tracked
    product's lots go with it: first-expiring first, arriving as the same lots."""
    qty = positive_qty(qty)
    _level_take(product_id, source_id, qty, False)
    row = _locked(product_id)
    value = _issue_value(row, qty)
    _move(product_id, source_id, -qty, -value, row.unit_cost, reason, reference, user_id, None,
          follow=False)
    _level_add(product_id, destination_id, qty)
    _move(product_id, destination_id, qty, value, row.unit_cost, reason, reference, user_id, None,
          follow=False)
    if product_id in lots.tracked_ids():
        expiry = {r.number: r.expires_on for r in StockLot.select().where(
            (StockLot.product == product_id) & (StockLot.warehouse == source_id))}
        taken = lots.take(product_id, source_id, qty)
        for number, part in taken:
            lots.put(product_id, destination_id, part, lots.Lot(number, expiry.get(number)))
        lots.record(product_id, source_id, [(n, -q) for n, q in taken], reason=reason,
                    reference=reference)
        lots.record(product_id, destination_id, taken, reason=reason, reference=reference)
    return value


@unit_of_work
def revalue(product_id: int, warehouse_id: int, qty: Decimal, amount: Decimal, *,
            reference: str = "", user_id: int | None = None) -> tuple[Decimal, Decimal]:
    """A bill charged `amount` more (or less) than `qty` units were received at. The share of
    those units still in stock changes the stock's value (and so the average), recorded as a
    move of no quantity; the share already sold goes to cost of goods sold. Returns (to
    inventory, to COGS)."""
    row = _locked(product_id)
    if not amount or qty <= 0:
        return ZERO, ZERO
    in_stock = min(max(row.qty, ZERO), qty)
    to_inventory = round_money(amount * in_stock / qty)
    if row.value + to_inventory < 0:  # never below nothing: the rest was sold
        to_inventory = -row.value
    if to_inventory:
        _save(row, row.qty, row.value + to_inventory, row.unit_cost)
        if row.qty > 0:
            Product.update(cost=quantize((row.value + to_inventory) / row.qty, COST_STEP)).where(
                Product.id == product_id).execute()
        _move(product_id, warehouse_id, ZERO, to_inventory, row.unit_cost, "revaluation",
              reference, user_id, None)
    return to_inventory, amount - to_inventory


def unit_cost(product_id: int) -> Decimal:
    row = StockValue.get_or_none(StockValue.product == product_id)
    if row is not None:
        return Decimal(row.unit_cost)
    return Decimal(Product.select(Product.cost).where(Product.id == product_id).scalar() or 0)


@unit_of_work
def post_opening_balance(amount: Decimal, reference: str) -> None:
    """Stock found at set-up enters the books against the owner's capital, so the ledger agrees
    with the warehouse from the first day."""
    if amount:
        ledger.post_entry(phrase(N_("Opening stock")), reference,
                          [Posting(ledger.INVENTORY, debit=amount),
                           Posting(ledger.CAPITAL, credit=amount)], kind="opening")
