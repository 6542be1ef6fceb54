"""The till as a cashier uses it: open a shift, scan, change a line, pay, get a receipt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Digits, Input, Label

from devices.sim.printer import PrinterSimulator
from store.core import i18n
from store.selling import sales
from tests.tui.test_login_home import drain, login, make_app
from tests.tui.test_scanning import wait_until
from tui.dialogs.shift_report import ShiftReportDialog
from tui.screens.tender import TenderScreen
from tui.screens.till.screen import TillScreen


@pytest.fixture
def fresh_demo(engine, tmp_path, request):
    """A demo shop of its own: these tests sell, so they must not share the read-only demo."""
    from store import bootstrap

    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'till.db'}"
    else:
        from tests.conftest import create_pg_database

        url = create_pg_database("zg_till")
    bootstrap.ensure_demo(url, products=120, history_days=0)
    yield url
    bootstrap.close_store()


def screen_text(app) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


def dialog_rows(text: str) -> list[str]:
    """The text inside a bordered dialog's │ … │ on each line."""
    return [ln.split("│")[1].strip() for ln in text.splitlines() if ln.count("│") >= 2]


async def open_till(pilot, lang: str) -> None:
    await login(pilot, "cashier", "1234")
    await pilot.press("1")
    await pilot.pause()
    await pilot.press(*"200", "enter")  # the opening float
    await pilot.pause()
    assert isinstance(pilot.app.screen, TillScreen)


async def scan(pilot, *codes: str) -> None:
    for code in codes:
        await pilot.press(*code, "enter")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.both_engines
async def test_sell_and_print_a_receipt(fresh_demo, lang) -> None:
    i18n.set_language(lang)
    sim = PrinterSimulator().start()
    app = make_app(fresh_demo)
    app.config.printer.url = f"tcp://127.0.0.1:{sim.port}"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_till(pilot, lang)
            # Coke 330ml (3.00), its case of 12, then 3 of Coke 500ml (3.90).
            await scan(pilot, "6910000000006", "16910000000003", "3*6920000000005")
            cart = app.screen.query_one("#cart")
            assert cart.row_count == 2
            assert [cart.get_row_at(i)[2] for i in range(2)] == ["13", "3"]
            await scan(pilot, "0000000")  # unknown: a message, nothing added
            assert cart.row_count == 2
            unknown = "Unknown code" if lang == "en" else "未知条码"
            assert unknown in str(app.screen.query_one("#till-message", Label).render())
            await pilot.press("delete")  # the highlighted last line goes
            assert cart.row_count == 1
            await pilot.press("f12")
            assert isinstance(app.screen, TenderScreen)
            await pilot.press(*"50", "enter")  # cash; 39.00 due
            await drain(app)
            assert await wait_until(pilot, lambda: len(sim.jobs) == 2, 8)
            drawer, receipt = sim.jobs
            assert drawer.decoded.events_of("drawer") == [("drawer", 2)]
            text = receipt.decoded.text
            assert any("T1-000001" in line for line in text)
            assert any(line.endswith("11.00") for line in text)  # the change
            assert receipt.decoded.events_of("barcode")[0][2] == "T1-000001"
    finally:
        sim.stop()
    sale = sales.get_sale("T1-000001")
    assert sale.total == Decimal("39.00") and sale.change == Decimal("11.00")
    assert [(p.tender, p.amount) for p in sale.payments] == [("CASH", Decimal("50.00"))]


