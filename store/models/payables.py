"""What the shop buys and owes: suppliers' products, supplier bills matched to goods receipts,
supplier payments and how they are allocated to bills, and goods sent back to suppliers."""

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
from store.models.catalog import Product
from store.models.ledger import Account
from store.models.org import Warehouse
from store.models.parties import Supplier
from store.models.stockroom import GoodsReceipt, GoodsReceiptLine


class SupplierProduct(BaseModel):
    """A product a supplier sells: their code for it, the last price paid, how long they
    take, and the pack it is ordered in. One supplier per product is preferred for reorders."""

    supplier = ForeignKeyField(Supplier, backref="products", on_delete="CASCADE")
    product = ForeignKeyField(Product, backref="suppliers", on_delete="CASCADE")
    supplier_sku = CharField(max_length=64, default="")
    last_price = CostField(null=True)
    last_purchased = DateField(null=True)
    lead_time_days = IntegerField(null=True)  # None: the supplier's own lead time
    pack_qty = QtyField(default=1)  # orders are rounded up to whole packs
    preferred = BooleanField(default=False)
    supplier_id: int
    product_id: int

    class Meta:
        indexes = ((("supplier", "product"), True),)


class SupplierBill(BaseModel):
    """A supplier's invoice as the shop entered it: posted once, never changed. `paid` grows
    as payments are allocated to it."""

    number = CharField(max_length=20, unique=True)
    supplier = ForeignKeyField(Supplier, backref="bills", on_delete="RESTRICT")
    supplier_ref = CharField(max_length=64, default="")  # their invoice number
    bill_date = DateField()
    due_date = DateField(index=True)
    status = CharField(max_length=10, default="posted", index=True)  # posted, paid
    net = MoneyField(default=0)
    tax = MoneyField(default=0)  # input VAT on the invoice
    total = MoneyField(default=0)
    paid = MoneyField(default=0)
    note = CharField(max_length=200, default="")
    opening = BooleanField(default=False)  # owed before the shop used Zhanggui: no lines
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    supplier_id: int


class SupplierBillLine(BaseModel):
    """Goods billed against a receipt line (qty × the supplier's price, beside what the goods
    were received at), or an expense to an account (rent, electricity)."""

    bill = ForeignKeyField(SupplierBill, backref="lines", on_delete="RESTRICT")
    line_no = IntegerField()
    receipt_line = ForeignKeyField(GoodsReceiptLine, null=True, on_delete="RESTRICT")
    product = ForeignKeyField(Product, null=True, on_delete="RESTRICT")
    account = ForeignKeyField(Account, null=True, on_delete="RESTRICT")
    description = CharField(max_length=200, default="")
    qty = QtyField(default=0)
    unit_price = CostField(default=0)
    amount = MoneyField(default=0)
    received_cost = MoneyField(default=0)  # what the same goods went into stock at
    returned_qty = QtyField(default=0)  # units of this line sent back since (a debit note each)
    bill_id: int
    receipt_line_id: int | None
    product_id: int | None
    account_id: int | None


class SupplierPayment(BaseModel):
    """Money paid to a supplier, or (kind "return") a debit note for goods sent back: both
    are set against bills, oldest first, and what is left waits for the next bills."""

    number = CharField(max_length=20, unique=True)
    supplier = ForeignKeyField(Supplier, backref="payments", on_delete="RESTRICT")
    date = DateField()
    amount = MoneyField()
    account = ForeignKeyField(Account, on_delete="RESTRICT")  # paid from: bank, cash …
    reference = CharField(max_length=64, default="")
    unallocated = MoneyField(default=0)  # a prepayment still to set against later bills
    kind = CharField(max_length=10, default="payment")  # payment, return (a debit note)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    supplier_id: int


class PaymentAllocation(BaseModel):
    payment = ForeignKeyField(SupplierPayment, backref="allocations", on_delete="RESTRICT")
    bill = ForeignKeyField(SupplierBill, backref="allocations", on_delete="RESTRICT")
    amount = MoneyField()
    date = DateField()
    payment_id: int
    bill_id: int


class SupplierReturn(BaseModel):
    """Goods sent back to a supplier (退货), from a receipt or a bill, posted once. The goods
    leave stock at the moving average (`value`); units not billed yet clear 220201 at what
    they were received at (`grni`); units billed are owed back at the bill's price (`net`,
    with the bill's share of input VAT `tax`), as a debit note against the supplier's bills
    or as a refund paid into `refund_account`."""

    number = CharField(max_length=20, unique=True)
    supplier = ForeignKeyField(Supplier, backref="returns", on_delete="RESTRICT")
    receipt = ForeignKeyField(GoodsReceipt, null=True, on_delete="RESTRICT")
    bill = ForeignKeyField(SupplierBill, null=True, on_delete="RESTRICT")
    date = DateField()
    reason = CharField(max_length=200, default="")
    value = MoneyField(default=0)
    grni = MoneyField(default=0)
    net = MoneyField(default=0)
    tax = MoneyField(default=0)
    refund_account = ForeignKeyField(Account, null=True, on_delete="RESTRICT")
    debit_note = ForeignKeyField(SupplierPayment, null=True, on_delete="RESTRICT")
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    supplier_id: int
    receipt_id: int | None
    bill_id: int | None
    refund_account_id: int | None
    debit_note_id: int | None


class SupplierReturnLine(BaseModel):
    """Units of one receipt line sent back: not billed yet (`bill_line` None: `amount` is
    their share of 220201) or billed on `bill_line` (`amount` at the bill's price)."""

    ret = ForeignKeyField(SupplierReturn, backref="lines", on_delete="CASCADE")
    line_no = IntegerField()
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    qty = QtyField()
    receipt_line = ForeignKeyField(GoodsReceiptLine, null=True, on_delete="RESTRICT")
    bill_line = ForeignKeyField(SupplierBillLine, null=True, on_delete="RESTRICT")
    unit_price = CostField(default=0)
    amount = MoneyField(default=0)
    value = MoneyField(default=0)  # what the units left stock at
    ret_id: int
    product_id: int
    warehouse_id: int
    receipt_line_id: int | None
    bill_line_id: int | None
