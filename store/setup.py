"""A new shop's set-up: tax rates, units, warehouses, a terminal, tenders and the owner."""

from __future__ import annotations

from decimal import Decimal

from . import auth, catalog, ledger, org
from .db import unit_of_work
from .demo_data import TAX_RATES, UNITS
from .models import Company, TaxRate

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
            catalog.create_tax_rate(code, zh, Decimal(pct), name_en=en)
        for code, zh, en, decimals in UNITS:
            catalog.create_unit(code, zh, en, decimals)
        org.create_warehouse("STORE", "门店", "Shop floor")
        org.create_warehouse("WH", "仓库", "Warehouse", allow_negative=False)
        org.create_terminal("T1", "1号收银台", "STORE")
        for i, (code, zh, en, kind, drawer, ref) in enumerate(TENDERS):
            org.create_tender_type(code, zh, kind, name_en=en, opens_drawer=drawer,
                                   needs_reference=ref, sort_order=i)
    if owner:
        auth.create_user(owner, "owner", pin=owner_pin, password=owner_password,
                         display_name=owner)
