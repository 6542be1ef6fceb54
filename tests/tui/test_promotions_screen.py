"""The owner sets up "3 for 10" in the back office (a mistake first, named on the form); the
cashier scans three and the till takes it off, names it, and the sale keeps it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.forms import FormDialog
from backoffice.promotions_view import PromotionsScreen
from store.core import i18n
from store.models import Product
from store.pricing import promotions
from store.selling import sales
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done

D = Decimal


async def fill(pilot, values: list[str]) -> None:
    """Type each field's text (replacing what is there) and Enter to the next."""
    for value in values:
        if value == "=":  # keep what the field has
            await pilot.press("enter")
        else:
            await pilot.press("end", "ctrl+u", *value, "enter")  # clear, type, next
        await pilot.pause()


@pytest.mark.parametrize("lang", ["zh_CN"])  # English: the till's own tests
async def test_a_bundle_set_up_in_the_back_office_sells_at_the_till(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    demo = [r.scope for r in promotions.promotions()]  # the demo's own, left alone here
    product = Product.select().where(Product.stock_tracked & (Product.price > 4)
                                     & (Product.sold_by_weight == False)  # noqa: E712
                                     & Product.sku.not_in(demo)).first()
    barcode = product.barcodes[0].code
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9", "1")  # customers, price lists and promotions > promotions
        await pilot.pause()
        assert isinstance(app.screen, PromotionsScreen) and len(rows(app)) == len(demo)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        #            code    name          kind      value  buy get bundle skus
        await fill(pilot, ["B3", "三件十元", "bundle", "10", "=", "=", "1", product.sku,
                           "=", "=", "=", "=", "=", "="])
        assert isinstance(app.screen, FormDialog)  # 1 is not a bundle: named, stays open
        assert "2" in text(app, "#form-error")
        assert app.focused.id == "form-bundle"
        await fill(pilot, ["3", "=", "=", "=", "=", "=", "=", "="])
        await pilot.pause()
        assert isinstance(app.screen, PromotionsScreen)
        assert rows(app)[0][:3] == ["B3", "三件十元", i18n._("{n} for {price}").format(
            n=3, price="10.00")]
        assert "B3" in text(app, "#doc-message")
        await pilot.press("e")  # end it …
        await pilot.pause()
        assert rows(app)[0][5] == i18n._("ended")
        await pilot.press("e")  # … and run it again
        await pilot.pause()
        assert rows(app)[0][5] == i18n._("running")
    promotions.forget()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, barcode, barcode, barcode)
        await pilot.pause()
        assert app.screen.basket.total == D("10.00")
        assert "三件十元" in str(app.screen.query_one("#till-message").content)
        await pilot.press("f12", "enter")  # cash, the exact amount
        assert await done(pilot)
    last = sales.get_sale(sales.last_sale_number("T1") or "")
    assert last.total == D("10.00") and last.lines[0].promotions[0][0] == "三件十元"
