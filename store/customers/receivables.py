"""Accounts receivable: customers who buy on account and pay later.

A sale paid (in part) with the "on account" tender needs a customer on the basket and stays
within their credit limit (a supervisor's approval lets it go beyond). The part on account
becomes a receivable due after the customer's payment days, in the sale's own transaction; the
sale's journal entry debits 1122. Goods returned from such a sale and refunded to the account
make a negative receivable (a credit). A customer payment settles the oldest receivables first
(Dr cash/bank, Cr 1122); paying more than is owed is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from store.books import ledger
from store.books.aging import AgingRow
from store.books.aging import aging as aging_of
from store.books.ledger import Posting
from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, parse_decimal
from store.customers import order_states
from store.models import Account, Customer, CustomerPayment, ReceiptAllocation, Receivable, Sale, SalesOrder
from store.security import approvals, permissions
from store.security.auth import SessionUser

RECEIVING_ACCOUNTS = (ledger.CASH, ledger.BANK, ledger.OTHER_FUNDS)


def balance(customer_id: int) -> Decimal:
    """What the customer owes now (negative: the shop owes them)."""
    raw = (Receivable.select(fn.COALESCE(fn.SUM(Receivable.amount - Receivable.paid), 0))
           .where(Receivable.customer == customer_id).scalar())
    return from_scaled(Receivable.amount, raw)


def balances(customer_ids: list[int]) -> dict[int, Decimal]:
    """What each of these customers owes, in one query."""
    if not customer_ids:
        return {}
    rows: Any = (Receivable.select(Receivable.customer,
                                   fn.SUM(Receivable.amount - Receivable.paid))
                 .where(Receivable.customer.in_(customer_ids))
                 .group_by(Receivable.customer).tuples())
    return {c: from_scaled(Receivable.amount, v) for c, v in rows}


def check_credit(customer_id: int | None, amount: Decimal, cashier: SessionUser, *,
                 approval_id: int | None, reference: str, terminal: str) -> None:
    """Inside post_sale, before anything is written: the account tender needs a customer, and
    their balance plus this sale must stay within their credit limit."""
    if customer_id is None:
        raise ValidationError(_("On account: attach the customer first (Shift+F2)"),
                              field="customer", value=None)
    if amount <= 0:
        return
    customer = Customer.get_by_id(customer_id)
    owed = balance(customer_id)
    if owed + amount > customer.credit_limit:
        approvals.require(cashier, "credit_limit", approval_id=approval_id, reference=reference,
                          terminal=terminal)


def record_sale(sale_id: int, customer_id: int, amount: Decimal, day: dt.date) -> None:
    """The part of a sale on account, due after the customer's payment days; a credit (goods
    returned to the account) settles what the customer owes, oldest first."""
    days = Customer.select(Customer.payment_days).where(Customer.id == customer_id).scalar()
    Receivable.create(sale=sale_id, customer=customer_id, date=day,
                      due_date=day + dt.timedelta(days=int(days or 0)), amount=amount)
    _apply_credits(customer_id)


def record_order(order_id: int, customer_id: int, amount: Decimal, day: dt.date) -> None:
    """An invoiced sales order, due after the customer's payment days."""
    days = Customer.select(Customer.payment_days).where(Customer.id == customer_id).scalar()
    Receivable.create(order=order_id, customer=customer_id, date=day,
                      due_date=day + dt.timedelta(days=int(days or 0)), amount=amount)
    _apply_credits(customer_id)


def record_opening(customer_id: int, amount: Decimal, day: dt.date, due: dt.date,
                   reference: str) -> None:
    """What a customer owed in the shop's old books (negative: what the shop owed them),
    brought in by the balances import; the caller posts it to 1122 in the same entry as the
    rest of the opening balances."""
    Receivable.create(customer=customer_id, date=day, due_date=due, amount=amount,
                      opening=True, reference=reference[:64])
    _apply_credits(customer_id)


