"""A trade customer buys on account at the till, and pays later in the back office; beyond
their credit limit a supervisor approves."""

from __future__ import annotations

from decimal import Decimal

from store.books import ledger
from store.core import i18n
from store.customers import receivables
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done
from tui.dialogs.override import OverrideDialog

D = Decimal
TRADE = "13800138010"  # the demo's M000010, a trade customer with a 5,000 limit


async def test_a_sale_on_account_then_paid_in_the_back_office(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "10*6910000000006")
        await pilot.press("shift+f2", *TRADE, "enter")
        await pilot.pause()
        total = app.screen.basket.total
        await pilot.press("f12", "f7", "enter")  # F7: on account, the whole amount
        assert await done(pilot)
    assert ledger.balance(ledger.AR) == total
    (row,) = receivables.accounts()
    assert row.code == "M000010" and row.owed == total
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "5")  # customer accounts
        await pilot.pause()
        assert rows(app)[0][0] == "M000010"
        await pilot.press("enter")  # the statement
        await pilot.pause()
        assert "M000010" in text(app, "#doc-title") and len(rows(app)) == 1
        await pilot.press("escape", "p")
        await pilot.pause()
        await pilot.press("enter")  # what is owed, in cash
        await pilot.pause()
        assert rows(app) == [] and "RCV-000001" in text(app, "#doc-message")
    assert ledger.balance(ledger.AR) == 0


async def test_beyond_the_limit_the_till_asks_a_supervisor(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    from store.customers import lookup

    member = lookup.find("M000001")[0]  # a member: no credit at all
    assert member.code == "M000001"
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("shift+f2", *"13800138001", "enter")
        await pilot.pause()
        await pilot.press("f12", "f7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press(*"manager", "enter", *"2468", "enter", *"regular", "enter")
        assert await done(pilot)
    (row,) = receivables.accounts()
    assert row.code == "M000001" and row.owed == D("2.80")  # the member price; no limit at all
    assert row.credit_limit == 0
