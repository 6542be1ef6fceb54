"""Reports on both engines, checked against sums computed here, line by line, from the sales
journal itself; and against the ledger (revenue, cost of goods sold, inventory)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.books import ledger
from store.common import clock
from store.core.errors import ValidationError
from store.models import Payment, Sale, SaleLine
from store.reporting import reports
from store.security import auth
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops import org
from tests.store.test_sales import basket_of, till  # noqa: F401  (the fixture)

D = Decimal
DAY = dt.date(2026, 11, 16)  # a Monday


def at(day: dt.date, hour: int) -> dt.datetime:
    return clock.local_moment(day, dt.time(hour, 15))


def sell(cashier, entries, tender="CASH", *, terminal="T1", when=None, discount=None):
    b = basket_of(*entries)
    if discount:
        b.discount_line(0, percent=D(discount), reason="dented")
    pay = [PaymentInput(tender, b.total if tender != "CASH" else b.total + D("0.50"))]
    with clock.at(when or at(DAY, 10)):
        return sales.post_sale(b, pay, terminal=terminal, cashier_id=cashier.id)


def give_back(cashier, number: str, qty: str, when) -> None:
    # A refund is a supervisor's (issue 14.7): the shift's cashier hands over to one.
    from store.models import User

    boss = User.get_or_none(User.username == "sue") or auth.create_user(
        "sue", "supervisor", pin="5678")
    receipt = returns.returnable(number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(qty))
    with clock.at(when):
        sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=boss.id)


def expected(day_from: dt.date, day_to: dt.date) -> dict:
    """The same figures, added up here from every line and payment, one row at a time."""
    out: dict = defaultdict(lambda: D(0))
    out["by_hour"] = defaultdict(lambda: D(0))
    out["by_tender"] = defaultdict(lambda: D(0))
    for sale in Sale.select():
        local = clock.to_local(sale.created_at)
        if not day_from <= local.date() <= day_to:
            continue
        out["sales" if sale.original_id is None else "returns_n"] += 1
        for ln in SaleLine.select().where(SaleLine.sale == sale.id):
            out["net"] += ln.amount
            out["tax"] += ln.tax
            out["cost"] += ln.cost
            out["by_hour"][local.hour] += ln.amount
            if ln.qty > 0:
                out["gross"] += ln.amount + ln.discount
                out["discounts"] += ln.discount
                out["items"] += ln.qty
            else:
                out["returns"] -= ln.amount
        change = sale.change
        for p in Payment.select().where(Payment.sale == sale.id):
            kept = p.amount - (change if p.tender.kind == "cash" else 0)
            change = D(0) if p.tender.kind == "cash" else change
            out["by_tender"][p.tender.code] += kept
    return out


def test_the_daily_report_adds_up_to_the_journal_and_the_ledger(till) -> None:  # noqa: F811
    clock.set_shop_zone("Asia/Shanghai")
    org.create_terminal("T2", "2号", "STORE")
    sales.open_shift("T2", till.id, "0")
    s1 = sell(till, [("6901234567892", "4")], when=at(DAY, 9))
    sell(till, [("APPLE", "1.250")], "WECHAT", when=at(DAY, 9), discount="10")
    sell(till, [("16901234567899", None)], "CARD", terminal="T2", when=at(DAY, 18))
    give_back(till, s1.number, "1", at(DAY, 19))
    sell(till, [("6901234567892", "2")], when=at(DAY - dt.timedelta(days=7), 11))  # last week
    sell(till, [("6901234567892", "9")], when=at(DAY + dt.timedelta(days=1), 0))  # tomorrow
    report = reports.daily(DAY)
    want = expected(DAY, DAY)
    f = report.figures
    assert (report.sales, report.return_receipts) == (3, 1)
    assert (f.gross, f.discounts, f.returns, f.net, f.tax, f.cost, f.items) == (
        want["gross"], want["discounts"], want["returns"], want["net"], want["tax"], want["cost"],
        want["items"])
    assert f.net == f.gross - f.discounts - f.returns
    assert {t.key: t.amount for t in report.by_tender} == dict(want["by_tender"])
    assert sum((t.amount for t in report.by_terminal), D(0)) == f.net + report.rounding
    assert {t.key for t in report.by_terminal} == {"T1", "T2"}
    # The ledger agrees: that day's revenue and cost of goods sold.
    moves = {r.code: r.balance for r in ledger.period_balances(DAY, DAY)}
    assert -moves[ledger.REVENUE] == f.revenue and moves[ledger.COGS] == f.cost
    assert -moves[ledger.VAT] == f.tax
    hours = {r.key: r.figures.net for r in reports.sales_by("hour", DAY, DAY)}
    assert hours == {str(h): v for h, v in want["by_hour"].items()}
    dash = reports.dashboard(DAY)
    assert dash.by_hour[9] == want["by_hour"][9] and dash.last_week.figures.net == D("7.00")
    assert dash.today.figures.net == f.net


def test_sales_by_every_dimension_sum_to_the_period(till) -> None:  # noqa: F811
    for i, (code, qty) in enumerate([("6901234567892", "3"), ("APPLE", "0.500"),
                                     ("6901234567892", "1")]):
        sell(till, [(code, qty)], when=at(DAY + dt.timedelta(days=i), 10 + i))
    start, end = DAY, DAY + dt.timedelta(days=2)
    total = reports.period(start, end).figures
    for dimension in reports.DIMENSIONS:
        rows = reports.sales_by(dimension, start, end)
        assert sum((r.figures.net for r in rows), D(0)) == total.net, dimension
        if dimension != "tender":
            assert sum((r.figures.cost for r in rows), D(0)) == total.cost, dimension
    by_product = {r.key: r for r in reports.sales_by("product", start, end)}
    assert by_product["COKE"].figures.items == D(4) and by_product["COKE"].sales == 2
    assert [r.key for r in reports.sales_by("day", start, end)] == [
        (DAY + dt.timedelta(days=i)).isoformat() for i in range(3)]
    with pytest.raises(ValidationError, match="weekday"):
        reports.sales_by("weekday", start, end)
    taxes = {r.rate_pct: r for r in reports.tax_summary(start, end)}
    assert set(taxes) == {D(13), D(9)}
    assert sum((r.tax for r in taxes.values()), D(0)) == total.tax


def test_pnl_balance_sheet_and_valuation_agree_with_the_ledger(till) -> None:  # noqa: F811
    sell(till, [("6901234567892", "10")], when=at(DAY, 10))
    p = reports.pnl(DAY, DAY)
    f = reports.daily(DAY).figures
    assert p.revenue == f.revenue and p.cost_of_sales == f.cost
    assert p.gross_profit == f.margin
    rows, total = reports.valuation()
    assert total == ledger.balance(ledger.INVENTORY)
    assert sum((r.value for r in rows), D(0)) == total
    sheet = reports.balance_sheet(DAY)
    assert sheet.balances
    assert sheet.total_equity - sum((r.amount for r in sheet.equity if r.code), D(0)) == \
        reports.pnl(dt.date(2000, 1, 1), DAY).net_profit


sale_spec = st.tuples(
    st.sampled_from(["6901234567892", "16901234567899", "APPLE"]),
    st.integers(min_value=1, max_value=5),
    st.sampled_from(["CASH", "CARD", "WECHAT", "ALIPAY"]),
    st.integers(min_value=0, max_value=2),  # day offset
    st.integers(min_value=0, max_value=23),  # hour
    st.sampled_from([None, "5", "10"]),
)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(sale_spec, min_size=1, max_size=8))
def test_random_sales_report_what_the_journal_holds(till, specs) -> None:  # noqa: F811
    before = {d: reports.daily(DAY + dt.timedelta(days=d)).figures for d in range(3)}
    added: dict[int, Decimal] = defaultdict(lambda: D(0))
    for code, qty, tender, offset, hour, discount in specs:
        q = str(qty) if code != "APPLE" else f"0.{qty}00"
        view = sell(till, [(code, q)], tender, discount=discount,
                    when=at(DAY + dt.timedelta(days=offset), hour))
        added[offset] += sum((ln.amount for ln in view.lines), D(0))
    for d in range(3):
        day = DAY + dt.timedelta(days=d)
        report = reports.daily(day)
        want = expected(day, day)
        assert report.figures.net == want["net"] == before[d].net + added[d]
        assert report.figures.tax == want["tax"] and report.figures.cost == want["cost"]
        assert {t.key: t.amount for t in report.by_tender if t.amount} == {
            k: v for k, v in want["by_tender"].items() if v}


def test_the_dashboard_compares_today_so_far_with_last_week_so_far(till) -> None:  # noqa: F811
    week_ago = DAY - dt.timedelta(days=7)
    sell(till, [("6901234567892", "2")], when=at(week_ago, 9))  # 7.00: in the morning
    sell(till, [("6901234567892", "4")], when=at(week_ago, 20))  # 14.00: that evening
    sell(till, [("6901234567892", "1")], when=at(DAY, 10))
    with clock.freeze(at(DAY, 12)):
        dash = reports.dashboard()
    assert dash.today.figures.net == D("3.50")
    assert dash.last_week.figures.net == D("7.00")  # only last week's morning
    assert reports.daily(week_ago).figures.net == D("21.00")
