"""Styles in the back office at 80x24 (issue 19.7): F9 in Products, F2 a new style from its
attributes (a bad value named on the form), Enter its variants, v a new colour."""

from __future__ import annotations

from backoffice.forms import FormDialog
from backoffice.styles_view import StyleScreen, StylesScreen
from store.core import i18n
from store.models import Product
from tests.tui.test_backoffice import back_office, rows
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


async def test_a_style_made_and_grown_in_the_back_office(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "manager", "2468")
        await pilot.press("m", "6", "f9")  # Products (the supervisor's sixth), then Styles
        await pilot.pause()
        assert isinstance(app.screen, StylesScreen) and rows(app) == []
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"TSHIRT", "enter", *"T-shirt", "enter", *"Size=S,M;Colour=RED:Red,红",
                          "enter", *"59", "f2")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # 红 cannot go into a SKU: said, kept
        assert "'红'" in str(app.screen.query_one("#form-error").render())
        field = app.screen.query_one("#form-attributes")
        field.value = "Size=S,M;Colour=RED:Red,WHITE:White"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, StylesScreen)
        assert rows(app)[0][0] == "TSHIRT" and rows(app)[0][2] == "4"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StyleScreen)
        assert [r[0] for r in rows(app)] == ["TSHIRT-S-RED", "TSHIRT-S-WHITE", "TSHIRT-M-RED",
                                             "TSHIRT-M-WHITE"]
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter", *"BLUE:Blue", "f2")  # the last attribute, Colour
        await pilot.pause()
        assert isinstance(app.screen, StyleScreen) and len(rows(app)) == 6
    assert Product.get(Product.sku == "TSHIRT-M-BLUE").name == "T-shirt M Blue"
