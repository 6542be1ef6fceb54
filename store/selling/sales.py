"""Shifts and sales: one sale is one transaction — lines, payments, stock moves, cost of goods
and its journal entry — numbered without gaps per terminal and never written twice."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.books import ledger
from store.books.ledger import Posting
from store.common import clock
from store.common.numbering import claim_number, current_number, next_number
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, current_language, phrase
from store.core.money import cash_round, format_money, parse_decimal, quantize, round_money
from store.customers import receivables
from store.models import (
    CardMove,
    Customer,
    Payment,
    Product,
    Promotion,
    Sale,
    SaleLine,
    SaleLinePromotion,
    SaleReview,
    Shift,
    StockLevel,
    TenderType,
    Terminal,
    User,
    Warehouse,
    utcnow,
)
from store.pricing import promotions
from store.security import approvals, audit, auth, pii, scope
from store.security.auth import SessionUser
from store.selling import cards, overrides, points, returns, vouchers
from store.selling.basket import Basket
from store.shops import branches, org
from store.stock import costing, lots

DAMAGED = "DAMAGED"  # the warehouse code for returned goods that cannot be sold again


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    terminal: str
    number: int
    opened_by: str
    opened_at: dt.datetime
    opening_float: Decimal


@dataclass(frozen=True)
class PaymentInput:
    tender: str  # tender code: CASH, WECHAT, ...
    amount: Decimal
    reference: str = ""


@dataclass(frozen=True)
class LineView:
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal
    list_price: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    note: str = ""
    return_of: int | None = None
    restock: bool = True
    approval_id: int | None = None
    id: int = 0
    promotions: tuple[tuple[str, Decimal], ...] = ()  # (name, amount off), within discount


@dataclass(frozen=True)
class PaymentView:
    tender: str
    tender_name: str
    tender_name_en: str
    kind: str
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class SaleView:
    id: int
    uuid: uuidlib.UUID
    number: str
    terminal: str
    cashier: str
    cashier_name: str
    created_at: dt.datetime
    status: str
    total: Decimal
    tax: Decimal
    change: Decimal
    lines: tuple[LineView, ...]
    payments: tuple[PaymentView, ...]
    rounding: Decimal = Decimal(0)
    original: str | None = None  # the receipt a return took goods back from
    customer_code: str = ""  # the member number
    customer_name: str = ""

    @property
    def is_return(self) -> bool:
        return any(ln.return_of is not None for ln in self.lines)


def _from_earlier_day(shift: ShiftInfo) -> bool:
    """Opened before today, counted in the shop's days: it must be closed before selling."""
    zone = branches.zone_of(shift.terminal)
    return clock.local_date(shift.opened_at, zone) < clock.local_today(zone)


def _shift_info(s: Shift) -> ShiftInfo:
    return ShiftInfo(s.id, s.terminal, s.number, s.opened_by.username, s.opened_at,
                     s.opening_float)


def current_shift(terminal: str) -> ShiftInfo | None:
    s = (Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id))
         .where((Shift.terminal == terminal) & (Shift.status == "open")).first())
    return _shift_info(s) if s else None


def last_number(terminal: str) -> str | None:
    """The receipt number the till's series gave last (T1-000123), None before its first."""
    value = current_number(terminal, "sale")
    return f"{terminal}-{value:06d}" if value else None


DENOMINATIONS = tuple(Decimal(d) for d in
                      ("100", "50", "20", "10", "5", "1", "0.5", "0.1"))  # 元 notes and coins


def count_total(counts: dict[str, int]) -> Decimal:
    """The cash in a count by denomination ({"100": 3, "0.5": 2} → 301.00)."""
    total = Decimal(0)
    for denomination, n in counts.items():
        value = parse_decimal(denomination, field="denomination")
        if value not in DENOMINATIONS:
            raise ValidationError(_("denomination: '{value}' is not a note or coin").format(
                value=denomination), field="denomination", value=denomination)
        if not isinstance(n, int) or n < 0:
            raise ValidationError(_("count: '{value}' must be a whole number, 0 or more").format(
                value=n), field="count", value=n)
        total += value * n
    return round_money(total)


def _counted(amount: Decimal | str | None, counts: dict[str, int] | None,
             field: str) -> tuple[Decimal, str]:
    if counts is not None:
        clean = {f"{parse_decimal(k, field='denomination').normalize():f}": v
                 for k, v in counts.items() if v}
        total = count_total(clean)
        if amount is not None and parse_decimal(amount, field=field) != total:
            raise ValidationError(_("{field}: {value} is not the {total} counted").format(
                field=field, value=amount, total=total), field=field, value=amount)
        return total, json.dumps(clean, sort_keys=True)
    if amount is None:
        raise ValidationError(_("{field}: count the cash").format(field=field), field=field,
                              value=None)
    return parse_decimal(amount, field=field), ""


@unit_of_work
def open_shift(terminal: str, user_id: int, opening_float: Decimal | str | None = None, *,
               counts: dict[str, int] | None = None) -> ShiftInfo:
    """Open a shift with the float counted as one amount or by denomination."""
    till = Terminal.get_or_none(Terminal.code == terminal)
    if till is not None and not till.active:  # retired: `zhanggui terminals activate`
        raise StoreError(_("Till {code} is out of use: a manager can activate it again").format(
            code=terminal))
    if till is None:
        raise NotFound(_("No terminal '{code}': check terminal.code in zhanggui.toml").format(
            code=terminal))
    if current_shift(terminal):
        raise StoreError(_("Terminal {code} already has an open shift").format(code=terminal))
    scope.check_till(user_id, terminal, doing="open_shift")
    amount, counted = _counted(opening_float, counts, "opening_float")
    shift = Shift.create(terminal=terminal, number=next_number(terminal, "shift"),
                         opened_by=user_id, opening_float=amount, opening_count=counted)
    audit.record("shift_open", {"shift": shift.number, "float": audit.minor(amount),
                                "counts": counted}, user_id=user_id, terminal=terminal,
                 reference=f"{terminal}-S{shift.number:04d}")
    return _shift_info(Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id))
                       .where(Shift.id == shift.id).get())


