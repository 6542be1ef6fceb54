"""Stock moves and levels: every change of stock is an immutable move, and the level moves with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Value, fn

from store.catalog.products import get_product, sku_matches
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _
from store.core.money import QTY_PLACES, ZERO, parse_decimal
from store.models import (
    Product,
    ReorderRule,
    SalesOrder,
    SalesOrderLine,
    StockLevel,
    StockMove,
    StockValue,
    User,
    Warehouse,
)
from store.models.orders import RESERVING
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.stock import costing

# Why stock moved, and where an unknown barcode was scanned (for gettext: shown as _(reason)).
REASONS = (N_("opening"), N_("sale"), N_("return"), N_("receipt"), N_("transfer"), N_("count"),
           N_("receiving"), N_("revaluation"), N_("supplier_return"), N_("shipment"),
           N_("write_off"), N_("lots"))


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
    product = get_product(sku)
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


def on_hand_in(product_ids: Sequence[int], warehouse_id: int) -> dict[int, Decimal]:
    """What each product has on hand in one warehouse, in one query (0 when none)."""
    rows = (StockLevel.select(StockLevel.product, StockLevel.on_hand)
            .where(StockLevel.product.in_(list(product_ids))
                   & (StockLevel.warehouse == warehouse_id)))
    found = {r.product_id: r.on_hand for r in rows}
    return {pid: found.get(pid, Decimal(0)) for pid in product_ids}


@dataclass(frozen=True)
class ReorderRow:
    warehouse_code: str
    min_qty: Decimal
    max_qty: Decimal


@unit_of_work
def set_reorder_rule(sku: str, warehouse_code: str, min_qty: Decimal | str,
                     max_qty: Decimal | str) -> ReorderRule:
    """Reorder point and order-up-to level for one product in one warehouse (an upsert)."""
    product = get_product(sku)
    warehouse = _warehouse(warehouse_code)
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


def _warehouse(code: str) -> Warehouse:
    found = Warehouse.get_or_none(fn.UPPER(Warehouse.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No warehouse '{code}'").format(code=code), field="warehouse")
    return found


@unit_of_work
def set_reorder_rules(actor: SessionUser, sku: str,
                      rules: dict[str, tuple[str, str]]) -> list[ReorderRow]:
    """A product's reorder rules, warehouse by warehouse: (min, max) as typed; both empty
    removes that warehouse's rule. By someone who may buy (the rules drive purchase
    suggestions), all or nothing, recorded. A refusal names the warehouse's field
    (`min_qty:STORE`), so a form can focus it."""
    permissions.check(actor, "purchase", reference=sku[:64])
    product = get_product(sku)
    for code, (low, high) in rules.items():
        warehouse = _warehouse(code)
        if not low.strip() and not high.strip():
            ReorderRule.delete().where((ReorderRule.product == product.id)
                                       & (ReorderRule.warehouse == warehouse.id)).execute()
            continue
        try:
            set_reorder_rule(product.sku, warehouse.code, low.strip() or "0", high.strip())
        except ValidationError as err:
            err.field = f"{err.field}:{warehouse.code}"
            raise
    after = reorder_rules(product.id)
    audit.record("reorder_rules_changed", {"sku": product.sku, "rules": [
        [r.warehouse_code, str(r.min_qty), str(r.max_qty)] for r in after]},
        user_id=actor.id, reference=product.sku)
    return after


def reorder_rules(product_id: int) -> list[ReorderRow]:
    rows = (ReorderRule.select(ReorderRule, Warehouse).join(Warehouse)
            .where(ReorderRule.product == product_id).order_by(Warehouse.id))
    return [ReorderRow(r.warehouse.code, r.min_qty, r.max_qty) for r in rows]


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    warehouse: str  # "" for the total over all warehouses
    on_hand: Decimal
    reserved: Decimal  # held for confirmed sales orders not yet shipped
    unit_cost: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def stock(*, warehouse_code: str = "", sku: str = "", limit: int = 1000) -> list[StockRow]:
    """On hand per product and warehouse, summed in SQL; without a warehouse, one total row
    per product across all of them."""
    cost = fn.COALESCE(StockValue.unit_cost, Product.cost)
    if warehouse_code:
        q = (StockLevel.select(Product.sku, Product.local_name_sql(), Warehouse.code,
                               StockLevel.on_hand, cost)
             .join(Product).switch(StockLevel).join(Warehouse)
             .join(StockValue, JOIN.LEFT_OUTER, on=(StockValue.product == Product.id))
             .where(Warehouse.code == warehouse_code))
    else:
        q = (StockLevel.select(Product.sku, Product.local_name_sql(), Value("").alias("w"),
                               fn.SUM(StockLevel.on_hand), cost)
             .join(Product)
             .join(StockValue, JOIN.LEFT_OUTER, on=(StockValue.product == Product.id))
             .group_by(Product.id, Product.sku, Product.name, Product.name_en,
                       StockValue.unit_cost, Product.cost))
    if sku:
        q = q.where(sku_matches(sku.strip()))
    q = q.select_extend(Product.id)
    if warehouse_code:
        q = q.select_extend(Warehouse.id)
    rows: Any = list(q.order_by(Product.sku).limit(limit).tuples())
    held = reserved_qty([r[5] for r in rows])  # what open sales orders still have to ship
    out = []
    for s, n, w, qty, c, pid, *wid in rows:
        # peewee converts a plain column and COALESCE(column, …) itself; a SUM comes back raw.
        on_hand = qty if warehouse_code else from_scaled(StockLevel.on_hand, qty)
        reserved = (held.get((pid, wid[0]), ZERO) if warehouse_code
                    else sum((v for (p, _w), v in held.items() if p == pid), ZERO))
        out.append(StockRow(s, n, w, on_hand, reserved, c))
    return out + _reserved_only(rows, warehouse_code, sku)


def _reserved_only(rows: list[Any], warehouse_code: str, sku: str) -> list[StockRow]:
    """Products that orders hold but that were never in stock here: on hand 0, so the
    shortfall shows (available below zero) instead of the product missing from the list."""
    listed = {(r[5], r[6]) if warehouse_code else r[5] for r in rows}
    held = reserved_qty()
    wanted: dict[tuple[int, int], Decimal] = {}
    for (pid, wid), qty in held.items():
        if qty and ((pid, wid) if warehouse_code else pid) not in listed:
            wanted[(pid, wid)] = qty
    if not wanted:
        return []
    q = (Product.select(Product.id, Product.sku, Product.name, Product.name_en, Product.cost)
         .where(Product.id.in_(list({p for p, _w in wanted}))))
    if sku:
        q = q.where(sku_matches(sku.strip()))
    products = {p.id: p for p in q}
    found: Any = Warehouse.select(Warehouse.id, Warehouse.code).tuples()
    codes: dict[int, str] = dict(found)
    out: dict[tuple[int, str], StockRow] = {}
    for (pid, wid), qty in sorted(wanted.items()):
        p = products.get(pid)
        if p is None or (warehouse_code and codes[wid] != warehouse_code):
            continue
        key = (pid, codes[wid] if warehouse_code else "")
        before = out[key].reserved if key in out else ZERO
        out[key] = StockRow(p.sku, p.local_name, key[1], ZERO, before + qty, p.cost)
    return sorted(out.values(), key=lambda r: r.sku)


@dataclass(frozen=True)
class MoveRow:
    at: dt.datetime
    warehouse: str
    reason: str
    reference: str
    user: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    balance: Decimal  # on hand in that warehouse after this move


def moves(sku: str, *, warehouse_code: str = "", limit: int = 200) -> list[MoveRow]:
    """A product's moves, newest first, each with the warehouse's running balance after it."""
    product = get_product(sku)
    q = (StockMove.select(StockMove, Warehouse.code, User.username)
         .join(Warehouse).switch(StockMove).join(User, JOIN.LEFT_OUTER)
         .where(StockMove.product == product.id))
    if warehouse_code:
        q = q.where(Warehouse.code == warehouse_code)
    balances: dict[str, Decimal] = {}
    out: list[MoveRow] = []
    for m in q.order_by(StockMove.created_at, StockMove.id):
        code = m.warehouse.code
        balances[code] = balances.get(code, Decimal(0)) + m.qty
        out.append(MoveRow(m.created_at, code, m.reason, m.reference,
                           m.user.username if m.user is not None else "", m.qty, m.unit_cost, m.value,
                           balances[code]))
    return out[::-1][:limit]


@dataclass(frozen=True)
class AlertRow:
    sku: str
    name: str
    warehouse: str
    on_hand: Decimal
    min_qty: Decimal | None  # None: no reorder rule, the alert is for stock below zero
    max_qty: Decimal | None

    @property
    def kind(self) -> str:
        return "negative" if self.on_hand < 0 else "low"

    @property
    def suggested(self) -> Decimal:
        """Order up to the maximum (or back to zero when there is no rule)."""
        target = self.max_qty if self.max_qty is not None else Decimal(0)
        return max(target - self.on_hand, Decimal(0))


def _alert_queries(warehouse_code: str, shops: frozenset[int] | None = None
                   ) -> tuple[Any, Any]:
    on_hand = fn.COALESCE(StockLevel.on_hand, 0)
    low = (ReorderRule.select(Product.sku, Product.local_name_sql(), Warehouse.code, on_hand,
                              ReorderRule.min_qty, ReorderRule.max_qty)
           .join(Product).switch(ReorderRule).join(Warehouse)
           .join(StockLevel, JOIN.LEFT_OUTER,
                 on=((StockLevel.product == ReorderRule.product)
                     & (StockLevel.warehouse == ReorderRule.warehouse)))
           .where((on_hand < ReorderRule.min_qty) & Product.active))
    rules = ReorderRule.select(ReorderRule.id).where(
        (ReorderRule.product == StockLevel.product)
        & (ReorderRule.warehouse == StockLevel.warehouse))
    negative = (StockLevel.select(Product.sku, Product.local_name_sql(), Warehouse.code,
                                  StockLevel.on_hand,
                                  Value(None), Value(None))
                .join(Product).switch(StockLevel).join(Warehouse)
                .where((StockLevel.on_hand < 0) & ~fn.EXISTS(rules)))
    if warehouse_code:
        low = low.where(Warehouse.code == warehouse_code)
        negative = negative.where(Warehouse.code == warehouse_code)
    if shops is not None:  # the warehouses of some shops of a chain
        low = low.where(Warehouse.shop.in_(list(shops)))
        negative = negative.where(Warehouse.shop.in_(list(shops)))
    return low, negative


def alerts(*, warehouse_code: str = "", limit: int = 1000,
           shops: frozenset[int] | None = None) -> list[AlertRow]:
    """Products below their reorder minimum, and stock below zero (a till sold what the book
    did not have), worst first; of some shops' warehouses only, when given."""
    low, negative = _alert_queries(warehouse_code, shops)
    out: list[AlertRow] = []
    for q in (negative, low):
        for sku, name, wh, qty, lo, hi in q.limit(limit).tuples():
            out.append(AlertRow(sku, name, wh, qty, lo, hi))  # columns: converted by peewee
    out.sort(key=lambda a: (a.kind != "negative", a.on_hand - (a.min_qty or 0), a.sku))
    return out[:limit]


def alert_count(warehouse_code: str = "", shops: frozenset[int] | None = None) -> int:
    """For the manager's home screen and the dashboard: counted in SQL."""
    low, negative = _alert_queries(warehouse_code, shops)
    return int(low.count() + negative.count())


def reserved_qty(product_ids: Sequence[int] | None = None) -> dict[tuple[int, int], Decimal]:
    """(product, warehouse) → what reserving orders still have to ship, summed in SQL."""
    q = (SalesOrderLine.select(SalesOrderLine.product, SalesOrder.warehouse,
                               fn.COALESCE(fn.SUM(SalesOrderLine.qty - SalesOrderLine.shipped_qty),
                                           0))
         .join(SalesOrder).where(SalesOrder.status.in_(RESERVING)
                                 & SalesOrderLine.product.is_null(False))
         .group_by(SalesOrderLine.product, SalesOrder.warehouse))
    if product_ids is not None:
        q = q.where(SalesOrderLine.product.in_(list(product_ids)))
    rows: Any = q.tuples()
    return {(p, w): from_scaled(SalesOrderLine.qty, v) for p, w, v in rows}
