"""A new shop's set-up: tax rates, units, warehouses, a terminal, tenders and the owner."""

from __future__ import annotations

from decimal import Decimal

from store.books import ledger
from store.catalog import products
from store.core.db import unit_of_work
from store.models import Company, TaxRate
from store.security import auth
from store.shops import org

# A new shop's units and VAT rates (code, zh, en, decimals / percent); the shop adds its own.
UNITS = (
    ("pcs", "个", "pc", 0), ("bottle", "瓶", "bottle", 0), ("can", "罐", "can", 0),
    ("bag", "袋", "bag", 0), ("box", "盒", "box", 0), ("pack", "包", "pack", 0),
    ("kg", "千克", "kg", 3),
)

TAX_RATES = (
    ("VAT13", "增值税13%", "VAT 13%", "13"), ("VAT9", "增值税9%", "VAT 9%", "9"),
    ("VAT6", "增值税6%", "VAT 6%", "6"), ("VAT0", "免税", "Exempt", "0"),
)

TENDERS = (
    # code, zh, en, kind, opens drawer, needs a reference
    ("CASH", "现金", "Cash", "cash", True, False),
    ("CARD", "银行卡", "Bank card", "card", False, True),
    ("WECHAT", "微信支付", "WeChat Pay", "wechat", False, True),
    ("ALIPAY", "支付宝", "Alipay", "alipay", False, True),
    ("CREDIT", "储值卡", "Store credit", "store_credit", False, False),
    ("VOUCHER", "代金券", "Voucher", "voucher", False, True),
    ("ACCOUNT", "挂账", "On account", "account", False, False),  # the customer pays later
)


def is_set_up() -> bool:
    return Company.select().exists()


@unit_of_work
def setup_shop(name: str, *, name_en: str = "", owner: str | None = None,
               owner_pin: str | None = None, owner_password: str | None = None,
               cash_rounding: Decimal | None = None) -> None:
    """Everything a shop needs before its first product: one transaction, all or nothing."""
    org.set_company(name, name_en=name_en, cash_rounding=cash_rounding)
    ledger.ensure_chart()
    if not TaxRate.select().exists():
        for code, zh, en, pct in TAX_RATES:
            products.create_tax_rate(code, zh, Decimal(pct), name_en=en)
        for code, zh, en, decimals in UNITS:
            products.create_unit(code, zh, en, decimals)
        org.create_warehouse("STORE", "门店", "Shop floor")
        org.create_warehouse("WH", "仓库", "Warehouse", allow_negative=False)
        org.create_terminal("T1", "1号收银台", "STORE")
        for i, (code, zh, en, kind, drawer, ref) in enumerate(TENDERS):
            org.create_tender_type(code, zh, kind, name_en=en, opens_drawer=drawer,
                                   needs_reference=ref, sort_order=i)
    if owner:
        auth.create_user(owner, "owner", pin=owner_pin, password=owner_password,
                         display_name=owner)
