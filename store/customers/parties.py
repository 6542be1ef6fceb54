"""Customers, customer groups, price lists and suppliers: master data for later pricing and buying."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _, field_label
from store.core.money import parse_decimal
from store.models import Customer, CustomerGroup, PriceList, Supplier
from store.security import audit, changes, crypto, permissions
from store.security.auth import SessionUser


def _require(value: str, field: str) -> str:
    cleaned = text.clean(value, field=field)
    if not cleaned:
        raise ValidationError(_("{field}: must not be empty").format(field=field_label(field)), field=field,
                              value=value)
    return cleaned


def _unique(model, code: str, field: str) -> None:
    if model.get_or_none(model.code == code):
        raise ValidationError(_("{field}: '{value}' already exists").format(field=field_label(field),
                              value=code), field=field, value=code)


@unit_of_work
def create_price_list(user: SessionUser, code: str, name: str, name_en: str = "") -> PriceList:
    permissions.check(user, "manage_prices", reference=code)
    code = _require(code, "code")
    _unique(PriceList, code, "price_list")
    pl = PriceList.create(code=code, name=_require(name, "name"), name_en=name_en)
    audit.record("price_list_created", {"list": pl.code, "name": pl.name}, user_id=user.id,
                 reference=pl.code)
    return pl


def group_by_code(code: str | None) -> CustomerGroup | None:
    """The customer group `code` names, in any letter case (None for none); an unknown code
    is refused."""
    grp = (CustomerGroup.get_or_none(fn.UPPER(CustomerGroup.code) == code.strip().upper())
           if code else None)
    if code and grp is None:
        raise ValidationError(_("group: unknown customer group '{value}'").format(value=code),
                              field="group", value=code)
    if grp is not None and not grp.active:
        raise ValidationError(_("group: '{value}' is deactivated").format(value=code),
                              field="group", value=code)
    return grp


def price_list_by_code(code: str | None) -> PriceList | None:
    """The price list `code` names (None for none); an unknown code is refused."""
    pl = PriceList.get_or_none(PriceList.code == code) if code else None
    if code and pl is None:
        raise ValidationError(_("price_list: unknown price list '{value}'").format(value=code),
                              field="price_list", value=code)
    return pl


@unit_of_work
def create_customer_group(code: str, name: str, name_en: str = "",
                          price_list: str | None = None) -> CustomerGroup:
    code = _require(code, "code")
    _unique(CustomerGroup, code, "customer_group")
    pl = price_list_by_code(price_list)
    return CustomerGroup.create(code=code, name=_require(name, "name"), name_en=name_en,
                                price_list=pl)


def normalize_phone(phone: str) -> str:
    """Digits only, without a leading +86 / 0086: '138-0013-8000' → '13800138000'."""
    text = phone.strip()
    if any(c.isalpha() for c in text):
        raise ValidationError(_("phone: '{value}' has letters in it").format(value="***"),
                              field="phone", value="***")
    digits = "".join(c for c in text if c.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix):]
    if digits and not 5 <= len(digits) <= 15:
        raise ValidationError(_("phone: must be 5 to 15 digits"), field="phone", value="***")
    return digits


def _seal(text: str) -> str:
    return crypto.seal(text) if text else ""


def normalize_email(email: str) -> str:
    v = email.strip()
    if v and (v.count("@") != 1 or any(c.isspace() for c in v) or len(v) > 200
              or not v.split("@")[1] or "." not in v.split("@")[1]):
        raise ValidationError(_("email: '{value}' is not an e-mail address").format(value=v),
                              field="email", value=v)
    return v


def normalize_id_number(number: str) -> str:
    """A resident identity card number (18 characters, its check digit right); the message
    never repeats it — it is personal data."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as BadNumber

    v = number.strip().upper()
    if not v:
        return ""
    try:
        return str(ric.validate(v))
    except BadNumber:
        raise ValidationError(_("id_number: not a valid resident ID number (18 characters, "
                                "the last a check digit)"), field="id_number",
                              value="***") from None


def sealed_phone(phone: str) -> dict[str, str]:
    """A customer's phone as stored: sealed, and its keyed hash to find it by."""
    digits = normalize_phone(phone)
    return {"phone_enc": crypto.seal(digits), "phone_hash": crypto.blind_index(digits)}


def _details(address: str, email: str, id_number: str) -> dict[str, str]:
    return {"address_enc": _seal(_address(address)), "email_enc": _seal(normalize_email(email)),
            "id_number_enc": _seal(normalize_id_number(id_number))}


def _address(address: str) -> str:
    if len(address.strip()) > 300:
        raise ValidationError(_("address: at most 300 characters"), field="address",
                              value="***")
    return address.strip()


