"""Shops of a chain in the back office (issue 18.1) at 80x24: the owner adds a shop (a wrong
time zone said on the form), changes it, gives it a warehouse from the warehouses register,
and cannot retire it while that warehouse is in use."""

from __future__ import annotations

import pytest

from backoffice.registers import RegisterScreen
from store.core import i18n
from store.shops import branches
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_setup_registers import key, to_row
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


@pytest.mark.parametrize("lang", ["en"])
async def test_the_owner_adds_a_shop_and_its_warehouse(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await key(pilot, "m", "0")
        menu = [e.id for e in app.screen.entries]
        await key(pilot, *["down"] * menu.index("shops"), "enter")
        assert isinstance(app.screen, RegisterScreen)
        assert [r[0] for r in rows(app)] == ["MAIN"]
        await key(pilot, "f2")
        await fill(pilot, ["BJ", "北京店", "Beijing", "Mars/Olympus"])
        assert "Mars/Olympus" in text(app, "#form-error")
        assert [s.code for s in branches.shops()] == ["MAIN"]  # nothing half-made
        await fill(pilot, ["Asia/Shanghai"])
        assert ["BJ", "北京店", "Beijing", "Asia/Shanghai", "in use"] in rows(app)
        await to_row(pilot, "BJ")
        await key(pilot, "enter")
        await fill(pilot, ["=", "=", "Asia/Urumqi"])
        assert branches.get_shop("BJ").timezone == "Asia/Urumqi"
        await key(pilot, "escape", "4")  # warehouses
        await key(pilot, "f2")
        await fill(pilot, ["BJ1", "北京店门店", "=", "=", "BJ"])
        assert ["BJ1", "北京店门店", "BJ", "yes", "in use"] in rows(app)
        await key(pilot, "escape")  # the menu again, its cursor on warehouses
        await key(pilot, "home", *["down"] * menu.index("shops"), "enter")
        await to_row(pilot, "BJ")
        await key(pilot, "f6")  # retire: its warehouse is in use
        assert "BJ1" in text(app, "#doc-message")
        assert branches.get_shop("BJ").active


@pytest.mark.parametrize("lang", ["zh_CN"])
async def test_a_shop_s_own_prices_from_its_row(fresh_demo, lang) -> None:  # noqa: F811
    from decimal import Decimal

    from backoffice.shop_prices import ShopPricesScreen
    from store.catalog import search

    i18n.set_language(lang)
    sku = search.lookup_code("P0000020").sku
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await key(pilot, "m", "0")
        menu = [e.id for e in app.screen.entries]
        await key(pilot, *["down"] * menu.index("shops"), "enter")
        await key(pilot, "f7")  # MAIN's own prices: none yet
        assert isinstance(app.screen, ShopPricesScreen) and rows(app) == []
        await key(pilot, "f2")
        await fill(pilot, [sku, "=1"])
        assert "=1" in text(app, "#form-error")  # said on the form, nothing written
        await fill(pilot, ["12.80"])
        [(shown_sku, _name, _chain, own)] = rows(app)
        assert shown_sku == sku and own.strip() == "￥12.80"
        assert search.lookup_code(sku, shop=branches.main_shop().id).price == Decimal("12.80")
        await key(pilot, "delete")
        assert rows(app) == [] and "MAIN" in text(app, "#doc-message")
        assert search.lookup_code(sku, shop=branches.main_shop().id).price == search.lookup_code(
            sku).price
