"""The honest placeholder for an area a later release delivers: it says so, and Esc goes back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from store.i18n import N_, _

from ..bindings import TranslatedBindings


class NotAvailableScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.area_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="notice-box"):
            yield Label(_(self.area_title), classes="title")
            yield Label(_("Not available yet: this part of Zhanggui is still being built."),
                        id="not-available")
        yield Footer()
