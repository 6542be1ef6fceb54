"""The home screen: the areas this user's role may enter, one key each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from store.auth import SessionUser
from store.i18n import N_, _

from ..bindings import TranslatedBindings


@dataclass(frozen=True)
class Area:
    id: str
    label: str  # msgid, translated when shown
    roles: tuple[str, ...]
    opens: Callable[[SessionUser], Screen]


def _till(user: SessionUser) -> Screen:
    from .notice import NotAvailableScreen

    return NotAvailableScreen(N_("Till"))


def _stockroom(user: SessionUser) -> Screen:
    from .stockroom import StockroomScreen

    return StockroomScreen(user)


def _backoffice(user: SessionUser) -> Screen:
    from backoffice.home import BackOfficeScreen

    return BackOfficeScreen(user)


AREAS = (
    Area("till", N_("Till"), ("cashier", "supervisor", "owner"), _till),
    Area("stockroom", N_("Stockroom"), ("warehouse", "supervisor", "owner"), _stockroom),
    Area("backoffice", N_("Back office"), ("supervisor", "accountant", "owner"), _backoffice),
)


def areas_for(role: str) -> list[Area]:
    return [a for a in AREAS if role in a.roles]


class HomeScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [
        Binding("1", "open(0)", show=False),
        Binding("2", "open(1)", show=False),
        Binding("3", "open(2)", show=False),
        Binding("f10", "logout", N_("Log out"), id="home.logout"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.areas = areas_for(user.role)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-box"):
            yield Label(_("{name} · {role}").format(name=self.user.display_name,
                                                     role=self.user.role_label),
                        id="home-user", classes="title")
            yield OptionList(*[Option(f"{i + 1}  {_(a.label)}", id=a.id)
                               for i, a in enumerate(self.areas)], id="home-menu")
            yield Label(_("Press a number or Enter to open; F10 logs out."), classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option_index)

    def action_open(self, index: int) -> None:
        if 0 <= index < len(self.areas):
            self.app.push_screen(self.areas[index].opens(self.user))

    def action_logout(self) -> None:
        self.app.log_out()  # type: ignore[attr-defined]
