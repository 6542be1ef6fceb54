"""The shop itself: company settings, warehouses, terminals and the tenders it accepts."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow

TENDER_KINDS = ("cash", "card", "wechat", "alipay", "store_credit", "voucher", "account",
                "points")


class Company(BaseModel):
    """One row: the shop's name, tax settings and money rules shared by every terminal."""

    name = CharField(max_length=200)
    name_en = CharField(max_length=200, default="")
    address = CharField(max_length=400, default="")
    phone = CharField(max_length=40, default="")
    tax_id = CharField(max_length=40, default="")
    currency = CharField(max_length=3, default="CNY")
    prices_include_tax = BooleanField(default=True)
    # Smallest coin for cash tenders (0.10 元 in most Chinese shops); NULL rounds to the cent.
    cash_rounding = MoneyField(null=True)
    receipt_footer = TextField(default="")


class Shop(BaseModel):
    """A shop (门店) of a chain (issue 18): its warehouses, and through them its tills, are its
    own. Every database has at least one, MAIN, made with the company."""

    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    timezone = CharField(max_length=64, default="")  # IANA; "": the company's setting
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class UserShop(BaseModel):
    """A user who works for some shops only (a shop's manager, its cashiers): they sell,
    approve and see reports there and nowhere else. A user with no rows works for all."""

    user = ForeignKeyField(User, backref="shops", on_delete="CASCADE")
    shop = ForeignKeyField(Shop, on_delete="RESTRICT")
    user_id: int
    shop_id: int

    class Meta:
        indexes = ((("user", "shop"), True),)


class Warehouse(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    # The till may sell below zero (goods in the customer's hand must sell); transfers may not.
    allow_negative = BooleanField(default=True)
    active = BooleanField(default=True)
    # The shop it belongs to; a terminal belongs to its warehouse's shop. NULL only in a
    # database older than shops, before the migration gave every warehouse MAIN.
    shop = ForeignKeyField(Shop, null=True, backref="warehouses", on_delete="RESTRICT")
    shop_id: int | None


class Terminal(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    warehouse = ForeignKeyField(Warehouse, backref="terminals", on_delete="RESTRICT")
    active = BooleanField(default=True)
    warehouse_id: int


class TenderType(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=50)
    name_en = CharField(max_length=50, default="")
    kind = CharField(max_length=20)
    opens_drawer = BooleanField(default=False)
    needs_reference = BooleanField(default=False)
    active = BooleanField(default=True)
    sort_order = IntegerField(default=0)
