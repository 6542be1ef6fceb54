"""Issue 18.2 at the till, with the database gone: a trade customer is attached from the
till's copy (their price list applies) and buys on account within their limit; goods come
back from a receipt in the copy, with a supervisor's PIN checked against the copy, refunded
in cash; a receipt the copy does not have is refused in words. When the database answers
again both sales go in once, the return against its receipt."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from store.core import i18n
from store.customers import receivables
from store.models import Receivable
from store.selling import returns, sales
from tests.pgoutage import refused
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import approve, done, message
from tui.screens.returns import ReturnScreen
from tui.screens.tender import TenderScreen

D = Decimal
TRADE = "13800138010"  # the demo's M000010, a trade customer with a 5,000 limit

pytestmark = pytest.mark.pg_only


async def test_customers_on_account_and_returns_while_offline(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        assert app.link is not None
        await scan(pilot, "2*6910000000006")  # 6.00 in cash, online
        await pilot.press("f12", "enter")
        assert await done(pilot) and "T1-000001" in message(app)
        await asyncio.to_thread(app.link.refresh)  # (the link's round, done now)
        with refused(fresh_demo):
            await pilot.press("f3", *"T1-000099", "enter")  # not in the copy: said
            await pilot.pause()
            assert "not in this till's copy" in message(app), message(app)
            assert "OFFLINE" in app.sub_title
            await pilot.press("f3", *"T1-000001", "enter")
            await approve(pilot, "flat")  # the manager's PIN, against the copy
            assert isinstance(app.screen, ReturnScreen)
            await pilot.press("a", "f12", "f12")
            assert isinstance(app.screen, TenderScreen)
            await pilot.press("enter")  # back in cash, as it was paid
            assert await done(pilot)
            assert "Refund T1-000002 done" in message(app)
            await pilot.press("f3", *"T1-000001", "enter")  # counted already: nothing left
            await approve(pilot, "again")
            await pilot.press("enter")
            await pilot.pause()
            assert "all of it was returned already" in str(
                app.screen.query_one("#return-error").render())
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("shift+f2", *TRADE, "enter")  # from the copy
            await pilot.pause()
            assert "M000010" in message(app) and "prices apply" in message(app)
            await scan(pilot, "10*6910000000006")
            total = app.screen.basket.total
            await pilot.press("f12", "f7", "enter")  # on account, the whole amount
            assert await done(pilot) and "T1-000003" in message(app)
            assert "to send: 2" in app.sub_title
        result = await asyncio.to_thread(app.link.tick)
        assert result is not None and result.posted == ["T1-000002", "T1-000003"], result
    refund = sales.get_sale("T1-000002")
    assert refund.original == "T1-000001" and refund.total == D("-6.00")
    assert [(p.tender, p.amount) for p in refund.payments] == [("CASH", D("-6.00"))]
    assert returns.returnable("T1-000001").lines[0].remaining == 0
    assert receivables.balance(Receivable.get().customer_id) == total