_UNSET = Decimal(-1)


def cash_due(total: Decimal, non_cash: Decimal,
             step: Decimal | None = _UNSET) -> tuple[Decimal, Decimal]:
    """What is left to pay in cash after the non-cash tenders, rounded to the shop's smallest
    coin when it has set one (0.10 元): (due in cash, the rounding). `step` saves reading the
    setting (a screen passes what it read when it opened)."""
    due = total - non_cash
    rounded = cash_round(due, org.settings().cash_rounding if step is _UNSET else step)
    return rounded, rounded - due


@dataclass(frozen=True)
class OfflineFacts:
    """What a till decided for a sale it made while it could not reach the database (issue
    18.2): the receipt number it printed, when the customer paid, and the shift it had open.
    The customer holds that receipt, so the sale stands as the till made it: what the
    database would have refused (a price, a promotion, stock below zero) is posted and
    flagged for a person (SaleReview), never refused."""

    number: str
    sold_at: dt.datetime  # UTC, naive
    shift_id: int
    approvals: tuple[approvals.OfflineApproval, ...] = ()  # given with cached PINs


@unit_of_work
def post_sale(basket: Basket, payments: list[PaymentInput], *, terminal: str,
              cashier_id: int, offline: OfflineFacts | None = None) -> SaleView:
    """Commit a completed sale, return or exchange. Retried with the same basket (same uuid),
    it returns the sale already committed instead of selling twice. `offline`: a sale an
    offline till made, posted from its outbox (see OfflineFacts). Its seals go onto the audit
    chain together at the end (audit.deferred): the chain's one lock is held for moments."""
    with audit.deferred():
        return _post_sale(basket, payments, terminal=terminal, cashier_id=cashier_id,
                          offline=offline)


