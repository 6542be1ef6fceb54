"""Shifts and sales: one sale is one transaction — lines, payments, stock moves, cost of goods
and its journal entry — numbered without gaps per terminal and never written twice."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from . import clock, inventory, ledger
from .auth import SessionUser
from .basket import Basket
from .db import unit_of_work
from .errors import AuthError, NotFound, StoreError, ValidationError
from .fields import from_scaled
from .i18n import _
from .ledger import Posting
from .models import (
    Counter,
    Payment,
    Product,
    Sale,
    SaleLine,
    Shift,
    TenderType,
    Terminal,
    User,
    utcnow,
)
from .money import parse_decimal, round_money


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


def next_number(terminal: str, name: str) -> int:
    """The next number of a terminal's series, inside the caller's transaction (gap-free:
    a rollback gives the number back). The UPDATE locks the counter row until commit."""
    updated = (Counter.update(value=Counter.value + 1)
               .where((Counter.terminal == terminal) & (Counter.name == name)).execute())
    if not updated:
        Counter.create(terminal=terminal, name=name, value=1)
        return 1
    return Counter.get((Counter.terminal == terminal) & (Counter.name == name)).value


def _from_earlier_day(shift: ShiftInfo) -> bool:
    """Opened before today, counted in the shop's days: it must be closed before selling."""
    return clock.local_date(shift.opened_at) < clock.local_today()


def _shift_info(s: Shift) -> ShiftInfo:
    return ShiftInfo(s.id, s.terminal, s.number, s.opened_by.username, s.opened_at,
                     s.opening_float)


def current_shift(terminal: str) -> ShiftInfo | None:
    s = (Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id))
         .where((Shift.terminal == terminal) & (Shift.status == "open")).first())
    return _shift_info(s) if s else None


@unit_of_work
def open_shift(terminal: str, user_id: int, opening_float: Decimal | str) -> ShiftInfo:
    if Terminal.get_or_none(Terminal.code == terminal) is None:
        raise NotFound(_("No terminal '{code}': check terminal.code in zhanggui.toml").format(
            code=terminal))
    if current_shift(terminal):
        raise StoreError(_("Terminal {code} already has an open shift").format(code=terminal))
    amount = parse_decimal(opening_float, field="opening_float")
    shift = Shift.create(terminal=terminal, number=next_number(terminal, "shift"),
                         opened_by=user_id, opening_float=amount)
    return _shift_info(Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id))
                       .where(Shift.id == shift.id).get())


@unit_of_work
def post_sale(basket: Basket, payments: list[PaymentInput], *, terminal: str,
              cashier_id: int) -> SaleView:
    """Commit a completed sale. Retried with the same basket (same uuid), it returns the sale
    already committed instead of selling twice."""
    done = Sale.get_or_none(Sale.uuid == basket.uuid)
    if done is not None:
        return get_sale(done.number)
    if not basket:
        raise ValidationError(_("The basket is empty"), field="basket", value=None)
    shift = current_shift(terminal)
    if shift is None:
        raise StoreError(_("Open a shift before selling"))
    if _from_earlier_day(shift):
        raise StoreError(_("This shift is from an earlier day: a supervisor must close it"))
    terminal_row = Terminal.get(Terminal.code == terminal)
    tenders = {t.code: t for t in TenderType.select().where(
        TenderType.code.in_([p.tender for p in payments]))}
    for p in payments:
        if p.tender not in tenders:
            raise ValidationError(_("Unknown tender '{code}'").format(code=p.tender),
                                  field="tender", value=p.tender)
        if p.amount <= 0:
            raise ValidationError(_("amount: '{value}' must be greater than zero").format(
                value=p.amount), field="amount", value=p.amount)
    total, tax = basket.total, basket.tax
    paid = sum((p.amount for p in payments), Decimal(0))
    if paid < total:
        raise ValidationError(_("Paid {paid} of {total}: {due} still due").format(
            paid=paid, total=total, due=total - paid), field="payments", value=paid)
    change = paid - total
    cash = sum((p.amount for p in payments if tenders[p.tender].kind == "cash"), Decimal(0))
    if change > cash:
        raise ValidationError(_("Only cash can be overpaid: change {change} is more than the "
                                "cash {cash}").format(change=change, cash=cash),
                              field="payments", value=paid)

    number = f"{terminal}-{next_number(terminal, 'sale'):06d}"
    sale = Sale.create(uuid=basket.uuid, number=number, terminal=terminal, shift=shift.id,
                       cashier=cashier_id, total=total, tax=tax, change=change)
    products = {p.id: p for p in Product.select().where(
        Product.id.in_([ln.product.id for ln in basket.lines]))}
    cogs = Decimal(0)
    for i, line in enumerate(basket.lines, start=1):
        product = products[line.product.id]
        line_tax = basket.tax_of(line)
        SaleLine.create(sale=sale, line_no=i, product=product.id, sku=product.sku,
                        name=product.name, qty=line.qty, unit_price=line.unit_price,
                        amount=line.amount, tax_rate_bp=int(line.product.tax_rate * 10000),
                        tax=line_tax, unit_cost=product.cost)
        if product.stock_tracked:
            inventory.post_move(product.id, terminal_row.warehouse_id, -line.qty,
                                reason="sale", unit_cost=product.cost, reference=number,
                                user_id=cashier_id)
            cogs += round_money(line.qty * product.cost)
    for p in payments:
        Payment.create(sale=sale, tender=tenders[p.tender].id, amount=p.amount,
                       reference=p.reference[:64])

    # Change comes out of the cash tendered: each tender is debited with what it kept.
    postings: list[Posting] = []
    change_left = change
    for p in payments:
        kept = p.amount
        if tenders[p.tender].kind == "cash" and change_left:
            back = min(change_left, p.amount)
            kept, change_left = p.amount - back, change_left - back
        postings.append(Posting(ledger.TENDER_ACCOUNTS[tenders[p.tender].kind], debit=kept))
    postings += [Posting(ledger.REVENUE, credit=total - tax), Posting(ledger.VAT, credit=tax),
                 Posting(ledger.COGS, debit=cogs), Posting(ledger.INVENTORY, credit=cogs)]
    ledger.post_entry(_("Sale {number}").format(number=number), number, postings)
    return get_sale(number)


