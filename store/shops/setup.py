"""A new shop's set-up: tax rates, units, warehouses, a terminal, tenders and the owner."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.books import ledger
from store.catalog import products
from store.core.db import unit_of_work
from store.core.errors import ValidationError
from store.core.i18n import _
from store.models import Company, TaxRate, User
from store.security import audit, auth
from store.security.auth import SessionUser
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
    # code, zh, en, kind, opens drawer, needs a reference (POINTS: off until a points rule)
    ("CASH", "现金", "Cash", "cash", True, False),
    ("CARD", "银行卡", "Bank card", "card", False, True),
    ("WECHAT", "微信支付", "WeChat Pay", "wechat", False, True),
    ("ALIPAY", "支付宝", "Alipay", "alipay", False, True),
    ("CREDIT", "储值卡", "Stored-value card", "store_credit", False, False),
    ("VOUCHER", "代金券", "Voucher", "voucher", False, True),
    ("ACCOUNT", "挂账", "On account", "account", False, False),  # the customer pays later
    ("POINTS", "积分", "Points", "points", False, False),
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
                                   needs_reference=ref, sort_order=i, active=kind != "points")
    if owner:
        auth.create_user(owner, "owner", pin=owner_pin, password=owner_password,
                         display_name=owner)


@dataclass(frozen=True)
class ShopStart:
    """What the first-run set-up asks: the shop, how it prices and rounds, its clock, and its
    owner (who logs in at once)."""

    name: str
    owner: str
    owner_pin: str
    name_en: str = ""
    owner_name: str = ""
    timezone: str = "Asia/Shanghai"
    prices_include_tax: bool = True
    cash_rounding: Decimal | None = None  # 0.1 rounds cash to 1 角; None to the cent


@unit_of_work
def start_shop(start: ShopStart) -> SessionUser:
    """A new shop from the first-run set-up, in one transaction: everything `setup_shop`
    makes, the settings asked for and the owner; refused whole if anything is wrong."""
    from store.common import clock
    from store.core import money, text

    if is_set_up():
        raise ValidationError(_("This database already has a shop"), field="name", value="")
    name = text.name(start.name, longest=100)
    owner = text.clean(start.owner, field="username")
    if not owner or len(owner) > 40 or any(c.isspace() for c in owner):
        raise ValidationError(_("username: '{value}' must be 1 to 40 characters without "
                                "spaces").format(value=owner[:40]), field="username",
                              value=owner[:40])
    if start.cash_rounding is not None and start.cash_rounding not in money.CASH_STEPS:
        raise ValidationError(_("step: '{value}' must be 0.01, 0.1, 0.5 or 1").format(
            value=start.cash_rounding), field="cash_rounding", value=start.cash_rounding)
    step = None if start.cash_rounding == money.CENT else start.cash_rounding
    setup_shop(name, name_en=text.clean(start.name_en, field="name_en")[:100], owner=owner,
               owner_pin=start.owner_pin, cash_rounding=step)
    Company.update(prices_include_tax=start.prices_include_tax).execute()
    clock.set_shop_zone(start.timezone)
    user = auth.authenticate(owner, start.owner_pin)
    if start.owner_name.strip():
        User.update(display_name=text.clean(start.owner_name, field="name")[:100]).where(
            User.id == user.id).execute()
    audit.record("shop_started", {"name": name, "timezone": start.timezone,
                                  "prices_include_tax": start.prices_include_tax,
                                  "cash_rounding": str(step) if step else None},
                 user_id=user.id)
    return auth.get_user_by_id(user.id)
