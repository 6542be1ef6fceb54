"""Vouchers (代金券/优惠券, issue 19.3): a batch issued at once with its terms, each voucher a
unique code used once (or as many times as the batch says), and every use in a ledger."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.ledger import Account
from store.models.org import Shop
from store.models.sales import Sale


class VoucherBatch(BaseModel):
    """`gift` vouchers were sold (their value is owed to whoever holds them: 2203 until used);
    `promo` vouchers were given away (used, they cost the shop: 6601 selling expenses)."""

    number = CharField(max_length=20, unique=True)  # VB-000001
    name = CharField(max_length=100)
    kind = CharField(max_length=10)  # gift, promo
    value = MoneyField()
    min_spend = MoneyField(default=0)
    valid_from = DateField()
    valid_to = DateField()
    uses = IntegerField(default=1)  # each voucher's
    shop = ForeignKeyField(Shop, null=True, on_delete="RESTRICT")  # None: every shop
    count = IntegerField()
    paid_into = ForeignKeyField(Account, null=True, on_delete="RESTRICT")  # gift: sold for
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    # A percentage coupon: this share of the sale (2000 = 20 %), at most `value`.
    percent_bp = IntegerField(default=0)
    # A "next visit" coupon: a code is made and printed on each receipt of at least this.
    receipt_min = MoneyField(null=True)
    shop_id: int | None
    paid_into_id: int | None


class Voucher(BaseModel):
    code = CharField(max_length=20, unique=True)
    batch = ForeignKeyField(VoucherBatch, backref="vouchers", on_delete="RESTRICT")
    uses_left = IntegerField()
    status = CharField(max_length=10, default="active", index=True)  # active, void
    void_reason = CharField(max_length=200, default="")
    sale = ForeignKeyField(Sale, null=True, on_delete="RESTRICT")  # whose receipt carried it
    batch_id: int
    sale_id: int | None


class VoucherUse(BaseModel):
    """One use at a till (amount > 0), or a void of what a gift voucher still held."""

    voucher = ForeignKeyField(Voucher, backref="uses", on_delete="RESTRICT")
    sale = ForeignKeyField(Sale, null=True, on_delete="RESTRICT")
    amount = MoneyField()
    created_at = DateTimeField(default=utcnow)
    voucher_id: int
    sale_id: int | None
