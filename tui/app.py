"""The Textual app: wiring only. Screens live in tui/screens and backoffice/."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from store import org
from store.auth import SessionUser
from store.config import Config
from store.i18n import N_

from .bindings import TranslatedBindings
from .screens.home import HomeScreen
from .screens.login import LoginScreen


class ZhangguiApp(TranslatedBindings, App[None]):
    """The till, the stockroom and the back office over one store; the store must be open."""

    CSS_PATH = "app.tcss"
    TITLE = "掌柜 Zhanggui"
    BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.user: SessionUser | None = None

    def on_mount(self) -> None:
        shop = org.settings()
        self.title = shop.name or "掌柜 Zhanggui"
        self.sub_title = self.config.terminal.code
        self.push_screen(LoginScreen())

    def logged_in(self, user: SessionUser) -> None:
        self.user = user
        self.push_screen(HomeScreen(user))

    def log_out(self) -> None:
        self.user = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.pop_screen()