def _post_sale(basket: Basket, payments: list[PaymentInput], *, terminal: str,
               cashier_id: int, offline: OfflineFacts | None) -> SaleView:
    done = Sale.get_or_none(Sale.uuid == basket.uuid)
    if done is not None:
        return get_sale(done.number)
    if not basket:
        raise ValidationError(_("The basket is empty"), field="basket", value=None)
    reviews: list[tuple[str, str]] = []  # (kind, detail) of an offline sale
    if offline is None:
        shift = current_shift(terminal)
        if shift is None:
            raise StoreError(_("Open a shift before selling"))
    else:
        shift = _offline_shift(offline, terminal, cashier_id, reviews)
    scope.check_till(cashier_id, terminal, doing="sell")
    if offline is None and _from_earlier_day(shift):
        raise StoreError(_("This shift is from an earlier day: a supervisor must close it"))
    cashier = auth.get_user_by_id(cashier_id)
    terminal_row = Terminal.get(Terminal.code == terminal)
    if offline is None:
        number = f"{terminal}-{next_number(terminal, 'sale'):06d}"
        overrides.check_basket(basket, cashier, reference=number, terminal=terminal)
        _check_promotions(basket, terminal)
    else:
        number = _offline_number(offline.number, terminal, reviews)
        given = {a.key: approvals.record_offline(a, requested_by=cashier_id, terminal=terminal)
                 for a in offline.approvals}  # now real approvals, spent by the checks below
        for line in basket.lines:
            if line.approval_id is not None and line.approval_id in given:
                line.approval_id = given[line.approval_id]
        basket.approvals = {p: given[k] for p, k in basket.approvals.items() if k in given}
        _review_prices(basket, cashier, number, terminal, reviews, offline.sold_at)
    # What the database would refuse is, for an offline till's sale, kept for a person: the
    # goods left and the money changed hands with the customer at the counter.
    judged = Judge(None if offline is None else reviews)
    original = (_check_returns(basket, cashier, number, terminal, judged)
                if basket.returning else None)
    tenders = _check_payments(basket, payments, original, cashier, number, terminal, judged)
    total, tax, rounding, change = settle(basket, payments, tenders)
    on_account = sum((p.amount for p in payments if tenders[p.tender].kind == "account"),
                     Decimal(0))
    account_holder = (basket.customer.id if basket.customer
                      else original.customer_id if original else None)
    if on_account:
        if account_holder is None:  # refused even offline: there is no one to owe it
            raise ValidationError(_("On account: attach the customer first (Shift+F2)"),
                                  field="customer", value=None)
        judged.check("credit", functools.partial(
            receivables.check_credit, account_holder, on_account, cashier,
            approval_id=basket.approvals.get("credit_limit"), reference=number,
            terminal=terminal), f"{basket.customer.code if basket.customer else ''} "
                                f"{on_account}")

    now = utcnow() if offline is None else offline.sold_at
    local = clock.to_local(now, branches.zone_of(terminal))  # the till's shop's day and hour
    sale = Sale.create(uuid=basket.uuid, number=number, terminal=terminal, shift=shift.id,
                       cashier=cashier_id, total=total, tax=tax, change=change,
                       customer=basket.customer.id if basket.customer else None,
                       rounding=rounding, original=original.sale_id if original else None,
                       created_at=now, day=local.date(), hour=local.hour)
    products = {p.id: p for p in Product.select().where(
        Product.id.in_([ln.product.id for ln in basket.lines]))}
    back = [ln.return_of for ln in basket.lines if ln.return_of]
    costs_q: Any = (SaleLine.select(SaleLine.id, SaleLine.unit_cost).where(SaleLine.id.in_(back))
                    .tuples() if back else [])
    returned_costs: dict[int, Decimal] = dict(costs_q)
    line_costs = _move_stock(basket, products, returned_costs, terminal_row.warehouse_id,
                             number, cashier_id, offline=offline is not None)
    rows = []
    for i, line in enumerate(basket.lines, start=1):
        product = products[line.product.id]
        cost = line_costs[i - 1]
        rows.append(dict(sale=sale.id, line_no=i, product=product.id, sku=product.sku,
                         name=product.name, qty=line.qty, unit_price=line.unit_price,
                         list_price=line.original_price,
                         discount=line.discount + line.promo_off,
                         amount=line.amount, tax_rate_bp=int(line.product.tax_rate * 10000),
                         tax=basket.tax_of(line), unit_cost=_unit(cost, line.qty, product),
                         cost=cost, note=line.note, return_of=line.return_of,
                         restock=line.restock, approval=line.approval_id))
    SaleLine.insert_many(rows).execute()  # one statement for the lines, one for the payments
    _record_promotions(sale.id, basket)
    if on_account and account_holder is not None:
        receivables.record_sale(sale.id, account_holder, on_account, local.date())
    cogs = sum(line_costs, Decimal(0))
    Payment.insert_many([dict(sale=sale.id, tender=tenders[p.tender].id, amount=p.amount,
                              reference=p.reference[:64]) for p in payments]).execute()
    kinds = [tenders[p.tender].kind for p in payments]
    instead: dict[int, str] = {}
    forfeited: list[Posting] = []
    if "voucher" in kinds:  # each code claimed once, in this transaction
        instead, forfeited = vouchers.redeem(sale.id, number, payments, kinds, total, terminal,
                                             local.date(),
                                             original=original.sale_id if original else None)
    if "store_credit" in kinds:  # each card's balance taken (or a refund put back)
        forfeited += cards.redeem(sale.id, number, payments, kinds, terminal=terminal,
                                  user_id=cashier_id,
                                  original=original.sale_id if original else None)
    if offline is None and total > 0 and not basket.returning:  # a "next visit" coupon
        vouchers.hand_out(sale.id, total, terminal, local.date())
    # The member's points and spending (no member: nothing, and no paying with points).
    forfeited += points.on_sale(sale.id, number, basket.lines, payments, kinds, total,
                                customer_id=account_holder,
                                original=original.sale_id if original else None,
                                day=local.date(), user_id=cashier_id)
    view = get_sale(number)
    # The day's account rows are every till's: written last, their locks held for moments.
    _post_journal(number, payments, tenders, total, tax, rounding, change, cogs, local.date(),
                  instead, forfeited)
    audit.seal("return" if basket.returning else "sale", seal(view), user_id=cashier_id,
               terminal=terminal, reference=number)
    if offline is not None:
        _record_offline(view, offline, terminal_row.warehouse_id, reviews, cashier_id)
    return view


PROMOTION_GRACE = dt.timedelta(minutes=30)


def _check_promotions(basket: Basket, terminal: str) -> None:
    """No line may claim more off than the promotions in the database give it at the till's
    shop, evaluated at the time the basket was priced (within the last half hour, else now)
    in the shop's time. A smaller claim stands: the customer was shown it. On a mismatch the
    basket is re-priced for the till to show, and the sale is refused."""
    if _promotions_hold(basket, terminal):
        return
    zone = branches.zone_of(terminal)
    basket.promotions = promotions.at_shop(promotions.current(), branches.shop_of(terminal))
    basket.promotion_rule = promotions.rule()
    basket.reprice_promotions(clock.local_now(zone))
    raise StoreError(_("The promotions changed while the basket was open; the total is now "
                       "{total}: take payment again").format(total=basket.total))


def _promotions_hold(basket: Basket, terminal: str, sold_at: dt.datetime | None = None
                     ) -> bool:
    """Whether every line's promotions are within what the database's give it at the till's
    shop, at the time the basket was priced (within PROMOTION_GRACE of now, else now); for
    an offline till's sale (`sold_at`, naive UTC) at the time it was sold — a lunch-hour
    promotion given at noon and posted at three was given rightly."""
    if not any(ln.promos for ln in basket.lines):
        return True
    zone = branches.zone_of(terminal)
    if sold_at is not None:
        moment = clock.to_local(sold_at, zone)
        on: dt.date | None = moment.date()
    else:
        now = clock.local_now(zone)
        priced = basket.priced_at
        moment = now if priced is None or abs(now - priced) > PROMOTION_GRACE else priced
        moment, on = moment.astimezone(zone), None
    live = promotions.at_shop(promotions.current(fresh=True, on=on),
                              branches.shop_of(terminal))
    allowed: dict[int, Decimal] = {}
    for share in basket.promotion_shares(live, moment, promotions.rule()):
        allowed[share.key] = allowed.get(share.key, Decimal(0)) + share.amount
    return all(ln.promo_off <= allowed.get(i, Decimal(0)) for i, ln in enumerate(basket.lines))


# -- sales an offline till made (issue 18.2) ----------------------------------------------

