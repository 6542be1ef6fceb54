"""A style's code typed at the till offers its variants: the cashier picks the size and
colour, with a quantity typed before it kept."""

from __future__ import annotations

import asyncio

import pytest

from store.catalog import variants
from store.catalog.products import ProductInput
from store.core import i18n
from store.security import auth
from tests.pgoutage import refused
from tests.tui.test_login_home import make_app
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo, open_till  # noqa: F401  (the fixture)
from tui.dialogs.pickers import ListPicker


async def test_typing_a_style_offers_its_variants(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("zh_CN")
    variants.create_template(auth.authenticate("owner", "8888"), "TSHIRT", "T恤",
                             [variants.parse_attribute("尺码=S,M,L"),
                              variants.parse_attribute("颜色=RED:红,WHITE:白")],
                             ProductInput("", "", "59", "13%"))
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "zh_CN")
        cart = app.screen.query_one("#cart")
        await pilot.press(*"2*tshirt", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ListPicker))
        table = app.screen.query_one("#picker-rows")
        assert table.row_count == 6 and str(table.get_row_at(3)[1]) == "T恤 M 白"
        await pilot.press("down", "down", "down", "enter")
        assert await wait_until(pilot, lambda: cart.row_count == 1)
        row = cart.get_row_at(0)
        assert "T恤 M 白" in str(row[1]) and row[2] == "2" and row[4] == "118.00"


@pytest.mark.pg_only
async def test_a_style_is_offered_offline_from_the_tills_copy(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    variants.create_template(auth.authenticate("owner", "8888"), "CAP", "帽子",
                             [variants.parse_attribute("颜色=BLUE:蓝,RED:红")],
                             ProductInput("", "", "25", "13%"), name_en="Cap")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        assert app.link is not None
        await asyncio.to_thread(app.link.refresh)
        cart = app.screen.query_one("#cart")
        with refused(fresh_demo):
            await pilot.press(*"cap", "enter")
            assert await wait_until(pilot, lambda: isinstance(app.screen, ListPicker))
            assert "OFFLINE" in app.sub_title
            table = app.screen.query_one("#picker-rows")
            assert [str(c) for c in table.get_row_at(1)] == ["CAP-RED", "Cap 红", "￥25.00", "—"]
            await pilot.press("down", "enter")
            assert await wait_until(pilot, lambda: cart.row_count == 1)
            assert "Cap 红" in str(cart.get_row_at(0)[1])
