"""The product editor in the back office (issue 16.3), at 80x24 in both languages: add a
product, change its price, read its price history, stop selling it — and a user without the
permission is told so on the form, with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.catalog import CatalogScreen
from backoffice.forms import FormDialog
from backoffice.product_editor import PriceHistoryScreen
from store.catalog import editor
from store.core import i18n
from store.models import Product
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


async def _find(pilot, app, query: str) -> None:
    await pilot.press("end", "ctrl+u", *query)
    assert await wait_until(pilot, lambda: bool(app.screen.search.hits)
                            and app.screen.search.hits[0].sku == query)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_add_change_price_history_and_stop_selling(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "8")  # Products
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, ["TEA250", "龙井茶 250g", "Longjing tea 250g", "3,00", "13%", "pcs",
                           "", "41.5", "6901234567892"])
        assert isinstance(app.screen, FormDialog)  # '3,00': said, the price focused
        assert "3.00" in text(app, "#form-error") and app.focused.id == "form-price"
        await fill(pilot, ["68", "=", "=", "=", "=", "="])
        assert isinstance(app.screen, CatalogScreen), text(app, "#form-error")
        assert "TEA250" in text(app, "#catalog-message")
        await _find(pilot, app, "TEA250")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#form-price").value == "68.00"
        await pilot.press("enter", "enter")  # to the price
        await fill(pilot, ["72.50", "=", "=", "=", "=", "="])
        assert isinstance(app.screen, CatalogScreen), text(app, "#form-error")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PriceHistoryScreen)
        history = rows(app)
        assert [r[1:4] for r in history] == [["￥68.00", "￥72.50", "owner"],
                                            ["-", "￥68.00", "owner"]]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert "TEA250" in text(app, "#catalog-message")
    tea = Product.get(Product.sku == "TEA250")
    assert (tea.price, tea.cost, tea.name_en, tea.active) == (
        Decimal("72.50"), Decimal("41.5"), "Longjing tea 250g", False)
    assert [b.code for b in tea.barcodes] == ["6901234567892"]
    assert [h.source for h in editor.price_history("TEA250")] == ["editor", "editor"]


async def test_a_user_without_the_permission_is_told_on_the_form(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    before = Product.select().count()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "accounts", "3690")  # an accountant: no manage_catalog
        await pilot.press("m")  # from the dashboard to the menu
        await pilot.pause()
        entries = [e.id for e in app.screen.entries]
        await pilot.press(str(entries.index("catalog") + 1))
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("f2")
        await pilot.pause()
        await fill(pilot, ["TEA9", "茶", "", "9", "13%", "", "", "", ""])
        assert isinstance(app.screen, FormDialog) and "may not" in text(app, "#form-error")
    assert Product.select().count() == before