async def test_split_payment_and_quantity_change(fresh_demo) -> None:
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("f4", *"4", "enter")  # four of them
        assert app.screen.query_one("#cart").get_row_at(0)[2] == "4"
        await pilot.press("f12", "f3", *"5", "tab", *"884421", "enter")
        assert isinstance(app.screen, TenderScreen) and len(app.screen.payments) == 1
        await pilot.press("f2", *"7", "tab", *"4242424242424242", "enter")
        assert "last 4 digits" in str(app.screen.query_one("#tender-error").render())
        await pilot.press(*"4242", "enter")
        await drain(app)
        assert await wait_until(pilot, lambda: isinstance(app.screen, TillScreen)
                                and "done" in str(app.screen.query_one("#till-message",
                                                                       Label).render()))
    sale = sales.get_sale("T1-000001")
    assert [(p.tender, p.amount, p.reference) for p in sale.payments] == [
        ("WECHAT", Decimal("5.00"), "884421"), ("CARD", Decimal("7.00"), "4242")]
    assert sale.change == 0


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_payment_dialog_labels_its_fields_and_says_what_is_wrong(fresh_demo,
                                                                         lang) -> None:
    """Issue 14.11: unlabelled fields, Tab back overwrote the amount, old errors stayed, and
    "On account" with no customer closed the whole dialog."""
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "6910000000006")
        await pilot.press("f12")
        tender = app.screen
        assert isinstance(tender, TenderScreen)
        text = screen_text(app)
        assert ("Amount" if lang == "en" else "金额") in text
        assert not tender.query_one("#tender-ref").display  # cash has no reference
        keys = tender_keys(tender)
        await pilot.press(keys["ACCOUNT"], "enter")
        assert isinstance(app.screen, TenderScreen)  # refused, not closed
        error = str(tender.query_one("#tender-error").render())
        assert ("needs a customer" if lang == "en" else "顾客") in error
        await pilot.press(keys["CARD"])
        assert str(tender.query_one("#tender-error").render()) == ""  # the cause changed
        assert tender.query_one("#tender-ref").display
        assert ("Reference" if lang == "en" else "参考") in screen_text(app)
        await pilot.press("backspace", *"1", "tab", *"1234", "shift+tab", *"5")
        assert tender.query_one("#tender-amount", Input).value == "15"  # not overwritten
        await pilot.press("escape")


async def test_leaving_with_a_basket_is_refused(fresh_demo) -> None:
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("escape")
        assert isinstance(app.screen, TillScreen)
        assert app.screen.query_one("#scan", Input).value == ""


async def test_the_pole_display_shows_the_last_item_and_the_total(fresh_demo, tmp_path) -> None:
    from devices.display import decode_frame

    screen_file = tmp_path / "display"
    screen_file.write_bytes(b"")
    app = make_app(fresh_demo)
    app.config.display.url = f"file://{screen_file}"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006", "6910000000006")
        assert await wait_until(pilot, lambda: decode_frame(screen_file.read_bytes())[1]
                                .endswith("6.00"))
        upper, lower = decode_frame(screen_file.read_bytes())
        assert upper.endswith("6.00") and lower.startswith("TOTAL")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_change_due_shows_large_until_the_next_scan(fresh_demo, tmp_path, lang) -> None:
    """Issue 14.12: the change was one status line while the basket cleared."""
    from devices.display import decode_frame

    i18n.set_language(lang)
    screen_file = tmp_path / "display"
    screen_file.write_bytes(b"")
    app = make_app(fresh_demo)
    app.config.display.url = f"file://{screen_file}"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "6910000000006")
        await pilot.press("f12", *"100", "enter")  # cash 100 for 3.00
        await drain(app)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        paid, change = ("Paid ￥100.00", "CHANGE") if lang == "en" else ("实收 ￥100.00", "找零")
        at = next(i for i, ln in enumerate(lines) if paid in ln)
        assert change in lines[at + 1]
        digits = app.screen.query_one("#change-digits", Digits)  # 97.00 three rows high
        assert digits.value == "97.00" and digits.region.height == 3
        assert digits.region.y <= at < digits.region.bottom and digits.region.right <= 80
        assert await wait_until(pilot, lambda: decode_frame(screen_file.read_bytes())[1]
                                .endswith("97.00"))
        upper, lower = decode_frame(screen_file.read_bytes())
        assert upper.endswith("100.00") and lower.rstrip().endswith("97.00")
        await scan(pilot, "6910000000006")  # the next customer
        await pilot.pause()
        assert paid not in screen_text(app)


