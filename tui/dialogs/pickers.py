"""Typed pickers: a product found by name, SKU or pinyin; a row of a list (parked baskets …).
Each returns what was picked, or None (Esc)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from store.catalog.search import ProductHit
from store.common.clock import to_local
from store.core.i18n import N_, _

from ..bindings import TranslatedBindings
from ..widgets.product_search import Finder, ProductSearch


class ProductPicker(TranslatedBindings, ModalScreen[ProductHit | None]):
    """Find a product by name, SKU or pinyin initials; Enter picks the best hit or the
    highlighted row."""

    DEFAULT_CSS = """
    ProductPicker { align: center middle; }
    ProductPicker > Vertical { width: 76; height: 20; border: round $accent;
                               background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, *, shop: int | None = None, finder: Finder | None = None,
                 details: bool = True) -> None:
        super().__init__()
        self.shop = shop  # a till's shop: its own prices shown
        self.finder = finder  # an offline till's: the link, which falls back to its copy
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Find a product — Enter picks the first, ↓ goes to the list"),
                        classes="title")
            yield ProductSearch(limit=30, id="picker-search", shop=self.shop, finder=self.finder,
                                details=self.details)

    @on(ProductSearch.Chosen)
    def _chosen(self, event: ProductSearch.Chosen) -> None:
        self.dismiss(event.hit)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ListPicker(TranslatedBindings, ModalScreen["object | None"]):
    """Rows to choose from; Enter on the highlighted one returns its value."""

    DEFAULT_CSS = """
    ListPicker { align: center middle; }
    ListPicker > Vertical { width: 70; height: 16; border: round $accent;
                            background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                 values: Sequence[object]) -> None:
        super().__init__()
        self.picker_title, self.columns, self.rows, self.values = title, columns, rows, values

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        with Vertical():
            yield Label(self.picker_title, classes="title")
            table: DataTable[str] = DataTable(id="picker-rows", cursor_type="row")
            table.add_columns(*self.columns)
            for row in self.rows:
                table.add_row(*row)
            yield table

    def on_mount(self) -> None:
        self.query_one("#picker-rows").focus()

    def on_data_table_row_selected(self, event) -> None:  # type: ignore[no-untyped-def]
        self.dismiss(self.values[event.cursor_row])

    def action_cancel(self) -> None:
        self.dismiss(None)


def parked_picker(rows: list) -> ListPicker:  # type: ignore[type-arg]
    """The shop's parked baskets; Enter recalls the highlighted one (its uuid)."""
    return ListPicker(_("Parked baskets — Enter recalls"),
                      [_("Time"), _("Till"), _("By"), _("Items"), _("Total")],
                      [(to_local(p.created_at).strftime("%H:%M"), p.terminal, p.parked_by,
                        f"{p.items.normalize():f}", f"{p.total:.2f}") for p in rows],
                      [p.uuid for p in rows])
