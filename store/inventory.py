"""Stock moves and levels: every change of stock is an immutable move, and the level moves with it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import costing
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


@unit_of_work
def post_opening_stock(sku: str, warehouse_code: str, qty: Decimal | str,
                       unit_cost: Decimal | str | None = None) -> StockMove:
    """Stock found on the shelves at set-up: a real move (reason 'opening') at its cost, and
    its value posted to inventory against the owner's capital."""
    product = Product.get_or_none(Product.sku == sku)
    if product is None:
        raise NotFound(_("No product with SKU '{sku}'").format(sku=sku))
    warehouse = Warehouse.get_or_none(Warehouse.code == warehouse_code)
    if warehouse is None:
        raise NotFound(_("No warehouse '{code}'").format(code=warehouse_code))
    q = parse_decimal(qty, field="qty", places=QTY_PLACES)
    cost = (parse_decimal(unit_cost, field="unit_cost", places=4) if unit_cost is not None
            else product.cost)
    result = costing.stock_in(product.id, warehouse.id, q, cost, reason="opening",
                              reference="OPENING")
    costing.post_opening_balance(result.value + result.correction, "OPENING")
    return StockMove.select().order_by(StockMove.id.desc()).get()


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
