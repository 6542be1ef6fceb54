"""The new shop's checklist (issue 16.1): after the first-run form, and from Set-up whenever
the owner comes back, each step of setting up with what the shop already has — warehouses,
tills, tenders, users, the printer, suppliers, products, opening stock, customers — and its
number opens the screen that does it. It reads the shop each time it is shown, so leaving
half-way and coming back next week resumes where the shop stands."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.core.i18n import N_, _
from store.onboarding import progress
from store.security.auth import SessionUser
from tui.screens.menu import Entry, MenuScreen


def _register(name: str) -> Callable[[SessionUser], Screen]:
    def opens(user: SessionUser) -> Screen:
        from . import setup_registers
        from .registers import RegisterScreen

        return RegisterScreen(user, getattr(setup_registers, name))

    return opens


def _users(user: SessionUser) -> Screen:
    from .users import UsersScreen

    return UsersScreen(user)


def _devices(user: SessionUser) -> Screen:
    from .devices import DevicesScreen

    return DevicesScreen(user)


def _products(user: SessionUser) -> Screen:
    from .catalog import CatalogScreen

    return CatalogScreen(user)


def _import(user: SessionUser) -> Screen:
    from .import_view import ImportScreen

    return ImportScreen(user)


OPENS: dict[str, Callable[[SessionUser], Screen]] = {
    "warehouses": _register("WAREHOUSES"), "tills": _register("TILLS"),
    "tenders": _register("TENDERS"), "users": _users, "suppliers": _register("SUPPLIERS"),
    "products": _products, "stock": _import, "customers": _import,
}
HOW = {"products": N_("F2 one by one, or Import a file"), "stock": N_("Import a file: stock"),
       "customers": N_("Import a file: customers"), "printer": N_("T prints a test page")}


class GettingStartedScreen(MenuScreen):
    """The checklist, walked like a wizard: the first step not done yet is highlighted, so
    Enter takes the owner to it, and back from it to the next one."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        self.todo: int | None = None  # the entry of the first step not done
        super().__init__(user, self._entries(), _("Setting up the shop"),
                         # two short lines: one long line was cut at 80 columns
                         _("✓ done · Enter: the next step · its number opens any step")
                         + "\n" + _("Come back any time: Set-up › Setting up the shop"))

    def _entries(self) -> list[Entry]:
        out: list[Entry] = []
        self.todo = None
        for step in progress.steps():
            line = "{mark} {label}: {count}".format(mark="✓" if step.done else "·",
                                                    label=_(step.label), count=step.count)
            if step.key in HOW:
                line += f"  ({_(HOW[step.key])})"
            if not step.done and self.todo is None:
                self.todo = len(out)
            out.append(Entry(step.key, line, OPENS[step.key]))
            if step.key == "users":  # the printer is this terminal's, not the database's
                out.append(Entry("printer", f"· {_('Printer')}  ({_(HOW['printer'])})",
                                 _devices))
        return out

    def on_mount(self) -> None:
        super().on_mount()
        self._point_at_next()

    def on_screen_resume(self) -> None:
        """Back from a step: the counts again, and the next step to take."""
        self.entries = self._entries()
        menu = self.query_one(OptionList)
        menu.clear_options()
        menu.add_options([Option(f"{(i + 1) % 10 if i < 10 else ' '}  {e.label}", id=e.id)
                          for i, e in enumerate(self.entries)])
        self._point_at_next()

    def _point_at_next(self) -> None:
        self.query_one(OptionList).highlighted = self.todo if self.todo is not None else 0
