"""Members' loyalty points (积分): earned on what they buy, spent at the till, lapsing by rule.

- **Earning**: a points rule gives points per 元 on everything, a category, a product or a
  promotion's lines (the most specific wins: promotion, then product, then category, then
  everything; a rate of 0 excludes). The member's tier scales it (金卡 150 %). What was paid
  with points earns none. Points are whole: a sale's total is rounded down.
- **The books**: a point is worth the programme's value (100 points = 1 元 by default). Earned
  points defer that much revenue until they are spent or lapse (Dr 6001, Cr 2204 合同负债-积分),
  so 2204 always equals the points outstanding times the value. Spent, the POINTS tender
  posts to 2204 like any tender; lapsed, they become revenue again (Dr 2204, Cr 6001).
- **Returns** take back the points the returned goods earned (in proportion, at most what
  the member still has); points a sale was paid with go back as new points.
- **Lapsing**: points lapse after the programme's months (0: never), the first to lapse are
  spent first; the nightly job takes them off.
- **Tiers**: a member's tier follows what they have spent here (net of returns): the highest
  tier whose threshold it reaches. A tier may carry a price list, used when the member has
  none of their own.

The member's balance (`Customer.points`) is the sum of their moves and the sum of what the
incoming moves have `remaining`, all changed in one transaction by guarded UPDATEs: two tills
spending one member's points at once cannot take more than they have."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Case, fn

from store.books import ledger
from store.books.ledger import Posting
from store.common import clock, settings
from store.common.kept import Kept
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_money, parse_decimal
from store.customers import lookup
from store.models import (
    Category,
    Customer,
    MemberTier,
    PointsMove,
    PointsRule,
    PriceList,
    Product,
    Promotion,
    Sale,
    TenderType,
    User,
)
from store.security import audit, permissions
from store.security.auth import SessionUser

KEY = "points"
DEFAULT_VALUE, DEFAULT_MONTHS = Decimal("0.01"), 24
KINDS = {"earn": N_("earned"), "redeem": N_("spent"), "refund": N_("given back"),
         "reverse": N_("taken back (return)"), "expire": N_("lapsed"),
         "adjust": N_("adjusted")}
INCOMING = ("earn", "refund", "adjust")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Programme:
    value: Decimal  # what one point pays for
    months: int  # points lapse this many months after they were earned; 0: never


@dataclass(frozen=True)
class RuleView:
    target: str  # "", "category:FOOD", "product:SKU", "promotion:CODE"
    name: str
    rate: Decimal  # points per 元; 0 excludes


@dataclass(frozen=True)
class TierView:
    code: str
    name: str
    name_en: str
    threshold: Decimal
    earn_pct: int
    price_list: str
    members: int


@dataclass(frozen=True)
class MemberView:
    code: str
    name: str
    tier: str
    points: int
    worth: Decimal
    spent: Decimal
    next_tier: str  # "" at the top
    to_next: Decimal  # spending still needed for it
    lapsing: int  # points lapsing within LAPSE_WARNING days
    lapsing_on: dt.date | None


@dataclass(frozen=True)
class MoveView:
    at: dt.datetime
    kind: str
    number: str
    points: int
    balance: int  # after this move
    expires_on: dt.date | None
    user: str


LAPSE_WARNING = 30


# -- the programme ------------------------------------------------------------------------

def programme() -> Programme:
    raw = settings.read(KEY, {})
    return Programme(Decimal(raw.get("value", str(DEFAULT_VALUE))),
                     int(raw.get("months", DEFAULT_MONTHS)))


def outstanding() -> int:
    """Points the members hold between them."""
    return int(Customer.select(fn.COALESCE(fn.SUM(Customer.points), 0)).scalar() or 0)


@unit_of_work
def set_programme(user: SessionUser, *, value: Decimal | str | None = None,
                  months: int | str | None = None) -> Programme:
    """What a point is worth (0.01 to 1 元, whole 分) and after how many months points lapse
    (0 to 120; 0: never). The value cannot change while members hold points: what is owed
    to them (2204) was booked at the old value."""
    permissions.check(user, "manage_promotions", reference="points")
    now = programme()
    worth = now.value
    if value is not None:
        worth = parse_decimal(value, field="value")
        if not Decimal("0.01") <= worth <= Decimal(1):
            raise ValidationError(_("value: '{value}' must be from 0.01 to 1 (元 a point)")
                                  .format(value=worth), field="value", value=worth)
        if worth != now.value and outstanding():
            raise StoreError(_("Members hold {points} points booked at {value} each: the "
                               "value of a point cannot change while they do").format(
                points=f"{outstanding():,}", value=now.value))
    lapse = now.months
    if months is not None:
        lapse = text.whole(str(months), field="months", lowest=0, highest=120)
    settings.write(KEY, {"value": str(worth), "months": lapse})
    audit.record("points_programme", {"value": audit.minor(worth), "months": lapse},
                 user_id=user.id, reference="points")
    return Programme(worth, lapse)


def _points_tender() -> TenderType | None:
    return TenderType.get_or_none(TenderType.kind == "points")


@unit_of_work
def set_rule(user: SessionUser, rate: Decimal | str, *, category: str = "", sku: str = "",
             promotion: str = "") -> RuleView:
    """Points per 元 (up to 100, two places) on everything, or on one category, product or
    promotion's lines (one of them); 0 excludes them. Replaces that target's rule. The first
    rule turns the POINTS tender on."""
    permissions.check(user, "manage_promotions", reference="points")
    given = [x for x in (category, sku, promotion) if x.strip()]
    if len(given) > 1:
        raise ValidationError(_("Give one of category, product or promotion, not several"),
                              field="target", value=" ".join(given))
    per = parse_decimal(rate, field="rate")
    if not ZERO <= per <= HUNDRED:
        raise ValidationError(_("rate: '{value}' must be from 0 to 100 points a 元").format(
            value=per), field="rate", value=per)
    where, target = _target(category, sku, promotion)
    PointsRule.delete().where(where).execute()
    row = PointsRule.create(rate=int(per * 100), **target)
    tender = _points_tender()
    if tender is not None and not tender.active:
        TenderType.update(active=True).where(TenderType.id == tender.id).execute()
    _rules.forget()
    view = _rule_view(row)
    audit.record("points_rule", {"target": view.target, "rate": int(per * 100)},
                 user_id=user.id, reference="points")
    return view


@unit_of_work
def remove_rule(user: SessionUser, *, category: str = "", sku: str = "",
                promotion: str = "") -> None:
    permissions.check(user, "manage_promotions", reference="points")
    where, _target_ids = _target(category, sku, promotion)
    if not PointsRule.delete().where(where).execute():
        raise NotFound(_("No points rule for that"))
    _rules.forget()
    audit.record("points_rule", {"target": category or sku or promotion, "removed": 1},
                 user_id=user.id, reference="points")


def _target(category: str, sku: str, promotion: str) -> tuple[Any, dict[str, int | None]]:
    ids: dict[str, int | None] = {"category": None, "product": None, "promotion": None}
    if category.strip():
        cat = Category.get_or_none(Category.code == category.strip())
        if cat is None:
            raise NotFound(_("No category '{code}'").format(code=category.strip()[:40]))
        ids["category"] = cat.id
    elif sku.strip():
        product = Product.get_or_none(Product.sku == sku.strip())
        if product is None:
            raise NotFound(_("No product '{sku}'").format(sku=sku.strip()[:40]))
        ids["product"] = product.id
    elif promotion.strip():
        promo = Promotion.get_or_none(Promotion.code == promotion.strip())
        if promo is None:
            raise NotFound(_("No promotion '{code}'").format(code=promotion.strip()[:40]))
        ids["promotion"] = promo.id
    where = True
    for name, value in ids.items():
        column = getattr(PointsRule, name)
        where = where & (column.is_null() if value is None else column == value)
    return where, ids


def _rule_view(r: PointsRule) -> RuleView:
    if r.promotion_id:
        promo = Promotion.get_by_id(r.promotion_id)
        target, name = f"promotion:{promo.code}", promo.name
    elif r.product_id:
        product = Product.get_by_id(r.product_id)
        target, name = f"product:{product.sku}", product.name
    elif r.category_id:
        cat = Category.get_by_id(r.category_id)
        target, name = f"category:{cat.code}", cat.name
    else:
        target, name = "", _("Everything")
    return RuleView(target, name, Decimal(r.rate) / 100)


def rules() -> list[RuleView]:
    return [_rule_view(r) for r in PointsRule.select().order_by(PointsRule.id)]


# -- tiers --------------------------------------------------------------------------------

@unit_of_work
def set_tier(user: SessionUser, code: str, name: str, threshold: Decimal | str, *,
             name_en: str = "", earn_pct: int | str = 100, price_list: str = "") -> TierView:
    """A tier reached at `threshold` spent (0: every member), earning `earn_pct` % of the
    rules' points (0 to 1000), with an optional price list. Every member is re-tiered."""
    permissions.check(user, "manage_promotions", reference=code.strip()[:20])
    key = text.code(code, field="code")
    label = text.name(name, longest=100)
    english = text.short(name_en, field="name_en", longest=100)
    least = parse_decimal(threshold, field="threshold")
    if least < 0:
        raise ValidationError(_("threshold: '{value}' cannot be below zero").format(
            value=least), field="threshold", value=least)
    pct = text.whole(str(earn_pct), field="earn_pct", lowest=0, highest=1000)
    plist = None
    if price_list.strip():
        plist = PriceList.get_or_none(PriceList.code == price_list.strip())
        if plist is None:
            raise NotFound(_("No price list '{code}'").format(code=price_list.strip()[:20]))
    clash = MemberTier.get_or_none((MemberTier.threshold == least) & (MemberTier.code != key))
    if clash is not None:
        raise ValidationError(_("threshold: tier {code} already starts at {value}").format(
            code=clash.code, value=format_money(least)), field="threshold", value=least)
    fields = dict(name=label, name_en=english, threshold=least, earn_pct=pct,
                  price_list=plist.id if plist else None)
    if not MemberTier.update(**fields).where(MemberTier.code == key).execute():
        MemberTier.create(code=key, **fields)
    _rules.forget()
    retier()
    audit.record("member_tier", {"code": key, "threshold": audit.minor(least),
                                 "earn_pct": pct, "price_list": plist.code if plist else ""},
                 user_id=user.id, reference=key)
    return next(t for t in tiers() if t.code == key)


