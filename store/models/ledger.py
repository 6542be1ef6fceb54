"""The double-entry ledger: accounts, and journal entries that always balance."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
    UUIDField,
)

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow

ACCOUNT_KINDS = ("asset", "liability", "equity", "income", "expense")


class Account(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    kind = CharField(max_length=10)
    active = BooleanField(default=True)


class JournalEntry(BaseModel):
    """A fact: never updated or deleted; a correction is a new, reversing entry."""

    uuid = UUIDField(unique=True)
    date = DateField(index=True)  # the accounting date: the shop's local day it belongs to
    kind = CharField(max_length=12, default="auto")  # sale, receipt, bill, manual, reversal, …
    description = CharField(max_length=200)  # as posted, in the poster's language (sealed)
    # The same as msgid and JSON arguments, said in the reader's language (migration 0019);
    # empty for a manual entry, whose description is the accountant's own words.
    text_key = CharField(max_length=200, default="")
    text_args = TextField(default="")
    reference = CharField(max_length=64, default="", index=True)
    created_at = DateTimeField(default=utcnow, index=True)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", column_name="created_by_id")
    reverses = ForeignKeyField("self", null=True, on_delete="RESTRICT", column_name="reverses_id")
    created_by_id: int | None
    reverses_id: int | None


class JournalLine(BaseModel):
    entry = ForeignKeyField(JournalEntry, backref="lines", on_delete="RESTRICT")
    account = ForeignKeyField(Account, backref="lines", on_delete="RESTRICT")
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)
    account_id: int
    entry_id: int


class AccountDay(BaseModel):
    """Σ debit and Σ credit of an account on one day, kept by every posting in its own
    transaction: reports sum a few hundred rows a year instead of millions of lines."""

    account = ForeignKeyField(Account, on_delete="RESTRICT")
    date = DateField(index=True)
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)
    account_id: int

    class Meta:
        indexes = ((("account", "date"), True),)
