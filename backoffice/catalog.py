"""The catalog browser: find any product and see its price, barcodes and stock."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from store.catalog import search
from store.core.i18n import N_, _
from tui.bindings import TranslatedBindings
from tui.scanning import BarcodeScanned
from tui.widgets.product_search import ProductSearch


class CatalogScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Products: {count}  ·  import and export with 'zhanggui products'").format(
            count=f"{search.count_products():,}"), classes="muted")
        yield ProductSearch(id="catalog-search")
        yield Footer()

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.query_one("#catalog-search", ProductSearch).scanned(message.code)
