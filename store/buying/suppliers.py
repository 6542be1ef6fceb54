"""Suppliers and the products they sell: their code for it, the last price paid, lead time,
the pack it comes in, and which supplier is preferred for a product's reorders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.catalog.products import get_product
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.money import COST_PLACES, QTY_PLACES, parse_decimal
from store.models import Product, Supplier, SupplierProduct
from store.security import audit, permissions
from store.security.auth import SessionUser


@dataclass(frozen=True)
class SupplierProductView:
    supplier_code: str
    supplier_name: str
    sku: str
    name: str
    supplier_sku: str
    last_price: Decimal | None
    last_purchased: dt.date | None
    lead_time_days: int
    pack_qty: Decimal
    preferred: bool


def get_supplier(code: str) -> Supplier:
    row = Supplier.get_or_none(fn.UPPER(Supplier.code) == code.strip().upper())  # as typed: s1
    if row is None:
        raise NotFound(_("No supplier '{code}'").format(code=code))
    return row


@unit_of_work
def set_product(user: SessionUser, supplier_code: str, sku: str, *, supplier_sku: str = "",
                price: Decimal | str | None = None, lead_time_days: int | None = None,
                pack_qty: Decimal | str = Decimal(1), preferred: bool = False) -> None:
    """Record that a supplier sells a product (an upsert). Preferring one supplier un-prefers
    the others for that product."""
    permissions.check(user, "purchase", reference=supplier_code)
    supplier = get_supplier(supplier_code)
    product = get_product(sku)
    pack = parse_decimal(pack_qty, field="pack_qty", places=QTY_PLACES)
    if pack <= 0:
        raise ValidationError(_("pack_qty: '{value}' must be greater than zero").format(
            value=pack), field="pack_qty", value=pack)
    cost = (parse_decimal(price, field="price", places=COST_PLACES)
            if price not in (None, "") else None)
    if lead_time_days is not None and not 0 <= lead_time_days <= 365:
        raise ValidationError(_("{field}: '{value}' must be 0 to 365 days").format(
            field="lead_time_days", value=lead_time_days), field="lead_time_days",
            value=lead_time_days)
    if preferred:
        (SupplierProduct.update(preferred=False)
         .where(SupplierProduct.product == product.id).execute())
    values: dict[str, Any] = {"supplier_sku": supplier_sku.strip()[:64],
                              "lead_time_days": lead_time_days, "pack_qty": pack,
                              "preferred": preferred}
    if cost is not None:
        values["last_price"] = cost
    (SupplierProduct.insert(supplier=supplier.id, product=product.id, **values)
     .on_conflict(conflict_target=[SupplierProduct.supplier, SupplierProduct.product],
                  update={getattr(SupplierProduct, k): v for k, v in values.items()})
     .execute())
    audit.record("supplier_product_set", {
        "supplier": supplier.code, "sku": product.sku, "supplier_sku": values["supplier_sku"],
        "pack_qty": str(pack), "lead_time_days": lead_time_days, "preferred": preferred,
        "price": audit.minor(cost, COST_PLACES) if cost is not None else None},
        user_id=user.id, reference=supplier.code)


def note_purchase(supplier_id: int, product_id: int, price: Decimal, day: dt.date) -> None:
    """A bill's price becomes the supplier's last price for the product (inside the bill's
    transaction); a product first bought from a supplier becomes one of theirs."""
    (SupplierProduct.insert(supplier=supplier_id, product=product_id, last_price=price,
                            last_purchased=day)
     .on_conflict(conflict_target=[SupplierProduct.supplier, SupplierProduct.product],
                  update={SupplierProduct.last_price: price,
                          SupplierProduct.last_purchased: day}).execute())


def products_of(supplier_code: str) -> list[SupplierProductView]:
    supplier = get_supplier(supplier_code)
    rows = (SupplierProduct.select(SupplierProduct, Product).join(Product)
            .where(SupplierProduct.supplier == supplier.id).order_by(Product.sku))
    return [_view(supplier, r) for r in rows]


def suppliers_of(sku: str) -> list[SupplierProductView]:
    product = get_product(sku)
    rows = (SupplierProduct.select(SupplierProduct, Supplier).join(Supplier)
            .where(SupplierProduct.product == product.id)
            .order_by(SupplierProduct.preferred.desc(), Supplier.code))
    return [_view(r.supplier, r, product) for r in rows]


def _view(supplier: Supplier, r: SupplierProduct, product: Product | None = None
          ) -> SupplierProductView:
    p = product or r.product
    lead = r.lead_time_days if r.lead_time_days is not None else supplier.lead_time_days
    return SupplierProductView(supplier.code, supplier.name, p.sku, p.local_name, r.supplier_sku,
                               r.last_price, r.last_purchased, lead, r.pack_qty, r.preferred)


def suppliers() -> list[Supplier]:
    return list(Supplier.select().where(Supplier.active == True)  # noqa: E712
                .order_by(Supplier.code))
