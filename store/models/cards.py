"""Stored-value cards (储值卡, issue 19.2): a card's two balances, and every movement of them.

`paid` is money the holder handed over and is owed back as goods (220301); `bonus` was given
on top of a top-up (充100送10) and is a discount when spent, owed to nobody in money. The
card's balances are the sums of its moves: `card_move` is the ledger, `card` its running
total, both written in one transaction."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.org import TenderType
from store.models.parties import Customer
from store.models.sales import Sale, Shift


class TopUpBonus(BaseModel):
    """充 `min_amount` 送 `bonus`: the largest rule a top-up reaches applies."""

    min_amount = MoneyField(unique=True)
    bonus = MoneyField()


class Card(BaseModel):
    number = CharField(max_length=20, unique=True)  # 12 digits, Luhn: printed as a barcode
    customer = ForeignKeyField(Customer, null=True, backref="cards", on_delete="RESTRICT")
    paid = MoneyField(default=0)
    bonus = MoneyField(default=0)
    status = CharField(max_length=10, default="active", index=True)  # active, closed
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    customer_id: int | None


class CardMove(BaseModel):
    """One movement, signed as the card sees it: a top-up is +, a spend −, a refund of a sale
    paid by card +, a cash-out (the card closed) − what was left."""

    card = ForeignKeyField(Card, backref="moves", on_delete="RESTRICT")
    kind = CharField(max_length=10)  # top_up, spend, refund, cash_out
    number = CharField(max_length=32, index=True)  # SV-000001, or the sale's number
    paid = MoneyField()
    bonus = MoneyField(default=0)
    sale = ForeignKeyField(Sale, null=True, on_delete="RESTRICT")
    shift = ForeignKeyField(Shift, null=True, on_delete="RESTRICT")  # money in/out of a drawer
    tender = ForeignKeyField(TenderType, null=True, on_delete="RESTRICT")
    terminal = CharField(max_length=20, default="")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    card_id: int
    sale_id: int | None
    shift_id: int | None
    tender_id: int | None
    user_id: int | None