async def test_reprint_x_report_and_closing_the_shift(fresh_demo) -> None:
    from tui.screens.home import HomeScreen

    i18n.set_language("zh_CN")
    sim = PrinterSimulator().start()
    app = make_app(fresh_demo)
    app.config.printer.url = f"tcp://127.0.0.1:{sim.port}"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_till(pilot, "zh_CN")
            await scan(pilot, "6910000000006")
            await pilot.press("f12", *"10", "enter")  # cash 10 for 3.00
            await drain(app)
            assert await wait_until(pilot, lambda: len(sim.jobs) == 2, 8)  # drawer, receipt
            await pilot.press("f9", "enter")  # the last receipt's number is filled in
            assert await wait_until(pilot, lambda: len(sim.jobs) == 3, 8)
            assert any(ln.strip() == "*** 重印 ***" for ln in sim.jobs[2].decoded.text)
            assert not sim.jobs[2].decoded.events_of("drawer")
            await pilot.press("f11")
            assert await wait_until(pilot, lambda: len(sim.jobs) == 4, 8)
            x = sim.jobs[3].decoded.text
            assert x[0] == "X 报表" and any(ln.endswith("203.00") for ln in x)  # expected cash
            assert isinstance(app.screen, ShiftReportDialog)  # and on screen
            await pilot.press("escape", "f10", *"202.50", "enter")  # fifty fen short
            assert await wait_until(pilot, lambda: len(sim.jobs) == 5, 8)
            z = sim.jobs[4].decoded.text
            assert z[0] == "Z 报表 T1-Z0001" and any(ln.endswith("-0.50") for ln in z)
            await pilot.pause()
            assert isinstance(app.screen, ShiftReportDialog)
            assert "Z 报表 T1-Z0001" in screen_text(app)
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)
    finally:
        sim.stop()
    assert sales.current_shift("T1") is None


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_with_no_printer_the_x_and_z_reports_show_on_screen(fresh_demo, lang) -> None:
    from tui.screens.home import HomeScreen

    i18n.set_language(lang)
    app = make_app(fresh_demo)  # no printer configured
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "6910000000006")
        await pilot.press("f12", *"10", "enter")  # cash 10 for 3.00
        await drain(app)
        await pilot.press("f11")
        await pilot.pause()
        text = screen_text(app)
        x, cash = ("X report", "Expected cash") if lang == "en" else ("X 报表", "应有现金")
        assert x in text and any(cash in row and row.endswith("203.00")
                                 for row in dialog_rows(text))
        await pilot.press("escape")
        assert isinstance(app.screen, TillScreen)
        await pilot.press("f10", *"203", "enter")
        await pilot.pause()
        assert "T1-Z0001" in screen_text(app)
        await pilot.press("end")  # the report scrolls: its foot is the over/short and the seal
        await pilot.pause()
        rows = dialog_rows(screen_text(app))
        seal = "Audit seal" if lang == "en" else "审计封印"
        assert any(row.endswith("+0.00") for row in rows), rows
        assert any(row.startswith(seal) and ":" in row for row in rows), rows
        assert not any(row.endswith(":") for row in rows), rows  # no time cut by the scrollbar
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_f2_enter_picks_the_first_hit_and_down_reaches_the_list(fresh_demo) -> None:
    """Issue 14.10: Enter in the search box re-ran the search and Down did nothing."""
    from textual.widgets import DataTable

    from tui.dialogs.pickers import ProductPicker

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "zh_CN")
        cart = app.screen.query_one("#cart")
        await pilot.press("f2", *"6910000000006", "enter")  # Enter before the list shows
        assert await wait_until(pilot, lambda: cart.row_count == 1)
        assert cart.get_row_at(0)[1].startswith("Coca-Cola 330ml")
        await pilot.press("f2", *"kkkl")
        results = app.screen.query_one("#results", DataTable)
        assert await wait_until(pilot, lambda: results.row_count > 2)
        first, second = results.get_row_at(0)[1], results.get_row_at(1)[1]
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: cart.row_count == 2)
        assert cart.get_row_at(1)[1].startswith(first)
        await pilot.press("f2", *"kkkl")
        results = app.screen.query_one("#results", DataTable)
        assert await wait_until(pilot, lambda: results.row_count > 2)
        await pilot.press("down")
        assert results.has_focus and results.cursor_row == 0
        await pilot.press("down", "enter")
        assert await wait_until(pilot, lambda: cart.row_count == 3)
        assert cart.get_row_at(2)[1].startswith(second)
        assert not isinstance(app.screen, ProductPicker)


