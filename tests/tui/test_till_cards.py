"""Stored-value cards at the till (issue 19.2): Shift+F7 tops up a card (a new one, or the
attached member's) with the bonus shown as the amount is typed; paying by card fills in the
member's card and what it can pay; the receipt prints the balance left; the X report counts
the top-up's cash in the drawer."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from textual.widgets import Input

from store.core import i18n
from store.models import Card, PrintJob
from store.security import auth
from store.selling import cards, sales
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan, tender_keys  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done, message
from tui.dialogs.top_up import TopUpDialog
from tui.screens.tender import TenderScreen

D = Decimal


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_member_tops_up_and_pays_by_card(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    _ = i18n._
    cards.set_bonus(auth.authenticate("owner", "8888"), "100", "10")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await pilot.press("shift+f7")  # a card without a name: blank number, a new card
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TopUpDialog)
        await pilot.press("enter", *"1000", "enter", "enter")  # past 1,000 on a card w/o name
        await pilot.pause()
        assert "1,000" in str(dialog.query_one("#tu-error").render())
        assert Card.select().count() == 0  # the refused top-up left no empty card
        await pilot.press(*["backspace"] * 4, *"100")
        await pilot.pause()
        assert _("Bonus {amount}").format(amount="￥10.00") in str(
            dialog.query_one("#tu-tender").render())
        await pilot.press("enter", "enter")  # on to the reference; its Enter records it
        await pilot.pause()
        assert not isinstance(app.screen, TopUpDialog)
        assert "￥110.00" in message(app)
        anonymous = Card.get()
        assert anonymous.customer_id is None and cards.view(anonymous.number).paid == D(100)

        await pilot.press("shift+f2", *"13800138001", "enter")  # the demo's member M000001
        await pilot.pause()
        await pilot.press("shift+f7")
        await pilot.pause()
        await pilot.press("f3")  # WeChat Pay: a reference
        await pilot.press("enter", *"50", "enter", *"4200000001", "enter")
        await pilot.pause()
        mine = Card.get(Card.customer.is_null(False))
        assert cards.view(mine.number).customer == "M000001"
        assert cards.view(mine.number).balance == D(50)

        await scan(pilot, "5*6910000000006")  # 5 Coke, member's price
        due = app.screen.basket.total
        await pilot.press("f12")
        tender = app.screen
        assert isinstance(tender, TenderScreen)
        keys = tender_keys(tender)
        await pilot.press(keys["CREDIT"])  # the member's card is filled in, and its balance
        await pilot.pause()
        assert tender.query_one("#tender-ref", Input).value == mine.number
        assert tender.query_one("#tender-amount", Input).value == f"{due:.2f}"
        assert "￥50.00" in str(tender.query_one("#tender-error").render())
        await pilot.press("enter")
        assert await done(pilot)
    assert cards.view(mine.number).balance == D(50) - due
    receipt = json.loads(PrintJob.select().where(PrintJob.kind == "receipt").get().payload)
    assert receipt["balances"] == [{"label": _("Card balance"), "amount": f"{D(50) - due}",
                                    "reference": cards.masked(mine.number)}]
    x = sales.shift_totals(sales.current_shift("T1").id)
    assert x.expected_cash == D(200) + D(100)  # the float and the cash top-up
    assert [(t.code, t.amount) for t in x.card_money] == [("CASH", D(100)),
                                                          ("WECHAT", D(50))]
