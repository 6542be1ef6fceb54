"""Users in the back office (issue 16.2: "a back-office screen, not only the CLI"), at 80x24:
the owner adds a cashier (the PIN typed as dots), changes her role, sets a new PIN, stops her
logging in; the store's refusals are said on the screen."""

from __future__ import annotations

import pytest

from backoffice.forms import FormDialog
from backoffice.users import UsersScreen
from store.core import i18n
from store.core.errors import AuthError
from store.security import auth
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_owner_looks_after_users(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "0", "1")  # set-up, Users
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, ["mei", "cashier", "小美", "4321"])
        assert isinstance(app.screen, UsersScreen), text(app, "#form-error")
        assert "mei" in [r[0] for r in rows(app)]
        index = [r[0] for r in rows(app)].index("mei")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, ["emperor", "="])  # not a role: said, the role focused
        assert "emperor" in text(app, "#form-error") and app.focused.id == "form-role"
        await fill(pilot, ["supervisor", "="])
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("#form-pin").password  # typed as dots
        await fill(pilot, ["9876"])
        await pilot.press("d")
        await pilot.pause()
        assert "mei" in text(app, "#doc-message")
        status = next(r[3] for r in rows(app) if r[0] == "mei")
        assert status == i18n._("deactivated")
        index = [r[0] for r in rows(app)].index("owner")
        for _ in range(10):
            await pilot.press("up")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("d")  # oneself: refused in words
        await pilot.pause()
        assert "owner" in [r[0] for r in rows(app) if r[3] == i18n._("active")]
        assert text(app, "#doc-message")
    with pytest.raises(AuthError):  # deactivated
        auth.authenticate("mei", "9876")