@unit_of_work
def remove_tier(user: SessionUser, code: str) -> None:
    permissions.check(user, "manage_promotions", reference=code.strip()[:20])
    if not MemberTier.delete().where(MemberTier.code == code.strip()).execute():
        raise NotFound(_("No member tier '{code}'").format(code=code.strip()[:20]))
    _rules.forget()
    retier()
    audit.record("member_tier", {"code": code.strip(), "removed": 1}, user_id=user.id,
                 reference=code.strip())


def tiers() -> list[TierView]:
    counts: dict[int, int] = dict(Customer.select(Customer.tier, fn.COUNT(Customer.id))
                                  .where(Customer.tier.is_null(False))
                                  .group_by(Customer.tier).tuples())  # type: ignore[arg-type]
    lists: dict[int, str] = dict(PriceList.select(PriceList.id, PriceList.code)
                                 .tuples())  # type: ignore[arg-type]
    return [TierView(t.code, t.name, t.name_en, Decimal(t.threshold), t.earn_pct,
                     lists.get(t.price_list_id or 0, ""), counts.get(t.id, 0))
            for t in MemberTier.select().order_by(MemberTier.threshold)]


def _reached(spent: Any) -> Any:
    """The tier a spending (a column or an expression of one) reaches: a subquery."""
    return (MemberTier.select(MemberTier.id).where(MemberTier.threshold <= spent)
            .order_by(MemberTier.threshold.desc()).limit(1))


