"""The product editor's use cases: add, change and deactivate a product as a user allowed to,
and read a product's price history. Every change is checked in the store, recorded in the
audit chain, and a new shelf price goes into the price history with who and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from peewee import JOIN

from store.catalog.products import (
    BarcodeInput,
    ProductInput,
    create_product,
    get_product,
    update_product,
)
from store.common import clock
from store.core.db import unit_of_work
from store.core.errors import nothing_to_change
from store.models import Barcode, PriceChange, Product, User
from store.security import permissions
from store.security.auth import SessionUser


@dataclass(frozen=True)
class Changes:
    """What to change on a product; None leaves a field as it is. `category` "" removes it."""

    name: str | None = None
    name_en: str | None = None
    category: str | None = None
    unit: str | None = None
    price: Decimal | str | None = None
    tax_rate: str | None = None
    cost: Decimal | str | None = None
    stock_tracked: bool | None = None
    active: bool | None = None
    barcodes: list[BarcodeInput] | None = None  # replaces them all; [] removes them

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@unit_of_work
def add_product(actor: SessionUser, data: ProductInput) -> Product:
    permissions.check(actor, "manage_catalog", reference=str(data.sku)[:64])
    return create_product(data, user_id=actor.id, source="editor")


def current_input(product: Product) -> ProductInput:
    """The product as the editor shows it, barcodes too, ready to change a field of."""
    return ProductInput(
        sku=product.sku, name=product.name, name_en=product.name_en,
        category=product.category.code if product.category is not None else None,
        unit=product.unit.code, price=product.price, tax_rate=product.tax_rate.code,
        cost=product.cost, stock_tracked=product.stock_tracked,
        sold_by_weight=product.sold_by_weight, active=product.active,
        barcodes=[BarcodeInput(b.code, b.pack_qty) for b in
                  Barcode.select().where(Barcode.product == product.id).order_by(Barcode.id)])


@unit_of_work
def change_product(actor: SessionUser, sku: str, changes: Changes) -> Product:
    """Apply `changes`; a new price needs `manage_prices` as well as `manage_catalog`."""
    permissions.check(actor, "manage_catalog", reference=sku[:64])
    product = get_product(sku)
    if changes.is_empty():
        raise nothing_to_change()
    data = current_input(product)
    for f in fields(changes):
        value = getattr(changes, f.name)
        if value is not None:
            setattr(data, f.name, value)
    if data.category == "":
        data.category = None
    changed = update_product(product.sku, data, user_id=actor.id, source="editor")
    if changed.price != product.price:  # refused here, the whole change rolls back
        permissions.check(actor, "manage_prices", reference=product.sku)
    return changed


@unit_of_work
def set_barcodes(actor: SessionUser, sku: str, barcodes: list[BarcodeInput]) -> Product:
    """Replace a product's barcodes (with their pack quantities)."""
    return change_product(actor, sku, Changes(barcodes=barcodes))


@dataclass(frozen=True)
class PriceChangeRow:
    at: dt.datetime  # in the shop's time zone
    old_price: Decimal | None
    new_price: Decimal
    user: str
    source: str
    note: str


def price_history(sku: str, limit: int = 200) -> list[PriceChangeRow]:
    """A product's shelf prices, newest first, with who set each and from where."""
    product = get_product(sku)
    query = (PriceChange.select(PriceChange, User)
             .join(User, on=(PriceChange.user == User.id), join_type=JOIN.LEFT_OUTER)
             .where(PriceChange.product == product.id)
             .order_by(PriceChange.created_at.desc(), PriceChange.id.desc()).limit(limit))
    return [PriceChangeRow(clock.to_local(c.created_at), c.old_price, c.new_price,
                           c.user.username if c.user is not None else "", c.source, c.note)
            for c in query]
