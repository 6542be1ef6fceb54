"""Price lists at the till: a customer's list re-prices the basket.

A list holds rules: a fixed price for a product from a quantity on (quantity breaks), and a
percentage off a whole category. For a line, the most specific rule wins — the product's own
price at the highest break its quantity reaches, else its category's percentage — and a list
never raises a price above the shelf price. The rules are read once when the customer is
attached, so a scan costs no extra query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import JOIN

from store.catalog.products import find_product, get_product
from store.catalog.search import ProductHit
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.money import QTY_PLACES, parse_decimal, round_money
from store.models import Category, PriceList, PriceListItem, Product
from store.security import audit, permissions
from store.security.auth import SessionUser


@dataclass(frozen=True)
class PriceRules:
    price_list_id: int | None = None
    name: str = ""
    # product id → [(min qty, price)], highest break first
    product_prices: dict[int, list[tuple[Decimal, Decimal]]] = field(default_factory=dict)
    category_off: dict[int, Decimal] = field(default_factory=dict)  # category id → percent

    def price(self, product: ProductHit, qty: Decimal) -> Decimal:
        shelf = product.price
        for min_qty, price in self.product_prices.get(product.id, ()):
            if abs(qty) >= min_qty:
                return min(price, shelf)
        off = self.category_off.get(product.category_id or 0)
        if off:
            return round_money(shelf * (100 - off) / 100)
        return shelf

    @classmethod
    def of(cls, price_list_id: int | None, name: str,
           product_breaks: Iterable[tuple[int, Decimal, Decimal]],
           category_off: dict[int, Decimal]) -> PriceRules:
        """Rules from (product id, from qty, price) in any order: each product's breaks are
        kept highest first, so the first one a quantity reaches is the one that applies."""
        prices: dict[int, list[tuple[Decimal, Decimal]]] = {}
        for pid, min_qty, price in product_breaks:
            prices.setdefault(pid, []).append((min_qty, price))
        for breaks in prices.values():
            breaks.sort(reverse=True)
        return cls(price_list_id, name, prices, dict(category_off))


NO_RULES = PriceRules()


def rules_for(price_list_id: int | None) -> PriceRules:
    if price_list_id is None:
        return NO_RULES
    pl = PriceList.get_or_none(PriceList.id == price_list_id)
    if pl is None or not pl.active:
        return NO_RULES
    breaks: list[tuple[int, Decimal, Decimal]] = []
    off: dict[int, Decimal] = {}
    for item in PriceListItem.select().where(PriceListItem.price_list == pl.id):
        if item.product_id is not None and item.price is not None:
            breaks.append((item.product_id, item.min_qty, item.price))
        elif item.category_id is not None and item.percent_off is not None:
            off[item.category_id] = Decimal(item.percent_off) / 100
    return PriceRules.of(pl.id, pl.name, breaks, off)


@unit_of_work
def set_product_price(user: SessionUser, price_list: str, sku: str, price: Decimal | str,
                      min_qty: Decimal | str = Decimal(1)) -> None:
    """A fixed price for a product on a list (from `min_qty` on); replaces the same break."""
    permissions.check(user, "manage_prices", reference=price_list)
    pl = _list(price_list)
    product = get_product(sku)
    amount = parse_decimal(price, field="price")
    qty = parse_decimal(min_qty, field="min_qty", places=QTY_PLACES)
    if qty <= 0:
        raise ValidationError(_("min_qty: '{value}' must be greater than zero").format(
            value=qty), field="min_qty", value=qty)
    (PriceListItem.delete().where((PriceListItem.price_list == pl.id)
                                  & (PriceListItem.product == product.id)
                                  & (PriceListItem.min_qty == qty)).execute())
    PriceListItem.create(price_list=pl.id, product=product.id, min_qty=qty, price=amount)
    audit.record("price_list_changed", {"list": pl.code, "sku": product.sku,
                                        "min_qty": audit.minor(qty, QTY_PLACES),
                                        "price": audit.minor(amount)},
                 user_id=user.id, reference=pl.code)


@unit_of_work
def set_category_discount(user: SessionUser, price_list: str, category: str,
                          percent: Decimal | str) -> None:
    permissions.check(user, "manage_prices", reference=price_list)
    pl = _list(price_list)
    cat = Category.get_or_none(Category.code == category)
    if cat is None:
        raise NotFound(_("No category '{code}'").format(code=category))
    pct = parse_decimal(percent, field="percent")
    if not Decimal(0) < pct <= Decimal(100):
        raise ValidationError(_("percent: '{value}' must be above 0 and at most 100").format(
            value=pct), field="percent", value=pct)
    (PriceListItem.delete().where((PriceListItem.price_list == pl.id)
                                  & (PriceListItem.category == cat.id)).execute())
    PriceListItem.create(price_list=pl.id, category=cat.id, percent_off=int(pct * 100))
    audit.record("price_list_changed", {"list": pl.code, "category": cat.code,
                                        "percent_bp": int(pct * 100)},
                 user_id=user.id, reference=pl.code)


def _list(code: str) -> PriceList:
    pl = PriceList.get_or_none(PriceList.code == code)
    if pl is None:
        raise NotFound(_("No price list '{code}'").format(code=code))
    return pl


@dataclass(frozen=True)
class ListRow:
    code: str
    name: str
    rules: int
    customers: int  # who use it, directly or through their group


@dataclass(frozen=True)
class RuleRow:
    target: str  # a SKU, or [CATEGORY]
    name: str
    min_qty: Decimal | None
    price: Decimal | None
    percent_off: Decimal | None


def price_lists() -> list[ListRow]:
    from peewee import fn

    from store.models import Customer, CustomerGroup

    out = []
    for pl in PriceList.select().order_by(PriceList.code):
        rules = PriceListItem.select().where(PriceListItem.price_list == pl.id).count()
        groups = [g.id for g in CustomerGroup.select().where(CustomerGroup.price_list == pl.id)]
        users = (Customer.select(fn.COUNT(Customer.id))
                 .where((Customer.price_list == pl.id) | Customer.group.in_(groups)).scalar())
        out.append(ListRow(pl.code, pl.name, rules, int(users or 0)))
    return out


def rules_of(code: str) -> list[RuleRow]:
    pl = _list(code)
    out = []
    for it in (PriceListItem.select(PriceListItem, Product, Category)
               .join(Product, JOIN.LEFT_OUTER).switch(PriceListItem)
               .join(Category, JOIN.LEFT_OUTER).where(PriceListItem.price_list == pl.id)):
        if it.product is not None:
            out.append(RuleRow(it.product.sku, it.product.local_name, it.min_qty, it.price, None))
        elif it.category is not None:
            out.append(RuleRow(f"[{it.category.code}]", it.category.name, None, None,
                               Decimal(it.percent_off or 0) / 100))
    return sorted(out, key=lambda r: (r.target, r.min_qty or 0))


@unit_of_work
def remove_rule(user: SessionUser, code: str, target: str,
                min_qty: Decimal | str = Decimal(1)) -> None:
    """Take a product's price (at that break) or a category's percentage off the list."""
    permissions.check(user, "manage_prices", reference=code)
    pl = _list(code)
    t = target.strip()
    if t.startswith("[") and t.endswith("]"):
        cat = Category.get_or_none(Category.code == t[1:-1])
        where = PriceListItem.category == (cat.id if cat else -1)
    else:
        product = find_product(t)
        qty = parse_decimal(min_qty, field="min_qty", places=QTY_PLACES)
        where = ((PriceListItem.product == (product.id if product else -1))
                 & (PriceListItem.min_qty == qty))
    if not PriceListItem.delete().where((PriceListItem.price_list == pl.id) & where).execute():
        raise NotFound(_("No rule for '{target}' on {code}").format(target=t, code=code))
    audit.record("price_list_rule_removed", {"list": pl.code, "target": t},
                 user_id=user.id, reference=pl.code)
