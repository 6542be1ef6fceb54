"""The double-entry ledger: accounts, and journal entries that always balance."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, UUIDField

from ..fields import MoneyField
from .base import BaseModel, utcnow

ACCOUNT_KINDS = ("asset", "liability", "equity", "income", "expense")


class Account(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    kind = CharField(max_length=10)


class JournalEntry(BaseModel):
    """A fact: never updated or deleted; a correction is a new, reversing entry."""

    uuid = UUIDField(unique=True)
    description = CharField(max_length=200)
    reference = CharField(max_length=64, default="", index=True)
    created_at = DateTimeField(default=utcnow, index=True)


class JournalLine(BaseModel):
    entry = ForeignKeyField(JournalEntry, backref="lines", on_delete="RESTRICT")
    account = ForeignKeyField(Account, backref="lines", on_delete="RESTRICT")
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)
    account_id: int
