"""What customers owe: sales on account as receivables, customer payments and how they are
allocated to them."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.ledger import Account
from store.models.orders import SalesOrder
from store.models.parties import Customer
from store.models.sales import Sale


class Receivable(BaseModel):
    """The part of a sale put on the customer's account (negative for goods returned to an
    account sale), an invoiced order, or a balance brought from the shop's old books
    (`opening`, with the old document's number): a fact; `paid` grows as payments are
    allocated to it."""

    sale = ForeignKeyField(Sale, unique=True, null=True, on_delete="RESTRICT")
    order = ForeignKeyField(SalesOrder, null=True, on_delete="RESTRICT",
                            column_name="order_id")  # an invoiced sales order
    customer = ForeignKeyField(Customer, backref="receivables", on_delete="RESTRICT")
    date = DateField(index=True)
    due_date = DateField(index=True)
    amount = MoneyField()
    paid = MoneyField(default=0)
    opening = BooleanField(default=False)
    reference = CharField(max_length=64, default="")
    sale_id: int | None
    order_id: int | None
    customer_id: int


class CustomerPayment(BaseModel):
    number = CharField(max_length=20, unique=True)
    customer = ForeignKeyField(Customer, backref="payments", on_delete="RESTRICT")
    date = DateField()
    amount = MoneyField()
    account = ForeignKeyField(Account, on_delete="RESTRICT")  # received into: cash, bank …
    reference = CharField(max_length=64, default="")
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    customer_id: int


class ReceiptAllocation(BaseModel):
    payment = ForeignKeyField(CustomerPayment, backref="allocations", on_delete="RESTRICT")
    receivable = ForeignKeyField(Receivable, backref="allocations", on_delete="RESTRICT")
    amount = MoneyField()
    date = DateField()
    payment_id: int
    receivable_id: int
