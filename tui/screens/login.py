"""Login: user name and PIN (or password); the check runs in a worker so typing never stalls."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label

from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.offline.till import Offline
from store.security import auth
from store.security.auth import SessionUser

from ..bindings import TranslatedBindings
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


class LoginScreen(EnterMovesFocus, TranslatedBindings, Screen[None]):
    BINDINGS = [
        Binding("escape", "clear", N_("Clear"), id="login.clear"),
        ENTER_NEXT,
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-box"):
            yield Label(_("Log in"), classes="title")
            yield Label(_("User"))
            yield TextInput(placeholder=_("user name"), id="username")
            yield Label(_("PIN"))
            yield TextInput(placeholder=_("PIN or password"), password=True, id="pin")
            yield Label("", id="login-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def enter_target(self) -> Widget | None:
        """Name → PIN; Enter in the PIN field submits, after the PIN's own keys."""
        if self.focused is self.query_one("#username", Input):
            return self.query_one("#pin", Input)
        return None

    @on(Input.Submitted, "#pin")
    def _submit(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        if not username:
            self._error(_("Enter your user name"))
            self.query_one("#username", Input).focus()
            return
        self._error("")
        self.check(username, self.query_one("#pin", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def check(self, username: str, secret: str) -> None:
        link = self.app.link  # type: ignore[attr-defined]
        try:
            if link is not None and not link.online:  # the till's copy knows who may work here
                user = link.login(username, secret)
            elif link is not None:
                user = link.call(auth.login, username, secret, terminal=link.terminal)
            else:
                user = auth.login(username, secret,
                                  terminal=str(self.app.config.terminal.code))  # type: ignore[attr-defined]
        except Offline:  # the database went away just now: the copy answers
            try:
                user = link.login(username, secret)
            except StoreError as err:
                self.app.call_from_thread(self._failed, str(err))
                return
        except StoreError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        except Exception as exc:  # a database fault must read as a message, not a crash
            self.app.call_from_thread(self._failed, _("Cannot log in: {reason}").format(
                reason=exc))
            return
        self.app.call_from_thread(self._succeeded, user)

    def _failed(self, message: str) -> None:
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        self._error(message)

    def _succeeded(self, user: SessionUser) -> None:
        self.action_clear()
        self.app.logged_in(user)  # type: ignore[attr-defined]

    def _error(self, message: str) -> None:
        self.query_one("#login-error", Label).update(message)

    def action_clear(self) -> None:
        self.query_one("#username", Input).value = ""
        self.query_one("#pin", Input).value = ""
        self._error("")
        self.query_one("#username", Input).focus()
