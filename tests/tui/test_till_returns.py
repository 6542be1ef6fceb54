"""The till's discounts with a supervisor's override, returns and exchanges, refunds, the
audited no-sale, and counting the drawer by denomination — as a cashier does them."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from textual.events import Key
from textual.widgets import Input, Label

from store.core import i18n
from store.customers import lookup
from store.models import Approval, PrintJob, Shift
from store.security import audit
from store.selling import sales
from tests.tui.test_login_home import drain, make_app
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tui.dialogs.cashcount import CashCountDialog
from tui.dialogs.override import OverrideDialog
from tui.screens.returns import ReturnScreen
from tui.screens.tender import TenderScreen
from tui.screens.till.screen import TillScreen

D = Decimal


def message(app) -> str:
    return str(app.screen.query_one("#till-message", Label).render())


async def approve(pilot, reason: str = "wrong item") -> None:
    """The supervisor comes to the till: user name, PIN and the reason."""
    await drain(pilot.app)
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, OverrideDialog))
    await pilot.press(*"manager", "enter", *"2468", "enter", *reason, "enter")
    await pilot.pause()


async def done(pilot) -> bool:
    await drain(pilot.app)
    return await wait_until(pilot, lambda: isinstance(pilot.app.screen, TillScreen)
                            and ("done" in message(pilot.app) or "完成" in message(pilot.app)))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.both_engines
async def test_a_discount_beyond_the_limit_takes_a_supervisors_pin(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "10*6910000000006")  # 30.00
        await pilot.press("f5", *"20%", "enter", *"regular", "enter")
        assert isinstance(app.screen, OverrideDialog)  # a cashier may give 10 %
        await pilot.press(*"manager", "enter", *"0000", "enter")  # wrong PIN: stays open
        assert isinstance(app.screen, OverrideDialog)
        assert str(app.screen.query_one("#approval-error", Label).render())
        await pilot.press(*"2468", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TillScreen)
        assert app.screen.basket.total == D("24.00")
        assert app.screen.query_one("#cart").get_row_at(0)[1].startswith("% ")
        await pilot.press("f12", *"24", "enter")
        assert await done(pilot)
    sale = sales.get_sale("T1-000001")
    line = sale.lines[0]
    assert (line.discount, line.note, sale.total) == (D("6.00"), "regular", D("24.00"))
    approval = Approval.get_by_id(line.approval_id)
    assert approval.approver.username == "manager" and approval.used_ref == "T1-000001"
    kinds = [e.kind for e in audit.events()]
    assert kinds[-1] == "sale" and "approval" in kinds


@pytest.mark.parametrize("lang", ["zh_CN"])  # English: the other returns' tests
@pytest.mark.both_engines
async def test_scan_the_receipt_return_an_item_and_refund_cash(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "3*6910000000006", "6920000000005")
        await pilot.press("f12", *"20", "enter")
        assert await done(pilot)
        await scan(pilot, "T1-000001")  # the receipt's barcode
        await pilot.pause()
        await approve(pilot)  # a cashier's refund takes a supervisor (issue 14.7)
        assert isinstance(app.screen, ReturnScreen)
        await pilot.press("enter", *"2", "enter")  # two of the first line back
        await pilot.press("down", "d")  # the second line: one, damaged
        await pilot.press("enter", "enter")
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, TillScreen)
        assert app.screen.basket.total == D("-9.90")
        assert app.screen.query_one("#cart").get_row_at(0)[1].startswith("↩")
        await pilot.press("f12")
        assert isinstance(app.screen, TenderScreen)
        await pilot.press("enter")  # cash, the whole refund
        assert await done(pilot)
        assert "9.90" in message(app) and ("Refund" in message(app) or "退款" in message(app))
    refund = sales.get_sale("T1-000002")
    assert refund.original == "T1-000001" and refund.total == D("-9.90")
    assert [p.amount for p in refund.payments] == [D("-9.90")]
    assert [ln.restock for ln in refund.lines] == [True, False]
    # Returning more than is left is refused with its reason, nothing added.
    async with make_app(fresh_demo).run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        app = pilot.app
        await scan(pilot, "T1-000001")
        await pilot.pause()
        await approve(pilot)
        await pilot.press("enter", *"5", "enter")
        assert "5" in str(app.screen.query_one("#return-error", Label).render())
        await pilot.press("escape")
        await scan(pilot, "T1-999999")
        assert "T1-999999" in message(app) and not app.screen.basket


async def test_a_card_sale_refunded_in_cash_needs_approval(fresh_demo) -> None:  # noqa: F811
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("f12", "f3", *"3", "tab", *"4455", "enter")  # WeChat
        assert await done(pilot)
        await pilot.press("f3", *"T1-000001", "enter")
        await pilot.pause()
        await approve(pilot)
        await pilot.press("a", "f12", "f12")
        assert isinstance(app.screen, TenderScreen)
        await pilot.press("f1", "enter")  # cash back for a WeChat payment
        await drain(app)
        assert await wait_until(pilot, lambda: isinstance(app.screen, OverrideDialog))
        await pilot.press(*"manager", "enter", *"2468", "enter", *"phone flat", "enter")
        assert await done(pilot)
    refund = sales.get_sale("T1-000002")
    assert [(p.tender, p.amount) for p in refund.payments] == [("CASH", D("-3.00"))]
    assert {a.permission for a in Approval.select().where(Approval.used_ref == "T1-000002")} == {
        "refund", "refund_to_cash"}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_refund_offers_only_the_sales_tenders_up_to_what_they_took(fresh_demo, lang) -> None:  # noqa: F811
    """Issue 14.7: the refund's picker offered tenders the sale never had and refused only
    after closing ("Refund at most 0 to Bank card"); the refund ended with "Sale … done"."""
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "2*6910000000006")  # 6.00
        await pilot.press("f12", "f3", *"6", "tab", *"4455", "enter")  # WeChat
        assert await done(pilot)
        await pilot.press("f3", *"T1-000001", "enter")
        await approve(pilot)
        await pilot.press("a", "f12", "f12")
        assert isinstance(app.screen, TenderScreen)
        tender = app.screen
        assert [t.code for t in tender.tenders] == ["CASH", "WECHAT"]  # no card, no Alipay
        assert tender.tenders[tender.selected].code == "WECHAT"  # back where it came from
        assert tender.query_one("#tender-amount").value == "6.00"
        keys = str(tender.query_one("#tender-keys").render())
        assert "F2" in keys and "F3" not in keys
        await pilot.press("f3")  # not offered: nothing changes
        assert tender.tenders[tender.selected].code == "WECHAT"
        amount = tender.query_one("#tender-amount")
        amount.value = "7"
        await pilot.press("enter")
        assert "￥6.00" in str(tender.query_one("#tender-error").render())  # said, not closed
        assert app.screen is tender
        amount.value = "6"
        await pilot.press("tab", *"4455", "enter")
        assert await done(pilot)
        said = message(app)
        assert "T1-000002" in said and "￥6.00" in said
        assert ("Refund" in said) if lang == "en" else ("退款" in said)
    refund = sales.get_sale("T1-000002")
    assert [(p.tender, p.amount) for p in refund.payments] == [("WECHAT", D("-6.00"))]
    assert Approval.get(Approval.used_ref == "T1-000002").permission == "refund"


async def test_an_exchange_pays_the_difference(fresh_demo) -> None:  # noqa: F811
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("f12", "enter")
        assert await done(pilot)
        await scan(pilot, "T1-000001")
        await pilot.pause()
        await approve(pilot)
        await pilot.press("a", "f12")
        await scan(pilot, "6920000000005")  # swapped for the 500 ml: 0.90 more
        assert app.screen.basket.total == D("0.90")
        await pilot.press("f12", *"1", "enter")
        assert await done(pilot)
    ex = sales.get_sale("T1-000002")
    assert ex.total == D("0.90") and ex.change == D("0.10") and ex.original == "T1-000001"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_no_sale_opens_the_drawer_with_approval_and_is_recorded(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await pilot.press("shift+f9", *"change for the bank", "enter")
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press("escape")  # no supervisor: no drawer
        assert not PrintJob.select().where(PrintJob.kind == "drawer").count()
        await pilot.press("shift+f9", *"change for the bank", "enter")
        # The supervisor types fast (or over SSH): name, Enter, PIN, Enter in one burst, and
        # each key lands in the field that had the focus when it was typed.
        for key in [*"manager", "enter", *"2468", "enter"]:
            app.post_message(Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await pilot.pause()
        assert ("recorded" if lang == "en" else "已记录") in message(app)
    events = audit.events(kind="drawer_open")
    assert [e.data["reason"] for e in events] == ["change for the bank"]
    assert PrintJob.select().where(PrintJob.kind == "drawer").count() == 1
    # Each time the cashier asked without a supervisor's approval, the refusal was recorded.
    assert [e.data["permission"] for e in audit.events(kind="permission_denied")] == [
        "no_sale", "no_sale"]


@pytest.mark.both_engines
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_close_the_shift_counting_notes_and_coins(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)  # float 200
        await scan(pilot, "6910000000006")
        await pilot.press("f12", *"3", "enter")
        assert await done(pilot)
        await pilot.press("f10")
        assert isinstance(app.screen, CashCountDialog)
        await pilot.press("tab")
        # Typed fast, in one burst: 2 × 100; 50, 20, 10 none; one 5; no 1; four 0.5 coins.
        # Each Enter moves down as it arrives, so no count lands on the coin before.
        for key in [*"2", "enter", "enter", "enter", "enter", *"1", "enter", "enter", *"4",
                    "enter"]:
            app.post_message(Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await pilot.pause()
        total = app.screen.query_one("#count-total").value
        assert total == "207.00", total
        await pilot.press("f12")
        await pilot.pause()
    shift = Shift.get(Shift.z_number == 1)
    assert shift.counted_cash == D("207.00") and shift.expected_cash == D("203.00")
    assert shift.closing_count == '{"0.5": 4, "100": 2, "5": 1}'
    assert shift.audit_hash and shift.grand_total == D("3.00")


@pytest.mark.pg_only
async def test_the_database_going_away_the_till_sells_on_and_catches_up(
        fresh_demo) -> None:  # noqa: F811
    """Issue 18.2 at the till: the server refuses the shop's database mid-basket; F12 still
    sells (from the outbox, its receipt printed from the till's own queue), the header says
    OFFLINE and how many sales wait, scans go on from the local copy, what needs the
    database is refused in words; when the server answers again the sale goes in once."""
    import asyncio

    from store.models import Sale
    from tests.pgoutage import refused

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        assert app.link is not None
        await asyncio.to_thread(app.link.refresh)  # (the link's first round, done now)
        await scan(pilot, "6910000000006", "6920000000005")
        # The server refuses the shop's database and drops every connection to it.
        with refused(fresh_demo):
            await pilot.press("f12", "enter")
            assert await done(pilot)  # sold: the customer has a receipt
            assert "T1-000001" in message(app)
            assert "OFFLINE" in app.sub_title and "to send: 1" in app.sub_title

            def printed_here() -> list[tuple[str, str]]:  # its receipt, from the till's queue
                with app.link.outbox._db() as db:
                    return list(db.execute("SELECT kind, reference FROM print_job WHERE "
                                           "printed_at IS NOT NULL ORDER BY id"))

            assert await wait_until(pilot, lambda: ("receipt", "T1-000001") in printed_here())
            await scan(pilot, "6910000000006")  # the next customer, from the local copy
            assert app.screen.query_one("#cart").row_count == 1
            await pilot.press("f6")  # parking needs the database: said, basket kept
            await pilot.pause()
            assert "needs the database" in message(app)
            assert app.screen.query_one("#cart").row_count == 1
            await pilot.press("delete")  # a mis-scan taken out: kept to be recorded
            await pilot.pause()
            assert app.screen.query_one("#cart").row_count == 0
        result = await asyncio.to_thread(app.link.tick)  # the link's next round
        assert result is not None and result.posted == ["T1-000001"]
        await pilot.pause()
        assert "OFFLINE" not in app.sub_title and "to send" not in app.sub_title
        await scan(pilot, "6910000000006")
        await pilot.press("f12", "enter")
        assert await done(pilot)
        assert "T1-000002" in message(app)
    assert Sale.select().count() == 2
    assert sales.get_sale("T1-000001").total == D("6.90")
    assert sales.get_sale("T1-000002").total == D("3.00")
    from store.models import AuditEvent

    offline_voids = [e for e in AuditEvent.select().where(AuditEvent.kind == "void")
                     if "offline_at" in e.payload]
    assert len(offline_voids) == 1 and '"sku":"P0000001"' in offline_voids[0].payload


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.both_engines
async def test_a_member_found_by_phone_gets_the_member_prices(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "2*6910000000006", "6920000000005")  # 6.00 + 3.90 on the shelf
        assert app.screen.basket.total == D("9.90")
        await pilot.press("shift+f2", *"13800138001", "enter")  # the demo's member M000001
        await pilot.pause()
        assert app.screen.basket.customer.code == "M000001"
        # Coke 330ml at the member's 2.80, Coke 500ml 5 % off as a drink.
        assert [ln.unit_price for ln in app.screen.basket.lines] == [D("2.80"), D("3.71")]
        assert "M000001" in str(app.screen.query_one("#till-status", Label).render())
        await pilot.press("f12", "enter")
        assert await done(pilot)
    sale = sales.get_sale("T1-000001")
    assert sale.customer_code == "M000001" and sale.total == D("9.30")  # 9.31, rounded cash


async def test_no_match_and_several_matches(fresh_demo) -> None:  # noqa: F811
    from tui.dialogs.pickers import ListPicker

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await pilot.press("shift+f2", *"19999999999", "enter")
        await pilot.pause()
        assert "No customer" in message(app) and app.screen.basket.customer is None
        surname = lookup.find("M000002")[0].name[0]
        assert len(lookup.find(surname)) > 1
        await pilot.press("shift+f2", *surname, "enter")  # a surname: several members
        await pilot.pause()
        assert isinstance(app.screen, ListPicker)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.basket.customer is not None
        await pilot.press("shift+f2")  # the same key takes the customer off
        assert app.screen.basket.customer is None


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_an_unknown_barcode_is_added_with_a_supervisor(fresh_demo, lang) -> None:  # noqa: F811
    from store.catalog import search
    from tui.dialogs.new_product import NewProductDialog

    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "6975555000017")
        assert app.screen.query_one("#cart").row_count == 0  # nothing added
        assert "Ctrl+N" in message(app)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, NewProductDialog)
        await pilot.press(*"5.5", "enter", *"4.50", "enter", "enter")  # a price as the name
        error = app.screen.query_one("#new-error", Label)
        assert "5.5" in str(error.render()) and app.screen.focused.id == "new-name"
        await pilot.press(*"Test tea", "enter")  # the wrong name is selected: retyped
        assert str(error.render()) == ""  # the message goes with its cause
        await pilot.press(*"13%", "enter", "enter")  # the tax rate typed into the price
        assert "13%" in str(error.render()) and app.screen.focused.id == "new-price"
        await pilot.press(*"abc", "enter", "enter")
        assert "abc" in str(app.screen.query_one("#new-error", Label).render())
        await pilot.press(*"4.50", "enter", "enter")  # the wrong price is selected: retyped
        assert isinstance(app.screen, OverrideDialog)  # a cashier may not add products
        await pilot.press(*"manager", "enter", *"2468", "enter", *"new stock", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TillScreen)
        assert app.screen.basket.lines[0].product.name == "Test tea"
        assert app.screen.basket.total == D("4.50")
    assert search.lookup_code("6975555000017").price == D("4.50")
    assert [e.reference for e in audit.events(kind="product_added")] == ["6975555000017"]


async def test_a_new_product_typed_in_one_burst(fresh_demo) -> None:  # noqa: F811
    """'name⏎price⏎⏎' in one burst (a fast cashier, a slow SSH link): Enter moves to the next
    field as it is dispatched, so the price lands in the price, not in the name."""
    from textual import events

    from tests.tui.test_login_home import drain
    from tui.dialogs.new_product import NewProductDialog

    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6975555000024")
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, NewProductDialog)
        for key in [*"Jasmine tea", "enter", *"6.80", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await drain(app)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewProductDialog)
        assert dialog.query_one("#new-name", Input).value == "Jasmine tea"
        assert dialog.query_one("#new-price", Input).value == "6.80"
        assert dialog.focused.id == "new-tax"


async def test_a_read_only_database_keeps_the_basket_and_says_why(fresh_demo) -> None:  # noqa: F811
    """The database turns read-only while paying: the till says so in words, keeps the
    basket, and F12 completes it once the database is writable again."""
    from store.core.db import database

    i18n.set_language("en")
    db = database.obj
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "3*6910000000006")
        # Every new connection from here on is read-only. The sale runs in a worker thread,
        # which opens its own: fresh worker threads make sure it is a new one.
        writable = list(db._pragmas)
        db._pragmas = [*writable, ("query_only", "ON")]
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        try:
            await pilot.press("f12", "enter")
            await drain(app)
            assert await wait_until(pilot, lambda: "read-only" in message(app))
            assert isinstance(app.screen, TillScreen) and len(app.screen.basket.lines) == 1
            assert sales.last_sale_number("T1") is None  # nothing half-written
        finally:
            db._pragmas = writable
            asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        await pilot.press("f12", "enter")
        assert await done(pilot)
    assert sales.get_sale("T1-000001").total == Decimal("9.00")
