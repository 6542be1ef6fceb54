"""A menu screen: numbered entries, opened by their number or Enter. Home and back office use it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from store.core.i18n import _
from store.security.auth import SessionUser

from ..bindings import TranslatedBindings
from ..guard import GuardedActions


@dataclass(frozen=True)
class Entry:
    id: str
    label: str  # a msgid, translated when shown
    opens: Callable[[SessionUser], Screen]
    needs: tuple[str, ...] = ()  # shown only to roles with one of these permissions


class MenuScreen(GuardedActions, TranslatedBindings, Screen[None]):
    # Guarded: a screen that reads the database as it opens, with the server gone, leaves a
    # notice and this menu, not a closed app.
    # Keys 1–9 (and 0 for the tenth) open the entry with that number; others do nothing.
    BINDINGS = [Binding(str(n % 10), f"open({n - 1})", show=False) for n in range(1, 11)]

    def __init__(self, user: SessionUser, entries: Sequence[Entry], title: str,
                 hint: str = "") -> None:
        super().__init__()
        self.user = user
        self.entries = list(entries)
        self.menu_title = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-box"):
            yield Label(self.menu_title, id="menu-title", classes="title")
            # Past the tenth an entry has no key of its own: arrows and Enter reach it.
            yield OptionList(*[Option(f"{(i + 1) % 10 if i < 10 else ' '}  {_(e.label)}",
                                      id=e.id)
                               for i, e in enumerate(self.entries)], id="home-menu")
            if self.hint:
                yield Label(self.hint, classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option_index)

    def action_open(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            self.app.push_screen(self.entries[index].opens(self.user), callback=self._said)

    def _said(self, result: object) -> None:
        """A form opened from the menu (the shop's settings) says what it did here."""
        if isinstance(result, str) and result:
            self.notify(result)
