"""A table that never shows part of a column. A DataTable wider than its screen scrolls by
characters, so at 80x24 the rightmost column is cut anywhere — `8,672.` for 8,672.46 — with no
sign. This one shows only whole columns: the leading `fixed` columns always, then as many of the
rest as fit; Left and Right move through the others one column at a time, and `note` says how
many are hidden on each side. Long text is shortened with an ellipsis; a number never is."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from store.core.i18n import _

Cell = str | Text
PADDING = 2  # DataTable's cell padding, one each side
SCROLLBAR = 2  # room kept for the vertical scrollbar


def plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def shorten(cell: Cell, limit: int) -> Cell:
    if isinstance(cell, Text) or cell_len(cell) <= limit:
        return cell
    out = ""
    for ch in cell:
        if cell_len(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


class FitTable(DataTable[Cell]):
    BINDINGS = [
        Binding("left", "shift(-1)", show=False),
        Binding("right", "shift(1)", show=False),
    ]

    class Shifted(Message):
        """The columns on show changed; `note` says what is hidden."""

        def __init__(self, table: FitTable, note: str) -> None:
            super().__init__()
            self.table = table
            self.note = note

        @property
        def control(self) -> FitTable:
            return self.table

    def __init__(self, *, fixed: int = 1, max_text: int = 24, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.fixed = fixed
        self.max_text = max_text
        self.labels: list[str] = []
        self.data: list[list[Cell]] = []
        self.first = fixed  # the first column shown after the fixed ones
        self.shown: list[int] = []
        self._widths: list[int] = []

    def show_table(self, labels: list[str], rows: list[list[Cell]]) -> None:
        """Show these rows (all of them, every column); the cursor row and the columns scrolled
        to stay where they were when the headings are the same."""
        if labels != self.labels:
            self.first = self.fixed
        self.labels = list(labels)
        self.data = [[shorten(c, self.max_text) for c in r]
                     + [""] * (len(labels) - len(r)) for r in rows]
        self._widths = [max([cell_len(label)] + [cell_len(plain(r[i])) for r in self.data])
                        + PADDING for i, label in enumerate(self.labels)]
        self._draw(force=True)

    @property
    def hidden(self) -> tuple[int, int]:
        """Columns hidden to the left and to the right."""
        if not self.shown:
            return 0, 0
        moving = [i for i in self.shown if i >= self.fixed]
        left = (moving[0] if moving else len(self.labels)) - self.fixed
        right = len(self.labels) - 1 - self.shown[-1]
        return max(left, 0), max(right, 0)

    @property
    def note(self) -> str:
        left, right = self.hidden
        if not (left or right):
            return ""
        return _("more columns: ← {left} · {right} →").format(left=left, right=right)

    def _fit(self) -> list[int]:
        room = self.size.width - (SCROLLBAR if len(self.data) >= self.size.height else 0)
        n = len(self.labels)
        if room <= 0:
            return list(range(n))
        fixed = list(range(min(self.fixed, n)))
        used = sum(self._widths[i] for i in fixed)
        shown = list(fixed)
        for i in range(self.first, n):
            if used + self._widths[i] > room and len(shown) > len(fixed):
                break
            shown.append(i)
            used += self._widths[i]
        return shown

    def _draw(self, *, force: bool = False) -> None:
        shown = self._fit()
        if shown == self.shown and not force:
            return
        row = self.cursor_row
        self.shown = shown
        self.clear(columns=True)
        # Widths given, not measured: DataTable measures on idle and may keep lines it drew
        # before that at the headings' widths (seen as `8,672.` again).
        for i in shown:
            self.add_column(self.labels[i], width=self._widths[i] - PADDING)
        self.add_rows([[r[i] for i in shown] for r in self.data])
        if self.data:
            self.move_cursor(row=min(row, len(self.data) - 1), animate=False)
        self.post_message(self.Shifted(self, self.note))

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def action_shift(self, n: int) -> None:
        left, right = self.hidden
        if (n > 0 and right) or (n < 0 and left):
            self.first = max(self.fixed, self.first + n)
            self._draw()
