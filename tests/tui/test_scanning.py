"""Scanned codes reach the screen: a serial scanner on a pseudo-terminal, and wedge bursts."""

from __future__ import annotations

import asyncio

from textual import events
from textual.widgets import DataTable, Input

from devices.sim.scanner import PtyScanner
from tests.tui.test_login_home import login, make_app
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
        for key in [*"6920000000005", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        assert await wait_until(pilot, lambda: table.row_count == 1)
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
