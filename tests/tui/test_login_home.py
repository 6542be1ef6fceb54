"""The app as a user meets it: log in at 80x24, reach the home screen the role allows."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.worker import WorkerCancelled

from store.core import i18n
from store.core.config import Config
from store.demo.shop import DEMO_USERS
from tui.app import ZhangguiApp
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen
from tui.screens.stockroom import StockLookupScreen, StockroomScreen
from tui.widgets.product_search import ProductSearch

EXPECTED = {
    "cashier": {"en": ["Till"], "zh_CN": ["收银台"]},
    "supervisor": {"en": ["Till", "Stockroom", "Back office"],
                   "zh_CN": ["收银台", "仓库", "后台管理"]},
    "owner": {"en": ["Till", "Stockroom", "Back office"], "zh_CN": ["收银台", "仓库", "后台管理"]},
    "warehouse": {"en": ["Stockroom"], "zh_CN": ["仓库"]},
    "accountant": {"en": ["Back office"], "zh_CN": ["后台管理"]},
}


def make_app(url: str) -> ZhangguiApp:
    cfg = Config()
    cfg.database.url = url
    return ZhangguiApp(cfg)


async def drain(app) -> None:
    """Wait for running workers; one that a newer exclusive worker replaced counts as done."""
    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def login(pilot, username: str, pin: str) -> None:
    await pilot.press(*username, "enter", *pin, "enter")
    await drain(pilot.app)
    await pilot.pause()


async def burst(pilot, code: str) -> None:
    """A keyboard-wedge scanner: the code's keys and Enter at once, as one burst."""
    for key in [*code, "enter"]:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    for _ in range(3):
        await pilot.pause()


async def settle(pilot) -> None:
    """Let the search box's debounce fire, then its workers finish and the screen update."""
    await pilot.pause(ProductSearch.DEBOUNCE_SECONDS + 0.1)
    for _ in range(2):
        await drain(pilot.app)
        await pilot.pause()


def menu_labels(app) -> list[str]:
    menu = app.screen.query_one(OptionList)
    return [str(menu.get_option_at_index(i).prompt).split("  ", 1)[1]
            for i in range(menu.option_count)]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize(("username", "role", "pin", "_name"), DEMO_USERS,
                         ids=[u[0] for u in DEMO_USERS])
async def test_each_demo_user_reaches_their_home(demo, lang, username, role, pin, _name) -> None:
    i18n.set_language(lang)
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, username, pin)
        assert isinstance(app.screen, HomeScreen), app.screen
        assert app.user is not None and app.user.role == role
        assert menu_labels(app) == EXPECTED[role][lang]
        footer_keys = {b.description for _k, b in app.screen._bindings}
        assert ("退出登录" if lang == "zh_CN" else "Log out") in footer_keys
        await pilot.press("f10")
        assert isinstance(app.screen, LoginScreen)


@pytest.mark.both_engines
async def test_wrong_pin_says_so_and_stays(demo) -> None:
    i18n.set_language("zh_CN")
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "0000")
        assert isinstance(app.screen, LoginScreen)
        assert "用户名或 PIN 码错误" in str(app.screen.query_one("#login-error", Label).render())
        assert app.screen.query_one("#pin", Input).value == ""
        assert app.focused is app.screen.query_one("#pin", Input)


async def test_five_wrong_pins_lock_the_account_on_the_login_screen(demo) -> None:
    i18n.set_language("en")
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "0000")
        for _i in range(4):  # the name stays; the PIN field has the focus again
            await pilot.press(*"0000", "enter")
            await drain(app)
            await pilot.pause()
        await pilot.press(*"1234", "enter")  # the right PIN, too late
        await drain(app)
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        error = str(app.screen.query_one("#login-error", Label).render())
        assert "cashier is locked for 1 more minutes" in error and "supervisor" in error
    # The demo is shared by the other tests: lift the lock as a supervisor would.
    from store.security import accounts, auth

    accounts.unlock(auth.authenticate("manager", "2468"), "cashier")


