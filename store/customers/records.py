"""A customer's record in the back office: the list (no personal data opened), one customer's
details (opened only for someone allowed to see them, and recorded in the audit trail), and
changing them — sealed again on the way in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.money import parse_decimal
from store.customers import parties, receivables
from store.customers.parties import _details
from store.models import Customer, CustomerGroup, PriceList
from store.security import audit, crypto, permissions
from store.security.auth import SessionUser


@dataclass(frozen=True)
class CustomerRow:
    code: str
    name: str
    group: str
    price_list: str
    credit_limit: Decimal
    owed: Decimal
    phone_hint: str  # …1234: enough to tell two 张伟 apart, never the number


@dataclass(frozen=True)
class CustomerDetails:
    code: str
    name: str
    group: str
    price_list: str
    credit_limit: Decimal
    payment_days: int
    phone: str
    address: str
    email: str
    id_number: str  # shown as 1101**********002X: the clerk checks it, never copies it


def _row(code: str) -> Customer:
    c = Customer.get_or_none(Customer.code == code.strip())
    if c is None:
        raise NotFound(_("No customer '{code}'").format(code=code))
    return c


def _codes(c: Customer) -> tuple[str, str]:
    group = c.group if c.group_id else None
    price_list = c.price_list if c.price_list_id else None
    return (group.code if group else "", price_list.code if price_list else "")


def customer_list(text: str = "", limit: int = 500) -> list[CustomerRow]:
    q = (Customer.select(Customer, CustomerGroup, PriceList)
         .join(CustomerGroup, JOIN.LEFT_OUTER).switch(Customer)
         .join(PriceList, JOIN.LEFT_OUTER).where(Customer.active)
         .order_by(Customer.code).limit(limit))
    if text.strip():
        like = f"%{text.strip()}%"
        q = q.where((Customer.code ** like) | (Customer.name ** like))
    rows = list(q)
    owed = receivables.balances([c.id for c in rows])
    out = []
    for c in rows:
        phone = crypto.unseal(c.phone_enc) if c.phone_enc else ""
        out.append(CustomerRow(c.code, c.name, *_codes(c), c.credit_limit,
                               owed.get(c.id, Decimal(0)), f"…{phone[-4:]}" if phone else ""))
    return out


def _mask(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else number


def details(user: SessionUser, code: str) -> CustomerDetails:
    """Everything about one customer, personal data opened: for those allowed, recorded."""
    permissions.check(user, "export_customer_data", reference=code)
    c = _row(code)
    audit.record("customer_data_viewed", {"customer": c.code}, user_id=user.id,
                 reference=c.code)

    def opened(token: str) -> str:
        return crypto.unseal(token) if token else ""

    return CustomerDetails(c.code, c.name, *_codes(c), c.credit_limit,
                           c.payment_days, opened(c.phone_enc), opened(c.address_enc),
                           opened(c.email_enc), _mask(opened(c.id_number_enc)))


@unit_of_work
def update(user: SessionUser, code: str, *, name: str | None = None,
           phone: str | None = None, address: str | None = None, email: str | None = None,
           id_number: str | None = None, group: str | None = None,
           price_list: str | None = None, credit_limit: Decimal | str | None = None,
           payment_days: int | None = None) -> None:
    """Change what is given (None: leave it). Credit needs `credit_limit`; the rest needs
    `export_customer_data` (whoever may see the data may correct it)."""
    permissions.check(user, "export_customer_data", reference=code)
    c = _row(code)
    changes: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise ValidationError(_("name: the customer needs a name"), field="name", value=name)
        changes["name"] = name.strip()[:100]
    if phone is not None:
        changes.update(parties.sealed_phone(phone))
    given = {"address_enc": address, "email_enc": email, "id_number_enc": id_number}
    sealed = _details(address or "", email or "", id_number or "")
    changes.update({k: v for k, v in sealed.items() if given[k] is not None})
    if group is not None:
        changes["group"] = parties.group_by_code(group)
    if price_list is not None:
        changes["price_list"] = parties.price_list_by_code(price_list)
    if credit_limit is not None:
        permissions.check(user, "credit_limit", reference=code)
        limit = parse_decimal(credit_limit, field="credit_limit")
        changes["credit_limit"] = limit
    if payment_days is not None:
        if not 0 <= payment_days <= 365:
            raise ValidationError(_("payment_days: '{value}' must be 0 to 365").format(
                value=payment_days), field="payment_days", value=payment_days)
        changes["payment_days"] = payment_days
    if changes:
        Customer.update(changes).where(Customer.id == c.id).execute()
        audit.record("customer_changed", {"customer": c.code, "fields": sorted(
            k.removesuffix("_enc") for k in changes if k != "phone_hash")},
            user_id=user.id, reference=c.code)
