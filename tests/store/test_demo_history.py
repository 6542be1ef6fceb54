"""The demo's past, made through the services: after a week of it every invariant holds, the
books agree with the sales journal and the stock, and the audit chain verifies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peewee import fn

from store.assurance import integrity
from store.books import ledger
from store.buying import payables
from store.common import clock
from store.core.fields import from_scaled
from store.customers import receivables
from store.demo.shop import build_demo
from store.models import (
    PointsMove,
    PurchaseOrder,
    Receivable,
    Sale,
    Shift,
    SupplierBill,
    SupplierPayment,
)
from store.reporting import reports
from store.selling import points
from tests.store.stock_helpers import check_stock_invariants
from tests.store.test_ledger import check_days_equal_the_journal

D = Decimal


def test_a_week_of_history_keeps_every_invariant(db) -> None:
    build_demo(150, history_days=8)
    today = clock.local_today()
    days = {d for (d,) in Sale.select(Sale.day).distinct().tuples()}
    assert min(days) == today - dt.timedelta(days=8) and len(days) >= 8
    assert Sale.select().count() > 100
    # Every finished day's shifts are closed; Mondays' orders arrived; Thursdays' bills came.
    assert not Shift.select().where((Shift.status == "open")
                                    & (Shift.opened_at < clock.day_bounds(today)[0])).exists()
    assert PurchaseOrder.select().where(PurchaseOrder.status != "draft").exists()
    assert SupplierBill.select().exists()
    check_stock_invariants()
    check_days_equal_the_journal()
    # The books agree with the sales journal, day by day: revenue less what the members'
    # points earned that day deferred (2204 holds it until they are spent).
    assert PointsMove.select().where(PointsMove.kind == "earn").exists()
    value = points.programme().value
    for day in sorted(days):
        f = reports.daily(day).figures
        moves = {r.code: r.balance for r in ledger.period_balances(day, day)}
        deferred = value * (PointsMove.select(fn.COALESCE(fn.SUM(PointsMove.points), 0))
                            .join(Sale).where((Sale.day == day) & PointsMove.kind.in_(
                                ("earn", "reverse"))).scalar() or 0)
        assert -moves.get(ledger.REVENUE, D(0)) == f.revenue - deferred, day
        assert -moves.get(ledger.VAT, D(0)) == f.tax, day  # the demo's bills carry no VAT
    # What is owed to suppliers is the bills less the payments.
    billed = from_scaled(SupplierBill.total, SupplierBill.select(fn.SUM(SupplierBill.total))
                         .scalar())
    paid = from_scaled(SupplierPayment.amount,
                       SupplierPayment.select(fn.SUM(SupplierPayment.amount)).scalar())
    assert -ledger.balance(ledger.AP) == billed - paid
    assert sum((r.total for r in payables.aging()), D(0)) == billed - paid
    # What customers owe on account is what the receivables hold open.
    assert Receivable.select().exists()
    owed = sum((r.amount - r.paid for r in Receivable.select()), D(0))
    assert ledger.balance(ledger.AR) == owed == sum((r.owed for r in receivables.accounts()),
                                                    D(0))
    assert -ledger.balance(ledger.POINTS) == points.owed() > 0
    assert integrity.verify().ok
