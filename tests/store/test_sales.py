"""Posting sales: one transaction, gap-free numbers, idempotent retries, and the invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import fn

from store.books import ledger
from store.catalog import products, search
from store.catalog.products import BarcodeInput, ProductInput
from store.core.errors import StoreError, ValidationError
from store.models import JournalEntry, Payment, Sale, SaleLine, StockLevel, StockMove
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import inventory

D = Decimal


@pytest.fixture
def till(shop):
    products.create_product(ProductInput("COKE", "可口可乐 330ml", "3.50", "13%", cost="2.10",
                                        barcodes=[BarcodeInput("6901234567892"),
                                                  BarcodeInput("16901234567899", D(12))]))
    products.create_product(ProductInput("APPLE", "苹果", "12.80", "9%", unit="kg",
                                        cost="8.00"))
    inventory.post_opening_stock("COKE", "STORE", "100")
    inventory.post_opening_stock("APPLE", "STORE", "20")
    cashier = auth.create_user("ann", "cashier", pin="1234")
    sales.open_shift("T1", cashier.id, "200.00")
    return cashier


def basket_of(*entries: tuple[str, str | None]) -> Basket:
    b = Basket()
    for code, qty in entries:
        b.add(search.lookup_code(code), D(qty) if qty else None)
    return b


def test_a_sale_posts_everything_in_one_go(till) -> None:
    b = basket_of(("6901234567892", None), ("16901234567899", None), ("APPLE", "0.835"))
    view = sales.post_sale(b, [PaymentInput("WECHAT", D("20.00")),
                               PaymentInput("CASH", D("50.00"))], terminal="T1",
                           cashier_id=till.id)
    assert view.number == "T1-000001"
    assert view.total == D("45.50") + D("10.69") and view.change == D("70.00") - view.total
    assert [ln.qty for ln in view.lines] == [D(13), D("0.835")]
    coke = products.get_product("COKE")
    assert StockLevel.get(StockLevel.product == coke.id).on_hand == D(87)
    moves = StockMove.select().where((StockMove.product == coke.id)
                                     & (StockMove.reason == "sale"))
    assert [m.qty for m in moves] == [D(-13)] and moves[0].reference == "T1-000001"
    # Invariant 5: Σ lines = total, Σ payments − change = total.
    assert sum((ln.amount for ln in view.lines), D(0)) == view.total
    assert sum((p.amount for p in view.payments), D(0)) - view.change == view.total
    # Invariant 1: the entry balances; cash kept is cash paid minus change.
    rows = {r.code: r for r in ledger.trial_balance()}
    assert sum((r.debit - r.credit for r in rows.values()), D(0)) == 0
    assert rows[ledger.CASH].debit == D("50.00") - view.change
    assert rows[ledger.OTHER_FUNDS].debit == D("20.00")
    assert rows[ledger.VAT].credit == view.tax
    assert rows[ledger.COGS].debit == D("13") * D("2.10") + D("6.68")  # 0.835 × 8.00 = 6.68


def test_a_retried_commit_does_not_sell_twice(till) -> None:
    b = basket_of(("COKE", None))
    first = sales.post_sale(b, [PaymentInput("CASH", D("5"))], terminal="T1", cashier_id=till.id)
    again = sales.post_sale(b, [PaymentInput("CASH", D("5"))], terminal="T1", cashier_id=till.id)
    assert first == again and Sale.select().count() == 1
    assert StockMove.select().where(StockMove.reason == "sale").count() == 1


def test_failed_sales_leave_no_trace_and_no_gap(till) -> None:
    b = basket_of(("COKE", "2"))
    with pytest.raises(ValidationError, match="still due"):
        sales.post_sale(b, [PaymentInput("CASH", D("5.00"))], terminal="T1", cashier_id=till.id)
    with pytest.raises(ValidationError, match="Only cash can be overpaid"):
        sales.post_sale(b, [PaymentInput("WECHAT", D("10.00"))], terminal="T1",
                        cashier_id=till.id)
    with pytest.raises(ValidationError, match="Unknown tender"):
        sales.post_sale(b, [PaymentInput("BITCOIN", D("7.00"))], terminal="T1",
                        cashier_id=till.id)
    with pytest.raises(ValidationError, match="empty"):
        sales.post_sale(Basket(), [PaymentInput("CASH", D("1"))], terminal="T1",
                        cashier_id=till.id)
    assert Sale.select().count() == 0 and Payment.select().count() == 0
    assert JournalEntry.select().where(JournalEntry.reference != "OPENING").count() == 0
    ok = sales.post_sale(b, [PaymentInput("CASH", D("7.00"))], terminal="T1",
                         cashier_id=till.id)
    assert ok.number == "T1-000001"  # the failed attempts used no number


def test_selling_needs_an_open_shift(shop) -> None:
    products.create_product(ProductInput("X", "x", "1", "13%"))
    user = auth.create_user("bob", "cashier", pin="1234")
    with pytest.raises(StoreError, match="Open a shift"):
        sales.post_sale(basket_of(("X", None)), [PaymentInput("CASH", D(1))], terminal="T1",
                        cashier_id=user.id)
    sales.open_shift("T1", user.id, "0")
    with pytest.raises(StoreError, match="already has an open shift"):
        sales.open_shift("T1", user.id, "0")
    with pytest.raises(StoreError, match="No terminal"):
        sales.open_shift("T9", user.id, "0")


def test_sales_list_and_show(till) -> None:
    for _ in range(3):
        sales.post_sale(basket_of(("COKE", None)), [PaymentInput("CASH", D("3.50"))],
                        terminal="T1", cashier_id=till.id)
    listed = sales.list_sales(terminal="T1")
    assert [s.number for s in listed] == ["T1-000001", "T1-000002", "T1-000003"]
    assert sales.get_sale("T1-000002").lines[0].sku == "COKE"
    with pytest.raises(StoreError, match="No sale"):
        sales.get_sale("T1-999999")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["COKE", "16901234567899", "APPLE"]),
                          st.integers(1, 5)), min_size=1, max_size=6),
       st.sampled_from(["CASH", "CARD", "WECHAT", "ALIPAY"]))
def test_invariants_hold_after_any_sale(till, entries, tender) -> None:
    b = Basket()
    for code, n in entries:
        hit = search.lookup_code(code)
        b.add(hit, D(n) / 4 if hit.sold_by_weight else D(n))
    pay = b.total + (D("0.50") if tender == "CASH" else 0)
    view = sales.post_sale(b, [PaymentInput(tender, pay)], terminal="T1", cashier_id=till.id)
    assert sum((ln.amount for ln in view.lines), D(0)) == view.total  # invariant 5
    assert sum((p.amount for p in view.payments), D(0)) - view.change == view.total
    tb = ledger.trial_balance()
    assert sum((r.debit - r.credit for r in tb), D(0)) == 0  # invariant 1
    for level in StockLevel.select():  # invariant 2
        moved = (StockMove.select(fn.SUM(StockMove.qty))
                 .where((StockMove.product == level.product_id)
                        & (StockMove.warehouse == level.warehouse_id)).scalar())
        assert D(int(moved)) / 1000 == level.on_hand
    assert SaleLine.select().where(SaleLine.sale == view.id).count() == len(view.lines)


def test_x_report_and_closing_the_shift(till) -> None:
    for pays in ([PaymentInput("CASH", D("10.00"))],  # 3.50 due: 6.50 change
                 [PaymentInput("WECHAT", D("3.50"))],
                 [PaymentInput("CASH", D("1.50")), PaymentInput("CARD", D("2.00"))]):
        sales.post_sale(basket_of(("COKE", None)), pays, terminal="T1", cashier_id=till.id)
    shift = sales.current_shift("T1")
    x = sales.shift_totals(shift.id)
    assert (x.sales, x.total) == (3, D("10.50"))
    assert {t.code: t.amount for t in x.tenders} == {"CASH": D("5.00"), "WECHAT": D("3.50"),
                                                       "CARD": D("2.00")}
    assert x.expected_cash == D("205.00")  # the 200 float and 5.00 kept
    z = sales.close_shift("T1", till, "204.50")  # fifty fen short
    assert (z.z_number, z.counted_cash, z.over_short) == (1, D("204.50"), D("-0.50"))
    assert sales.current_shift("T1") is None
    assert ledger.balance(ledger.CASH_OVER_SHORT) == D("0.50")
    assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0
    with pytest.raises(StoreError, match="no open shift"):
        sales.close_shift("T1", till, "0")
    with pytest.raises(StoreError, match="Open a shift"):
        sales.post_sale(basket_of(("COKE", None)), [PaymentInput("CASH", D(5))], terminal="T1",
                        cashier_id=till.id)
    sales.open_shift("T1", till.id, "100")
    assert sales.close_shift("T1", till, "100").z_number == 2  # gap-free, per terminal


def test_a_shift_from_yesterday_blocks_selling_until_a_supervisor_closes_it(till) -> None:
    import datetime as dt

    from store.core.errors import AuthError
    from store.models import Shift

    Shift.update(opened_at=dt.datetime(2020, 1, 1)).where(Shift.status == "open").execute()
    assert sales.stale_shift("T1") is not None
    with pytest.raises(StoreError, match="earlier day"):
        sales.post_sale(basket_of(("COKE", None)), [PaymentInput("CASH", D(5))], terminal="T1",
                        cashier_id=till.id)
    with pytest.raises(AuthError, match="supervisor"):
        sales.close_shift("T1", till, "200")
    boss = auth.authenticate("boss", "8888")
    assert sales.close_shift("T1", boss, "200").over_short == 0


def test_scale_layouts_are_a_shop_setting(shop) -> None:
    from store.catalog import scale

    assert [r.text for r in scale.layouts()] == list(scale.DEFAULT_LAYOUTS)
    scale.set_layouts(["20CCCCCCWWWWK"])
    assert [(r.prefix, r.code_len, r.kind) for r in scale.layouts()] == [("20", 6, "weight")]
    with pytest.raises(ValidationError, match="once"):
        scale.set_layouts(["21CCCCCPPPPPK", "21CCCCCWWWWWK"])
    assert [r.text for r in scale.layouts()] == ["20CCCCCCWWWWK"]  # unchanged by the refusal


def test_park_recall_anywhere_and_cancel(till) -> None:
    from store.core.errors import NotFound
    from store.models import CancelledSale
    from store.selling import parking

    b = basket_of(("COKE", "2"), ("APPLE", "0.5"))
    b.lines[0].lot = "L7"  # a GS1-128 label's lot, scanned at the till
    parking.park(b, terminal="T1", user_id=till.id)
    with pytest.raises(StoreError, match="already parked"):
        parking.park(b, terminal="T1", user_id=till.id)
    [p] = parking.parked()
    assert (p.terminal, p.total, p.items) == ("T1", b.total, D(3))
    back = parking.recall(p.uuid, prices_include_tax=True)  # e.g. from terminal T2
    assert back.uuid == b.uuid and back.total == b.total
    assert [(ln.qty, ln.lot) for ln in back.lines] == [(D(2), "L7"), (D("0.5"), "")]
    assert parking.parked() == []
    with pytest.raises(NotFound, match="no longer parked"):
        parking.recall(p.uuid, prices_include_tax=True)
    sale = sales.post_sale(back, [PaymentInput("CASH", D("20"))], terminal="T1",
                           cashier_id=till.id)  # a recalled basket sells normally
    assert sale.total == b.total
    other = basket_of(("COKE", None))
    parking.cancel(other, terminal="T1", user_id=till.id, reason="customer left")
    row = CancelledSale.get(CancelledSale.uuid == other.uuid)
    assert (row.total, row.reason) == (D("3.50"), "customer left")
    assert Sale.select().count() == 1  # cancelling sold nothing
    from store.security import audit

    (event,) = audit.events(kind="cancel")  # and the chain keeps it
    assert event.data["total"] == 350 and event.data["reason"] == "customer left"


def test_days_are_the_shops_local_days(till) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from store.common import clock
    from store.models import Shift

    clock.set_shop_zone("Asia/Shanghai")
    zone = ZoneInfo("Asia/Shanghai")
    # 07:30 in Beijing is 23:30 UTC the day before: still the same shop day.
    assert clock.local_date(dt.datetime(2026, 11, 24, 23, 30), zone) == dt.date(2026, 11, 25)
    assert clock.day_bounds(dt.date(2026, 11, 25), zone) == (
        dt.datetime(2026, 11, 24, 16, 0), dt.datetime(2026, 11, 25, 16, 0))
    today_start, _end = clock.day_bounds(clock.local_today())
    Shift.update(opened_at=today_start + dt.timedelta(minutes=1)).execute()
    assert sales.stale_shift("T1") is None  # opened this morning, shop time
    Shift.update(opened_at=today_start - dt.timedelta(minutes=1)).execute()
    assert sales.stale_shift("T1") is not None  # opened before the shop's midnight
    with pytest.raises(ValidationError, match="unknown time zone"):
        clock.set_shop_zone("Mars/Olympus")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("fault", ["full", "readonly"])
def test_a_full_disk_or_a_read_only_database_writes_nothing(till, engine, fault) -> None:
    """The sale fails whole, with the reason; once the disk has room again the same basket
    (same uuid) sells once. SQLite's page limit and query_only simulate the faults; PostgreSQL
    reports the same as a failed commit, tested by the database-gone tests."""
    from store.core.db import database

    db = database.obj
    for i in range(150):  # a big basket: its lines need new pages, whatever space is left
        products.create_product(ProductInput(f"X{i:03d}", f"商品{i}", "1.00", "13%"))
    b = basket_of(("6901234567892", "3"), *[(f"X{i:03d}", "1") for i in range(150)])
    before = (Sale.select().count(), SaleLine.select().count(), StockMove.select().count(),
              JournalEntry.select().count())
    if fault == "full":  # packed tight, and not a page more: as a full disk
        db.execute_sql("VACUUM")
        pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
        db.execute_sql(f"PRAGMA max_page_count = {pages}")
    else:
        db.execute_sql("PRAGMA query_only = ON")
    with pytest.raises(Exception) as err:
        sales.post_sale(b, [PaymentInput("CASH", D("200"))], terminal="T1", cashier_id=till.id)
    assert ("full" if fault == "full" else "readonly") in str(err.value)
    from tui.guard import storage_problem

    said = storage_problem(err.value)
    assert said is not None and ("disk is full" in said or "read-only" in said)
    assert (Sale.select().count(), SaleLine.select().count(), StockMove.select().count(),
            JournalEntry.select().count()) == before
    db.execute_sql("PRAGMA query_only = OFF")
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    first = sales.post_sale(b, [PaymentInput("CASH", D("200"))], terminal="T1",
                            cashier_id=till.id)
    again = sales.post_sale(b, [PaymentInput("CASH", D("200"))], terminal="T1",
                            cashier_id=till.id)
    assert first.number == again.number and Sale.select().count() == before[0] + 1


def test_a_quantity_beyond_the_limit_is_said_as_typed(till) -> None:
    """Issue 14.21: the message read '99999.000000' is more than 9999."""
    basket = Basket(max_qty=Decimal(9999))
    with pytest.raises(ValidationError) as refused:
        basket.add(search.lookup_code("COKE"), Decimal("99999.000000"))  # as parsed
    assert "'99999' is more than 9999" in str(refused.value)
