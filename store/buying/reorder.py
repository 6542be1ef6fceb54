"""Reorder suggestions: what to buy, from whom, from the reorder rules and how fast things sell.

For each product and warehouse with a reorder rule:
  projected = on hand + on order − daily sales × the supplier's lead time
and when projected falls below the minimum, order up to the maximum:
  qty = maximum − projected, rounded up to the supplier's pack.
Daily sales are the units sold (net of returns) from that warehouse over the last `days` days.
The supplier is the preferred one, else the one bought from last. The suggestions become one
draft purchase order per supplier, to edit before sending."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from peewee import JOIN, Case, fn

from store.buying import purchasing
from store.buying.purchasing import OrderLineInput, OrderView
from store.common import clock
from store.core.db import unit_of_work
from store.core.fields import from_scaled, scaled_sum
from store.core.money import ZERO
from store.models import (
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    ReorderRule,
    StockLevel,
    StockMove,
    Supplier,
    SupplierProduct,
    Warehouse,
)
from store.security import permissions
from store.security.auth import SessionUser
from store.shops import branches


@dataclass(frozen=True)
class Suggestion:
    sku: str
    name: str
    warehouse: str
    on_hand: Decimal
    on_order: Decimal
    daily_sales: Decimal
    lead_time_days: int
    min_qty: Decimal
    max_qty: Decimal
    qty: Decimal  # what to order (whole packs)
    supplier_code: str  # "" when no supplier sells it yet
    unit_cost: Decimal | None


def _on_order() -> Any:
    outstanding = Case(None, [(PurchaseOrderLine.qty > PurchaseOrderLine.received_qty,
                               PurchaseOrderLine.qty - PurchaseOrderLine.received_qty)], 0)
    return (PurchaseOrderLine.select(PurchaseOrderLine.product, PurchaseOrder.warehouse,
                                     fn.COALESCE(fn.SUM(outstanding), 0))
            .join(PurchaseOrder)
            .where(PurchaseOrder.status.in_(("draft", "ordered", "partial"))
                   & PurchaseOrder.closed_at.is_null())
            .group_by(PurchaseOrderLine.product, PurchaseOrder.warehouse))


def _sold_since(since: dt.datetime) -> Any:
    """Units that left each warehouse (net of returns) since then: Σ qty, negative."""
    return (StockMove.select(StockMove.product, StockMove.warehouse, scaled_sum(StockMove.qty))
            .where((StockMove.reason.in_(("sale", "return"))) & (StockMove.created_at >= since))
            .group_by(StockMove.product, StockMove.warehouse))


def suggestions(*, warehouse_code: str = "", days: int = 28, shop: str = "") -> list[Suggestion]:
    """Everything worth ordering now, by supplier then SKU; of one warehouse, or of one shop's
    warehouses (`shop`, its code), or of all."""
    on_hand = fn.COALESCE(StockLevel.on_hand, 0)  # COALESCE(column, …): peewee converts it
    q: Any = (ReorderRule.select(ReorderRule.product, ReorderRule.warehouse, Product.sku,
                                 Product.local_name_sql(), Warehouse.code, on_hand,
                                 ReorderRule.min_qty,
                                 ReorderRule.max_qty, Product.cost)
              .join(Product).switch(ReorderRule).join(Warehouse)
              .join(StockLevel, JOIN.LEFT_OUTER,
                    on=((StockLevel.product == ReorderRule.product)
                        & (StockLevel.warehouse == ReorderRule.warehouse)))
              .where(Product.active == True))  # noqa: E712
    if warehouse_code:
        q = q.where(Warehouse.code == warehouse_code)
    if shop:
        q = q.where(Warehouse.shop == branches.get_shop(shop).id)
    rules = list(q.tuples())
    if not rules:
        return []
    qty_field = PurchaseOrderLine.qty
    on_order = {(p, w): from_scaled(qty_field, v) for p, w, v in _on_order().tuples()}
    since = clock.local_moment(clock.local_today() - dt.timedelta(days=days), dt.time())
    sold = {(p, w): -from_scaled(qty_field, v) for p, w, v in _sold_since(since).tuples()}
    suppliers = _suppliers({r[0] for r in rules})
    out: list[Suggestion] = []
    for pid, wid, sku, name, wh, have, lo, hi, cost in rules:
        supplier = suppliers.get(pid)
        lead = supplier[1] if supplier else 0
        daily = (sold.get((pid, wid), ZERO) / days).quantize(Decimal("0.001"))
        coming = on_order.get((pid, wid), ZERO)
        projected = have + coming - daily * lead
        if projected >= lo:
            continue
        need = hi - projected
        pack = supplier[2] if supplier else Decimal(1)
        qty = (need / pack).to_integral_value(ROUND_CEILING) * pack
        if qty <= 0:
            continue
        out.append(Suggestion(sku, name, wh, have, coming, daily, lead, lo, hi, qty,
                              supplier[0] if supplier else "",
                              supplier[3] if supplier and supplier[3] is not None else cost))
    out.sort(key=lambda s: (s.supplier_code == "", s.supplier_code, s.sku))
    return out


def _suppliers(product_ids: set[int]) -> dict[int, tuple[str, int, Decimal, Decimal | None]]:
    """product → (supplier code, lead days, pack, last price): preferred, else latest bought."""
    rows = (SupplierProduct.select(SupplierProduct, Supplier).join(Supplier)
            .where(SupplierProduct.product.in_(list(product_ids)) & Supplier.active)
            .order_by(SupplierProduct.product, SupplierProduct.preferred.desc(),
                      SupplierProduct.last_purchased.desc(nulls="LAST"), Supplier.code))
    out: dict[int, tuple[str, int, Decimal, Decimal | None]] = {}
    for r in rows:
        if r.product_id not in out:
            lead = r.lead_time_days if r.lead_time_days is not None else r.supplier.lead_time_days
            out[r.product_id] = (r.supplier.code, lead, r.pack_qty, r.last_price)
    return out


@unit_of_work
def draft_orders(user: SessionUser, picked: Sequence[Suggestion]) -> list[OrderView]:
    """One draft order per supplier and warehouse from the suggestions, to edit and send.
    Suggestions without a supplier are left out (the caller lists them)."""
    permissions.check(user, "purchase")
    groups: dict[tuple[str, str], list[OrderLineInput]] = defaultdict(list)
    for s in picked:
        if s.supplier_code:
            groups[(s.supplier_code, s.warehouse)].append(
                OrderLineInput(s.sku, s.qty, s.unit_cost))
    return [purchasing.create_order(user, supplier, warehouse, lines, send=False,
                                    note="reorder")
            for (supplier, warehouse), lines in sorted(groups.items())]