async def test_a_scale_label_sells_the_weighed_product(fresh_demo) -> None:
    from store.catalog import search
    from store.catalog.barcodes import with_check_digit

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        apples = next(h for h in search.search("苹果", 5) if h.sold_by_weight)
        await open_till(pilot, "en")
        await scan(pilot, with_check_digit(f"22{int(apples.sku):05d}00835"))  # 0.835 kg
        cart = app.screen.query_one("#cart")
        assert cart.row_count == 1 and cart.get_row_at(0)[2] == "0.835"
        expected = (Decimal("0.835") * apples.price).quantize(Decimal("0.01"))
        assert cart.get_row_at(0)[4] == f"{expected:.2f}"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_park_recall_cancel_and_the_keys_list(fresh_demo, lang) -> None:
    from store.selling import parking
    from tui.dialogs.inputs import TextDialog
    from tui.dialogs.keys import KeysDialog
    from tui.dialogs.pickers import ListPicker

    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "6910000000006", "6920000000005")
        await pilot.press("f6")
        cart = app.screen.query_one("#cart")
        assert cart.row_count == 0 and len(parking.parked()) == 1
        await scan(pilot, "6930000000004")
        await pilot.press("f7")  # refused: finish or park this basket first
        assert not isinstance(app.screen, ListPicker)
        await pilot.press("f8")
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"wrong item", "enter")
        assert cart.row_count == 0
        await pilot.press("f7")
        assert isinstance(app.screen, ListPicker)
        await pilot.press("enter")
        assert isinstance(app.screen, TillScreen) and cart.row_count == 2
        assert parking.parked() == []
        await pilot.press("f1")
        assert isinstance(app.screen, KeysDialog)
        listed = " ".join(str(label.render()) for label in app.screen.query("Label"))
        for words in ("Cancel sale", "Reprint", "X report", "Close shift", "Park", "Return",
                      "Customer"):
            assert i18n._(words) in listed


async def test_arrows_choose_the_line_delete_and_f4_act_on(fresh_demo) -> None:
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006", "6920000000005", "6930000000004")
        cart = app.screen.query_one("#cart")
        assert [cart.get_row_at(i)[0] for i in range(3)] == ["1", "2", "▶3"]
        await pilot.press("up", "up", "delete")  # the first line goes
        assert cart.row_count == 2
        names = [cart.get_row_at(i)[1] for i in range(2)]
        assert not any(n.startswith("可口可乐 330ml") or n.startswith("Coca-Cola 330ml")
                       for n in names)
    from store.security import audit

    (void,) = audit.events(kind="void")  # the removal is recorded: who, what, how much
    assert void.data["sku"] == "P0000001" and void.data["amount"] == 300


async def test_keys_remapped_in_the_config(fresh_demo) -> None:
    app = make_app(fresh_demo)
    app.config.keys = {"till.pay": "ctrl+y", "till.find": "f2,ctrl+f"}
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("f12")  # no longer Pay
        assert isinstance(app.screen, TillScreen)
        await pilot.press("ctrl+y")
        assert isinstance(app.screen, TenderScreen)
        await pilot.press("escape", "f1")
        keys = [str(label.render()) for label in app.screen.query("Label")]
        assert any("Pay" in k and "^y" in k for k in keys), keys
        assert not any("till." in k for k in keys)  # words for the cashier, not internal ids


def tender_keys(tender) -> dict[str, str]:
    """Each tender's key on the tender screen (F1 the first), by its code."""
    return {t.code: f"f{i + 1}" for i, t in enumerate(tender.tenders)}
