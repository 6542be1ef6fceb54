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


@pytest.mark.parametrize("lang", ["zh_CN"])  # English: the reorder/reprice test below
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
        await fill(pilot, ["72.50", "=", "=", "=", "=", "=", "="])
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
    assert not tea.tracks_lots
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


async def test_reorder_rules_per_warehouse_from_the_product(fresh_demo) -> None:  # noqa: F811
    """Issue 16.3: "reorder rules per warehouse" in the product editor. F7 shows a field pair
    for each warehouse in use; a maximum under the minimum is said with its field focused;
    emptied fields remove that warehouse's rule; the change is recorded."""
    from store.models import AuditEvent
    from store.stock import inventory

    i18n.set_language("en")
    sku = Product.select().where(Product.active & Product.stock_tracked).first().sku
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "8")
        await pilot.pause()
        await _find(pilot, app, sku)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert [f.key for f in app.screen.fields] == ["min_qty_0", "max_qty_0", "min_qty_1",
                                                      "max_qty_1"]  # STORE, WH
        await fill(pilot, ["12", "48", "30", "6"])
        assert app.focused.id == "form-max_qty_1" and "below the minimum" in text(
            app, "#form-error")
        await fill(pilot, ["60"])
        assert isinstance(app.screen, CatalogScreen), text(app, "#form-error")
        assert "STORE 12→48" in text(app, "#catalog-message")
        product = Product.get(Product.sku == sku)
        assert [(r.warehouse_code, r.min_qty, r.max_qty)
                for r in inventory.reorder_rules(product.id)] == [
            ("STORE", Decimal(12), Decimal(48)), ("WH", Decimal(30), Decimal(60))]
        await pilot.press("f7")
        await pilot.pause()
        await fill(pilot, ["=", "=", "", ""])  # WH: no rule any more
        assert [r.warehouse_code for r in inventory.reorder_rules(product.id)] == ["STORE"]
    assert AuditEvent.select().where(AuditEvent.kind == "reorder_rules_changed").count() == 2


@pytest.mark.parametrize("lang", ["en"])  # Chinese: the editor's test above
async def test_a_categorys_prices_changed_from_the_back_office(fresh_demo, lang) -> None:  # noqa: F811
    """Issue 16.3: "Bulk price change for a category or a supplier by % or amount, previewed
    before it applies" — in the back office, not only the shell."""
    from backoffice.repricing_view import RepricePreviewScreen
    from store.models import PriceChange

    i18n.set_language(lang)
    before = {p.sku: p.price for p in Product.select().where(Product.active)}
    code = Product.select().where(Product.active & Product.category.is_null(False)).first() \
        .category.code
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "8")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await fill(pilot, [code, "S001", "5", "", "0.10"])  # both: said, nothing shown
        assert isinstance(app.screen, FormDialog) and app.focused.id == "form-category"
        await fill(pilot, [code, "", "5", "", "0.10"])
        assert isinstance(app.screen, RepricePreviewScreen), text(app, "#form-error")
        shown = {r[0]: r for r in rows(app)}
        assert set(shown) <= set(before) and shown
        assert all(Product.get(Product.sku == s).price == before[s] for s in shown)  # unwritten
        await pilot.press("f2")
        await pilot.pause()
        assert str(len(shown)) in text(app, "#doc-message")
        await pilot.press("f2")  # once only
        await pilot.pause()
    for sku, row in shown.items():
        price = Product.get(Product.sku == sku).price
        assert price == (before[sku] * Decimal("1.05") / Decimal("0.10")).quantize(
            Decimal(1), rounding="ROUND_HALF_UP") * Decimal("0.10")
        assert row[3].endswith(f"{price:,.2f}")
    assert PriceChange.select().where(PriceChange.source == "bulk").count() == len(shown)


async def test_a_product_set_to_track_lots_in_the_editor(fresh_demo) -> None:  # noqa: F811
    from store.models import StockLot

    i18n.set_language("zh_CN")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "8")
        await pilot.pause()
        await _find(pilot, app, "P0000001")
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one("#form-lots").value == "否"
        await pilot.press(*["enter"] * 8)  # to the last field
        await fill(pilot, ["也许"])
        assert isinstance(app.screen, FormDialog)  # not yes or no: said, nothing changed
        assert "也许" in text(app, "#form-error")
        await fill(pilot, ["是"])
        assert isinstance(app.screen, CatalogScreen), text(app, "#form-error")
    coke = Product.get(Product.sku == "P0000001")
    assert coke.tracks_lots
    assert {r.number for r in StockLot.select().where(StockLot.product == coke.id)} == {""}

