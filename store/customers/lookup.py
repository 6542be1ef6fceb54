"""Finding a customer at the till: by member number, phone (through its keyed hash, the
phone itself is sealed) or name; their price list comes from them, their member tier or
their group."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN

from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.customers.parties import normalize_phone
from store.models import Customer, CustomerGroup, MemberTier
from store.security import crypto


@dataclass(frozen=True)
class CustomerView:
    id: int
    code: str
    name: str
    group: str
    price_list_id: int | None
    phone_hint: str  # the last four digits, never the whole number
    points: int = 0  # loyalty points (store.selling.points)
    tier: str = ""  # the member's tier's name

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _price_list(c: Customer) -> int | None:
    """Their own list, else their member tier's, else their group's."""
    group = c.group if c.group_id else None
    tier = c.tier if c.tier_id else None
    return (c.price_list_id or (tier.price_list_id if tier else None)
            or (group.price_list_id if group else None))


def _view(c: Customer) -> CustomerView:
    phone = crypto.unseal(c.phone_enc)
    group = c.group if c.group_id else None
    tier = c.tier if c.tier_id else None
    return CustomerView(c.id, c.code, c.name, group.code if group else "",
                        _price_list(c), f"…{phone[-4:]}" if phone else "", c.points,
                        tier.local_name if tier else "")


def _select():  # type: ignore[no-untyped-def]
    return (Customer.select(Customer, CustomerGroup, MemberTier)
            .join(CustomerGroup, JOIN.LEFT_OUTER).switch(Customer)
            .join(MemberTier, JOIN.LEFT_OUTER)
            .where(Customer.active == True))  # noqa: E712


def find(text: str, limit: int = 20) -> list[CustomerView]:
    """Member number (exact), then phone (exact, by its digits), then name (contains)."""
    text = text.strip()
    if not text:
        return []
    by_code = _select().where(Customer.code == text).first()
    if by_code is not None:
        return [_view(by_code)]
    if text.replace("-", "").replace(" ", "").lstrip("+").isdigit():
        digits = normalize_phone(text)
        rows = list(_select().where(Customer.phone_hash == crypto.blind_index(digits)))
        if rows:
            return [_view(c) for c in rows]
    like = f"%{text}%"
    return [_view(c) for c in _select().where(Customer.name ** like)
            .order_by(Customer.name).limit(limit)]


def price_list_of(customer_id: int) -> int | None:
    """The customer's own price list, else their group's (no personal data is opened)."""
    c = _select().where(Customer.id == customer_id).first()
    if c is None:
        raise NotFound(_("No customer {id}").format(id=customer_id))
    return _price_list(c)


def get(customer_id: int) -> CustomerView:
    c = _select().where(Customer.id == customer_id).first()
    if c is None:
        raise NotFound(_("No customer {id}").format(id=customer_id))
    return _view(c)


def one(who: str) -> CustomerView:
    """The single customer `who` (member number, phone or name) means, or a clear refusal."""
    found = find(who, limit=2)
    exact = [c for c in found if c.code == who.strip()] or found
    if len(exact) != 1:
        raise ValidationError(_("customer: no single customer '{value}'").format(
            value=who.strip()[:30]), field="customer", value=who.strip()[:30])
    return exact[0]
