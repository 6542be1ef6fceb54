"""Stock moves and levels: every change of stock is an immutable move, and the level moves with it."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal

from peewee import EXCLUDED

from .db import unit_of_work
from .errors import NotFound, ValidationError
from .i18n import _
from .models import Product, ReorderRule, StockLevel, StockMove, Warehouse
from .money import QTY_PLACES, parse_decimal


@dataclass(frozen=True)
class LevelRow:
    warehouse_code: str
    warehouse_name: str
    warehouse_name_en: str
    on_hand: Decimal


def _bump_level(product_id: int, warehouse_id: int, qty: Decimal) -> None:
    # One upsert whose UPDATE adds in SQL: the row is locked by the database, never read and
    # rewritten in Python, so two tills selling the last can never overwrite each other.
    (StockLevel.insert(product=product_id, warehouse=warehouse_id, on_hand=qty)
     .on_conflict(conflict_target=[StockLevel.product, StockLevel.warehouse],
                  update={StockLevel.on_hand: StockLevel.on_hand + EXCLUDED.on_hand})
     .execute())


@unit_of_work
def post_move(product_id: int, warehouse_id: int, qty: Decimal, *, reason: str,
              unit_cost: Decimal = Decimal(0), reference: str = "", user_id: int | None = None,
              move_uuid: uuidlib.UUID | None = None) -> StockMove:
    """Record one move and apply it to the level, in the caller's unit of work."""
    qty = parse_decimal(qty, field="qty", places=QTY_PLACES, allow_negative=True)
    if qty == 0:
        raise ValidationError(_("qty: a stock move cannot be zero"), field="qty", value=qty)
    move = StockMove.create(uuid=move_uuid or uuidlib.uuid4(), product=product_id,
                            warehouse=warehouse_id, qty=qty, unit_cost=unit_cost, reason=reason,
                            reference=reference, user=user_id)
    _bump_level(product_id, warehouse_id, qty)
    return move


@unit_of_work
def post_opening_stock(sku: str, warehouse_code: str, qty: Decimal | str,
                       unit_cost: Decimal | str | None = None) -> StockMove:
    """Stock found on the shelves at set-up, entered as a real move (reason 'opening')."""
    product = Product.get(Product.sku == sku)
    warehouse = Warehouse.get(Warehouse.code == warehouse_code)
    q = parse_decimal(qty, field="qty", places=QTY_PLACES)
    cost = (parse_decimal(unit_cost, field="unit_cost", places=4) if unit_cost is not None
            else product.cost)
    return post_move(product.id, warehouse.id, q, reason="opening", unit_cost=cost)


def levels(product_id: int) -> list[LevelRow]:
    rows = (StockLevel.select(StockLevel, Warehouse).join(Warehouse)
            .where(StockLevel.product == product_id).order_by(Warehouse.id))
    return [LevelRow(r.warehouse.code, r.warehouse.name, r.warehouse.name_en, r.on_hand)
            for r in rows]


def on_hand(product_id: int, warehouse_id: int | None = None) -> Decimal:
    q = StockLevel.select(StockLevel.on_hand).where(StockLevel.product == product_id)
    if warehouse_id is not None:
        q = q.where(StockLevel.warehouse == warehouse_id)
    return sum((r.on_hand for r in q), Decimal(0))


@dataclass(frozen=True)
class ReorderRow:
    warehouse_code: str
    min_qty: Decimal
    max_qty: Decimal


@unit_of_work
def set_reorder_rule(sku: str, warehouse_code: str, min_qty: Decimal | str,
                     max_qty: Decimal | str) -> ReorderRule:
    """Reorder point and order-up-to level for one product in one warehouse (an upsert)."""
    product = Product.get_or_none(Product.sku == sku)
    if product is None:
        raise NotFound(_("No product with SKU '{sku}'").format(sku=sku))
    warehouse = Warehouse.get_or_none(Warehouse.code == warehouse_code)
    if warehouse is None:
        raise NotFound(_("No warehouse '{code}'").format(code=warehouse_code))
    low = parse_decimal(min_qty, field="min_qty", places=QTY_PLACES)
    high = parse_decimal(max_qty, field="max_qty", places=QTY_PLACES)
    if high < low:
        raise ValidationError(
            _("max_qty: '{value}' is below the minimum {minimum}").format(value=high,
                                                                          minimum=low),
            field="max_qty", value=high)
    (ReorderRule.insert(product=product, warehouse=warehouse, min_qty=low, max_qty=high)
     .on_conflict(conflict_target=[ReorderRule.product, ReorderRule.warehouse],
                  update={ReorderRule.min_qty: low, ReorderRule.max_qty: high})
     .execute())
    return ReorderRule.get(ReorderRule.product == product, ReorderRule.warehouse == warehouse)


def reorder_rules(product_id: int) -> list[ReorderRow]:
    rows = (ReorderRule.select(ReorderRule, Warehouse).join(Warehouse)
            .where(ReorderRule.product == product_id).order_by(Warehouse.id))
    return [ReorderRow(r.warehouse.code, r.min_qty, r.max_qty) for r in rows]
