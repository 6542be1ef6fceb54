"""A product's stock history: every move in or out, newest first, with who, why, the
reference, the unit cost and the warehouse's balance after it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from store.common.clock import to_local
from store.core.i18n import N_, _
from store.core.money import format_qty
from store.stock import inventory

from ..bindings import TranslatedBindings
from ..guard import GuardedActions, guarded
from .stockdoc import clip, right


class StockMovesScreen(GuardedActions, TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    StockMovesScreen #moves { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, sku: str, name: str) -> None:
        super().__init__()
        self.sku, self.product_name = sku, name

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="moves-title", classes="title")
        table: DataTable[str | Text] = DataTable(id="moves", cursor_type="row")
        table.add_columns(_("Time"), _("Warehouse"), _("Why"), _("Reference"), _("By"),
                          _("Qty"), _("Cost"), _("Balance"))
        yield table
        yield Footer()

    @guarded
    def on_mount(self) -> None:
        stock = inventory.stock(sku=self.sku)
        total = stock[0] if stock else None
        title = f"{self.sku} {clip(self.product_name, 30)}"
        if total is not None:
            title += "  " + _("on hand {qty} · available {available}").format(
                qty=format_qty(total.on_hand), available=format_qty(total.available))
        self.query_one("#moves-title", Label).update(title)
        table = self.query_one("#moves", DataTable)
        for m in inventory.moves(self.sku):
            table.add_row(to_local(m.at).strftime("%m-%d %H:%M"), m.warehouse, _(m.reason),
                          m.reference, m.user, right(format_qty(m.qty)),
                          right(f"{m.unit_cost:.2f}"), right(format_qty(m.balance)))
        table.focus()

    def database_fault(self, message: str) -> None:
        self.query_one("#moves-title", Label).update(message)
