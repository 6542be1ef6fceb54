"""The till's working screens at 80x24: checkout, tender, return and the shift-close count.

Each runs on a small demo shop of its own (they sell). After an intended change of layout:
pytest tests/tui/test_snapshots_till.py --snapshot-update, then look at the SVGs.
"""

from __future__ import annotations

import pytest

from store import bootstrap
from store.core import i18n
from tests.tui.test_snapshots import make_app


@pytest.fixture
def shop_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'snap.db'}"
    bootstrap.ensure_demo(url, products=120, history_days=0)
    bootstrap.close_store()
    return url


async def _till(pilot) -> None:
    await pilot.press(*"cashier", "enter", *"1234", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    await pilot.press(*"200", "enter")
    await pilot.pause()


async def _basket(pilot) -> None:
    await _till(pilot)
    for code in ("3*6910000000006", "6920000000005", "0.835*10001"):
        await pilot.press(*code, "enter")
    await pilot.press("f5", *"5%", "enter", *"dented", "enter")  # within the cashier's 10 %
    await settle(pilot)


async def settle(pilot) -> None:
    """Let the workers finish, stop the cursors blinking (a blink is a timing, not a look),
    and let the screen repaint."""
    from textual.widgets import Input

    from tests.tui.test_login_home import drain

    await drain(pilot.app)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause(0.2)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_checkout(snap_compare, shop_url, lang) -> None:
    i18n.set_language(lang)
    assert snap_compare(make_app(shop_url), terminal_size=(80, 24), run_before=_basket)


def test_tender(snap_compare, shop_url) -> None:
    i18n.set_language("zh_CN")

    async def tender(pilot) -> None:
        await _basket(pilot)
        await pilot.press("f12", "f3", *"5", "tab", *"884421", "enter")
        await settle(pilot)

    assert snap_compare(make_app(shop_url), terminal_size=(80, 24), run_before=tender)


def test_return(snap_compare, shop_url) -> None:
    i18n.set_language("zh_CN")

    async def returning(pilot) -> None:
        await _basket(pilot)
        await pilot.press("f12", *"50", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"T1-000001", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        # A cashier's refund: the supervisor approves first (issue 14.7).
        await pilot.press(*"manager", "enter", *"2468", "enter", *"wrong item", "enter")
        await pilot.pause()
        await pilot.press("enter", "backspace", *"2", "enter", "down", "d", "enter", "enter")
        await settle(pilot)

    assert snap_compare(make_app(shop_url), terminal_size=(80, 24), run_before=returning)


def test_shift_close(snap_compare, shop_url) -> None:
    i18n.set_language("zh_CN")

    async def closing(pilot) -> None:
        await _till(pilot)
        await pilot.press("f10", "tab", *"2", "enter", "enter", "enter", *"3", "enter")
        await settle(pilot)

    assert snap_compare(make_app(shop_url), terminal_size=(80, 24), run_before=closing)