def _offline_shift(offline: OfflineFacts, terminal: str, cashier_id: int,
                   reviews: list[tuple[str, str]]) -> ShiftInfo:
    """The shift the till had open. One closed since (a supervisor closed it elsewhere) has
    its Z sealed, so the sale goes to the till's shift open now — opened for it, with no
    float, if none is — flagged: the drawer it was paid into was counted without it."""
    row = (Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id))
           .where((Shift.id == offline.shift_id) & (Shift.terminal == terminal)).first())
    if row is None:
        raise StoreError(_("Till {till} had no shift {shift}").format(
            till=terminal, shift=offline.shift_id))
    if row.status == "open":
        return _shift_info(row)
    now = current_shift(terminal)
    if now is None:
        made = Shift.create(terminal=terminal, number=next_number(terminal, "shift"),
                            opened_by=cashier_id, opening_float=0)
        audit.record("shift_open", {"shift": made.number, "float": 0, "counts": "",
                                    "offline": True}, user_id=cashier_id, terminal=terminal,
                     reference=f"{terminal}-S{made.number:04d}")
        now = current_shift(terminal)
        assert now is not None
    reviews.append(("shift", f"{row.number}>{now.number}"))
    return now


def _offline_number(printed: str, terminal: str, reviews: list[tuple[str, str]]) -> str:
    """The number the till printed, where its series allows; else the next one, flagged (the
    customer's receipt shows the printed one)."""
    prefix, _sep, digits = printed.rpartition("-")
    if prefix == terminal and digits.isdigit():
        if claim_number(terminal, "sale", int(digits)):
            return printed
        if Sale.get_or_none(Sale.number == printed) is None:  # a gap: the number is free
            return printed
    number = f"{terminal}-{next_number(terminal, 'sale'):06d}"
    reviews.append(("renumbered", printed[:300]))
    return number


def _review_prices(basket: Basket, cashier: SessionUser, number: str, terminal: str,
                   reviews: list[tuple[str, str]], sold_at: dt.datetime) -> None:
    """What the database would have refused, kept for a person instead (as data: whoever
    reads it reads it in their own language): the permission a price or discount lacked."""
    try:
        overrides.check_basket(basket, cashier, reference=number, terminal=terminal)
    except StoreError as err:
        reviews.append(("price", str(getattr(err, "permission", "") or "approval")))
    if not _promotions_hold(basket, terminal, sold_at):
        reviews.append(("promotion", ""))


def _record_offline(view: SaleView, offline: OfflineFacts, warehouse: int,
                    reviews: list[tuple[str, str]], cashier_id: int) -> None:
    below: Any = (StockLevel.select(Product.sku, StockLevel.on_hand).join(Product)
                  .where((StockLevel.warehouse == warehouse) & (StockLevel.on_hand < 0)
                         & Product.sku.in_([ln.sku for ln in view.lines])).tuples())
    for sku, on_hand in below:
        reviews.append(("negative_stock", f"{sku} {Decimal(on_hand).normalize():f}"))
    if reviews:
        SaleReview.insert_many([{"sale": view.id, "kind": kind, "detail": detail[:300]}
                                for kind, detail in reviews]).execute()
    audit.record("offline_sale", {"number": view.number, "printed": offline.number,
                                  "sold_at": offline.sold_at.isoformat(),
                                  "reviews": sorted(kind for kind, _d in reviews)},
                 user_id=cashier_id, terminal=view.terminal, reference=view.number)


def _record_promotions(sale_id: int, basket: Basket) -> None:
    if not any(ln.promos for ln in basket.lines):
        return
    ids: Any = (SaleLine.select(SaleLine.line_no, SaleLine.id)
                .where(SaleLine.sale == sale_id).tuples())
    by_no = dict(ids)
    SaleLinePromotion.insert_many([
        {"sale_line": by_no[i], "promotion": s.promo_id, "amount": s.amount}
        for i, ln in enumerate(basket.lines, start=1) for s in ln.promos]).execute()


def _move_stock(basket: Basket, products: dict[int, Product], returned_costs: dict[int, Decimal],
                warehouse: int, number: str, cashier_id: int, *, offline: bool = False
                ) -> list[Decimal]:
    """Each line's stock move at the moving average; returns what each line took off the
    inventory account (negative for goods coming back). Lines go in product order so two
    sales of the same products lock their rows in the same order (no deadlock). Goods an
    offline till sold left the shop whatever the warehouse's rule: they go below zero."""
    costs = [Decimal(0)] * len(basket.lines)
    damaged = None
    order = sorted(range(len(basket.lines)), key=lambda i: basket.lines[i].product.id)
    negative = True if offline else bool(  # the warehouse's rule, asked once for the sale
        Warehouse.select(Warehouse.allow_negative).where(Warehouse.id == warehouse).scalar())
    for i in order:
        line = basket.lines[i]
        product = products[line.product.id]
        if not product.stock_tracked:
            continue
        reason = "return" if line.return_of else "sale"
        if line.qty > 0:
            costs[i] = costing.stock_out(product.id, warehouse, line.qty, reason=reason,
                                         reference=number, user_id=cashier_id,
                                         may_go_negative=negative, lot=line.lot or None)
            continue
        where = warehouse
        if line.return_of and not line.restock:
            damaged = damaged or _damaged_warehouse()
            where = damaged
        # Goods back come in at the cost they went out at (the average, for an exchange),
        # into the lots the sale took them from.
        parts = None
        if product.tracks_lots and line.return_of and basket.original:
            parts = lots.back_from(product.id, basket.original, _returns_of(basket.original),
                                   -line.qty)
        back = costing.stock_in(product.id, where, -line.qty,
                                returned_costs.get(line.return_of or 0), reason=reason,
                                reference=number, user_id=cashier_id, lot=parts)
        costs[i] = -(back.value + back.correction)
    return costs


