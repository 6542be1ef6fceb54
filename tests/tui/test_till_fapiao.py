"""A customer asks for a 发票 at the till (issue 19.4): Shift+F6 after the sale, the receipt
filled in; a mistyped tax ID is said under the form with the field to fix focused, the form
kept; once right the request is recorded and the till says its number."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label

from store.core import i18n
from store.fapiao import requests
from store.security import auth
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done, message
from tui.dialogs.fapiao import FapiaoDialog


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_fapiao_request_at_the_till(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "3*6910000000006")
        await pilot.press("f12", "enter")
        assert await done(pilot)
        await pilot.press("shift+f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FapiaoDialog)
        assert dialog.query_one("#fp-sales", Input).value == "T1-000001"
        await pilot.press(*"北京某某科技有限公司", "enter", *"91110000600037341X", "enter",
                          *"ap@example.com", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FapiaoDialog)  # kept, the wrong field focused
        assert "91110000600037341X" in str(dialog.query_one("#fp-error", Label).render())
        assert app.focused is dialog.query_one("#fp-tax", Input)
        await pilot.press(*"91110000600037341L", "enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, FapiaoDialog)
        assert "FP-000001" in message(app)
    boss = auth.authenticate("owner", "8888")
    (view,) = requests.requests(boss)
    assert (view.sales, view.tax_id, view.email) == (("T1-000001",), "91110000600037341L",
                                                     "ap@example.com")


async def test_a_customer_who_asked_before_is_filled_in(fresh_demo) -> None:  # noqa: F811
    from decimal import Decimal

    from store.catalog import search
    from store.customers import lookup, parties
    from store.pricing import price_lists
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    i18n.set_language("zh_CN")
    parties.create_customer("M9001", "王芳", phone="13800138000")
    member = lookup.find("M9001")[0]
    cashier = auth.authenticate("cashier", "1234")

    def sell_to_member() -> str:
        b = Basket()
        b.add(search.lookup_code("6910000000006"), Decimal(1))
        b.attach(member, price_lists.rules_for(member.price_list_id))
        return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                               cashier_id=cashier.id).number

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "zh_CN")
        requests.request(cashier, [sell_to_member()], title="王芳", email="wf@example.com")
        sell_to_member()  # she comes back and asks again
        await pilot.press("shift+f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FapiaoDialog)
        assert dialog.query_one("#fp-title", Input).value == "王芳"
        assert dialog.query_one("#fp-email", Input).value == "wf@example.com"
        await pilot.press("enter", "enter", "enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, FapiaoDialog)
    assert [v.title for v in requests.requests(auth.authenticate("owner", "8888"))] == [
        "王芳", "王芳"]