def retier() -> None:
    """Every member onto the highest tier their spending reaches: one UPDATE."""
    Customer.update(tier=_reached(Customer.spent)).execute()


# -- a sale -------------------------------------------------------------------------------

def _expiry(day: dt.date) -> dt.date | None:
    months = programme().months
    if not months:
        return None
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add(customer_id: int, points: int, kind: str, number: str, day: dt.date, *,
         sale_id: int | None = None, user_id: int | None = None) -> None:
    Customer.update(points=Customer.points + points).where(Customer.id == customer_id).execute()
    PointsMove.create(customer=customer_id, kind=kind, points=points, remaining=points,
                      expires_on=_expiry(day), number=number, sale=sale_id, user=user_id)


def _take(customer_id: int, points: int, kind: str, number: str, *, sale_id: int | None = None,
          user_id: int | None = None) -> None:
    """Take points off a member, the first to lapse first; refused (nothing taken) when they
    have fewer, even if another till took some a moment ago."""
    done = (Customer.update(points=Customer.points - points)
            .where((Customer.id == customer_id) & (Customer.points >= points)).execute())
    if not done:
        have = Customer.get_by_id(customer_id).points
        raise StoreError(_("The member has {have} points, not {points}").format(
            have=f"{have:,}", points=f"{points:,}"))
    left = points
    q = (PointsMove.select().where((PointsMove.customer == customer_id)
                                   & (PointsMove.remaining > 0))
         .order_by(PointsMove.expires_on.asc(nulls="LAST"), PointsMove.id))
    for move in q:
        took = min(left, move.remaining)
        PointsMove.update(remaining=PointsMove.remaining - took).where(
            PointsMove.id == move.id).execute()
        left -= took
        if not left:
            break
    PointsMove.create(customer=customer_id, kind=kind, points=-points, number=number,
                      sale=sale_id, user=user_id)


