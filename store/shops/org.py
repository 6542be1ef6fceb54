"""The shop's own set-up: company settings, warehouses, terminals and tender types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, fn

from store.common import clock
from store.core import money, text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError, nothing_to_change
from store.core.i18n import _
from store.models import Company, Counter, Shop, TenderType, Terminal, Warehouse
from store.models.org import TENDER_KINDS
from store.security import audit, permissions, scope
from store.security.auth import SessionUser
from store.shops import branches


@dataclass(frozen=True)
class ShopSettings:
    name: str
    name_en: str
    currency: str
    prices_include_tax: bool
    cash_rounding: Decimal | None
    address: str = ""
    phone: str = ""
    tax_id: str = ""  # 统一社会信用代码, printed on receipts
    receipt_footer: str = ""
    timezone: str = ""  # IANA name; "" for the machine's own


def settings() -> ShopSettings:
    c = Company.select().order_by(Company.id).first()
    if c is None:
        return ShopSettings("", "", "CNY", True, None)
    return ShopSettings(c.name, c.name_en, c.currency, c.prices_include_tax, c.cash_rounding,
                        c.address, c.phone, c.tax_id, c.receipt_footer, clock.shop_zone_name())


@unit_of_work
def change_shop(actor: SessionUser, *, name: str | None = None, name_en: str | None = None,
                address: str | None = None, phone: str | None = None,
                tax_id: str | None = None, receipt_footer: str | None = None,
                prices_include_tax: bool | None = None, cash_rounding: str | None = None,
                timezone: str | None = None) -> ShopSettings:
    """The shop's name, address, phone and tax ID (printed at the head of each receipt), the
    receipt's closing line, whether shelf prices include tax, the coin cash is rounded to
    ("0.01": none) and the time zone its days are counted in; None leaves a field as it is.
    All or nothing, by someone allowed to change settings, recorded in the audit chain."""
    from stdnum.cn import uscc

    permissions.check(actor, "change_settings")
    company = Company.select().order_by(Company.id).first()
    if company is None:
        raise NotFound(_("The shop is not set up: run 'zhanggui init'"))
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = text.name(name, field="name", longest=100)
    if name_en is not None:
        values["name_en"] = text.clean(name_en, field="name_en")[:100]
    if address is not None:
        values["address"] = text.prose(address, field="address", longest=200)
    if phone is not None:
        values["phone"] = text.short(phone, field="phone", longest=40)
    if tax_id is not None:
        code = text.clean(tax_id, field="tax_id").upper()
        if code and not uscc.is_valid(code):
            raise ValidationError(
                _("tax_id: '{value}' is not a unified social credit code (18 characters with "
                  "a check character)").format(value=code[:40]), field="tax_id",
                value=code[:40])
        values["tax_id"] = code
    if receipt_footer is not None:
        values["receipt_footer"] = text.prose(receipt_footer, field="receipt_footer",
                                              longest=200)
    if prices_include_tax is not None:
        values["prices_include_tax"] = prices_include_tax
    if not values and cash_rounding is None and timezone is None:
        raise nothing_to_change()
    if values:
        Company.update(**values).where(Company.id == company.id).execute()
        audit.record("setting_change", values, user_id=actor.id)
    if cash_rounding is not None:
        step = money.parse_cash_step(cash_rounding)
        change_cash_rounding(actor, None if step == Decimal("0.01") else step)
    if timezone is not None:
        change_timezone(actor, timezone.strip())
    return settings()


@unit_of_work
def set_company(name: str, *, name_en: str = "", currency: str = "CNY",
                prices_include_tax: bool = True, cash_rounding: Decimal | None = None,
                address: str = "", phone: str = "", tax_id: str = "",
                receipt_footer: str = "") -> Company:
    if not name.strip():
        raise ValidationError(_("name: the shop name is empty"), field="name", value=name)
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(_("currency: '{value}' is not an ISO 4217 code").format(
            value=currency), field="currency", value=currency)
    values = dict(name=name.strip(), name_en=name_en, currency=currency.upper(),
                  prices_include_tax=prices_include_tax, cash_rounding=cash_rounding,
                  address=address, phone=phone, tax_id=tax_id, receipt_footer=receipt_footer)
    current = Company.select().first()
    if current:
        Company.update(**values).where(Company.id == current.id).execute()
        return Company.get_by_id(current.id)
    return Company.create(**values)


@unit_of_work
def set_cash_rounding(step: Decimal | None) -> None:
    """Round cash payments to the smallest coin in use (0.10 元), or None for the cent."""
    Company.update(cash_rounding=step).execute()


@unit_of_work
def create_warehouse(code: str, name: str, name_en: str = "",
                     allow_negative: bool = True, shop: str = "") -> Warehouse:
    """A warehouse of `shop` (by code; "" the first shop, MAIN)."""
    if Warehouse.get_or_none(fn.UPPER(Warehouse.code) == code.upper()):
        raise ValidationError(_("warehouse: '{value}' already exists").format(value=code),
                              field="warehouse", value=code)
    owner = branches.get_shop(shop) if shop else branches.main_shop()
    return Warehouse.create(code=code, name=name, name_en=name_en, allow_negative=allow_negative,
                            shop=owner.id)


@unit_of_work
def set_allow_negative(actor: SessionUser, code: str, allow: bool) -> Warehouse:
    """The warehouse's negative-stock policy: may the till sell what the book does not have?
    (Transfers and counts never take a warehouse below zero, whatever it says.)"""
    permissions.check(actor, "change_settings", reference=code)
    warehouse = get_warehouse(code)
    Warehouse.update(allow_negative=allow).where(Warehouse.id == warehouse.id).execute()
    audit.record("setting_change", {"warehouse": warehouse.code, "allow_negative": allow},
                 user_id=actor.id)
    return Warehouse.get_by_id(warehouse.id)


@unit_of_work
def change_cash_rounding(actor: SessionUser, step: Decimal | None) -> None:
    """Cash rounding to the smallest coin in use, by someone allowed to change settings."""
    permissions.check(actor, "change_settings")
    if step is not None and step not in money.CASH_STEPS:
        raise ValidationError(_("step: '{value}' must be 0.01, 0.1, 0.5 or 1").format(
            value=step), field="step", value=step)
    set_cash_rounding(step)
    audit.record("setting_change", {"cash_rounding": str(step) if step else None},
                 user_id=actor.id)


@unit_of_work
def change_timezone(actor: SessionUser, name: str) -> None:
    permissions.check(actor, "change_settings")
    clock.set_shop_zone(name)
    audit.record("setting_change", {"timezone": name}, user_id=actor.id)


def get_warehouse(code: str) -> Warehouse:
    """A warehouse by its code, in any letter case."""
    w = Warehouse.get_or_none(fn.UPPER(Warehouse.code) == code.strip().upper())
    if not w:
        raise NotFound(_("No warehouse '{code}'").format(code=code), field="warehouse")
    return w


def warehouses(viewer: SessionUser | None = None) -> list[Warehouse]:
    """The active warehouses (to a user of some shops: their shops')."""
    q = (Warehouse.select(Warehouse, Shop).join(Shop, JOIN.LEFT_OUTER)  # each row's shop
         .where(Warehouse.active == True))  # noqa: E712
    seen = scope.warehouses_seen(viewer)
    if seen is not None:
        q = q.where(Warehouse.id.in_(seen))
    return list(q.order_by(Warehouse.id))


@unit_of_work
def create_terminal(code: str, name: str, warehouse: str) -> Terminal:
    if Terminal.get_or_none(fn.UPPER(Terminal.code) == code.upper()):
        raise ValidationError(_("terminal: '{value}' already exists").format(value=code),
                              field="terminal", value=code)
    terminal = Terminal.create(code=code, name=name, warehouse=get_warehouse(warehouse))
    for series in ("sale", "shift", "z"):  # gap-free numbering starts here
        Counter.get_or_create(terminal=code, name=series)
    return terminal


def _code(value: str, field: str) -> str:
    return text.code(value, field=field, longest=20)


def _name(value: str, field: str = "name") -> str:
    return text.name(value, field=field, longest=100)


@unit_of_work
def add_warehouse(actor: SessionUser, code: str, name: str, *, name_en: str = "",
                  allow_negative: bool = True, shop: str = "") -> Warehouse:
    """A new warehouse (a stock room, a shop floor) of `shop` ("": the first), by someone
    allowed to change settings; recorded in the audit chain."""
    permissions.check(actor, "change_settings", reference=code)
    warehouse = create_warehouse(_code(code, "warehouse"), _name(name),
                                 text.clean(name_en, field="name_en")[:100], allow_negative,
                                 shop=shop)
    audit.record("warehouse_added", {"code": warehouse.code, "name": warehouse.name,
                                     "allow_negative": allow_negative,
                                     "shop": branches.shop_code(warehouse)}, user_id=actor.id,
                 reference=warehouse.code)
    return warehouse


@unit_of_work
def add_terminal(actor: SessionUser, code: str, warehouse: str, *, name: str = "") -> Terminal:
    """A new till, selling from `warehouse`, with its own gap-free receipt and Z numbers."""
    permissions.check(actor, "change_settings", reference=code)
    code = _code(code, "terminal")
    store = get_warehouse(warehouse)
    if not store.active:
        raise ValidationError(_("warehouse: '{value}' is not in use").format(value=store.code),
                              field="warehouse", value=store.code)
    terminal = create_terminal(code, _name(name or code), store.code)
    audit.record("terminal_added", {"code": terminal.code, "name": terminal.name,
                                    "warehouse": store.code}, user_id=actor.id,
                 reference=terminal.code)
    return terminal


def terminals() -> list[Terminal]:
    return list(Terminal.select(Terminal, Warehouse).join(Warehouse)
                .where(Terminal.active == True).order_by(Terminal.code))  # noqa: E712


def get_terminal(code: str) -> Terminal | None:
    return Terminal.get_or_none(Terminal.code == code)


@unit_of_work
def create_tender_type(code: str, name: str, kind: str, *, name_en: str = "",
                       opens_drawer: bool = False, needs_reference: bool = False,
                       sort_order: int = 0, active: bool = True) -> TenderType:
    if kind not in TENDER_KINDS:
        raise ValidationError(_("kind: unknown tender kind '{value}'").format(value=kind),
                              field="kind", value=kind)
    return TenderType.create(code=code, name=name, name_en=name_en, kind=kind,
                             opens_drawer=opens_drawer, needs_reference=needs_reference,
                             sort_order=sort_order, active=active)


def tender_types() -> list[TenderType]:
    return list(TenderType.select().where(TenderType.active == True)  # noqa: E712
                .order_by(TenderType.sort_order, TenderType.id))
