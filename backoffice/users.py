"""Who can log in, and with which role."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from store.core.i18n import N_, _
from store.security import auth
from tui.bindings import TranslatedBindings


class UsersScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Users — add users and set PINs with 'zhanggui user'"), classes="muted")
        table: DataTable[str] = DataTable(id="users", cursor_type="row")
        table.add_columns(_("User"), _("Role"), _("Name"))
        for u in auth.list_users():
            table.add_row(u.username, u.role_label, u.display_name)
        yield table
        yield Footer()
