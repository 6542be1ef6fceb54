"""A bulk price change: every product of a category (with its subcategories) or of a supplier,
up or down by a percentage or an amount, rounded to a step, previewed before it is applied.
Applying recomputes the same plan in its own transaction, so what is written is what the
preview would show at that moment; each new price goes into the price history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import fn

from store.catalog.products import find_category
from store.common import bounds
from store.core.db import bulk_insert, bulk_update, unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.money import CENT, MONEY_PLACES, parse_decimal
from store.models import Category, PriceChange, Product, Supplier, SupplierProduct, utcnow
from store.security import audit, permissions
from store.security.auth import SessionUser


@dataclass(frozen=True)
class Rule:
    """Which products and how: exactly one of category/supplier, one of percent/amount."""

    category: str | None = None
    supplier: str | None = None
    percent: Decimal | str | None = None  # +5 raises by 5%, -10 lowers by 10%
    amount: Decimal | str | None = None  # +0.50 or -0.50 yuan
    round_to: Decimal | str = CENT  # the step the new price is rounded to (0.10 = 1 角)


@dataclass(frozen=True)
class Repriced:
    product_id: int
    sku: str
    name: str
    old_price: Decimal
    new_price: Decimal


def preview(rule: Rule) -> list[Repriced]:
    """The products the rule changes, with their new prices; nothing is written."""
    percent, amount, step = _checked(rule)
    out = []
    for p in _products(rule).order_by(Product.sku):
        new = _new_price(p.price, percent, amount, step, p.sku)
        if new != p.price:
            out.append(Repriced(p.id, p.sku, p.local_name, p.price, new))
    return out


@unit_of_work
def apply(actor: SessionUser, rule: Rule) -> list[Repriced]:
    """Write the rule's new prices (`manage_prices`): one update per product in bulk, the
    price history and an audit event for each, and one for the change as a whole."""
    what = rule.category or rule.supplier or ""
    permissions.check(actor, "manage_prices", reference=what[:64])
    changes = preview(rule)
    if not changes:
        return changes
    note = _describe(rule)
    now = utcnow()
    bulk_update(Product, [{"price": c.new_price, "updated_at": now, "id": c.product_id}
                          for c in changes])
    bulk_insert(PriceChange, [{"product": c.product_id, "old_price": c.old_price,
                               "new_price": c.new_price, "user": actor.id, "source": "bulk",
                               "note": note[:200], "created_at": now}
                              for c in changes])
    audit.record_many([("price_changed", {"sku": c.sku, "price": audit.minor(c.new_price),
                                          "before": audit.minor(c.old_price)}, c.sku)
                       for c in changes], user_id=actor.id)
    audit.record("prices_changed", {"rule": note, "products": len(changes)},
                 user_id=actor.id, reference=what[:64])
    return changes


def _describe(rule: Rule) -> str:
    """The rule in words of no language, for the price history's note and the audit chain:
    '饮料 +5% →0.10', 'S001 -0.50'. (A note is stored, so it is read in any language.)"""
    percent, amount, step = _checked(rule)  # as typed ('￥0.50', '5'), now numbers
    scope = rule.category if rule.category is not None else rule.supplier
    change = f"{percent.normalize():+f}%" if percent is not None else f"{amount:+}"
    return f"{scope} {change}" + (f" →{step}" if step != CENT else "")


def _checked(rule: Rule) -> tuple[Decimal | None, Decimal | None, Decimal]:
    if (rule.category is None) == (rule.supplier is None):
        raise ValidationError(_("Give a category or a supplier (one of them)"), field="scope",
                              value="")
    if (rule.percent is None) == (rule.amount is None):
        raise ValidationError(_("Give a percentage or an amount (one of them)"),
                              field="change", value="")
    percent = (parse_decimal(rule.percent, field="percent", places=2, allow_negative=True)
               if rule.percent is not None else None)
    if percent is not None and not Decimal(-100) < percent <= Decimal(1000):
        raise ValidationError(_("percent: '{value}' must be above -100 and at most 1000").format(
            value=rule.percent), field="percent", value=rule.percent)
    amount = (parse_decimal(rule.amount, field="amount", places=MONEY_PLACES,
                            allow_negative=True) if rule.amount is not None else None)
    step = parse_decimal(rule.round_to, field="round_to", places=MONEY_PLACES)
    if step <= 0:
        raise ValidationError(_("round_to: '{value}' must be more than zero").format(
            value=rule.round_to), field="round_to", value=rule.round_to)
    return percent, amount, step


def _new_price(old: Decimal, percent: Decimal | None, amount: Decimal | None, step: Decimal,
               sku: str) -> Decimal:
    raw = old * (1 + percent / 100) if percent is not None else old + (amount or Decimal(0))
    new = (raw / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    new = new.quantize(CENT)
    if new <= 0:
        raise ValidationError(
            _("{sku}: the new price {price} would be zero or less").format(sku=sku, price=new),
            field="price", value=str(new))
    try:
        return bounds.check_price(new)
    except ValidationError as err:
        raise ValidationError(f"{sku}: {err.message}", field="price", value=str(new)) from None


def _products(rule: Rule) -> Any:
    query = Product.select().where(Product.active == True)  # noqa: E712
    if rule.category is not None:
        top = find_category(rule.category)
        if top is None:
            raise NotFound(_("No category '{code}'").format(code=rule.category),
                           field="category")
        return query.where(Product.category.in_(_with_descendants(top.id)))
    supplier = Supplier.get_or_none(fn.UPPER(Supplier.code) == str(rule.supplier).upper())
    if supplier is None:
        raise NotFound(_("No supplier '{code}'").format(code=rule.supplier), field="supplier")
    return query.where(Product.id.in_(SupplierProduct.select(SupplierProduct.product)
                                      .where(SupplierProduct.supplier == supplier.id)))


def _with_descendants(root: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    rows: Any = Category.select(Category.id, Category.parent).tuples()
    for cid, parent in list(rows):
        children.setdefault(parent, []).append(cid)
    out, todo = [], [root]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out
