"""Customers, customer groups, price lists and suppliers (master data; pricing rules come later)."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..fields import MoneyField
from .base import BaseModel, utcnow


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


class Customer(BaseModel):
    code = CharField(max_length=32, unique=True)  # member number
    name = CharField(max_length=100, index=True)
    group = ForeignKeyField(CustomerGroup, null=True, backref="customers", on_delete="SET NULL")
    price_list = ForeignKeyField(PriceList, null=True, backref="customers", on_delete="SET NULL")
    credit_limit = MoneyField(default=0)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class Supplier(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=200)
    contact = CharField(max_length=100, default="")
    phone = CharField(max_length=40, default="")  # the business's line, not personal data
    lead_time_days = IntegerField(default=3)
    active = BooleanField(default=True)