def _load_rules() -> tuple[dict[tuple[str, int], int], dict[int, int]]:
    rates: dict[tuple[str, int], int] = {}
    for r in PointsRule.select():
        key = (("promotion", r.promotion_id) if r.promotion_id else
               ("product", r.product_id) if r.product_id else
               ("category", r.category_id) if r.category_id else ("all", 0))
        rates[key] = r.rate
    pcts: dict[int, int] = dict(MemberTier.select(MemberTier.id, MemberTier.earn_pct)
                                .tuples())  # type: ignore[arg-type]
    return rates, pcts


# The earn rules by (kind, id) and each tier's earn %: every member's sale reads them.
_rules = Kept(_load_rules)


def _earned(lines: Sequence[Any], categories: dict[int, int | None],
            rates: dict[tuple[str, int], int]) -> Decimal:
    """Σ over the sold lines of amount × the most specific rule's rate."""
    total = ZERO
    for line in lines:
        if line.amount <= 0 or line.return_of:
            continue
        rate = None
        for share in line.promos:
            rate = rates.get(("promotion", share.promo_id), rate)
        if rate is None:
            rate = rates.get(("product", line.product.id))
        if rate is None:
            rate = rates.get(("category", categories.get(line.product.id) or 0))
        if rate is None:
            rate = rates.get(("all", 0), 0)
        total += line.amount * rate / HUNDRED
    return total


def on_sale(sale_id: int, number: str, lines: Sequence[Any], payments: Sequence[Any],
            kinds: Sequence[str], total: Decimal, *, customer_id: int | None,
            original: int | None, day: dt.date, user_id: int) -> list[Posting]:
    """Inside `post_sale`: the points paid with taken (or a refund's given back), the points
    the sale earns added (or a return's taken back), the member's spending and tier. Returns
    the postings that defer or release revenue (balanced among themselves)."""
    spends = [p for p, kind in zip(payments, kinds, strict=True) if kind == "points"]
    if customer_id is None:
        if spends:
            raise ValidationError(_("Points: attach the member first (Shift+F2)"),
                                  field="customer", value=None)
        return []
    worth = programme().value
    postings: list[Posting] = []
    paid_by_points = ZERO
    for p in spends:
        count = p.amount / worth
        if count != count.to_integral_value():
            raise ValidationError(_("Points: {amount} is not a whole number of points "
                                    "({value} each)").format(amount=p.amount, value=worth),
                                  field="amount", value=p.amount)
        if p.amount > 0:
            _take(customer_id, int(count), "redeem", number, sale_id=sale_id, user_id=user_id)
            paid_by_points += p.amount
        else:
            if original is None:
                raise StoreError(_("Only a return of a sale paid with points goes back to "
                                   "points"))
            _add(customer_id, int(-count), "refund", number, day, sale_id=sale_id,
                 user_id=user_id)
    rates, earn_pcts = _rules.get()
    earned = 0
    if rates and total > 0:
        categories: dict[int, int | None] = {}
        if any(kind == "category" for kind, _id in rates):
            products = [ln.product.id for ln in lines if ln.amount > 0]
            categories = dict(Product.select(Product.id, Product.category).where(
                Product.id.in_(products)).tuples()) if products else {}  # type: ignore[arg-type]
        pct = 100
        if any(p != 100 for p in earn_pcts.values()):  # only then does the tier matter
            tier = Customer.select(Customer.tier).where(Customer.id == customer_id).scalar()
            pct = earn_pcts.get(tier or 0, 100)
        raw = _earned(lines, categories, rates) * pct / 100
        raw = raw * (total - paid_by_points) / total
        earned = int(raw.to_integral_value(ROUND_FLOOR))
    if earned > 0:
        PointsMove.create(customer=customer_id, kind="earn", points=earned, remaining=earned,
                          expires_on=_expiry(day), number=number, sale=sale_id, user=user_id)
        postings += [ledger.signed(ledger.REVENUE, earned * worth),
                     ledger.signed(ledger.POINTS, -earned * worth)]
    if original is not None:
        postings += _take_back(customer_id, lines, original, number, sale_id, user_id, worth)
    # One UPDATE: the points earned, what they have spent here (a return of goods bought
    # before spending was counted cannot take it below zero) and the tier that reaches.
    spent = Case(None, [((Customer.spent + total) < 0, 0)], Customer.spent + total)
    Customer.update(points=Customer.points + earned, spent=spent, tier=_reached(spent)).where(
        Customer.id == customer_id).execute()
    return postings