@pytest.mark.parametrize("between", ["enter", "tab"])
async def test_a_burst_of_keys_lands_in_the_right_fields(demo, between) -> None:
    """A fast typist, a password manager or a slow SSH link delivers name, Enter (or Tab), PIN,
    Enter in one burst: each key must land in the field that was focused when it was typed."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*"manager", between, *"2468", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await drain(app)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.user.username == "manager"


async def test_a_correction_in_a_burst_is_applied_in_order(demo) -> None:
    """Issue 14.18: over a slow SSH link Backspace and the next key arrive together; Textual
    ran the backspace after inserting the key, so "mam", Backspace, "n" read "mam" (both
    seemed lost). Editing keys now run in arrival order (Textualize/textual#6605)."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        name = app.screen.query_one("#username", Input)
        for keys in (["m", "a", "m"], ["backspace", "n"], ["left", "left", "delete", "x",
                                                          "end", "a", "g", "e", "r"]):
            for key in keys:  # one burst: no pause between the keys
                app.post_message(events.Key(key, key if len(key) == 1 else
                                            {"backspace": "\x7f"}.get(key)))
            await pilot.pause()
        assert name.value == "mxnager"


async def test_the_till_asks_for_the_float_and_esc_goes_home_without_a_shift(demo) -> None:
    from store.selling import sales
    from tui.dialogs.cashcount import CashCountDialog

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1234")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CashCountDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert sales.current_shift("T1") is None


async def test_stockroom_finds_stock_by_pinyin(demo) -> None:
    i18n.set_language("zh_CN")
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "keeper", "1357")
        await pilot.press("1")
        assert isinstance(app.screen, StockroomScreen)
        await pilot.press("1")
        assert isinstance(app.screen, StockLookupScreen)
        await pilot.press(*"nfsq")
        await settle(pilot)
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count > 0
        assert "农夫山泉" in str(table.get_row_at(0)[1])
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "门店" in detail and "条码" in detail


async def test_backoffice_catalog_and_users(demo) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "owner", "8888")
        await pilot.press("3", "m")  # the back office menu, under the dashboard
        await pilot.press("0", "1")  # set-up, Users
        users = app.screen.query_one("#doc-table", DataTable)
        assert users.row_count == len(DEMO_USERS)
        await pilot.press("escape", "escape", "8")
        await pilot.press(*"6910000000006", "enter")  # a scanner's burst, suffix CR
        for _ in range(2):
            await drain(app)
            await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[0] == "P0000001"


async def test_fast_typing_runs_one_search_not_one_per_key(demo, monkeypatch) -> None:
    from store.catalog import search as store_search

    calls: list[str] = []
    real = store_search.search

    def counting(text: str, limit: int = 20, **kw):
        calls.append(text)
        return real(text, limit, **kw)

    monkeypatch.setattr(store_search, "search", counting)
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "keeper", "1357")
        await pilot.press("1", "1")  # the stockroom, its stock lookup
        await pilot.press(*"kekoukel")
        await settle(pilot)
        assert calls == ["kekoukel"]
        assert app.screen.query_one("#results", DataTable).row_count > 0


async def test_an_unattended_terminal_logs_itself_out(demo) -> None:
    app = make_app(demo)
    app.config.ui.idle_lock_minutes = 5
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1234")
        assert isinstance(app.screen, HomeScreen)
        assert not app.lock_if_idle(app.last_activity + 4 * 60)  # 4 minutes: still logged in
        await pilot.press("down")  # any key counts as use
        assert not app.lock_if_idle(app.last_activity + 299)
        assert app.lock_if_idle(app.last_activity + 301)
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.user is None


async def test_a_stalled_printer_never_blocks_the_keyboard(demo) -> None:
    """The printer accepts the connection and never answers; the till keeps working."""
    from devices.sim.printer import PrinterSimulator
    from store.shops import printing

    sim = PrinterSimulator().start()
    sim.set_mode("stall")
    app = make_app(demo)
    app.config.printer.url = f"tcp://127.0.0.1:{sim.port}"
    app.config.printer.timeout = 4
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            job = printing.enqueue("T1", "drawer", "", reference="stall-test")
            app.print_worker.wake()
            for _ in range(100):  # until the worker is waiting on the silent printer
                if sim.stalled:
                    break
                await pilot.pause(0.05)
            assert sim.stalled == 1
            await login(pilot, "cashier", "1234")
            assert isinstance(app.screen, HomeScreen)
            # Logged in while the worker still waits on the printer (no attempt has ended).
            from store.models import PrintJob

            assert PrintJob.get_by_id(job).attempts == 0
            assert "Printer did not answer" not in app.sub_title
            for _ in range(80):
                await pilot.pause(0.1)
                if "Printer did not answer" in app.sub_title:
                    break
            assert "Printer did not answer" in app.sub_title and "1 waiting" in app.sub_title
            printing.cancel(job)
    finally:
        sim.stop()