def _returns_of(original: str) -> list[str]:
    """The numbers of the returns of receipt `original` so far."""
    first = Sale.select(Sale.id).where(Sale.number == original)
    rows: Any = Sale.select(Sale.number).where(Sale.original.in_(first)).tuples()
    return [n for (n,) in rows]


def _unit(cost: Decimal, qty: Decimal, product: Product) -> Decimal:
    """A line's unit cost for display and margin reports (its exact cost is `cost`)."""
    if not product.stock_tracked or not qty:
        return Decimal(product.cost)
    return quantize(cost / qty, costing.COST_STEP)


def _damaged_warehouse() -> int:
    """Where returned goods that cannot be sold again go (created the first time)."""
    row, _created = Warehouse.get_or_create(
        code=DAMAGED, defaults=dict(name="残次品", name_en="Damaged", allow_negative=False))
    return int(row.id)


class Judge:
    """Who decides what a check refuses. For a sale made at a till that is online (no
    `reviews`): refused. For a sale an offline till made: kept for a person instead, as data
    (kind and detail: whoever reads it reads it in their own language)."""

    def __init__(self, reviews: list[tuple[str, str]] | None = None) -> None:
        self.reviews = reviews

    def check(self, kind: str, check: Callable[[], object], detail: str) -> None:
        try:
            check()
        except StoreError as err:
            self.refuse(kind, err, detail)

    def refuse(self, kind: str, err: StoreError, detail: str) -> None:
        if self.reviews is None:
            raise err
        self.reviews.append((kind, detail[:300]))


ONLINE = Judge()


def _check_returns(basket: Basket, cashier: SessionUser, number: str,
                   terminal: str, judged: Judge = ONLINE) -> returns.Returnable:
    """The returned lines against the receipt, locked: never more than sold minus returned,
    each refunding exactly its share."""
    if basket.original is None:
        raise ValidationError(_("A returned line needs its receipt"), field="original",
                              value=None)
    judged.check("refund", functools.partial(
        approvals.require, cashier, "refund", approval_id=basket.approvals.get("refund"),
        reference=number, terminal=terminal), cashier.username)
    receipt = returns.returnable(basket.original, lock=True)
    by_id = {ln.line_id: ln for ln in receipt.lines}
    for line in basket.lines:
        if line.return_of is None:
            continue
        sold = by_id.get(line.return_of)
        if sold is None:
            raise ValidationError(_("That item is not on sale {number}").format(
                number=receipt.number), field="return_of", value=line.return_of)
        qty = -line.qty
        if qty <= 0:
            raise ValidationError(_("qty: '{value}' must be greater than zero").format(
                value=qty), field="qty", value=qty)
        if qty > sold.remaining:
            judged.refuse("returned", ValidationError(
                _("qty: '{value}' is more than the {left} that can be returned of {name}")
                .format(value=qty, left=sold.remaining, name=sold.name),
                field="qty", value=qty),
                f"{sold.sku} {qty.normalize():f}>{sold.remaining.normalize():f}")
            continue
        refund = returns.refund_amount(sold, qty)
        tax = returns.refund_tax(sold, qty)
        if tax is not None and basket.prices_include_tax:
            line.fixed_tax = -tax  # the refund is the same: only its tax part is the books'
        if line.amount != -refund or (line.fixed_tax is not None and tax is not None
                                      and line.fixed_tax != -tax):
            judged.refuse("returned", StoreError(
                _("Sale {number} changed while returning: take the return again")
                .format(number=receipt.number)), f"{sold.sku} {line.amount}")
            continue
        by_id[sold.line_id] = sold.after(qty, refund, -basket.tax_of(line))
    return receipt


def _check_payments(basket: Basket, payments: list[PaymentInput],
                    original: returns.Returnable | None, cashier: SessionUser, number: str,
                    terminal: str, judged: Judge = ONLINE) -> dict[str, TenderType]:
    tenders = {t.code: t for t in TenderType.select().where(
        TenderType.code.in_([p.tender for p in payments]))}
    refund = basket.total < 0
    for p in payments:
        if p.tender not in tenders:
            raise ValidationError(_("Unknown tender '{code}'").format(code=p.tender),
                                  field="tender", value=p.tender)
        # A card number is never stored, whoever calls: a card keeps its last 4 digits only,
        # and no reference may carry something that is a card number.
        digits = "".join(c for c in p.reference if c.isdigit())
        if (tenders[p.tender].kind == "card" and len(digits) > 4) or pii.has_card_number(
                p.reference):
            raise ValidationError(_("Enter only the card's last 4 digits, never the full "
                                    "number"), field="reference", value="****")
        if not refund and p.amount <= 0:
            raise ValidationError(_("amount: '{value}' must be greater than zero").format(
                value=p.amount), field="amount", value=p.amount)
        if refund and p.amount >= 0:
            raise ValidationError(_("amount: a refund of '{value}' must be below zero").format(
                value=p.amount), field="amount", value=p.amount)
    if refund and original is not None:
        for p in payments:
            tender = tenders[p.tender]
            if tender.kind == "cash":
                if "cash" not in original.paid_kinds.values():
                    judged.check("refund_to_cash", functools.partial(
                        approvals.require, cashier, "refund_to_cash",
                        approval_id=basket.approvals.get("refund_to_cash"),
                        reference=number, terminal=terminal), cashier.username)
                continue
            left = original.paid.get(p.tender, Decimal(0)) - original.refunded.get(
                p.tender, Decimal(0))
            if -p.amount > left:
                name = tender.name_en if current_language() == "en" and tender.name_en else (
                    tender.name)
                judged.refuse("refunded", ValidationError(
                    _("Refund at most {left} to {tender}: that is what is left of what was "
                      "paid with it").format(left=format_money(left), tender=name),
                    field="tender", value=p.tender), f"{p.tender} {-p.amount}>{left}")
    return tenders


