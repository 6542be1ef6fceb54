"""The X or Z report on screen: a cashier with no printer still sees what the shift took."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label

from store.core.i18n import N_

from ..bindings import TranslatedBindings
from ..receipts import report_lines


class ShiftReportDialog(TranslatedBindings, ModalScreen[None]):
    """The report's rows, label left and figure right, as the printer lays them out. 48 wide:
    42 for the text, 2 for a scrollbar (a long report scrolls), padding and border — so a
    scrollbar never covers a figure's last digits."""

    DEFAULT_CSS = """
    ShiftReportDialog { align: center middle; }
    ShiftReportDialog > Vertical { width: 48; height: auto; max-height: 100%;
                                   border: round $accent; padding: 0 1; background: $surface; }
    ShiftReportDialog VerticalScroll { height: auto; max-height: 18; }
    ShiftReportDialog .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"), id="dialog.close"),
                Binding("enter", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.report_title = title
        self.rows = rows
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.report_title, classes="title")
            with VerticalScroll():
                for line in report_lines(self.rows, 42):
                    yield Label(line)
            if self.hint:
                yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        # The scroll has the keys, so Up/Down/PgDn/End reach a long report's foot.
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