@dataclass(frozen=True)
class NewCustomer:
    """A customer checked and ready to store; its personal data still in clear."""

    code: str
    name: str
    group: CustomerGroup | None
    price_list: PriceList | None
    credit_limit: Decimal
    phone: str
    address: str
    email: str
    id_number: str


def check_customer(code: str, name: str, *, group: str | None = None,
                   credit_limit: Decimal | str = Decimal(0), phone: str = "",
                   price_list: str | None = None, address: str = "", email: str = "",
                   id_number: str = "",
                   groups: dict[str, CustomerGroup] | None = None) -> NewCustomer:
    """Every rule a new customer meets, without the database but for its group and price list
    (`groups`, the groups by upper-case code read once, for an import)."""
    code = text.short(_require(code, "code"), field="code", longest=32)
    if groups is None:
        grp = group_by_code(group)
    else:
        grp = groups.get(group.strip().upper()) if group and group.strip() else None
        if group and group.strip() and grp is None:
            raise ValidationError(_("group: unknown customer group '{value}'").format(
                value=group.strip()), field="group", value=group.strip())
        if grp is not None and not grp.active:
            raise ValidationError(_("group: '{value}' is deactivated").format(value=grp.code),
                                  field="group", value=grp.code)
    pl = price_list_by_code(price_list)
    return NewCustomer(code, text.name(_require(name, "name"), longest=100), grp,
                       pl or (grp.price_list if grp else None),
                       parse_decimal(credit_limit, field="credit_limit"), normalize_phone(phone),
                       _address(address), normalize_email(email),
                       normalize_id_number(id_number))


def customer_row(c: NewCustomer, seal: Callable[[str], str] = _seal) -> dict[str, object]:
    """The customer's row as stored: personal data sealed, the phone's keyed hash beside it."""
    return {"code": c.code, "name": c.name, "group": c.group.id if c.group else None,
            "price_list": c.price_list.id if c.price_list else None,
            "credit_limit": c.credit_limit, "phone_enc": seal(c.phone),
            "phone_hash": crypto.blind_index(c.phone), "address_enc": seal(c.address),
            "email_enc": seal(c.email), "id_number_enc": seal(c.id_number)}


@unit_of_work
def create_customer(code: str, name: str, *, group: str | None = None,
                    credit_limit: Decimal | str = Decimal(0), phone: str = "",
                    price_list: str | None = None, address: str = "", email: str = "",
                    id_number: str = "") -> Customer:
    """A customer; phone, address, e-mail and ID number are sealed (store.security.crypto), never
    stored or logged in clear; the phone is found again by its keyed hash."""
    new = check_customer(code, name, group=group, credit_limit=credit_limit, phone=phone,
                         price_list=price_list, address=address, email=email,
                         id_number=id_number)
    _unique(Customer, new.code, "customer")
    return Customer.create(**customer_row(new))


@unit_of_work
def add_customer(user: SessionUser, code: str, name: str, **details: object) -> Customer:
    """A customer added by hand (the shell, the back office), by someone trusted with
    customers' personal data — the import's permission, since it writes the same — and
    recorded by code only: the chain never holds a phone or an address."""
    permissions.check(user, "export_customer_data", reference=str(code)[:64])
    customer = create_customer(code, name, **details)  # type: ignore[arg-type]
    audit.record("customer_added", {"code": customer.code}, user_id=user.id,
                 reference=customer.code)
    return customer


@unit_of_work
def create_supplier(code: str, name: str, *, contact: str = "", phone: str = "",
                    lead_time_days: int = 3, payment_days: int = 30) -> Supplier:
    code = _require(code, "code")
    _unique(Supplier, code, "supplier")
    if lead_time_days < 0:
        raise ValidationError(_("lead_time_days: '{value}' must not be negative").format(
            value=lead_time_days), field="lead_time_days", value=lead_time_days)
    return Supplier.create(code=code, name=_require(name, "name"), contact=contact, phone=phone,
                           lead_time_days=lead_time_days, payment_days=payment_days)


@unit_of_work
def add_supplier(user: SessionUser, code: str, name: str, *, contact: str = "",
                 phone: str = "", payment_days: int = 30, lead_time_days: int = 3) -> Supplier:
    """A new supplier, by someone who may buy: its code compared without case, its terms in
    days (0 to 365), recorded in the audit chain."""
    permissions.check(user, "purchase", reference=code)
    code = _require(code, "code").upper()
    if Supplier.get_or_none(fn.UPPER(Supplier.code) == code):
        raise ValidationError(_("{field}: '{value}' already exists").format(
            field=field_label("supplier"), value=code), field="supplier", value=code)
    _days("payment_days", payment_days)
    _days("lead_time_days", lead_time_days)
    supplier = create_supplier(text.short(code, field="code", longest=20),
                               text.name(name, longest=200),
                               contact=text.short(contact, field="contact", longest=100),
                               phone=text.short(phone, field="phone", longest=40),
                               lead_time_days=lead_time_days, payment_days=payment_days)
    audit.record("supplier_added", {"code": supplier.code, "name": supplier.name,
                                    "payment_days": payment_days,
                                    "lead_time_days": lead_time_days},
                 user_id=user.id, reference=supplier.code)
    return supplier


