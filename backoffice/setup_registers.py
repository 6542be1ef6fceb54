"""The registers of the set-up menu (issue 16.2): warehouses, tills, tenders, categories,
units, tax rates, suppliers and customer groups, each listed, added, changed and retired
through the store's own use cases — the same ones the CLI calls — so the rules (who may, what
would strand something) are the store's, said on the form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backoffice.forms import Field
from backoffice.registers import Register, Values, changed
from store.catalog import master
from store.core import text
from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.customers import parties
from store.offline import reviews
from store.pricing import promotions
from store.security.auth import SessionUser
from store.shops import branches, org, retiring

Changes = dict[str, str | None]


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _flag(value: str | None, field: str) -> bool | None:
    return None if value is None else text.yes_no(value, field=field)


def _days(value: str | None, field: str) -> int | None:
    return None if value is None else text.whole(value, field=field, lowest=0, highest=365)


def _names(row: Any) -> list[Field]:
    return [Field("name", N_("Name"), row.name), Field("name_en", N_("English name"), row.name_en)]


SHOPS = Register(
    N_("Shops"), N_("New shop"),
    (N_("Code"), N_("Name"), N_("English name"), N_("Time zone"), N_("Status")),
    branches.all_shops,
    lambda s: [s.code, s.name, s.name_en, s.timezone or _("the company's"),
               text.in_use(s.active)],
    [Field("code", N_("Code"), hint="BJ"), Field("name", N_("Name"), hint="北京店"),
     Field("name_en", N_("English name")),
     Field("timezone", N_("Time zone"), hint=_("empty: the company's; Asia/Urumqi …"))],
    lambda user, v: branches.add_shop(user, v["code"], v["name"], name_en=v["name_en"],
                                      timezone=v["timezone"]),
    lambda s: [*_names(s), Field("timezone", N_("Time zone"), s.timezone)],
    lambda user, s, c: branches.change_shop(user, s.code, name=c["name"], name_en=c["name_en"],
                                            timezone=c["timezone"]),
    branches.set_shop_active, details=lambda user, s: _shop_prices(user, s),
    details_label=N_("Its prices"))

WAREHOUSES = Register(
    N_("Warehouses"), N_("New warehouse"),
    (N_("Code"), N_("Name"), N_("Shop"), N_("Sells below zero"), N_("Status")),
    retiring.all_warehouses,
    lambda w: [w.code, w.name, branches.shop_code(w), yes_no(w.allow_negative),
               text.in_use(w.active)],
    [Field("code", N_("Code"), hint="BACK"), Field("name", N_("Name"), hint="后仓"),
     Field("name_en", N_("English name")),
     Field("allow_negative", N_("Sells below zero"), _("yes"), hint=_("yes or no")),
     Field("shop", N_("Shop"), hint=_("empty: the first, MAIN"))],
    lambda user, v: org.add_warehouse(user, v["code"], v["name"], name_en=v["name_en"],
                                      allow_negative=text.yes_no(v["allow_negative"],
                                                                 field="allow_negative"),
                                      shop=v["shop"]),
    lambda w: [*_names(w), Field("allow_negative", N_("Sells below zero"),
                                 yes_no(w.allow_negative), hint=_("yes or no"))],
    lambda user, w, c: retiring.change_warehouse(
        user, w.code, name=c["name"], name_en=c["name_en"],
        allow_negative=_flag(c["allow_negative"], "allow_negative")),
    retiring.set_warehouse_active)

def _with_last_sync(tills: list[Any]) -> list[Any]:
    """The tills, each with its last contact (one query for the list, not one a row)."""
    seen = reviews.last_contacts()
    for t in tills:
        t.last_sync = seen.get(t.code, "")
    return tills


TILLS = Register(
    N_("Tills"), N_("New till"), (N_("Code"), N_("Name"), N_("Warehouse"), N_("Status"),
                                  N_("Last sync (UTC)")),
    lambda: _with_last_sync(retiring.all_terminals()),
    lambda t: [t.code, t.name, t.warehouse.code, text.in_use(t.active),
               getattr(t, "last_sync", "")],
    [Field("code", N_("Code"), hint="T2"), Field("warehouse", N_("Warehouse"), hint="STORE"),
     Field("name", N_("Name"))],
    lambda user, v: org.add_terminal(user, v["code"], v["warehouse"], name=v["name"]),
    lambda t: [Field("name", N_("Name"), t.name),
               Field("warehouse", N_("Warehouse"), t.warehouse.code)],
    lambda user, t, c: retiring.change_terminal(user, t.code, name=c["name"],
                                                warehouse=c["warehouse"]),
    retiring.set_terminal_active, {"terminal": "code"})

TENDERS = Register(
    N_("Tenders"), N_("New tender"), (N_("Code"), N_("Name"), N_("Kind"), N_("Opens drawer"),
                    N_("Asks reference"), N_("Status")),
    retiring.all_tenders,
    lambda t: [t.code, t.name, t.kind, yes_no(t.opens_drawer), yes_no(t.needs_reference),
               text.in_use(t.active)],
    [Field("code", N_("Code"), hint="UNIONPAY"), Field("name", N_("Name"), hint="银联"),
     Field("kind", N_("Kind"), hint="card · cash · wechat · alipay · voucher …"),
     Field("name_en", N_("English name")),
     Field("opens_drawer", N_("Opens drawer"), hint=_("empty: for cash")),
     Field("needs_reference", N_("Asks reference"), _("no"), hint=_("yes or no"))],
    lambda user, v: retiring.add_tender(
        user, v["code"], v["name"], v["kind"].strip(), name_en=v["name_en"],
        opens_drawer=_flag(v["opens_drawer"] or None, "opens_drawer"),
        needs_reference=text.yes_no(v["needs_reference"], field="needs_reference")),
    lambda t: [*_names(t), Field("opens_drawer", N_("Opens drawer"), yes_no(t.opens_drawer)),
               Field("needs_reference", N_("Asks reference"), yes_no(t.needs_reference))],
    lambda user, t, c: retiring.change_tender(
        user, t.code, name=c["name"], name_en=c["name_en"],
        opens_drawer=_flag(c["opens_drawer"], "opens_drawer"),
        needs_reference=_flag(c["needs_reference"], "needs_reference")),
    retiring.set_tender_active, {"tender": "code"})

CATEGORIES = Register(
    N_("Categories"), N_("New category"), (N_("Code"), N_("Name"), N_("English name"), N_("Products"),
                       N_("Status")),
    master.category_tree,
    lambda c: ["  " * c.depth + c.code, c.name, c.name_en, str(c.products), text.in_use(c.active)],
    [Field("code", N_("Code"), hint="SODA"), Field("name", N_("Name"), hint="汽水"),
     Field("name_en", N_("English name")),
     Field("parent", N_("Under"), hint=_("a category's code, or empty for the top"))],
    lambda user, v: master.add_category(user, v["code"], v["name"], name_en=v["name_en"],
                                        parent=v["parent"].strip() or None),
    lambda c: [*_names(c), Field("parent", N_("Under"), c.parent or "",
                                 hint=_("a category's code, or empty for the top"))],
    lambda user, c, ch: master.change_category(user, c.code, name=ch["name"],
                                               name_en=ch["name_en"], parent=ch["parent"]),
    master.set_category_active, {"category": "code"})

UNITS = Register(
    N_("Units"), N_("New unit"), (N_("Code"), N_("Name"), N_("English name"), N_("Decimals"), N_("Status")),
    master.units,
    lambda u: [u.code, u.name, u.name_en, str(u.decimals), text.in_use(u.active)],
    [Field("code", N_("Code"), hint="jin"), Field("name", N_("Name"), hint="斤"),
     Field("name_en", N_("English name")),
     Field("decimals", N_("Decimals"), "0", hint=_("0 counted, 3 weighed to the gram"))],
    lambda user, v: master.add_unit(user, v["code"], v["name"], name_en=v["name_en"],
                                    decimals=text.whole(v["decimals"], field="decimals",
                                                        lowest=0, highest=3)),
    _names,
    lambda user, u, c: master.change_unit(user, u.code, name=c["name"], name_en=c["name_en"]),
    master.set_unit_active, {"unit": "code"})

TAX_RATES = Register(
    N_("Tax rates"), N_("New tax rate"),
    (N_("Code"), N_("Name"), N_("English name"), N_("Rate %"), N_("Status")),
    master.tax_rates,
    lambda t: [t.code, t.name, t.name_en, f"{Decimal(t.rate_bp) / 100:g}", text.in_use(t.active)],
    [Field("code", N_("Code"), hint="VAT3"), Field("name", N_("Name"), hint="小规模3%"),
     Field("rate", N_("Rate %"), hint="3"), Field("name_en", N_("English name"))],
    lambda user, v: master.add_tax_rate(user, v["code"], v["name"], v["rate"].strip(),
                                        name_en=v["name_en"]),
    _names,
    lambda user, t, c: master.change_tax_rate(user, t.code, name=c["name"],
                                              name_en=c["name_en"]),
    master.set_tax_rate_active, {"tax_rate": "code"})

SUPPLIERS = Register(
    N_("Suppliers"), N_("New supplier"),
    (N_("Code"), N_("Name"), N_("Contact"), N_("Phone"), N_("Days to pay"), N_("Days to deliver"),
     N_("Status")),
    parties.suppliers,
    lambda s: [s.code, s.name, s.contact, s.phone, str(s.payment_days),
               str(s.lead_time_days), text.in_use(s.active)],
    [Field("code", N_("Code"), hint="S001"), Field("name", N_("Name")),
     Field("contact", N_("Contact")), Field("phone", N_("Phone")),
     Field("payment_days", N_("Days to pay"), "30"),
     Field("lead_time_days", N_("Days to deliver"), "3")],
    lambda user, v: parties.add_supplier(
        user, v["code"], v["name"], contact=v["contact"], phone=v["phone"],
        payment_days=_days(v["payment_days"], "payment_days") or 0,
        lead_time_days=_days(v["lead_time_days"], "lead_time_days") or 0),
    lambda s: [Field("name", N_("Name"), s.name), Field("contact", N_("Contact"), s.contact),
               Field("phone", N_("Phone"), s.phone),
               Field("payment_days", N_("Days to pay"), str(s.payment_days)),
               Field("lead_time_days", N_("Days to deliver"), str(s.lead_time_days))],
    lambda user, s, c: parties.change_supplier(
        user, s.code, name=c["name"], contact=c["contact"], phone=c["phone"],
        payment_days=_days(c["payment_days"], "payment_days"),
        lead_time_days=_days(c["lead_time_days"], "lead_time_days")),
    parties.set_supplier_active, {"supplier": "code"},
    lambda user, s: _supplier_products(user, s.code))

CUSTOMER_GROUPS = Register(
    N_("Customer groups"), N_("New customer group"),
    (N_("Code"), N_("Name"), N_("English name"), N_("Price list"), N_("Status")),
    parties.customer_groups,
    lambda g: [g.code, g.name, g.name_en, g.price_list.code if g.price_list else "",
               text.in_use(g.active)],
    [Field("code", N_("Code"), hint="VIP"), Field("name", N_("Name"), hint="金卡会员"),
     Field("name_en", N_("English name")),
     Field("price_list", N_("Price list"), hint=_("a price list's code, or empty"))],
    lambda user, v: parties.add_customer_group(user, v["code"], v["name"],
                                               name_en=v["name_en"],
                                               price_list=v["price_list"].strip() or None),
    lambda g: [*_names(g), Field("price_list", N_("Price list"),
                                 g.price_list.code if g.price_list else "",
                                 hint=_("a price list's code, or empty"))],
    lambda user, g, c: parties.change_customer_group(user, g.code, name=c["name"],
                                                     name_en=c["name_en"],
                                                     price_list=c["price_list"]),
    parties.set_customer_group_active, {"customer_group": "code"})


def _shop_prices(user: SessionUser, shop: Any) -> object:
    from backoffice.shop_prices import ShopPricesScreen

    return ShopPricesScreen(user, shop.code, shop.name)


def _supplier_products(user: SessionUser, code: str) -> object:
    from backoffice.supplier_products import SupplierProductsScreen

    return SupplierProductsScreen(user, code)


def shop_fields() -> list[Field]:
    shop = org.settings()
    rounding = shop.cash_rounding or Decimal("0.01")
    return [Field("name", N_("Shop name"), shop.name),
            Field("name_en", N_("English name"), shop.name_en),
            Field("address", N_("Address"), shop.address),
            Field("phone", N_("Phone"), shop.phone),
            Field("tax_id", N_("Tax ID"), shop.tax_id, hint=_("unified social credit code")),
            Field("receipt_footer", N_("Receipt footer"), shop.receipt_footer,
                  hint=_("empty: the default thanks")),
            Field("prices_include_tax", N_("Prices include tax"),
                  yes_no(shop.prices_include_tax), hint=_("yes or no")),
            Field("cash_rounding", N_("Cash rounding"), f"{rounding:f}",
                  hint="0.01, 0.1, 0.5, 1"),
            Field("timezone", N_("Time zone"), shop.timezone,
                  hint=_("e.g. Asia/Shanghai; empty: this computer's")),
            Field("promotion_rule", N_("Promotion rule"), promotions.rule(),
                  hint=_("best (the most off) or priority"))]


def change_shop(user: SessionUser, fields: list[Field], v: Values) -> str:
    c: Changes = changed(fields, v)
    rule = (c.pop("promotion_rule") or "").strip().lower()
    if rule and rule not in ("best", "priority"):  # checked before anything is written
        raise ValidationError(_("rule: '{value}' is not best or priority").format(value=rule),
                              field="promotion_rule", value=rule)
    if any(value is not None for value in c.values()):
        org.change_shop(user, name=c["name"], name_en=c["name_en"], address=c["address"],
                        phone=c["phone"], tax_id=c["tax_id"],
                        receipt_footer=c["receipt_footer"],
                        prices_include_tax=_flag(c["prices_include_tax"], "prices_include_tax"),
                        cash_rounding=c["cash_rounding"], timezone=c["timezone"])
    elif not rule:
        org.change_shop(user)  # says "nothing to change"
    if rule:  # the same permission as the rest: refused with it, before, if at all
        promotions.set_rule(user, rule)
    return _("The shop's settings are saved")
