"""Property test of the books: any sequence of sales, returns, receipts, bills (dearer or
cheaper than received), payments and prepayments, manual entries, stock counts and shift closes
and goods sent back to the supplier (from a receipt or a bill, as a debit note or a refund)
keeps every entry balanced, the trial balance at zero, the daily balances equal to the journal,
accounts payable equal to bills less payments and debit notes, 220201 equal to what was
received and neither billed nor sent back, and the inventory account equal to the stock's
value."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import fn

from store.books import ledger
from store.buying import payables, receiving, supplier_returns
from store.common import clock
from store.core.errors import StoreError
from store.core.fields import from_scaled
from store.core.money import round_money
from store.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
    SupplierReturnLine,
)
from store.security import auth
from store.selling import sales
from store.stock import counts
from tests.store.stock_helpers import check_stock_invariants, sell, stock_shop
from tests.store.test_ledger import check_days_equal_the_journal
from tests.store.test_stock_properties import _return_last

D = Decimal
SKUS = ("COKE", "TEA")

step = st.one_of(
    st.tuples(st.just("sell"), st.sampled_from(SKUS), st.integers(1, 6)),
    st.tuples(st.just("return"), st.integers(1, 2)),
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.integers(1, 20),
              st.decimals(D("0.50"), D("5.00"), places=2)),
    st.tuples(st.just("bill"), st.sampled_from((D("-0.30"), D(0), D("0.17"))),
              st.decimals(D(0), D("9.99"), places=2)),
    st.tuples(st.just("pay"), st.decimals(D("0.01"), D("200"), places=2), st.booleans()),
    st.tuples(st.just("expense"), st.decimals(D("0.01"), D("500"), places=2)),
    st.tuples(st.just("count"), st.sampled_from(SKUS), st.integers(0, 15)),
    st.tuples(st.just("send_back"), st.booleans(), st.integers(1, 8), st.booleans()),
    st.tuples(st.just("close"), st.sampled_from((D(0), D("0.50"), D("-1.20")))),
)


def _sum(field, where=None) -> Decimal:
    q = field.model.select(fn.COALESCE(fn.SUM(field), 0))
    if where is not None:
        q = q.where(where)
    return from_scaled(field, q.scalar())


def check_books() -> None:
    check_days_equal_the_journal()
    check_stock_invariants()
    owed = _sum(SupplierBill.total) - _sum(SupplierPayment.amount)
    assert -ledger.balance(ledger.AP) - ledger.balance(ledger.PREPAYMENTS) == owed
    received = sum((round_money(ln.qty * ln.unit_cost) for ln in GoodsReceiptLine.select()
                    .join(GoodsReceiptLine.receipt.rel_model)
                    .where(GoodsReceiptLine.receipt.rel_model.status == "posted")), D(0))
    assert -ledger.balance(ledger.GRNI) == (received - _sum(SupplierBillLine.received_cost)
                                            - _sum(SupplierReturnLine.amount,
                                                   SupplierReturnLine.bill_line.is_null()))


def _apply(users, op: tuple, n: int) -> None:
    boss, accountant, cashier = users["supervisor"], users["accountant"], users["cashier"]
    kind = op[0]
    if kind == "sell":
        sell(cashier, op[1], op[2])
    elif kind == "return":
        if sales.current_shift("T1") is None:  # the shift was closed: a new one
            sales.open_shift("T1", cashier.id, "0")
        _return_last(boss, op[1])  # a refund is a supervisor's
    elif kind == "receive":
        r = receiving.start(boss, "STORE", supplier_code="S1")
        receiving.set_line(boss, r.number, op[1], D(op[2]), op[3])
        receiving.post(boss, r.number)
    elif kind == "bill":
        lines = [payables.BillLineInput(u.receipt_line_id, None,
                                        max(u.unit_cost + op[1], D(0)))
                 for u in payables.unbilled("S1")]
        if lines:
            payables.post_bill(accountant, "S1", f"INV-{n}", lines, tax=op[2])
    elif kind == "pay":
        owed = sum((b.open for b in payables.bills(open_only=True)), D(0))
        if op[2] or op[1] <= owed:
            payables.pay(accountant, "S1", op[1], prepayment=op[2])
    elif kind == "expense":
        payables.post_bill(accountant, "S1", f"EXP-{n}",
                           [payables.BillLineInput(account="6602", amount=op[1])])
    elif kind == "send_back":  # the last receipt, or the last bill; a refund or a debit note
        from_bill = op[1] and SupplierBill.select().where(~SupplierBill.opening).exists()
        document = (SupplierBill.select().where(SupplierBill.net > 0)
                    .order_by(SupplierBill.id.desc()).first() if from_bill
                    else GoodsReceipt.select().where(GoodsReceipt.status == "posted")
                    .order_by(GoodsReceipt.id.desc()).first())
        if document is not None:
            for r in supplier_returns.returnable(document.number)[:1]:
                supplier_returns.post_return(accountant, document.number,
                                             [(r.sku, min(r.qty, D(op[2])))], reason="坏",
                                             refund_account="1002" if op[3] else "")
    elif kind == "count":
        c = counts.start(boss, "STORE", skus=[op[1]])
        counts.recount(boss, c.number, op[1], D(op[2]))
        counts.post(boss, c.number)
    else:
        shift = sales.current_shift("T1")
        if shift is not None:
            expected = sales.shift_totals(shift.id).expected_cash
            sales.close_shift("T1", boss, max(expected + op[1], D(0)))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(step, min_size=1, max_size=12))
def test_random_business_keeps_the_books_balanced(shop, ops) -> None:
    from store.models import Product

    test = test_random_business_keeps_the_books_balanced
    if not Product.select().where(Product.sku == "COKE").exists():
        people = stock_shop()
        people["accountant"] = auth.create_user("kuaiji", "accountant", pin="3690")
        test.users = people  # type: ignore[attr-defined]
        test.n = 0  # type: ignore[attr-defined]
    users = test.users  # type: ignore[attr-defined]
    for op in ops:
        test.n += 1  # type: ignore[attr-defined]
        try:
            _apply(users, op, test.n)  # type: ignore[attr-defined]
        except StoreError as exc:  # only refusals the rules allow
            assert "below zero" in str(exc) or "Not enough" in str(exc), exc
        check_books()
    assert clock.local_today()  # the shop's day is known: entries were dated by it
