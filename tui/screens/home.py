"""The home screen: the areas this user's role may enter, one key each."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from store.core.i18n import N_, _
from store.security import scope
from store.security.auth import SessionUser
from store.stock import inventory

from .menu import Entry, MenuScreen


def _till(user: SessionUser) -> Screen:
    from .till.screen import TillScreen

    return TillScreen(user)


def _stockroom(user: SessionUser) -> Screen:
    from .stockroom import StockroomScreen

    return StockroomScreen(user)


def _backoffice(user: SessionUser) -> Screen:
    from backoffice.home import BackOfficeScreen

    return BackOfficeScreen(user)


MANAGERS = ("supervisor", "owner")  # see the shop's low-stock count on their home screen

# (entry, roles that see it)
AREAS: tuple[tuple[Entry, tuple[str, ...]], ...] = (
    (Entry("till", N_("Till"), _till), ("cashier", "supervisor", "owner")),
    (Entry("stockroom", N_("Stockroom"), _stockroom), ("warehouse", "supervisor", "owner")),
    (Entry("backoffice", N_("Back office"), _backoffice), ("supervisor", "accountant", "owner")),
)


def areas_for(role: str) -> list[Entry]:
    return [entry for entry, roles in AREAS if role in roles]


class HomeScreen(MenuScreen):
    BINDINGS = [Binding("f10", "logout", N_("Log out"), id="home.logout")]

    def __init__(self, user: SessionUser) -> None:
        hint = _("Press a number or Enter to open; F10 logs out.")
        link = self.app.link  # type: ignore[attr-defined]
        areas = areas_for(user.role)
        if link is not None and not link.online:  # the till sells on; the rest waits
            areas = [a for a in areas if a.id == "till"]
            hint = _("Offline: only the till works until the database answers") + "\n" + hint
        elif user.role in MANAGERS:  # of the shops they work for
            count = inventory.alert_count(shops=scope.shops_of(user.id))
            hint = _("Low stock: {n} alerts").format(n=count) + "\n" + hint
        super().__init__(user, areas,
                         _("{name} · {role}").format(name=user.display_name,
                                                     role=user.role_label), hint)

    def action_logout(self) -> None:
        self.app.log_out()  # type: ignore[attr-defined]
