"""Customers on account, on both engines: sales on account within the credit limit (or
approved beyond it), goods returned to the account, payments, aging and statements."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest

from store.books import ledger
from store.common import clock
from store.core.errors import PermissionDenied, ValidationError
from store.customers import lookup, parties, receivables
from store.models import Receivable
from store.security import approvals, auth
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.test_ledger import check_days_equal_the_journal
from tests.store.test_sales import basket_of, till  # noqa: F401  (the fixture)

D = Decimal


@pytest.fixture
def trade(till):  # noqa: F811
    parties.create_customer_group("TRADE", "批发客户", "Trade")
    parties.create_customer("W001", "张记小卖部", group="TRADE", credit_limit=D("100"))
    auth.create_user("sue", "supervisor", pin="5678")
    return till


def on_account(cashier, basket: Basket, *extra: PaymentInput, customer: str | None = "W001",
               when: dt.datetime | None = None) -> sales.SaleView:
    if customer:
        basket.customer = lookup.find(customer)[0]
    rest = basket.total - sum((p.amount for p in extra), D(0))
    with clock.at(when) if when else contextlib.nullcontext():
        return sales.post_sale(basket, [*extra, PaymentInput("ACCOUNT", rest)], terminal="T1",
                               cashier_id=cashier.id)


def test_a_sale_on_account_needs_a_customer_and_becomes_a_receivable(trade) -> None:
    with pytest.raises(ValidationError, match="customer"):
        on_account(trade, basket_of(("6901234567892", "2")), customer=None)
    view = on_account(trade, basket_of(("6901234567892", "10")),  # 35.00
                      PaymentInput("CASH", D("5.00")))
    r = Receivable.get()
    assert r.amount == D("30.00") and r.customer.code == "W001"
    assert r.due_date == clock.local_today() + dt.timedelta(days=30)
    assert ledger.balance(ledger.AR) == D("30.00")
    assert receivables.balance(r.customer_id) == D("30.00")
    assert view.customer_code == "W001"
    check_days_equal_the_journal()


def test_beyond_the_credit_limit_a_supervisor_approves(trade) -> None:
    on_account(trade, basket_of(("6901234567892", "20")))  # 70.00 of the 100 limit
    b = basket_of(("6901234567892", "10"))  # 35.00 more: 105 > 100
    with pytest.raises(PermissionDenied) as err:
        on_account(trade, b)
    assert err.value.permission == "credit_limit"
    assert Receivable.select().count() == 1  # nothing half-written
    grant = approvals.grant("credit_limit", username="sue", secret="5678", requested_by=trade,
                            reason="pays every Friday")
    b.approvals["credit_limit"] = grant.id
    on_account(trade, b)
    assert ledger.balance(ledger.AR) == D("105.00")


def test_goods_returned_to_the_account_lower_what_is_owed(trade) -> None:
    view = on_account(trade, basket_of(("6901234567892", "10")))  # 35.00 on account
    receipt = returns.returnable(view.number)
    back = Basket()
    returns.add_return(back, receipt, receipt.lines[0].line_id, D(4))  # 14.00 back
    sue = auth.authenticate("sue", "5678")  # a refund is a supervisor's (issue 14.7)
    sales.post_sale(back, [PaymentInput("ACCOUNT", back.total)], terminal="T1",
                    cashier_id=sue.id)
    customer = Receivable.get(Receivable.amount > 0).customer_id
    assert receivables.balance(customer) == D("21.00")
    assert ledger.balance(ledger.AR) == D("21.00")
    original = Receivable.get(Receivable.amount > 0)
    assert original.paid == D("14.00")  # the credit settled part of it
    with pytest.raises(ValidationError, match="Refund at most"):  # not beyond what it took
        b = Basket()
        returns.add_return(b, returns.returnable(view.number), receipt.lines[0].line_id, D(6))
        sales.post_sale(b, [PaymentInput("ACCOUNT", D("-30.00"))], terminal="T1",
                        cashier_id=sue.id)


def test_payments_aging_and_the_statement(trade) -> None:
    boss = auth.authenticate("sue", "5678")
    today = clock.local_today()
    old = on_account(trade, basket_of(("6901234567892", "10")),
                     when=clock.local_moment(today - dt.timedelta(days=45), dt.time(10)))
    on_account(trade, basket_of(("APPLE", "2.000")))  # 25.60 today
    aging = receivables.aging()
    assert [(r.code, r.buckets) for r in aging] == [
        ("W001", (D("25.60"), D("35.00"), 0, 0, 0))]
    with pytest.raises(ValidationError, match="more than"):
        receivables.receive_payment(boss, "W001", "100")
    with pytest.raises(PermissionDenied):
        receivables.receive_payment(trade, "W001", "10")
    with pytest.raises(ValidationError, match="account"):
        receivables.receive_payment(boss, "W001", "10", account="6001")
    paid = receivables.receive_payment(boss, "W001", "40", reference="转账")
    assert paid.allocations == [(old.number, D("35.00")), (paid.allocations[1][0], D("5.00"))]
    assert ledger.balance(ledger.AR) == D("20.60") and ledger.balance(ledger.CASH) > 0
    assert receivables.aging()[0].buckets == (D("20.60"), 0, 0, 0, 0)
    assert receivables.aging(today - dt.timedelta(days=1))[0].total == D("35.00")
    rows = receivables.accounts()
    assert [(r.code, r.owed, r.overdue) for r in rows] == [("W001", D("20.60"), D(0))]
    lines = receivables.statement("W001")
    assert [ln.document for ln in lines][-1] == paid.number and lines[-1].balance == D("20.60")
    check_days_equal_the_journal()