def settle(basket: Basket, payments: list[PaymentInput], tenders: dict[str, TenderType],
           step: Decimal | None = _UNSET) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(total, tax, cash rounding, change): Σ lines + rounding = total = Σ payments − change.
    `step`: the cash rounding, when the caller has it (an offline till: from its copy)."""
    lines_total, tax = basket.total, basket.tax
    cash = sum((p.amount for p in payments if tenders[p.tender].kind == "cash"), Decimal(0))
    rounding = Decimal(0)
    if cash:
        _due, rounding = cash_due(lines_total, sum(
            (p.amount for p in payments if tenders[p.tender].kind != "cash"), Decimal(0)), step)
    total = lines_total + rounding
    paid = sum((p.amount for p in payments), Decimal(0))
    if total >= 0 and paid < total:
        raise ValidationError(_("Paid {paid} of {total}: {due} still due").format(
            paid=paid, total=total, due=total - paid), field="payments", value=paid)
    if total < 0 and paid != total:
        raise ValidationError(_("Refunded {paid} of {total}").format(paid=-paid, total=-total),
                              field="payments", value=paid)
    change = paid - total
    if change > max(cash, Decimal(0)):
        raise ValidationError(_("Only cash can be overpaid: change {change} is more than the "
                                "cash {cash}").format(change=change, cash=cash),
                              field="payments", value=paid)
    return total, tax, rounding, change


def _post_journal(number: str, payments: list[PaymentInput], tenders: dict[str, TenderType],
                  total: Decimal, tax: Decimal, rounding: Decimal, change: Decimal,
                  cogs: Decimal, day: dt.date, instead: dict[int, str] | None = None,
                  extra: list[Posting] | None = None) -> None:
    """`instead`: a payment's account other than its tender's (a promotion voucher's, by the
    payment's position); `extra`: more postings that balance among themselves."""
    # Change comes out of the cash tendered: each tender is debited with what it kept.
    postings: list[Posting] = list(extra or [])
    change_left = change
    for i, p in enumerate(payments):
        kept = p.amount
        if tenders[p.tender].kind == "cash" and change_left:
            back = min(change_left, p.amount)
            kept, change_left = p.amount - back, change_left - back
        account = (instead or {}).get(i) or ledger.TENDER_ACCOUNTS[tenders[p.tender].kind]
        postings.append(ledger.signed(account, kept))
    postings += [ledger.signed(ledger.REVENUE, -(total - rounding - tax)),
                 ledger.signed(ledger.VAT, -tax), ledger.signed(ledger.CASH_ROUNDING, -rounding),
                 ledger.signed(ledger.COGS, cogs), ledger.signed(ledger.INVENTORY, -cogs)]
    ledger.post_entry(phrase(N_("Sale {number}") if total >= 0 else N_("Return {number}"),
                             number=number), number, postings,
                      kind="sale" if total >= 0 else "return", date=day)


def seal(view: SaleView) -> dict[str, Any]:
    """The sale as the audit chain keeps it: integers only, the same on any machine."""
    m = audit.minor
    return {
        "number": view.number, "uuid": str(view.uuid), "terminal": view.terminal,
        "cashier": view.cashier, "at": view.created_at.isoformat(timespec="microseconds"),
        "total": m(view.total), "tax": m(view.tax), "change": m(view.change),
        "rounding": m(view.rounding), "original": view.original,
        "customer": view.customer_code,
        "lines": [[ln.sku, m(ln.qty, 3), m(ln.unit_price), m(ln.list_price), m(ln.discount),
                   m(ln.amount), m(ln.tax), int(ln.tax_rate * 10000), ln.return_of,
                   ln.restock, ln.approval_id] for ln in view.lines],
        "payments": [[p.tender, m(p.amount), p.reference] for p in view.payments],
    }


def _promotions_of(line_ids: list[int]) -> dict[int, list[tuple[str, Decimal]]]:
    """Sale line → (promotion name in the interface language, amount off)."""
    en = current_language() == "en"
    out: dict[int, list[tuple[str, Decimal]]] = {}
    if not line_ids:
        return out
    for lp in (SaleLinePromotion.select(SaleLinePromotion, Promotion).join(Promotion)
               .where(SaleLinePromotion.sale_line.in_(line_ids))
               .order_by(SaleLinePromotion.id)):
        name = lp.promotion.name_en if en and lp.promotion.name_en else lp.promotion.name
        out.setdefault(lp.sale_line_id, []).append((name, lp.amount))
    return out


def _views(rows: list[Sale]) -> list[SaleView]:
    """Sales with their lines, promotions and payments: four queries however many sales."""
    ids = [s.id for s in rows]
    lines: dict[int, list[LineView]] = {i: [] for i in ids}
    rows_q = list(SaleLine.select().where(SaleLine.sale.in_(ids))
                  .order_by(SaleLine.sale, SaleLine.line_no))
    promos = _promotions_of([ln.id for ln in rows_q])
    for ln in rows_q:
        lines[ln.sale_id].append(LineView(ln.sku, ln.name, ln.qty, ln.unit_price, ln.amount,
                                          Decimal(ln.tax_rate_bp) / 10000, ln.tax,
                                          ln.list_price, ln.discount, ln.note, ln.return_of_id,
                                          ln.restock, ln.approval_id, ln.id,
                                          tuple(promos.get(ln.id, ()))))
    pays: dict[int, list[PaymentView]] = {i: [] for i in ids}
    for p in (Payment.select(Payment, TenderType).join(TenderType)
              .where(Payment.sale.in_(ids)).order_by(Payment.id)):
        pays[p.sale_id].append(PaymentView(p.tender.code, p.tender.name, p.tender.name_en,
                                           p.tender.kind, p.amount, p.reference))
    # Most sales are neither returns nor a customer's: no query for an empty list.
    returned = [s.original_id for s in rows if s.original_id]
    numbers_q: Any = (Sale.select(Sale.id, Sale.number).where(Sale.id.in_(returned)).tuples()
                      if returned else [])
    originals: dict[int, str] = dict(numbers_q)
    held = [s.customer_id for s in rows if s.customer_id]
    people: dict[int, tuple[str, str]] = {c.id: (c.code, c.name) for c in Customer.select(
        Customer.id, Customer.code, Customer.name).where(Customer.id.in_(held))} if held else {}
    return [SaleView(s.id, s.uuid, s.number, s.terminal, s.cashier.username,
                     s.cashier.display_name or s.cashier.username, s.created_at, s.status,
                     s.total, s.tax, s.change, tuple(lines[s.id]), tuple(pays[s.id]),
                     s.rounding, originals.get(s.original_id or 0),
                     *people.get(s.customer_id or 0, ("", "")))
            for s in rows]


def get_sale(number: str) -> SaleView:
    s = Sale.select(Sale, User).join(User).where(Sale.number == number.strip()).first()
    if s is None:
        raise NotFound(_("No sale with number '{number}'").format(number=number))
    return _views([s])[0]


def list_sales(*, day: dt.date | None = None, terminal: str | None = None,
               limit: int = 1000) -> list[SaleView]:
    q = Sale.select(Sale, User).join(User)
    if day is not None:  # the shop's local day
        start, end = clock.day_bounds(day)
        q = q.where((Sale.created_at >= start) & (Sale.created_at < end))
    if terminal:
        q = q.where(Sale.terminal == terminal)
    return _views(list(q.order_by(Sale.id).limit(limit)))


# ---- X and Z: the shift's totals, and closing it ---------------------------------------------

@dataclass(frozen=True)
class TenderTotal:
    code: str
    name: str
    name_en: str
    kind: str
    amount: Decimal  # what the till kept: cash net of change


@dataclass(frozen=True)
class ShiftTotals:
    shift: ShiftInfo
    sales: int
    total: Decimal
    tax: Decimal
    tenders: tuple[TenderTotal, ...]
    expected_cash: Decimal  # opening float + cash kept
    counted_cash: Decimal | None = None
    z_number: int | None = None
    returns: int = 0  # of the sales, how many gave goods back
    returns_total: Decimal = Decimal(0)  # what they refunded (negative)
    rounding: Decimal = Decimal(0)
    grand_total: Decimal | None = None  # every sale of the terminal up to this Z
    closed_at: dt.datetime | None = None
    closed_by: str = ""
    seal: str = ""  # the Z's place in the audit chain, SEQ:HASH, printed for `audit verify`
    # Money put onto stored-value cards (less what closed cards gave back), by tender: in the
    # drawer or the bank, but not sales.
    card_money: tuple[TenderTotal, ...] = ()

    @property
    def over_short(self) -> Decimal | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash


def shift_totals(shift_id: int) -> ShiftTotals:
    """The X report: everything the shift has taken so far, summed in SQL."""
    shift = Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id)) \
        .where(Shift.id == shift_id).first()
    if shift is None:
        raise NotFound(_("No shift with ID {id}").format(id=shift_id))
    agg: Any = (Sale.select(fn.COUNT(Sale.id), fn.COALESCE(fn.SUM(Sale.total), 0),
                       fn.COALESCE(fn.SUM(Sale.tax), 0), fn.COALESCE(fn.SUM(Sale.change), 0),
                       fn.COALESCE(fn.SUM(Sale.rounding), 0))
           .where(Sale.shift == shift_id).tuples().get())
    count, total, tax, change, rounding = agg
    back: Any = (Sale.select(fn.COUNT(Sale.id), fn.COALESCE(fn.SUM(Sale.total), 0))
                 .where((Sale.shift == shift_id) & Sale.original.is_null(False)).tuples().get())
    rows: Any = (Payment.select(TenderType.code, TenderType.name, TenderType.name_en, TenderType.kind,
                           fn.SUM(Payment.amount))
            .join(TenderType).switch(Payment).join(Sale)
            .where(Sale.shift == shift_id)
            .group_by(TenderType.code, TenderType.name, TenderType.name_en, TenderType.kind,
                      TenderType.sort_order)
            .order_by(TenderType.sort_order).tuples())
    change_left = from_scaled(Sale.change, change)
    tenders = []
    for code, name, name_en, kind, amount in rows:
        kept = from_scaled(Payment.amount, amount)
        if kind == "cash":
            kept -= change_left
        tenders.append(TenderTotal(code, name, name_en, kind, kept))
    moved: Any = (CardMove.select(TenderType.code, TenderType.name, TenderType.name_en,
                                  TenderType.kind, fn.SUM(CardMove.paid))
                  .join(TenderType, on=(CardMove.tender == TenderType.id))
                  .where(CardMove.shift == shift_id)
                  .group_by(TenderType.code, TenderType.name, TenderType.name_en,
                            TenderType.kind, TenderType.sort_order)
                  .order_by(TenderType.sort_order).tuples())
    card_money = tuple(TenderTotal(code, name, name_en, kind, from_scaled(CardMove.paid, amount))
                       for code, name, name_en, kind, amount in moved)
    cash = sum((t.amount for t in tenders + list(card_money) if t.kind == "cash"), Decimal(0))
    closer = User.get_by_id(shift.closed_by_id).username if shift.closed_by_id else ""
    return ShiftTotals(_shift_info(shift), int(count), from_scaled(Sale.total, total),
                       from_scaled(Sale.tax, tax), tuple(tenders), shift.opening_float + cash,
                       shift.counted_cash, shift.z_number, int(back[0]),
                       from_scaled(Sale.total, back[1]), from_scaled(Sale.rounding, rounding),
                       shift.grand_total, shift.closed_at, closer, _seal(shift), card_money)


