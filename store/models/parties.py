"""Customers, customer groups, price lists and suppliers (master data; pricing rules come later)."""

from __future__ import annotations

from peewee import BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from store.core.fields import MoneyField, QtyField
from store.core.i18n import current_language
from store.models.base import BaseModel, utcnow
from store.models.catalog import Category, Product


class PriceList(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    active = BooleanField(default=True)


class CustomerGroup(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    price_list = ForeignKeyField(PriceList, null=True, backref="groups", on_delete="SET NULL")
    active = BooleanField(default=True)
    price_list_id: int | None


class MemberTier(BaseModel):
    """A member level (银卡, 金卡): reached when the member's spending reaches `threshold`;
    earns `earn_pct` % of the points rules' points and prices from `price_list` (unless the
    member has a list of their own)."""

    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    threshold = MoneyField(unique=True)
    earn_pct = IntegerField(default=100)
    price_list = ForeignKeyField(PriceList, null=True, on_delete="SET NULL")
    price_list_id: int | None

    @property
    def local_name(self) -> str:
        """The name in the interface's language: English where the tier has one."""
        return self.name_en if self.name_en and current_language() == "en" else self.name


class Customer(BaseModel):
    code = CharField(max_length=32, unique=True)  # member number
    name = CharField(max_length=100, index=True)
    group = ForeignKeyField(CustomerGroup, null=True, backref="customers", on_delete="SET NULL")
    price_list = ForeignKeyField(PriceList, null=True, backref="customers", on_delete="SET NULL")
    credit_limit = MoneyField(default=0)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    # Personal data, sealed with the key file's key (store.security.crypto); found by a keyed hash.
    phone_enc = CharField(max_length=200, default="")
    phone_hash = CharField(max_length=64, default="", index=True)
    address_enc = CharField(max_length=700, default="")
    email_enc = CharField(max_length=400, default="")
    id_number_enc = CharField(max_length=200, default="")
    payment_days = IntegerField(default=30)  # a sale on account is due this many days later
    # Loyalty (store.selling.points): the points balance (the sum of the member's points
    # moves), what they have spent here in all (the tier follows it) and that tier.
    points = BigIntegerField(default=0)
    spent = MoneyField(default=0)
    tier = ForeignKeyField(MemberTier, null=True, backref="members", on_delete="SET NULL")
    price_list_id: int | None
    group_id: int | None
    tier_id: int | None


class PriceListItem(BaseModel):
    """One rule of a price list: a fixed price for a product from a quantity on, or a
    percentage off a whole category."""

    price_list = ForeignKeyField(PriceList, backref="items", on_delete="CASCADE")
    product = ForeignKeyField(Product, null=True, on_delete="CASCADE")
    category = ForeignKeyField(Category, null=True, on_delete="CASCADE")
    min_qty = QtyField(default=1)
    price = MoneyField(null=True)
    percent_off = IntegerField(null=True)  # basis points: 500 = 5 %
    price_list_id: int
    product_id: int | None
    category_id: int | None


class Supplier(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=200)
    contact = CharField(max_length=100, default="")
    phone = CharField(max_length=40, default="")  # the business's line, not personal data
    lead_time_days = IntegerField(default=3)
    active = BooleanField(default=True)
    payment_days = IntegerField(default=30)  # a bill is due this many days after its date
