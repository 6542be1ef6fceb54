"""The stockroom: look up any product's stock per warehouse by scanning or typing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from store.auth import SessionUser
from store.i18n import N_, _

from ..bindings import TranslatedBindings
from ..scanning import BarcodeScanned
from ..widgets.product_search import ProductSearch


class StockroomScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Stock lookup — receiving, transfers and counts: not available yet"),
                    classes="muted")
        yield ProductSearch(id="stock-search")
        yield Footer()

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.query_one("#stock-search", ProductSearch).scanned(message.code)
