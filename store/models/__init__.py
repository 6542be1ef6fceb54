"""Peewee models, one module per business area; ALL lists them in creation order."""

from .auth import ROLES, User
from .base import BaseModel, utcnow
from .catalog import Barcode, Category, Product, TaxRate, Unit
from .inventory import ReorderRule, StockLevel, StockMove
from .org import Company, TenderType, Terminal, Warehouse
from .parties import Customer, CustomerGroup, PriceList, Supplier
from .printing import PrintJob

ALL: list[type[BaseModel]] = [
    Company, Warehouse, Terminal, TenderType,
    TaxRate, Unit, Category, Product, Barcode,
    PriceList, CustomerGroup, Customer, Supplier,
    User,
    StockLevel, StockMove, ReorderRule,
    PrintJob,
]

__all__ = [
    "ALL", "ROLES", "Barcode", "BaseModel", "Category", "Company", "Customer", "CustomerGroup",
    "PriceList", "PrintJob", "Product", "ReorderRule", "StockLevel", "StockMove", "Supplier", "TaxRate",
    "TenderType", "Terminal", "Unit", "User", "Warehouse", "utcnow",
]
