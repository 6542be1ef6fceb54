"""The first run: the app opened on a database with no shop asks for the shop and its owner
(issue 16.1) instead of sending the merchant to Python or a man page. One form at 80x24; the
shop is made in one transaction when the form is saved, so leaving half-way leaves nothing
behind and the next start asks again. Then the owner is logged in and the checklist of the
remaining steps opens (backoffice/getting_started.py), each step's screen a key away."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from backoffice.forms import Field, FormDialog
from store.core import text
from store.core.errors import ValidationError
from store.core.i18n import N_, _, normalize_language, set_language
from store.core.money import parse_cash_step
from store.security.auth import SessionUser
from store.shops import setup

from ..bindings import TranslatedBindings


def fields() -> list[Field]:
    """The form's fields, its yes said in the interface's language (是 / yes)."""
    return [
        Field("name", N_("Shop name")),
        Field("name_en", N_("English name")),
        Field("language", N_("Language"), value="zh_CN", hint="zh_CN, en"),
        Field("timezone", N_("Time zone"), value="Asia/Shanghai"),
        Field("prices_include_tax", N_("Prices with tax"), value=_("yes"),
              hint=_("yes or no")),
        Field("cash_rounding", N_("Cash rounding"), value="0.01", hint="0.01, 0.1, 0.5, 1"),
        Field("owner", N_("Owner's user name"), value="owner"),
        Field("owner_name", N_("Owner's name")),
        Field("pin", N_("PIN"), secret=True),
        Field("pin_again", N_("PIN again"), secret=True),
    ]


class SetupScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("enter", "start", N_("Set up the shop"), id="setup.start")]

    def __init__(self) -> None:
        super().__init__()
        self.owner: SessionUser | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="setup-box"):
            yield Label(_("Welcome to Zhanggui"), classes="title")
            yield Label(_("This database has no shop yet. Enter opens the set-up: the shop, "
                          "its prices and cash rounding, and its owner, who logs in at "
                          "once. Warehouses, tills, products and your old data come next, "
                          "from the back office or 'zhanggui import'."), id="setup-text")
        yield Footer()

    def on_mount(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        self.app.push_screen(FormDialog(_("A new shop"), fields(), self._make,
                                        aliases={"username": "owner", "step": "cash_rounding",
                                                 "timezone": "timezone"}),
                             self._made)

    def _make(self, v: dict[str, str]) -> str:
        language = normalize_language(v["language"].strip())
        if not language:
            raise ValidationError(_("language: '{value}' is not zh_CN or en").format(
                value=v["language"]), field="language", value=v["language"])
        if v["pin"] != v["pin_again"]:
            raise ValidationError(_("The two entries differ"), field="pin_again", value="****")
        owner = setup.start_shop(setup.ShopStart(
            name=v["name"], name_en=v["name_en"], owner=v["owner"], owner_pin=v["pin"],
            owner_name=v["owner_name"], timezone=v["timezone"].strip(),
            prices_include_tax=_yes_no(v["prices_include_tax"]),
            cash_rounding=_rounding(v["cash_rounding"])))
        set_language(language)
        self.owner = owner
        return owner.username

    def _made(self, said: str | None) -> None:
        if not said:  # Esc: nothing was made; Enter asks again
            return
        from store.shops import org

        shop = org.settings()
        self.app.title = shop.name
        self.app.pop_screen()
        assert self.owner is not None
        self.app.logged_in(self.owner)  # type: ignore[attr-defined]
        # The rest of the set-up, step by step; it can be left and taken up again from
        # Back office › Set-up › Setting up the shop.
        from backoffice.getting_started import GettingStartedScreen

        self.app.push_screen(GettingStartedScreen(self.owner))
        self.app.notify(_("Shop {name} is ready. Next: the steps below, each opened by its "
                          "number.").format(name=shop.name), timeout=15)


def _yes_no(value: str) -> bool:
    return text.yes_no(value, field="prices_include_tax")


def _rounding(value: str) -> Decimal | None:
    step = parse_cash_step(value)
    return None if step == Decimal("0.01") else step
