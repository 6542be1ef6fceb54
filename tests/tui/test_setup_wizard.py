"""The first run (issue 16.1): the app opened on an empty database asks for the shop and its
owner at 80x24 and logs the owner in; a mistake is said on the form and nothing is made
until the form is whole; Esc leaves nothing behind and Enter asks again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import OptionList

from backoffice.forms import FormDialog
from backoffice.getting_started import GettingStartedScreen
from backoffice.registers import RegisterScreen
from backoffice.users import UsersScreen
from store import bootstrap
from store.common import clock
from store.core import i18n
from store.models import Company
from store.security import auth
from store.shops import org, setup
from tests.tui.test_backoffice import text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tui.screens.home import HomeScreen
from tui.screens.setup_wizard import SetupScreen


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_a_shop_from_an_empty_database(db_url, lang) -> None:
    i18n.set_language(lang)
    bootstrap.open_store(db_url)
    assert not setup.is_set_up()
    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press("escape")  # left half-way: nothing made, Enter asks again
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and not setup.is_set_up()
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, ["老王便利店", "Lao Wang Mart", lang, "Asia/Urumqi", "no", "0.3",
                           "lao", "王老板", "2580", "2851"])
        assert isinstance(app.screen, FormDialog)
        assert app.focused.id == "form-pin_again"  # the PINs differ
        await fill(pilot, ["2580"])
        assert app.focused.id == "form-cash_rounding"  # 0.3 is no coin
        assert "0.3" in text(app, "#form-error") and not setup.is_set_up()
        await fill(pilot, ["0.1", "=", "=", "=", "="])  # the PINs kept, the last Enter saves
        # The rest of the set-up as a checklist read from the shop: what it has, what not.
        assert isinstance(app.screen, GettingStartedScreen), text(app, "#form-error")
        assert app.user is not None and app.user.username == "lao"
        assert app.title == "老王便利店"
        marks = {e.id: e.label[0] for e in app.screen.entries}
        assert marks["warehouses"] == marks["tills"] == "✓" and marks["products"] == "·"
        assert marks["suppliers"] == "·"
        # walked like a wizard: Enter opens the first step not done (a second user)
        menu = app.screen.query_one(OptionList)
        assert app.screen.entries[menu.highlighted].id == "users"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("6")  # suppliers: its register, a supplier added there
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("f2")
        await pilot.pause()
        await fill(pilot, ["S1", "杭州饮料批发", "", "", "30", "3"])
        await pilot.press("escape")  # back: the step is done
        await pilot.pause()
        assert isinstance(app.screen, GettingStartedScreen)
        assert {e.id: e.label[0] for e in app.screen.entries}["suppliers"] == "✓"
        menu = app.screen.query_one(OptionList)
        assert app.screen.entries[menu.highlighted].id == "users"  # still the next to do
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    shop = org.settings()
    assert (shop.name, shop.name_en, shop.prices_include_tax, shop.cash_rounding) == (
        "老王便利店", "Lao Wang Mart", False, Decimal("0.1"))
    assert str(clock.shop_zone()) == "Asia/Urumqi"
    assert auth.authenticate("lao", "2580").display_name == "王老板"
    assert Company.select().count() == 1 and [w.code for w in org.warehouses()] == ["STORE",
                                                                                  "WH"]
    bootstrap.close_store()
