"""Loyalty points (issue 19.1): the rules that earn them and every movement of them.

A member's `Customer.points` is the sum of their `PointsMove`s, written in one transaction
with them. Points are owed to members as goods (deferred revenue, 2204 合同负债-积分): the
account holds the points outstanding times the programme's value of a point."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Category, Product
from store.models.parties import Customer
from store.models.promotions import Promotion
from store.models.sales import Sale


class PointsRule(BaseModel):
    """Points per 元 (`rate` in hundredths: 100 = 1 point per 元) on a promotion's lines, a
    product, a category, or (all three empty) everything; the most specific rule wins, and a
    rate of 0 excludes."""

    promotion = ForeignKeyField(Promotion, null=True, on_delete="CASCADE")
    product = ForeignKeyField(Product, null=True, on_delete="CASCADE")
    category = ForeignKeyField(Category, null=True, on_delete="CASCADE")
    rate = IntegerField()
    promotion_id: int | None
    product_id: int | None
    category_id: int | None


class PointsMove(BaseModel):
    """One movement, signed as the member sees it. Points coming in (earned, or a refund of
    points paid with) carry `remaining` (not yet spent, reversed or lapsed) and the day they
    lapse; spending takes the first to lapse first."""

    customer = ForeignKeyField(Customer, backref="points_moves", on_delete="RESTRICT")
    kind = CharField(max_length=10)  # earn, redeem, refund, reverse, expire, adjust
    points = BigIntegerField()
    remaining = BigIntegerField(default=0)
    expires_on = DateField(null=True, index=True)
    number = CharField(max_length=32, index=True)  # the sale's number, or PT-000001
    sale = ForeignKeyField(Sale, null=True, on_delete="RESTRICT")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    customer_id: int
    sale_id: int | None
    user_id: int | None
