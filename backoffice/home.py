"""The back office menu: what an owner, supervisor or accountant can open."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from store.auth import SessionUser
from store.i18n import N_, _
from tui.bindings import TranslatedBindings


def _catalog(user: SessionUser) -> Screen:
    from .catalog import CatalogScreen

    return CatalogScreen()


def _users(user: SessionUser) -> Screen:
    from .users import UsersScreen

    return UsersScreen()


def _later(title: str) -> Callable[[SessionUser], Screen]:
    def make(user: SessionUser) -> Screen:
        from tui.screens.notice import NotAvailableScreen

        return NotAvailableScreen(title)

    return make


ENTRIES: tuple[tuple[str, str, Callable[[SessionUser], Screen]], ...] = (
    ("catalog", N_("Products"), _catalog),
    ("users", N_("Users"), _users),
    ("purchasing", N_("Purchasing"), _later(N_("Purchasing"))),
    ("finance", N_("Finance"), _later(N_("Finance"))),
    ("reports", N_("Reports"), _later(N_("Reports"))),
    ("customers", N_("Customers and price lists"), _later(N_("Customers and price lists"))),
    ("channels", N_("Online channels"), _later(N_("Online channels"))),
)


class BackOfficeScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        *[Binding(str(i + 1), f"open({i})", show=False) for i in range(len(ENTRIES))],
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-box"):
            yield Label(_("Back office"), classes="title")
            yield OptionList(*[Option(f"{i + 1}  {_(label)}", id=key)
                               for i, (key, label, _f) in enumerate(ENTRIES)], id="home-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option_index)

    def action_open(self, index: int) -> None:
        if 0 <= index < len(ENTRIES):
            self.app.push_screen(ENTRIES[index][2](self.user))