def _take_back(customer_id: int, lines: Sequence[Any], original: int, number: str,
               sale_id: int, user_id: int, worth: Decimal) -> list[Posting]:
    """A return takes back what the returned goods earned: the original's earned points in
    the proportion of its total the goods come to, less what earlier returns took, at most
    what the member has left."""
    back = -sum((ln.amount for ln in lines if ln.return_of and ln.amount < 0), ZERO)
    sold = Sale.get_by_id(original)
    if back <= 0 or Decimal(sold.total) <= 0:
        return []
    earned = int(PointsMove.select(fn.COALESCE(fn.SUM(PointsMove.points), 0))
                 .where((PointsMove.sale == original) & (PointsMove.kind == "earn"))
                 .scalar() or 0)
    taken = -int(PointsMove.select(fn.COALESCE(fn.SUM(PointsMove.points), 0))
                 .join(Sale, on=(PointsMove.sale == Sale.id))
                 .where((Sale.original == original) & (PointsMove.kind == "reverse"))
                 .scalar() or 0)
    share = (Decimal(earned) * back / Decimal(sold.total)).quantize(Decimal(1), ROUND_HALF_UP)
    have = Customer.get_by_id(customer_id).points
    count = max(0, min(int(share), earned - taken, have))
    if not count:
        return []
    _take(customer_id, count, "reverse", number, sale_id=sale_id, user_id=user_id)
    return [ledger.signed(ledger.POINTS, count * worth),
            ledger.signed(ledger.REVENUE, -count * worth)]


# -- by hand ------------------------------------------------------------------------------

@unit_of_work
def adjust(user: SessionUser, who: str, points: int | str, *, reason: str) -> int:
    """Give a member points (goodwill, a promise kept) or take some back (a mistake), with a
    reason. Given points cost the shop their worth as a selling expense (Dr 6601, Cr 2204);
    taken, the reverse. Returns the member's points after."""
    permissions.check(user, "manage_promotions", reference=who.strip()[:30])
    why = text.name(reason, field="reason", longest=200)
    count = text.whole(str(points), field="points", lowest=-1_000_000, highest=1_000_000)
    if not count:
        raise ValidationError(_("points: give or take at least one"), field="points",
                              value=count)
    c = _member(who)
    number = document_number("PT", "points")
    if count > 0:
        _add(c.id, count, "adjust", number, clock.local_today(), user_id=user.id)
    else:
        _take(c.id, -count, "adjust", number, user_id=user.id)
    worth = count * programme().value
    ledger.post_entry(phrase(N_("Points for {member}: {reason}"), member=c.code, reason=why),
                      number, [ledger.signed(ledger.SELLING, worth),
                               ledger.signed(ledger.POINTS, -worth)],
                      kind="points", user_id=user.id)
    audit.record("points_adjusted", {"customer": c.code, "points": count, "reason": why},
                 user_id=user.id, reference=number)
    return int(Customer.get_by_id(c.id).points)


# -- lapsing ------------------------------------------------------------------------------

