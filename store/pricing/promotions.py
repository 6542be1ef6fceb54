"""Promotions: what they are, when they apply, and which win — the same at the till and on
sales orders.

Kinds:
- percent: P% off each unit of the products or categories it names;
- amount: A 元 off each unit (never below zero);
- buy_get: buy X get Y free — in each group of X + Y units (most expensive first) the Y
  cheapest are free;
- bundle: N units for P 元 (e.g. 3 for 10 元), grouped most expensive first, and only where
  the group costs more than P.
Each may be for members only (a customer is attached), and within dates, ISO weekdays
(1 Monday … 7 Sunday) and hours (from ≤ hour < to, the shop's local time).

Which win (deterministic, documented in docs/PROMOTIONS.md): a unit takes at most one
promotion. Of the promotions that apply, the one that takes the most off the units still
free is applied first (ties: higher priority, then code); then the next on what is left,
until none takes anything off. With the shop setting `promotion_rule = "priority"`, priority
decides first and the amount breaks ties. Units are considered in a canonical order (price,
product, quantity of the line, line), so the order lines were scanned in never changes the
result, and a line never goes below zero.

Evaluation is pure: `apply` reads no database, so the till re-prices the basket on every
scan without a query; the promotions are loaded once (`current`, cached for a few seconds)."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN

from store.catalog.products import get_product
from store.common import clock, settings
from store.core.db import database, unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import N_, _, current_language
from store.core.money import ZERO, parse_decimal, round_money
from store.models import Category, Product, Promotion, PromotionItem, PromotionShop, Shop
from store.security import audit, permissions, scope
from store.security.auth import SessionUser

KINDS = {"percent": N_("% off"), "amount": N_("amount off each"),
         "buy_get": N_("buy X get Y free"), "bundle": N_("bundle price")}
CENT = Decimal("0.01")
MAX_UNITS = 10_000  # units expanded for grouping kinds; a typo guard, far above any basket


@dataclass(frozen=True)
class Promo:
    """A promotion as evaluation sees it: plain values, loaded once."""

    id: int
    code: str
    name: str
    kind: str
    percent: Decimal = ZERO
    amount: Decimal = ZERO
    buy: int = 0
    get: int = 0
    bundle_qty: int = 0
    bundle_price: Decimal = ZERO
    members_only: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    weekdays: frozenset[int] = frozenset(range(1, 8))
    hour_from: int = 0
    hour_to: int = 24
    priority: int = 0
    products: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    shops: frozenset[int] = frozenset()  # where it runs; none: every shop

    def runs_at(self, shop: int | None) -> bool:
        return not self.shops or shop in self.shops

    def covers(self, item: Item) -> bool:
        return item.product_id in self.products or (
            item.category_id is not None and item.category_id in self.categories)

    def live(self, moment: dt.datetime, member: bool) -> bool:
        day = moment.date()
        return ((not self.members_only or member)
                and (self.starts_on is None or day >= self.starts_on)
                and (self.ends_on is None or day <= self.ends_on)
                and moment.isoweekday() in self.weekdays
                and self.hour_from <= moment.hour < self.hour_to)


@dataclass(frozen=True)
class Item:
    """A line as promotions see it. `whole`: sold by the piece (grouping kinds need that)."""

    key: int  # the caller's line index
    product_id: int
    category_id: int | None
    qty: Decimal
    unit_price: Decimal
    whole: bool = True


@dataclass(frozen=True)
class Share:
    key: int
    promo_id: int
    code: str
    name: str
    amount: Decimal


def apply(promos: Sequence[Promo], items: Sequence[Item], *, moment: dt.datetime,
          member: bool, rule: str = "best") -> list[Share]:
    """What each promotion takes off each line; Σ per line never exceeds the line."""
    items = sorted((i for i in items if i.qty > 0 and i.unit_price > 0),
                   # Two lines of one product at one price differ only in quantity: by it,
                   # not by where they stand, or which line takes a percentage's rounding
                   # would follow the order they were scanned in (a cent, found by a test).
                   key=lambda i: (-i.unit_price, i.product_id, -i.qty, i.key))
    left = {i.key: i.qty for i in items}  # line key → qty no promotion has taken yet
    candidates = [p for p in promos if p.live(moment, member)
                  and any(p.covers(i) for i in items)]
    shares: list[Share] = []
    while candidates:
        best: tuple[Any, ...] | None = None
        for p in candidates:
            off, used, per_key = _evaluate(p, [i for i in items if p.covers(i)], left)
            if off <= 0:
                continue
            rank = ((off, p.priority) if rule != "priority" else (p.priority, off))
            key = (*rank, _neg(p.code))
            if best is None or key > best[0]:
                best = (key, p, used, per_key)
        if best is None:
            break
        _key, p, used, per_key = best
        for k, q in used.items():
            left[k] -= q
        shares += [Share(k, p.id, p.code, p.name, a) for k, a in sorted(per_key.items()) if a]
        candidates.remove(p)
    return shares


def _neg(code: str) -> tuple[int, ...]:
    # Ties go to the alphabetically first code: compare negated code points.
    return tuple(-ord(c) for c in code)


def _units(items: list[Item], left: dict[int, Decimal]) -> list[tuple[Decimal, int]]:
    """(price, key) per whole unit still free, most expensive first (items come sorted)."""
    out: list[tuple[Decimal, int]] = []
    for i in items:
        if i.whole:
            whole_units = int(min(left[i.key], Decimal(MAX_UNITS)))
            out += [(i.unit_price, i.key)] * whole_units
    return out[:MAX_UNITS]


def _evaluate(p: Promo, items: list[Item], left: dict[int, Decimal]
              ) -> tuple[Decimal, dict[int, Decimal], dict[int, Decimal]]:
    """(total off, qty used per key, amount off per key) of one promotion on what is free."""
    used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    off: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if p.kind in ("percent", "amount"):
        for i in items:
            q = left[i.key]
            if q <= 0:
                continue
            each = (i.unit_price * p.percent / 100 if p.kind == "percent"
                    else min(p.amount, i.unit_price))
            off[i.key] = round_money(q * each)
            used[i.key] = q
    elif p.kind == "buy_get" and p.buy > 0 and p.get > 0:
        units, size = _units(items, left), p.buy + p.get
        for start in range(0, len(units) - size + 1, size):
            group = units[start:start + size]
            for _price, k in group:
                used[k] += 1
            for price, k in group[-p.get:]:  # the cheapest of the group are free
                off[k] += price
    elif p.kind == "bundle" and p.bundle_qty > 0:
        units, size = _units(items, left), p.bundle_qty
        for start in range(0, len(units) - size + 1, size):
            group = units[start:start + size]
            full = sum((price for price, _k in group), ZERO)
            if full <= p.bundle_price:
                continue
            _spread(full - p.bundle_price, group, off)
            for _price, k in group:
                used[k] += 1
    total = sum(off.values(), ZERO)
    return total, dict(used), dict(off)


def _spread(amount: Decimal, group: list[tuple[Decimal, int]], off: dict[int, Decimal]) -> None:
    """A group's discount over its units by price, to the cent; the dearest takes the odd
    cents (never more than its price)."""
    full = sum((price for price, _k in group), ZERO)
    parts = [round_money(amount * price / full) for price, _k in group]
    parts[0] += amount - sum(parts, ZERO)
    for (_price, k), part in zip(group, parts, strict=True):
        off[k] += part


def per_line(shares: Sequence[Share]) -> dict[int, list[Share]]:
    out: dict[int, list[Share]] = defaultdict(list)
    for s in shares:
        out[s.key].append(s)
    return dict(out)


# -- loading -------------------------------------------------------------------------------

_cache: tuple[float, str, object, tuple[Promo, ...]] | None = None
TTL = 5.0  # seconds a till keeps the promotions before asking again


def current(*, fresh: bool = False, on: dt.date | None = None) -> tuple[Promo, ...]:
    """The active promotions (not past their end date), names in the interface language;
    `on`: not ended by that day (an offline till's sale, judged by the day it was sold)."""
    global _cache
    lang, db = current_language(), database.obj  # another database: another shop's promotions
    now = time.monotonic()
    if (not fresh and on is None and _cache is not None and now - _cache[0] < TTL
            and _cache[1] == lang and _cache[2] is db):
        return _cache[3]
    today = clock.local_today() if on is None else on
    rows = list(Promotion.select().where(Promotion.active & (Promotion.ends_on.is_null()
                                                             | (Promotion.ends_on >= today))))
    items: dict[int, tuple[set[int], set[int]]] = {r.id: (set(), set()) for r in rows}
    for it in PromotionItem.select().where(PromotionItem.promotion.in_(list(items))):
        products, categories = items[it.promotion_id]
        if it.product_id is not None:
            products.add(it.product_id)
        if it.category_id is not None:
            categories.add(it.category_id)
    shops: dict[int, set[int]] = {r.id: set() for r in rows}
    for ps in PromotionShop.select().where(PromotionShop.promotion.in_(list(shops))):
        shops[ps.promotion_id].add(ps.shop_id)
    out = tuple(_promo(r, *items[r.id], shops[r.id], en=lang == "en") for r in rows)
    if on is None:
        _cache = (now, lang, db, out)
    return out


def at_shop(promos: Sequence[Promo], shop: int | None) -> tuple[Promo, ...]:
    """Those that run at `shop` (None: a sale of no shop — those of every shop)."""
    return tuple(p for p in promos if p.runs_at(shop))


def for_basket(shop: int | None = None) -> tuple[tuple[Promo, ...], str]:
    """The promotions (those running at the till's shop) and the rule a new basket starts
    with. With the database away the till keeps selling on what it last read (the sale
    itself checks them again)."""
    try:
        return at_shop(current(), shop), rule()
    except Exception:  # the database is gone: sell without news, never fail a new basket
        return at_shop(_cache[3] if _cache is not None else (), shop), "best"


def forget() -> None:
    global _cache
    _cache = None


def _promo(r: Promotion, products: set[int], categories: set[int], shops: set[int], *,
           en: bool = False) -> Promo:
    return Promo(r.id, r.code, r.name_en if en and r.name_en else r.name, r.kind,
                 Decimal(r.percent_bp) / 100, r.amount, r.buy_qty, r.get_qty, r.bundle_qty,
                 r.bundle_price, r.members_only, r.starts_on, r.ends_on,
                 frozenset(int(c) for c in r.weekdays if c in "1234567"), r.hour_from,
                 r.hour_to, r.priority, frozenset(products), frozenset(categories),
                 frozenset(shops))


def rule() -> str:
    """"best" (the most off first) or "priority" (the shop's order first)."""
    value = settings.read("promotion_rule", "best")
    return value if value in ("best", "priority") else "best"


@unit_of_work
def set_rule(user: SessionUser, value: str) -> None:
    permissions.check(user, "change_settings", reference="promotion_rule")
    if value not in ("best", "priority"):
        raise _err(_("rule: '{value}' is not best or priority").format(value=value), "rule",
                   value)
    settings.write("promotion_rule", value)
    audit.record("setting_change", {"promotion_rule": value}, user_id=user.id)
    forget()


# -- managing ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PromotionInput:
    code: str
    name: str
    kind: str
    value: str = ""  # percent: "20"; amount: "1.50"; bundle: the price "10"
    buy: int = 0
    get: int = 0
    bundle_qty: int = 0
    skus: Sequence[str] = ()
    categories: Sequence[str] = ()
    name_en: str = ""
    members_only: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    weekdays: str = "1234567"
    hours: tuple[int, int] = (0, 24)
    priority: int = 0
    shops: Sequence[str] = ()  # shop codes it runs at; none: every shop


@dataclass(frozen=True)
class PromotionRow:
    code: str
    name: str
    kind: str
    terms: str  # "20%", "买2送1", "3 for 10.00"
    scope: str  # the SKUs and categories
    window: str  # dates, weekdays, hours
    members_only: bool
    active: bool
    priority: int
    shops: str = ""  # the codes of the shops it runs at; "": every shop


def _err(message: str, field_name: str, value: object) -> ValidationError:
    return ValidationError(message, field=field_name, value=value)


def _check(data: PromotionInput) -> dict[str, Any]:
    code, name = data.code.strip(), data.name.strip()
    if not code or len(code) > 32:
        raise _err(_("code: give one of at most 32 characters"), "code", data.code)
    if not name:
        raise _err(_("name: say what the receipt should call it"), "name", data.name)
    if data.kind not in KINDS:
        raise _err(_("kind: '{value}' is not one of {kinds}").format(
            value=data.kind, kinds=", ".join(KINDS)), "kind", data.kind)
    row: dict[str, Any] = {"code": code, "name": name[:100], "name_en": data.name_en[:100],
                           "kind": data.kind, "members_only": data.members_only,
                           "starts_on": data.starts_on, "ends_on": data.ends_on,
                           "priority": data.priority}
    if data.kind == "percent":
        pct = parse_decimal(data.value, field="percent")
        if not ZERO < pct <= 100:
            raise _err(_("percent: '{value}' must be above 0 and at most 100").format(
                value=pct), "percent", pct)
        row["percent_bp"] = int(pct * 100)
    elif data.kind == "amount":
        amount = parse_decimal(data.value, field="amount")
        if amount <= 0:
            raise _err(_("amount: '{value}' must be greater than zero").format(value=amount),
                       "amount", amount)
        row["amount"] = amount
    elif data.kind == "buy_get":
        if data.buy < 1 or data.get < 1:
            raise _err(_("buy X get Y: both must be at least 1"), "buy", (data.buy, data.get))
        row.update(buy_qty=data.buy, get_qty=data.get)
    else:
        price = parse_decimal(data.value, field="price")
        if data.bundle_qty < 2:
            raise _err(_("bundle: at least 2 units"), "bundle_qty", data.bundle_qty)
        row.update(bundle_qty=data.bundle_qty, bundle_price=price)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise _err(_("dates: it ends before it starts"), "ends_on", data.ends_on)
    days = "".join(sorted(set(data.weekdays)))
    if not days or any(c not in "1234567" for c in days):
        raise _err(_("weekdays: '{value}' must be digits 1 (Monday) to 7 (Sunday)").format(
            value=data.weekdays), "weekdays", data.weekdays)
    start, end = data.hours
    if not 0 <= start < end <= 24:
        raise _err(_("hours: {start}-{end} must be within 0-24, from before to").format(
            start=start, end=end), "hours", data.hours)
    row.update(weekdays=days, hour_from=start, hour_to=end)
    if not data.skus and not data.categories:
        raise _err(_("a promotion needs at least one product or category"), "items", None)
    return row


@unit_of_work
def create(user: SessionUser, data: PromotionInput) -> PromotionRow:
    permissions.check(user, "manage_promotions", reference=data.code)
    row = _check(data)
    if Promotion.get_or_none(Promotion.code == row["code"]) is not None:
        raise _err(_("code: '{value}' is taken").format(value=row["code"]), "code", row["code"])
    products = []
    for sku in data.skus:
        p = get_product(sku)
        products.append(p.id)
    categories = []
    for code in data.categories:
        c = Category.get_or_none(Category.code == code.strip())
        if c is None:
            raise NotFound(_("No category '{code}'").format(code=code))
        categories.append(c.id)
    shops = _shops(user, data.shops)
    promo = Promotion.create(created_by=user.id, **row)
    PromotionShop.insert_many([{"promotion": promo.id, "shop": s} for s in shops]).execute()
    PromotionItem.insert_many([{"promotion": promo.id, "product": p, "category": None}
                               for p in products]
                              + [{"promotion": promo.id, "product": None, "category": c}
                                 for c in categories]).execute()
    audit.record("promotion", {"code": promo.code, "kind": promo.kind, "action": "create",
                               "shops": sorted({c.strip().upper() for c in data.shops
                                                if c.strip()})},
                 user_id=user.id, reference=promo.code)
    forget()
    return promotions(code=promo.code)[0]


def _shops(user: SessionUser, codes: Sequence[str]) -> list[int]:
    """The shops named, each one the user works for; none named: every shop, which a user
    of some shops only may not decide."""
    ids: list[int] = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        shop = Shop.get_or_none(Shop.code == code)
        if shop is None:
            raise NotFound(_("No shop '{code}'").format(code=code))
        ids.append(shop.id)
    _check_shops(user, ids)
    return ids


def _check_shops(user: SessionUser, ids: list[int]) -> None:
    """A promotion of these shops (none: of every shop) is for someone who works there."""
    every: list[int | None] = [None]
    for shop_id in ids or every:
        scope.check_shop(user, shop_id, doing="promotion")


@unit_of_work
def set_active(user: SessionUser, code: str, active: bool) -> None:
    """End a promotion or run it again: a promotion of some shops by someone of those shops,
    one of every shop by someone of every shop."""
    permissions.check(user, "manage_promotions", reference=code)
    promo = Promotion.get_or_none(Promotion.code == code.strip())
    if promo is None:
        raise NotFound(_("No promotion '{code}'").format(code=code))
    _check_shops(user, [ps.shop_id for ps in PromotionShop.select().where(
        PromotionShop.promotion == promo.id)])
    Promotion.update(active=active).where(Promotion.id == promo.id).execute()
    audit.record("promotion", {"code": code, "action": "start" if active else "end"},
                 user_id=user.id, reference=code)
    forget()


def terms(r: Promotion) -> str:
    if r.kind == "percent":
        # 1000 basis points read "10%", 1250 "12.5%" (normalize: never strip the 0 of 10).
        return _("{percent}% off").format(
            percent=format(Decimal(r.percent_bp).scaleb(-2).normalize(), "f"))
    if r.kind == "amount":
        return _("{amount} off each").format(amount=f"{r.amount:.2f}")
    if r.kind == "buy_get":
        return _("buy {buy} get {get}").format(buy=r.buy_qty, get=r.get_qty)
    return _("{n} for {price}").format(n=r.bundle_qty, price=f"{r.bundle_price:.2f}")


def _window(r: Promotion) -> str:
    parts = []
    if r.starts_on or r.ends_on:
        parts.append(f"{r.starts_on or ''}…{r.ends_on or ''}")
    if r.weekdays != "1234567":
        parts.append(_("days {days}").format(days=r.weekdays))
    if (r.hour_from, r.hour_to) != (0, 24):
        parts.append(f"{r.hour_from:02d}-{r.hour_to:02d}h")
    return " ".join(parts) or _("always")


def promotions(*, code: str = "", include_inactive: bool = True) -> list[PromotionRow]:
    q = Promotion.select().order_by(Promotion.code)  # a row stays put when it ends
    if code:
        q = q.where(Promotion.code == code)
    if not include_inactive:
        q = q.where(Promotion.active)
    rows = list(q)
    scope: dict[int, list[str]] = defaultdict(list)
    shops: dict[int, list[str]] = defaultdict(list)
    named: Any = (PromotionShop.select(PromotionShop.promotion, Shop.code).join(Shop)
                  .where(PromotionShop.promotion.in_([r.id for r in rows]))
                  .order_by(Shop.code).tuples())
    for promotion_id, shop_code in named:
        shops[promotion_id].append(shop_code)
    for it in (PromotionItem.select(PromotionItem, Product, Category)
               .join(Product, on=(PromotionItem.product == Product.id), join_type=JOIN.LEFT_OUTER)
               .switch(PromotionItem)
               .join(Category, on=(PromotionItem.category == Category.id),
                     join_type=JOIN.LEFT_OUTER)
               .where(PromotionItem.promotion.in_([r.id for r in rows]))):
        if it.product is not None:
            scope[it.promotion_id].append(it.product.sku)
        elif it.category is not None:
            scope[it.promotion_id].append(f"[{it.category.code}]")
    return [PromotionRow(r.code, r.name, r.kind, terms(r), ", ".join(sorted(scope[r.id])),
                         _window(r), r.members_only, r.active, r.priority,
                         ", ".join(shops[r.id])) for r in rows]
