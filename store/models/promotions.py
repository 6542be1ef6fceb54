"""Promotions and what they took off sale lines; a shop's own prices (issue 18.1)."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Category, Product
from store.models.org import Shop
from store.models.sales import SaleLine


class Promotion(BaseModel):
    code = CharField(max_length=32, unique=True)
    name = CharField(max_length=100)  # printed on the receipt
    name_en = CharField(max_length=100, default="")
    kind = CharField(max_length=12)  # percent, amount, buy_get, bundle
    percent_bp = IntegerField(default=0)  # percent: 2000 = 20% off
    amount = MoneyField(default=0)  # amount: off each unit
    buy_qty = IntegerField(default=0)  # buy_get: buy X …
    get_qty = IntegerField(default=0)  # … get Y free (the cheapest of each X + Y)
    bundle_qty = IntegerField(default=0)  # bundle: N …
    bundle_price = MoneyField(default=0)  # … for this price
    members_only = BooleanField(default=False)
    starts_on = DateField(null=True)  # local dates, inclusive
    ends_on = DateField(null=True)
    weekdays = CharField(max_length=7, default="1234567")  # ISO: 1 Monday … 7 Sunday
    hour_from = IntegerField(default=0)  # local hours: from ≤ hour < to
    hour_to = IntegerField(default=24)
    priority = IntegerField(default=0)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")


class PromotionItem(BaseModel):
    promotion = ForeignKeyField(Promotion, backref="items", on_delete="CASCADE")
    product = ForeignKeyField(Product, null=True, on_delete="CASCADE")
    category = ForeignKeyField(Category, null=True, on_delete="CASCADE")
    promotion_id: int
    product_id: int | None
    category_id: int | None

    class Meta:
        table_name = "promotion_item"


class SaleLinePromotion(BaseModel):
    sale_line = ForeignKeyField(SaleLine, on_delete="RESTRICT")
    promotion = ForeignKeyField(Promotion, on_delete="RESTRICT")
    amount = MoneyField()
    sale_line_id: int
    promotion_id: int

    class Meta:
        table_name = "sale_line_promotion"


class PromotionShop(BaseModel):
    """A promotion that runs at some shops only; none: at every shop of the chain."""

    promotion = ForeignKeyField(Promotion, backref="shops", on_delete="CASCADE")
    shop = ForeignKeyField(Shop, on_delete="RESTRICT")
    promotion_id: int
    shop_id: int

    class Meta:
        table_name = "promotion_shop"
        indexes = ((("promotion", "shop"), True),)


class ShopPrice(BaseModel):
    """A shop's own shelf price for a product, over the chain's (Product.price): what its
    tills charge and its shelf labels say. A customer's price list and the promotions then
    work from it as from the chain price."""

    shop = ForeignKeyField(Shop, on_delete="RESTRICT")
    product = ForeignKeyField(Product, on_delete="CASCADE")
    price = MoneyField()
    changed_at = DateTimeField(default=utcnow)
    changed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    shop_id: int
    product_id: int

    class Meta:
        table_name = "shop_price"
        indexes = ((("shop", "product"), True),)
