"""Stock: immutable moves, the on-hand level they sum to, and reorder rules per warehouse."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, UUIDField

from store.core.fields import CostField, MoneyField, QtyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Product
from store.models.org import Warehouse


class StockMove(BaseModel):
    """One fact: qty (signed) of a product into or out of a warehouse; never updated."""

    uuid = UUIDField(unique=True)  # made by the client, so a retried write cannot duplicate
    product = ForeignKeyField(Product, backref="moves", on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, backref="moves", on_delete="RESTRICT")
    qty = QtyField()
    unit_cost = CostField(default=0)
    value = MoneyField(default=0)  # signed, exact: Σ value per product = its StockValue.value
    reason = CharField(max_length=20)  # opening, sale, return, receipt, transfer, count, ...
    reference = CharField(max_length=64, default="")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow, index=True)
    product_id: int
    warehouse_id: int
    user_id: int | None

    class Meta:
        indexes = ((("product", "warehouse", "created_at"), False),)


class StockLevel(BaseModel):
    """On hand per product and warehouse, kept equal to Σ moves by the same transaction."""

    product = ForeignKeyField(Product, backref="levels", on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, backref="levels", on_delete="RESTRICT")
    on_hand = QtyField(default=0)
    product_id: int
    warehouse_id: int

    class Meta:
        indexes = ((("product", "warehouse"), True),)


class ReorderRule(BaseModel):
    product = ForeignKeyField(Product, backref="reorder_rules", on_delete="CASCADE")
    warehouse = ForeignKeyField(Warehouse, backref="reorder_rules", on_delete="CASCADE")
    min_qty = QtyField(default=0)
    max_qty = QtyField(default=0)

    class Meta:
        indexes = ((("product", "warehouse"), True),)
