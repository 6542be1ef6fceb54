"""Peewee models, one module per business area; ALL lists them in creation order."""

from .audit import Approval, AuditEvent, AuditHead
from .auth import ROLES, User
from .base import BaseModel, utcnow
from .catalog import Barcode, Category, Product, TaxRate, Unit
from .inventory import ReorderRule, StockLevel, StockMove
from .ledger import Account, AccountDay, JournalEntry, JournalLine
from .orders import OrderEvent, SalesOrder, SalesOrderLine
from .org import Company, TenderType, Terminal, Warehouse
from .parties import Customer, CustomerGroup, PriceList, PriceListItem, Supplier
from .payables import (
    PaymentAllocation,
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
    SupplierProduct,
)
from .printing import PrintJob
from .promotions import Promotion, PromotionItem, SaleLinePromotion
from .receivables import CustomerPayment, ReceiptAllocation, Receivable
from .sales import CancelledSale, Counter, ParkedSale, Payment, Sale, SaleLine, Shift
from .settings import Setting
from .stockroom import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    StockCount,
    StockCountLine,
    StockTransfer,
    StockTransferLine,
    StockValue,
    UnknownBarcode,
)

ALL: list[type[BaseModel]] = [
    Company, Warehouse, Terminal, TenderType,
    TaxRate, Unit, Category, Product, Barcode,
    PriceList, CustomerGroup, Customer, Supplier,
    User,
    StockLevel, StockMove, ReorderRule,
    PrintJob,
    Counter, Shift, Sale, SaleLine, Payment, Account, JournalEntry, JournalLine,
    Setting, ParkedSale, CancelledSale,
    AuditEvent, AuditHead, Approval, PriceListItem,
    StockValue, PurchaseOrder, PurchaseOrderLine, GoodsReceipt, GoodsReceiptLine,
    StockTransfer, StockTransferLine, StockCount, StockCountLine, UnknownBarcode,
    AccountDay, SupplierProduct, SupplierBill, SupplierBillLine, SupplierPayment,
    PaymentAllocation, Receivable, CustomerPayment, ReceiptAllocation,
    SalesOrder, SalesOrderLine, OrderEvent,
    Promotion, PromotionItem, SaleLinePromotion,
]

__all__ = [
    "ALL",
    "ROLES",
    "Account",
    "AccountDay",
    "Approval",
    "AuditEvent",
    "AuditHead",
    "Barcode",
    "BaseModel",
    "CancelledSale",
    "Category",
    "Company",
    "Counter",
    "Customer",
    "CustomerGroup",
    "CustomerPayment",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "JournalEntry",
    "JournalLine",
    "OrderEvent",
    "ParkedSale",
    "Payment",
    "PaymentAllocation",
    "PriceList",
    "PriceListItem",
    "PrintJob",
    "Product",
    "Promotion",
    "PromotionItem",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "ReceiptAllocation",
    "Receivable",
    "ReorderRule",
    "Sale",
    "SaleLine",
    "SaleLinePromotion",
    "SalesOrder",
    "SalesOrderLine",
    "Setting",
    "Shift",
    "StockCount",
    "StockCountLine",
    "StockLevel",
    "StockMove",
    "StockTransfer",
    "StockTransferLine",
    "StockValue",
    "Supplier",
    "SupplierBill",
    "SupplierBillLine",
    "SupplierPayment",
    "SupplierProduct",
    "TaxRate",
    "TenderType",
    "Terminal",
    "Unit",
    "UnknownBarcode",
    "User",
    "Warehouse",
    "utcnow",
]