def customers(limit: int = 100) -> list[Customer]:
    return list(Customer.select().order_by(Customer.code).limit(limit))


def suppliers() -> list[Supplier]:
    """Every supplier, those the shop no longer buys from after the others."""
    return list(Supplier.select().order_by(Supplier.active.desc(), Supplier.code))


def _days(field: str, days: int) -> int:
    if not 0 <= days <= 365:
        raise ValidationError(_("{field}: '{value}' must be 0 to 365 days").format(
            field=field_label(field), value=days), field=field, value=days)
    return days


@unit_of_work
def change_supplier(user: SessionUser, code: str, *, name: str | None = None,
                    contact: str | None = None, phone: str | None = None,
                    payment_days: int | None = None,
                    lead_time_days: int | None = None) -> Supplier:
    """A supplier's name, contact, phone, days to pay and days to deliver, by someone who
    may buy; recorded in the audit chain."""
    permissions.check(user, "purchase", reference=code[:64])
    supplier = _supplier_by_code(code)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = text.name(name, longest=100)
    if contact is not None:
        values["contact"] = text.clean(contact, field="contact")[:100]
    if phone is not None:
        values["phone"] = text.clean(phone, field="phone")[:40]
    if payment_days is not None:
        values["payment_days"] = _days("payment_days", payment_days)
    if lead_time_days is not None:
        values["lead_time_days"] = _days("lead_time_days", lead_time_days)
    return changes.save_changes(user, supplier, values, "supplier_changed")


@unit_of_work
def set_supplier_active(user: SessionUser, code: str, active: bool) -> Supplier:
    """A supplier the shop no longer buys from: not offered for new orders or reorder
    suggestions; its orders, bills and what is owed to it stay."""
    permissions.check(user, "purchase", reference=code[:64])
    return changes.save_active(user, _supplier_by_code(code), active, "supplier")


def _supplier_by_code(code: str) -> Supplier:
    found = Supplier.get_or_none(fn.UPPER(Supplier.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No supplier '{code}'").format(code=code))
    return found


@unit_of_work
def add_customer_group(user: SessionUser, code: str, name: str, *, name_en: str = "",
                       price_list: str | None = None) -> CustomerGroup:
    """A group of customers (会员等级) with the price list its members buy at; by someone
    who may set prices, recorded in the audit chain."""
    permissions.check(user, "manage_prices", reference=code[:64])
    code = text.code(code, field="code", longest=20)
    if CustomerGroup.get_or_none(fn.UPPER(CustomerGroup.code) == code):
        raise ValidationError(_("customer group: '{value}' already exists").format(value=code),
                              field="customer_group", value=code)
    group = create_customer_group(code, text.name(name, longest=100),
                                  text.clean(name_en, field="name_en")[:100], price_list)
    audit.record("customer_group_added", {"code": code, "price_list": price_list},
                 user_id=user.id, reference=code)
    return group


def _group(code: str) -> CustomerGroup:
    found = CustomerGroup.get_or_none(fn.UPPER(CustomerGroup.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No customer group '{code}'").format(code=code))
    return found


@unit_of_work
def change_customer_group(user: SessionUser, code: str, *, name: str | None = None,
                          name_en: str | None = None,
                          price_list: str | None = None) -> CustomerGroup:
    """A group's names, or the price list its members buy at ('' for the shelf prices)."""
    permissions.check(user, "manage_prices", reference=code[:64])
    group = _group(code)
    values: dict[str, object] = {**text.names(name, name_en, longest=100)}
    if price_list is not None:
        pl = price_list_by_code(price_list.strip() or None)
        if (pl.id if pl else None) != group.price_list_id:
            values["price_list"] = pl.id if pl else None
    return changes.save_changes(user, group, values, "customer_group_changed",
                                {k: str(v) for k, v in values.items()})


@unit_of_work
def set_customer_group_active(user: SessionUser, code: str, active: bool) -> CustomerGroup:
    """A group out of use takes no new members; its members must move first."""
    permissions.check(user, "manage_prices", reference=code[:64])
    group = _group(code)
    if not active:
        members = Customer.select().where((Customer.group == group.id) & Customer.active).count()
        if members:
            raise ValidationError(_("{code} still has {count} customer(s): move them to "
                                    "another group first").format(code=group.code,
                                                                  count=members),
                                  field="customer_group", value=group.code)
    return changes.save_active(user, group, active, "customer_group")


def customer_groups() -> list[CustomerGroup]:
    return list(CustomerGroup.select().order_by(CustomerGroup.active.desc(),
                                                CustomerGroup.code))