def _seal(shift: Shift) -> str:
    if not shift.z_number:
        return ""
    anchor = audit.seal_of(f"{shift.terminal}-Z{shift.z_number:04d}", shift.audit_hash)
    return anchor.short if anchor is not None else ""


def list_shifts(*, terminal: str | None = None, day: dt.date | None = None,
                limit: int = 100) -> list[ShiftTotals]:
    """Shifts, newest first, each with its X (open) or Z (closed) totals."""
    q = Shift.select(Shift.id)
    if terminal:
        q = q.where(Shift.terminal == terminal)
    if day is not None:
        start, end = clock.day_bounds(day)
        q = q.where((Shift.opened_at >= start) & (Shift.opened_at < end))
    return [shift_totals(s.id) for s in q.order_by(Shift.id.desc()).limit(limit)]


@unit_of_work
def close_shift(terminal: str, user: SessionUser, counted_cash: Decimal | str | None = None, *,
                counts: dict[str, int] | None = None,
                approval_id: int | None = None) -> ShiftTotals:
    """The Z: count the drawer (one amount or by denomination), record expected vs counted,
    post the over/short, seal the Z in the audit chain with the perpetual grand total, close.

    A shift opened on an earlier day needs the close_stale_shift permission."""
    shift = current_shift(terminal)
    if shift is None:
        raise StoreError(_("Terminal {code} has no open shift").format(code=terminal))
    if _from_earlier_day(shift):
        approvals.require(user, "close_stale_shift", approval_id=approval_id,
                          terminal=terminal)
    counted, count_json = _counted(counted_cash, counts, "counted_cash")
    totals = shift_totals(shift.id)
    z = next_number(terminal, "z")
    grand = _grand_total(terminal, shift.id, totals.total)
    event = audit.record("z", {"z": z, "shift": shift.number, "sales": totals.sales,
                              "total": audit.minor(totals.total),
                              "expected": audit.minor(totals.expected_cash),
                              "counted": audit.minor(counted), "counts": count_json,
                              "grand_total": audit.minor(grand)},
                         user_id=user.id, terminal=terminal, reference=f"{terminal}-Z{z:04d}")
    (Shift.update(status="closed", closed_at=utcnow(), closed_by=user.id, counted_cash=counted,
                  expected_cash=totals.expected_cash, z_number=z, closing_count=count_json,
                  grand_total=grand, audit_hash=event.hash)
     .where(Shift.id == shift.id).execute())
    diff = counted - totals.expected_cash
    if diff:
        over = diff > 0
        ledger.post_entry(phrase(N_("Cash over/short, Z {number}"), number=z),
                          f"{terminal}-Z{z:04d}",
                          [Posting(ledger.CASH, debit=diff if over else Decimal(0),
                                   credit=Decimal(0) if over else -diff),
                           Posting(ledger.CASH_OVER_SHORT, credit=diff if over else Decimal(0),
                                   debit=Decimal(0) if over else -diff)],
                          kind="shift", user_id=user.id)
    return shift_totals(shift.id)


def _grand_total(terminal: str, shift_id: int, shift_total: Decimal) -> Decimal:
    """The terminal's perpetual total at this Z: the last Z's plus this shift's. Summing every
    sale the terminal ever made instead was a full scan (a year of sales: 0.3 s a close)."""
    last = (Shift.select(Shift.grand_total)
            .where((Shift.terminal == terminal) & (Shift.status == "closed")
                   & (Shift.id != shift_id) & Shift.grand_total.is_null(False))
            .order_by(Shift.number.desc()).first())
    if last is not None and last.grand_total is not None:
        return Decimal(last.grand_total) + shift_total
    return from_scaled(Sale.total, Sale.select(fn.COALESCE(fn.SUM(Sale.total), 0))
                       .where(Sale.terminal == terminal).scalar())


def stale_shift(terminal: str) -> ShiftInfo | None:
    """The open shift if it was opened on an earlier day (it must be closed before selling)."""
    shift = current_shift(terminal)
    return shift if shift and _from_earlier_day(shift) else None


def last_sale_number(terminal: str) -> str | None:
    row = (Sale.select(Sale.number).where(Sale.terminal == terminal).order_by(Sale.id.desc())
           .first())
    return row.number if row else None