def _document(r: Receivable) -> tuple[str, dt.datetime]:
    """The sale or the order a receivable comes from: its number and when it was made; an
    opening balance by the old system's number."""
    if r.sale is not None:
        return r.sale.number, r.sale.created_at
    if r.order is not None:
        return r.order.number, r.order.created_at
    label = _("Opening balance")
    return (f"{label} {r.reference}" if r.reference else label,
            dt.datetime.combine(r.date, dt.time()))


def _apply_credits(customer_id: int) -> None:
    credits = list(Receivable.select().where((Receivable.customer == customer_id)
                                             & (Receivable.paid > Receivable.amount))
                   .order_by(Receivable.id))
    debts = list(Receivable.select().where((Receivable.customer == customer_id)
                                           & (Receivable.paid < Receivable.amount))
                 .order_by(Receivable.due_date, Receivable.id))
    for credit in credits:
        left = credit.paid - credit.amount  # what the credit still gives
        for debt in debts:
            if left <= 0:
                break
            take = min(debt.amount - debt.paid, left)
            if take <= 0:
                continue
            debt.paid += take
            left -= take
            Receivable.update(paid=debt.paid).where(Receivable.id == debt.id).execute()
        Receivable.update(paid=credit.amount + left).where(Receivable.id == credit.id).execute()


def _customer(code: str) -> Customer:
    row = Customer.get_or_none(Customer.code == code.strip())
    if row is None:
        raise NotFound(_("No customer '{code}'").format(code=code))
    return row


@dataclass(frozen=True)
class PaymentView:
    number: str
    customer_code: str
    date: dt.date
    amount: Decimal
    account: str
    reference: str
    allocations: list[tuple[str, Decimal]]  # (sale number, amount)


@unit_of_work
def receive_payment(user: SessionUser, customer_code: str, amount: Decimal | str, *,
                    account: str = ledger.CASH, day: dt.date | None = None,
                    reference: str = "", sales: Sequence[str] = ()) -> PaymentView:
    """A customer pays what they owe: the sales named, else the oldest due first."""
    permissions.check(user, "receive_payment", reference=customer_code)
    reference = text.clean(reference, field="reference")
    customer = _customer(customer_code)
    money = parse_decimal(amount, field="amount")
    if money <= 0:
        raise ValidationError(_("amount: '{value}' must be greater than zero").format(
            value=money), field="amount", value=money)
    into = Account.get_or_none((Account.code == account.strip()) & Account.active)
    if into is None or not any(account.strip().startswith(c) for c in RECEIVING_ACCOUNTS):
        raise ValidationError(_("account: receive into cash, bank or WeChat/Alipay ({codes}), "
                                "not '{value}'").format(codes=", ".join(RECEIVING_ACCOUNTS),
                                                        value=account), field="account",
                              value=account)
    owed = balance(customer.id)
    if money > owed:
        raise ValidationError(_("{amount} is more than the {owed} {customer} owes").format(
            amount=money, owed=owed, customer=customer.name), field="amount", value=money)
    date = day or clock.local_today()
    q = (Receivable.select(Receivable, Sale, SalesOrder)
         .join(Sale, JOIN.LEFT_OUTER).switch(Receivable).join(SalesOrder, JOIN.LEFT_OUTER)
         .where((Receivable.customer == customer.id) & (Receivable.paid < Receivable.amount)))
    if sales:
        wanted = [s.strip() for s in sales]
        q = q.where(Sale.number.in_(wanted) | SalesOrder.number.in_(wanted)
                    | (Receivable.opening & Receivable.reference.in_(wanted)))
    payment = CustomerPayment.create(number=document_number("RCV", "customer_payment"),
                                     customer=customer.id, date=date, amount=money,
                                     account=into.id, reference=reference.strip()[:64],
                                     created_by=user.id)
    left = money
    for r in q.order_by(Receivable.due_date, Receivable.id):
        if left <= 0:
            break
        take = min(r.amount - r.paid, left)
        ReceiptAllocation.create(payment=payment.id, receivable=r.id, amount=take, date=date)
        (Receivable.update(paid=Receivable.paid + take).where(Receivable.id == r.id).execute())
        left -= take
    if left:  # cannot happen: the balance is at most what the open receivables hold
        raise ValidationError(_("Nothing left to settle for {customer}").format(
            customer=customer.name), field="sales", value=list(sales))
    ledger.post_entry(phrase(N_("Payment {number} from {customer}"), number=payment.number,
                                                                   customer=customer.name),
                      payment.number, [Posting(into.code, debit=money),
                                       Posting(ledger.AR, credit=money)],
                      kind="ar_payment", date=date, user_id=user.id)
    order_states.settle_paid()  # an invoiced order paid in full is paid
    return payment_view(payment.number)


