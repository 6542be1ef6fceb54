"""The back office menu: what an owner, supervisor or accountant can open."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen

from store.auth import SessionUser
from store.i18n import N_, _
from tui.screens.menu import Entry, MenuScreen


def _catalog(user: SessionUser) -> Screen:
    from .catalog import CatalogScreen

    return CatalogScreen()


def _users(user: SessionUser) -> Screen:
    from .users import UsersScreen

    return UsersScreen()


def _devices(user: SessionUser) -> Screen:
    from .devices import DevicesScreen

    return DevicesScreen()


def _later(title: str) -> Callable[[SessionUser], Screen]:
    def make(user: SessionUser) -> Screen:
        from tui.screens.notice import NotAvailableScreen

        return NotAvailableScreen(title)

    return make


ENTRIES = (
    Entry("catalog", N_("Products"), _catalog),
    Entry("users", N_("Users"), _users),
    Entry("purchasing", N_("Purchasing"), _later(N_("Purchasing"))),
    Entry("finance", N_("Finance"), _later(N_("Finance"))),
    Entry("reports", N_("Reports"), _later(N_("Reports"))),
    Entry("customers", N_("Customers and price lists"), _later(N_("Customers and price lists"))),
    Entry("channels", N_("Online channels"), _later(N_("Online channels"))),
    Entry("devices", N_("Devices"), _devices),
)


class BackOfficeScreen(MenuScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__(user, ENTRIES, _("Back office"))
