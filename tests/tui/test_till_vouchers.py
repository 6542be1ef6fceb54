"""A voucher at the till (issue 19.3): its code scanned into the voucher tender's reference
fills in what it is worth; the sale takes it once; a used one is said before Enter."""

from __future__ import annotations

from textual.widgets import Input

from store.core import i18n
from store.security import auth
from store.selling import vouchers
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan, tender_keys  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done
from tui.screens.tender import TenderScreen


async def test_a_voucher_pays_part_of_the_sale(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    _batch, codes = vouchers.issue(auth.authenticate("owner", "8888"), "满10减5", "promo",
                                   "5", 1, min_spend="10")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "5*6910000000006")  # 15.00
        await pilot.press("f12")
        tender = app.screen
        assert isinstance(tender, TenderScreen)
        keys = tender_keys(tender)
        await pilot.press(keys["VOUCHER"], "tab", *codes[0])  # scanned into the reference
        await pilot.pause()
        assert tender.query_one("#tender-amount", Input).value == "5.00"
        assert "worth ￥5.00" in str(tender.query_one("#tender-error").render())
        await pilot.press("enter", keys["CASH"], "enter")  # the rest in cash
        assert await done(pilot)
        assert not isinstance(app.screen, TenderScreen)
        await scan(pilot, "5*6910000000006")
        await pilot.press("f12", keys["VOUCHER"], "tab", *codes[0])
        await pilot.pause()
        assert "has been used" in str(app.screen.query_one("#tender-error").render())
        await pilot.press("escape")
    assert vouchers.codes("VB-000001") == [(codes[0], 0, "active")]

