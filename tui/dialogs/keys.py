"""F1: every key of the screen below, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from store.core.i18n import N_, _

from ..bindings import TranslatedBindings


class KeysDialog(TranslatedBindings, ModalScreen[None]):
    """Every key of the screen below, with what it does: the footer shows only what fits."""

    DEFAULT_CSS = """
    KeysDialog { align: center middle; }
    KeysDialog > Vertical { width: 64; height: auto; border: round $accent; padding: 0 2;
                            background: $surface; }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"), id="dialog.close"),
                Binding("f1", "close", show=False)]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Keys"), classes="title")
            for key, what in self.rows:
                yield Label(f"{key:>8}  {what}")

    def action_close(self) -> None:
        self.dismiss(None)