def _views(rows: list[Sale]) -> list[SaleView]:
    """Sales with their lines and payments: three queries however many sales."""
    ids = [s.id for s in rows]
    lines: dict[int, list[LineView]] = {i: [] for i in ids}
    for ln in (SaleLine.select().where(SaleLine.sale.in_(ids))
               .order_by(SaleLine.sale, SaleLine.line_no)):
        lines[ln.sale_id].append(LineView(ln.sku, ln.name, ln.qty, ln.unit_price, ln.amount,
                                          Decimal(ln.tax_rate_bp) / 10000, ln.tax))
    pays: dict[int, list[PaymentView]] = {i: [] for i in ids}
    for p in (Payment.select(Payment, TenderType).join(TenderType)
              .where(Payment.sale.in_(ids)).order_by(Payment.id)):
        pays[p.sale_id].append(PaymentView(p.tender.code, p.tender.name, p.tender.name_en,
                                           p.tender.kind, p.amount, p.reference))
    return [SaleView(s.id, s.uuid, s.number, s.terminal, s.cashier.username,
                     s.cashier.display_name or s.cashier.username, s.created_at, s.status,
                     s.total, s.tax, s.change, tuple(lines[s.id]), tuple(pays[s.id]))
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

    @property
    def over_short(self) -> Decimal | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash


def shift_totals(shift_id: int) -> ShiftTotals:
    """The X report: everything the shift has taken so far, summed in SQL."""
    shift = Shift.select(Shift, User).join(User, on=(Shift.opened_by == User.id)) \
        .where(Shift.id == shift_id).get()
    agg: Any = (Sale.select(fn.COUNT(Sale.id), fn.COALESCE(fn.SUM(Sale.total), 0),
                       fn.COALESCE(fn.SUM(Sale.tax), 0), fn.COALESCE(fn.SUM(Sale.change), 0))
           .where(Sale.shift == shift_id).tuples().get())
    count, total, tax, change = agg
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
    cash = sum((t.amount for t in tenders if t.kind == "cash"), Decimal(0))
    return ShiftTotals(_shift_info(shift), int(count), from_scaled(Sale.total, total),
                       from_scaled(Sale.tax, tax), tuple(tenders), shift.opening_float + cash,
                       shift.counted_cash, shift.z_number)


@unit_of_work
def close_shift(terminal: str, user: SessionUser, counted_cash: Decimal | str) -> ShiftTotals:
    """The Z: count the drawer, record expected vs counted, post the over/short, close.

    A shift opened on an earlier day may only be closed by a supervisor or the owner."""
    shift = current_shift(terminal)
    if shift is None:
        raise StoreError(_("Terminal {code} has no open shift").format(code=terminal))
    if _from_earlier_day(shift) and user.role not in ("supervisor", "owner"):
        raise AuthError(_("This shift is from an earlier day: a supervisor must close it"))
    counted = parse_decimal(counted_cash, field="counted_cash")
    totals = shift_totals(shift.id)
    z = next_number(terminal, "z")
    (Shift.update(status="closed", closed_at=utcnow(), closed_by=user.id, counted_cash=counted,
                  expected_cash=totals.expected_cash, z_number=z)
     .where(Shift.id == shift.id).execute())
    diff = counted - totals.expected_cash
    if diff:
        over = diff > 0
        ledger.post_entry(_("Cash over/short, Z {number}").format(number=z),
                          f"{terminal}-Z{z:04d}",
                          [Posting(ledger.CASH, debit=diff if over else Decimal(0),
                                   credit=Decimal(0) if over else -diff),
                           Posting(ledger.CASH_OVER_SHORT, credit=diff if over else Decimal(0),
                                   debit=Decimal(0) if over else -diff)])
    return shift_totals(shift.id)


def stale_shift(terminal: str) -> ShiftInfo | None:
    """The open shift if it was opened on an earlier day (it must be closed before selling)."""
    shift = current_shift(terminal)
    return shift if shift and _from_earlier_day(shift) else None


def last_sale_number(terminal: str) -> str | None:
    row = (Sale.select(Sale.number).where(Sale.terminal == terminal).order_by(Sale.id.desc())
           .first())
    return row.number if row else None