def payment_view(number: str) -> PaymentView:
    p = CustomerPayment.get_or_none(CustomerPayment.number == number.strip())
    if p is None:
        raise NotFound(_("No payment '{number}'").format(number=number))
    allocations = [(_document(a.receivable)[0], a.amount) for a in
                   ReceiptAllocation.select(ReceiptAllocation, Receivable, Sale, SalesOrder)
                   .join(Receivable).join(Sale, JOIN.LEFT_OUTER).switch(Receivable)
                   .join(SalesOrder, JOIN.LEFT_OUTER)
                   .where(ReceiptAllocation.payment == p.id).order_by(ReceiptAllocation.id)]
    return PaymentView(p.number, p.customer.code, p.date, p.amount, p.account.code,
                       p.reference, allocations)


@dataclass(frozen=True)
class AccountRow:
    code: str
    name: str
    credit_limit: Decimal
    owed: Decimal
    overdue: Decimal


def accounts(as_of: dt.date | None = None) -> list[AccountRow]:
    """Every customer with something on account: the limit, the balance, what is overdue."""
    day = as_of or clock.local_today()
    open_amount = Receivable.amount - Receivable.paid
    owed = fn.COALESCE(fn.SUM(open_amount), 0)  # COALESCE: raw minor units on both engines
    overdue = fn.COALESCE(fn.SUM(Case(None, [(Receivable.due_date < day, open_amount)], 0)), 0)
    rows: Any = (Receivable.select(Customer.code, Customer.name, Customer.credit_limit, owed,
                                   overdue)
            .join(Customer).group_by(Customer.code, Customer.name, Customer.credit_limit)
            .having(fn.SUM(open_amount) != 0).order_by(Customer.code).tuples())
    return [AccountRow(code, name, limit, from_scaled(Receivable.amount, total),
                       from_scaled(Receivable.amount, late))
            for code, name, limit, total, late in rows]


def aging(as_of: dt.date | None = None) -> list[AgingRow]:
    """What each customer owes on `as_of`, by how long it has been overdue."""
    return aging_of(Receivable, Customer, amount=Receivable.amount, dated=Receivable.date,
                    due=Receivable.due_date, allocation=ReceiptAllocation,
                    allocated_to=ReceiptAllocation.receivable,
                    day=as_of or clock.local_today())


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    document: str
    charge: Decimal  # bought on account
    payment: Decimal  # paid, or goods returned to the account
    balance: Decimal


def statement(customer_code: str) -> list[StatementLine]:
    """The customer's account in date order with the running balance."""
    customer = _customer(customer_code)
    events: list[tuple[dt.date, dt.datetime, str, Decimal, Decimal]] = []
    for r in (Receivable.select(Receivable, Sale, SalesOrder)
              .join(Sale, JOIN.LEFT_OUTER).switch(Receivable).join(SalesOrder, JOIN.LEFT_OUTER)
              .where(Receivable.customer == customer.id)):
        charge, paid = (r.amount, ZERO) if r.amount >= 0 else (ZERO, -r.amount)
        number, at = _document(r)
        events.append((r.date, at, number, charge, paid))
    for p in CustomerPayment.select().where(CustomerPayment.customer == customer.id):
        events.append((p.date, p.created_at, p.number, ZERO, p.amount))
    running = ZERO
    out = []
    for date, _at, doc, charge, paid in sorted(events):
        running += charge - paid
        out.append(StatementLine(date, doc, charge, paid, running))
    return out
