"""Scanned codes reach the screen: a serial scanner on a pseudo-terminal, and wedge bursts."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Input

from devices.sim.scanner import PtyScanner
from store.core import i18n
from store.selling import sales
from tests.tui.test_login_home import burst, login, make_app
from tui.dialogs.cashcount import CashCountDialog
from tui.screens.home import HomeScreen
from tui.screens.stockroom import StockLookupScreen, StockroomScreen


async def wait_until(pilot, predicate, seconds: float = 5.0) -> bool:
    # Poll, not workers.wait_for_complete(): an exclusive search worker that a newer search
    # replaced counts as cancelled, and waiting on it raises WorkerCancelled.
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return True
        await pilot.pause(0.05)
    return predicate()


async def test_a_serial_scan_shows_the_product_in_the_stockroom(demo) -> None:
    sim = PtyScanner(b"\r")
    app = make_app(demo)
    app.config.scanner.url = f"serial://{sim.path}"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "keeper", "1357")
            await pilot.press("1")
            assert isinstance(app.screen, StockroomScreen)
            await pilot.press("1")  # stock lookup
            assert isinstance(app.screen, StockLookupScreen)
            assert await wait_until(pilot, lambda: "Scanner: connected" in app.sub_title)
            await asyncio.to_thread(sim.scan, "16910000000003")  # the case of 12
            table = app.screen.query_one("#results", DataTable)
            assert await wait_until(pilot, lambda: table.row_count == 1)
            assert table.get_row_at(0)[0] == "P0000001" and "×12" in str(table.get_row_at(0)[1])
            assert app.screen.query_one("#query", Input).value == "16910000000003"
    finally:
        sim.close()


async def test_a_wedge_burst_is_a_scan_whatever_has_focus(demo) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "keeper", "1357")
        await pilot.press("1", "1")  # the stockroom, its stock lookup
        table = app.screen.query_one("#results", DataTable)
        table.focus()  # the cursor is in the results, not the search box
        await pilot.pause()
        await burst(pilot, "6920000000005")
        assert await wait_until(pilot, lambda: table.row_count == 1)
        for _ in range(3):
            await pilot.pause()
        # The scanner's Enter did not also press the table: no row opened behind the scan
        assert isinstance(app.screen, StockLookupScreen)
        assert app.screen.query_one("#query", Input).value == "6920000000005"


async def test_devices_screen_prints_a_test_page_through_the_queue(demo) -> None:
    from devices.sim.printer import PrinterSimulator

    sim = PrinterSimulator().start()
    app = make_app(demo)
    app.config.printer.url = f"tcp://127.0.0.1:{sim.port}"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "owner", "8888")
            await pilot.press("3", "m", "0", "2")  # back office menu, set-up, Devices
            assert "Receipt printer" in str(app.screen.query_one("#device-info").render())
            await pilot.press("t")
            assert await wait_until(pilot, lambda: len(sim.jobs) == 1)
            assert sim.jobs[0].decoded.text[0] == "Zhanggui test page"
            assert await wait_until(pilot, lambda: "Printer: ready" in app.sub_title)
    finally:
        sim.stop()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_stray_scan_on_the_home_menu_opens_nothing(demo, lang) -> None:
    """Issue 14.2: 6910000000006 on a cashier's home menu with no shift open: its "1" opened
    the till, the rest landed in the float and Enter opened a shift. Now: refused, said."""
    i18n.set_language(lang)
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1234")
        assert isinstance(app.screen, HomeScreen)
        assert sales.current_shift("T1") is None
        await burst(pilot, "6910000000006")
        assert await wait_until(pilot, lambda: any(
            "6910000000006" in n.message for n in app._notifications)), "the scan was not said"
        assert isinstance(app.screen, HomeScreen)  # its "1" opened nothing
        assert sales.current_shift("T1") is None
        await pilot.press("1")  # typed by a person, the same key still opens the till
        await pilot.pause()
        assert isinstance(app.screen, CashCountDialog)
