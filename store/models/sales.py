"""Shifts and sales: each completed sale is a fact with its lines and payments, never changed."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    UUIDField,
)

from store.core.fields import CostField, MoneyField, QtyField
from store.models.audit import Approval
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Product
from store.models.org import TenderType
from store.models.parties import Customer


class Counter(BaseModel):
    """Gap-free numbers per terminal: taken inside the transaction that uses them."""

    terminal = CharField(max_length=20)
    name = CharField(max_length=20)  # sale, shift, z
    value = IntegerField(default=0)

    class Meta:
        indexes = ((("terminal", "name"), True),)


class Shift(BaseModel):
    terminal = CharField(max_length=20, index=True)
    number = IntegerField()
    opened_by = ForeignKeyField(User, backref="shifts", on_delete="RESTRICT")
    opened_at = DateTimeField(default=utcnow)
    opening_float = MoneyField(default=0)
    status = CharField(max_length=10, default="open")  # open, closed
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref="closed_shifts", on_delete="RESTRICT")
    counted_cash = MoneyField(null=True)
    expected_cash = MoneyField(null=True)
    z_number = IntegerField(null=True)  # gap-free per terminal
    opening_count = CharField(max_length=2000, default="")  # JSON {denomination: count}
    closing_count = CharField(max_length=2000, default="")
    grand_total = MoneyField(null=True)  # perpetual total of every sale at this Z
    audit_hash = CharField(max_length=64, default="")  # the audit chain's tip at this Z
    closed_by_id: int | None

    class Meta:
        indexes = ((("terminal", "number"), True),)


class Sale(BaseModel):
    uuid = UUIDField(unique=True)  # made when the basket starts: a retried commit is a no-op
    number = CharField(max_length=32, unique=True)  # T1-000123, gap-free per terminal
    terminal = CharField(max_length=20)
    shift = ForeignKeyField(Shift, backref="sales", on_delete="RESTRICT")
    cashier = ForeignKeyField(User, backref="sales", on_delete="RESTRICT")
    customer = ForeignKeyField(Customer, null=True, backref="sales", on_delete="RESTRICT")
    status = CharField(max_length=10, default="completed")
    total = MoneyField()
    tax = MoneyField()
    change = MoneyField(default=0)
    rounding = MoneyField(default=0)  # cash rounding: Σ lines + rounding = total
    original = ForeignKeyField("self", null=True, backref="returns", on_delete="RESTRICT")
    channel = CharField(max_length=20, default="pos")  # pos, or an online channel (issue 7)
    created_at = DateTimeField(default=utcnow, index=True)
    day = DateField(index=True)  # the shop's local day of created_at: what reports group by
    hour = IntegerField(default=0)  # and its local hour (0–23)
    shift_id: int
    original_id: int | None
    customer_id: int | None


class SaleLine(BaseModel):
    sale = ForeignKeyField(Sale, backref="lines", on_delete="RESTRICT")
    line_no = IntegerField()
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    sku = CharField(max_length=64)
    name = CharField(max_length=200)
    qty = QtyField()
    unit_price = MoneyField()
    amount = MoneyField()
    tax_rate_bp = IntegerField()
    tax = MoneyField()
    unit_cost = CostField(default=0)
    cost = MoneyField(default=0)  # exactly what left the inventory account (qty × average)
    list_price = MoneyField(default=0)  # the price before an override
    discount = MoneyField(default=0)  # taken off qty × unit_price
    note = CharField(max_length=200, default="")  # why: the override's or discount's reason
    return_of = ForeignKeyField("self", null=True, backref="returned_by", on_delete="RESTRICT")
    restock = BooleanField(default=True)  # a returned line: back on the shelf, or damaged
    approval = ForeignKeyField(Approval, null=True, on_delete="RESTRICT")
    sale_id: int
    return_of_id: int | None
    approval_id: int | None


class Payment(BaseModel):
    sale = ForeignKeyField(Sale, backref="payments", on_delete="RESTRICT")
    tender = ForeignKeyField(TenderType, on_delete="RESTRICT")
    amount = MoneyField()
    reference = CharField(max_length=64, default="")  # never a full card number
    sale_id: int


class ParkedSale(BaseModel):
    """A basket put aside to finish later, from any terminal; removed when recalled."""

    uuid = UUIDField(unique=True)  # the basket's own uuid, kept through park and recall
    terminal = CharField(max_length=20)
    parked_by = ForeignKeyField(User, on_delete="RESTRICT")
    total = MoneyField()
    items = QtyField()
    payload = CharField(max_length=20000)  # the lines as JSON
    created_at = DateTimeField(default=utcnow)


class CancelledSale(BaseModel):
    """A basket the cashier abandoned: recorded with its lines and reason, never deleted."""

    uuid = UUIDField(unique=True)
    terminal = CharField(max_length=20)
    cancelled_by = ForeignKeyField(User, on_delete="RESTRICT")
    total = MoneyField()
    reason = CharField(max_length=200, default="")
    payload = CharField(max_length=20000)
    created_at = DateTimeField(default=utcnow)