@unit_of_work
def expire(user_id: int | None, day: dt.date | None = None) -> tuple[int, int]:
    """Points whose day has passed lapse: taken off their members, and what they were
    worth is revenue (Dr 2204, Cr 6001), one entry for the day. Returns (members, points)."""
    today = day or clock.local_today()
    worth = programme().value
    gone: Any = (PointsMove.select().where((PointsMove.remaining > 0)
                                            & (PointsMove.expires_on < today))
                 .order_by(PointsMove.customer, PointsMove.id))
    by_member: dict[int, int] = {}
    for move in gone:
        claimed = (PointsMove.update(remaining=0).where(
            (PointsMove.id == move.id) & (PointsMove.remaining == move.remaining)).execute())
        if claimed:
            by_member[move.customer_id] = by_member.get(move.customer_id, 0) + move.remaining
    number = document_number("PT", "points") if by_member else ""
    for customer_id, count in by_member.items():
        Customer.update(points=Customer.points - count).where(
            Customer.id == customer_id).execute()
        PointsMove.create(customer=customer_id, kind="expire", points=-count, number=number,
                          user=user_id)
    total = sum(by_member.values())
    if total:
        ledger.post_entry(phrase(N_("Points lapsed ({count})"), count=f"{total:,}"), number,
                          [ledger.signed(ledger.POINTS, total * worth),
                           ledger.signed(ledger.REVENUE, -total * worth)],
                          kind="points", date=today, user_id=user_id)
    return len(by_member), total


# -- reading ------------------------------------------------------------------------------

def _member(who: str) -> Customer:
    return Customer.get_by_id(lookup.one(who).id)


def member(who: str) -> MemberView:
    """A member's points, tier and what the next tier takes; `who`: member number or phone."""
    c = _member(who)
    worth = programme().value
    tier = MemberTier.get_or_none(MemberTier.id == c.tier_id) if c.tier_id else None
    spent = Decimal(c.spent)
    nxt = (MemberTier.select().where(MemberTier.threshold > spent)
           .order_by(MemberTier.threshold).first())
    soon = clock.local_today() + dt.timedelta(days=LAPSE_WARNING)
    q: Any = (PointsMove.select(fn.COALESCE(fn.SUM(PointsMove.remaining), 0),
                                        fn.MIN(PointsMove.expires_on))
                      .where((PointsMove.customer == c.id) & (PointsMove.remaining > 0)
                             & (PointsMove.expires_on <= soon)).tuples())
    lapsing, first = q.get()
    if isinstance(first, str):
        first = dt.date.fromisoformat(first)
    return MemberView(c.code, c.name, tier.local_name if tier else "", c.points,
                      c.points * worth, spent, nxt.local_name if nxt else "",
                      Decimal(nxt.threshold) - spent if nxt else ZERO, int(lapsing or 0),
                      first)


def statement(who: str) -> list[MoveView]:
    """Every movement of the member's points, oldest first, with the balance after each."""
    c = _member(who)
    users: dict[int, str] = dict(User.select(User.id, User.username)
                                 .tuples())  # type: ignore[arg-type]
    out, balance = [], 0
    for m in PointsMove.select().where(PointsMove.customer == c.id).order_by(PointsMove.id):
        balance += m.points
        out.append(MoveView(m.created_at, m.kind, m.number, m.points, balance,
                            m.expires_on if m.kind in INCOMING else None,
                            users.get(m.user_id or 0, "")))
    return out


def after_sale(sale_id: int) -> tuple[int, int] | None:
    """For the receipt: (points this sale moved, the member's balance now), or None."""
    q: Any = (PointsMove.select(PointsMove.customer, PointsMove.points)
              .where(PointsMove.sale == sale_id).tuples())
    moves: list[tuple[int, int]] = list(q)
    if not moves:
        return None
    return sum(p for _c, p in moves), Customer.get_by_id(moves[0][0]).points


def balance_of(customer_id: int) -> tuple[int, Decimal]:
    """(points, what one point pays for) of a member: the till's points tender fills in
    what they can pay."""
    points = Customer.select(Customer.points).where(Customer.id == customer_id).scalar() or 0
    return int(points), programme().value


def owed() -> Decimal:
    """What the members' points are worth: 2204's balance."""
    return outstanding() * programme().value

