"""Lots and expiry (issue 19.5): how much of each lot of a lot-tracked product each
warehouse holds, and the lots a goods receipt's line came in.

For a product that tracks lots, Σ `StockLot.qty` over its lots is the warehouse's
`StockLevel.on_hand`, kept so by the same transaction as every stock move (store.stock.lots).
Stock whose lot nobody knows (what was there when tracking began, a count's gain, goods sold
below zero) is the lot numbered ""."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from store.core.fields import QtyField
from store.models.base import BaseModel, utcnow
from store.models.catalog import Product
from store.models.org import Warehouse
from store.models.stockroom import GoodsReceiptLine, StockCount


class StockLot(BaseModel):
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    number = CharField(max_length=20)  # GS1 AI (10): up to 20 characters
    expires_on = DateField(null=True, index=True)
    qty = QtyField(default=0)
    product_id: int
    warehouse_id: int

    class Meta:
        indexes = ((("product", "warehouse", "number"), True),)


class ReceiptLot(BaseModel):
    """Part of a goods receipt line: this many of it are of this lot."""

    line = ForeignKeyField(GoodsReceiptLine, backref="lots", on_delete="CASCADE")
    number = CharField(max_length=20)
    expires_on = DateField(null=True)
    qty = QtyField(default=0)
    line_id: int

    class Meta:
        indexes = ((("line", "number"), True),)


class LotMove(BaseModel):
    """What each stock move did to a tracked product's lots: which lot, how many (signed),
    and the document (a receipt, a sale, a transfer): who got lot L1, when it is recalled."""

    product = ForeignKeyField(Product, on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    number = CharField(max_length=20)
    qty = QtyField()
    reason = CharField(max_length=20)
    reference = CharField(max_length=64, index=True)
    created_at = DateTimeField(default=utcnow)
    product_id: int
    warehouse_id: int

    class Meta:
        indexes = ((("product", "number"), False),)


class CountLot(BaseModel):
    """Part of a stock count's line: this many of the product were counted in this lot (a
    GS1 label scanned while counting). What the line counted beyond its lots is of no
    known lot."""

    count = ForeignKeyField(StockCount, backref="lots", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    number = CharField(max_length=20)
    expires_on = DateField(null=True)
    qty = QtyField(default=0)
    count_id: int
    product_id: int

    class Meta:
        indexes = ((("count", "product", "number"), True),)
