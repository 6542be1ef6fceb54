"""Taking goods back: the receipt's lines with what can still be returned; pick quantities and
whether each goes back on the shelf. Returns the picks; the till puts them in the basket."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from store.core.i18n import N_, _
from store.core.money import QTY_PLACES, format_qty
from store.selling.returns import Returnable

from ..bindings import TranslatedBindings
from ..dialogs.inputs import AmountDialog


@dataclass(frozen=True)
class ReturnPick:
    line_id: int
    qty: Decimal
    restock: bool


class ReturnScreen(TranslatedBindings, ModalScreen[list[ReturnPick] | None]):
    DEFAULT_CSS = """
    ReturnScreen { align: center middle; }
    ReturnScreen > Vertical { width: 78; height: 20; border: round $accent;
                              background: $surface; }
    ReturnScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "quantity", N_("Qty"), id="return.qty", priority=True),
        Binding("a", "all", N_("All"), id="return.all"),
        Binding("d", "damaged", N_("Shelf/damaged"), id="return.damaged"),
        Binding("f12", "done", N_("Return these"), id="return.done", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
    ]

    def __init__(self, receipt: Returnable) -> None:
        super().__init__()
        self.receipt = receipt
        self.qty: dict[int, Decimal] = {}
        self.damaged: set[int] = set()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Return from sale {number}").format(number=self.receipt.number),
                        classes="title")
            table: DataTable[str] = DataTable(id="return-lines", cursor_type="row")
            table.add_columns("#", _("Name"), _("Sold"), _("Returned"), _("Return"), _("To"))
            yield table
            yield Label("", id="return-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for ln in self.receipt.lines:
            to = _("damaged") if ln.line_id in self.damaged else _("shelf")
            table.add_row(str(ln.line_no), ln.name[:28], format_qty(ln.sold_qty),
                          format_qty(ln.returned_qty),
                          format_qty(self.qty.get(ln.line_id, Decimal(0))), to)
        table.move_cursor(row=row)

    def _line(self):  # type: ignore[no-untyped-def]
        return self.receipt.lines[self.query_one(DataTable).cursor_row]

    def action_quantity(self) -> None:
        line = self._line()
        if line.remaining <= 0:
            self.query_one("#return-error", Label).update(
                _("{name}: all of it was returned already").format(name=line.name))
            return

        def chosen(qty: Decimal | None) -> None:
            if qty is None:
                return
            if qty > line.remaining:
                self.query_one("#return-error", Label).update(
                    _("qty: '{value}' is more than the {left} that can be returned of {name}")
                    .format(value=qty, left=line.remaining, name=line.name))
                return
            self.query_one("#return-error", Label).update("")
            self.qty[line.line_id] = qty
            self._fill()

        self.app.push_screen(AmountDialog(_("Return how many of {name}? (up to {left})").format(
            name=line.name, left=format_qty(line.remaining)), value=format_qty(line.remaining),
            places=QTY_PLACES), chosen)

    def action_all(self) -> None:
        self.qty = {ln.line_id: ln.remaining for ln in self.receipt.lines if ln.remaining > 0}
        self._fill()

    def action_damaged(self) -> None:
        line = self._line()
        self.damaged ^= {line.line_id}
        self._fill()

    def action_done(self) -> None:
        picks = [ReturnPick(i, q, i not in self.damaged) for i, q in self.qty.items() if q > 0]
        if not picks:
            self.query_one("#return-error", Label).update(
                _("Nothing picked: Enter on a line sets how many come back"))
            return
        self.dismiss(picks)

    def action_cancel(self) -> None:
        self.dismiss(None)
