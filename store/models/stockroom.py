"""The stockroom's documents: stock value per product, purchase orders, goods receipts,
transfers between warehouses and stock counts."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from store.core.fields import CostField, MoneyField, QtyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Category, Product
from store.models.org import Warehouse
from store.models.parties import Supplier


class StockValue(BaseModel):
    """What a product's stock is worth, in all warehouses together (moving-average costing).

    `value` is exact to the cent and is what the inventory account holds for the product;
    `unit_cost` is value / qty while stock is positive, and the last average when it is not.
    """

    product = ForeignKeyField(Product, unique=True, on_delete="RESTRICT")
    qty = QtyField(default=0)
    value = MoneyField(default=0)
    unit_cost = CostField(default=0)
    product_id: int


class PurchaseOrder(BaseModel):
    # draft → ordered → partial → received → billed → closed; or cancelled
    number = CharField(max_length=20, unique=True)
    supplier = ForeignKeyField(Supplier, backref="orders", on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    status = CharField(max_length=12, default="draft", index=True)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    ordered_at = DateTimeField(null=True)
    expected_on = DateField(null=True)
    note = CharField(max_length=200, default="")
    cancel_reason = CharField(max_length=200, default="")
    closed_at = DateTimeField(null=True)
    supplier_id: int
    warehouse_id: int


class PurchaseOrderLine(BaseModel):
    order = ForeignKeyField(PurchaseOrder, backref="lines", on_delete="CASCADE")
    line_no = IntegerField()
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    qty = QtyField()
    unit_cost = CostField()
    received_qty = QtyField(default=0)
    billed_qty = QtyField(default=0)
    order_id: int
    product_id: int


class GoodsReceipt(BaseModel):
    """Goods counted in at the door: a draft while scanning, posted once."""

    number = CharField(max_length=20, unique=True)
    status = CharField(max_length=10, default="draft", index=True)  # draft, posted, cancelled
    supplier = ForeignKeyField(Supplier, null=True, on_delete="RESTRICT")
    purchase_order = ForeignKeyField(PurchaseOrder, null=True, backref="receipts",
                                     on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    posted_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    posted_at = DateTimeField(null=True)
    value = MoneyField(default=0)
    supplier_id: int | None
    purchase_order_id: int | None
    warehouse_id: int


class GoodsReceiptLine(BaseModel):
    receipt = ForeignKeyField(GoodsReceipt, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    qty = QtyField(default=0)
    unit_cost = CostField(default=0)
    po_line = ForeignKeyField(PurchaseOrderLine, null=True, on_delete="RESTRICT")
    billed_qty = QtyField(default=0)
    returned_qty = QtyField(default=0)  # units sent back to the supplier before being billed
    receipt_id: int
    product_id: int
    po_line_id: int | None

    class Meta:
        indexes = ((("receipt", "product"), True),)


class StockTransfer(BaseModel):
    number = CharField(max_length=20, unique=True)
    source = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    destination = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    two_step = BooleanField(default=False)
    status = CharField(max_length=12, default="draft", index=True)  # draft, in_transit, done
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    shipped_at = DateTimeField(null=True)
    received_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    received_at = DateTimeField(null=True)
    source_id: int
    destination_id: int


class StockTransferLine(BaseModel):
    transfer = ForeignKeyField(StockTransfer, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    qty = QtyField(default=0)
    transfer_id: int
    product_id: int

    class Meta:
        indexes = ((("transfer", "product"), True),)


class StockCount(BaseModel):
    number = CharField(max_length=20, unique=True)
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    scope = CharField(max_length=10)  # all, category, products
    category = ForeignKeyField(Category, null=True, on_delete="RESTRICT")
    status = CharField(max_length=10, default="open", index=True)  # open, posted, cancelled
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    approved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    posted_at = DateTimeField(null=True)
    warehouse_id: int
    category_id: int | None


class StockCountLine(BaseModel):
    """One product of a count. `expected` is the book quantity when the line was first scanned
    (or recounted): the variance is counted − expected, so sales after the scan are not
    mistaken for shrinkage."""

    count = ForeignKeyField(StockCount, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    counted = QtyField(null=True)  # NULL: in scope, not counted yet
    expected = QtyField(null=True)
    counted_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    scanned_at = DateTimeField(null=True)
    recounts = IntegerField(default=0)
    count_id: int
    product_id: int

    class Meta:
        indexes = ((("count", "product"), True),)


class UnknownBarcode(BaseModel):
    """A barcode scanned in the stockroom that matched nothing, noted for the manager."""

    code = CharField(max_length=64)
    where = CharField(max_length=20)  # receiving, transfer, count
    reference = CharField(max_length=20, default="")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
