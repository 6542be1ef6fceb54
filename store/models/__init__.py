"""Peewee models, one module per business area; ALL lists them in creation order."""

from store.models.audit import Approval, AuditEvent, AuditHead
from store.models.auth import ROLES, User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Barcode, Category, PriceChange, Product, TaxRate, Unit
from store.models.fapiao import FapiaoRequest, FapiaoSale
from store.models.inventory import ReorderRule, StockLevel, StockMove
from store.models.jobs import Job, JobRun, WorkerBeat
from store.models.ledger import Account, AccountDay, JournalEntry, JournalLine
from store.models.offline import SaleReview, TillSync
from store.models.orders import (
    ChannelItem,
    ChannelLink,
    ChannelNotice,
    OrderEvent,
    SalesOrder,
    SalesOrderLine,
)
from store.models.org import Company, Shop, TenderType, Terminal, UserShop, Warehouse
from store.models.parties import Customer, CustomerGroup, PriceList, PriceListItem, Supplier
from store.models.payables import (
    PaymentAllocation,
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
    SupplierProduct,
    SupplierReturn,
    SupplierReturnLine,
)
from store.models.printing import PrintJob
from store.models.promotions import (
    Promotion,
    PromotionItem,
    PromotionShop,
    SaleLinePromotion,
    ShopPrice,
)
from store.models.receivables import CustomerPayment, ReceiptAllocation, Receivable
from store.models.sales import CancelledSale, Counter, ParkedSale, Payment, Sale, SaleLine, Shift
from store.models.settings import Setting
from store.models.stockroom import (
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
    Company, Shop, Warehouse, Terminal, TenderType,
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
    PriceChange, ChannelLink, ChannelNotice, ChannelItem,
    Job, JobRun, WorkerBeat, UserShop, PromotionShop, ShopPrice,
    SaleReview, TillSync, FapiaoRequest, FapiaoSale, SupplierReturn, SupplierReturnLine,
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
    "ChannelItem",
    "ChannelLink",
    "ChannelNotice",
    "Company",
    "Counter",
    "Customer",
    "CustomerGroup",
    "CustomerPayment",
    "FapiaoRequest",
    "FapiaoSale",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "Job",
    "JobRun",
    "JournalEntry",
    "JournalLine",
    "OrderEvent",
    "ParkedSale",
    "Payment",
    "PaymentAllocation",
    "PriceChange",
    "PriceList",
    "PriceListItem",
    "PrintJob",
    "Product",
    "Promotion",
    "PromotionItem",
    "PromotionShop",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "ReceiptAllocation",
    "Receivable",
    "ReorderRule",
    "Sale",
    "SaleLine",
    "SaleLinePromotion",
    "SaleReview",
    "SalesOrder",
    "SalesOrderLine",
    "Setting",
    "Shift",
    "Shop",
    "ShopPrice",
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
    "SupplierReturn",
    "SupplierReturnLine",
    "TaxRate",
    "TenderType",
    "Terminal",
    "TillSync",
    "Unit",
    "UnknownBarcode",
    "User",
    "UserShop",
    "Warehouse",
    "WorkerBeat",
    "utcnow",
]
