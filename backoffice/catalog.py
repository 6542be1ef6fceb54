"""The catalog: find any product, see its price, barcodes and stock, and — for someone with
`manage_catalog` — add one, change one, see its price history, stop or resume selling it; for
someone who buys, set when each warehouse reorders it; for someone who sets prices, change a
category's or a supplier's prices at once, previewed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

from store.catalog import search
from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.security.auth import SessionUser
from tui.bindings import TranslatedBindings
from tui.guard import GuardedActions
from tui.scanning import BarcodeScanned
from tui.widgets.product_search import ProductSearch

from . import product_editor, repricing_view


class CatalogScreen(GuardedActions, TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back"),
                Binding("f2", "new", N_("New"), id="catalog.new"),
                Binding("f4", "edit", N_("Edit"), id="catalog.edit"),
                Binding("f5", "history", N_("Prices"), id="catalog.history"),
                Binding("f6", "stop_resume", N_("Stop/resume"), id="catalog.toggle"),
                Binding("f7", "reorder", N_("Reorder"), id="catalog.reorder"),
                Binding("f8", "reprice", N_("Reprice"), id="catalog.reprice"),
                Binding("f9", "styles", N_("Styles"), id="catalog.styles")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Products: {count}  ·  import and export with 'zhanggui products'").format(
            count=f"{search.count_products():,}"), classes="muted")
        yield ProductSearch(id="catalog-search", include_inactive=True)
        yield Label("", id="catalog-message", classes="error")
        yield Footer()

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.search.scanned(message.code)

    @property
    def search(self) -> ProductSearch:
        return self.query_one("#catalog-search", ProductSearch)

    def say(self, text: str | None) -> None:
        if text:
            self.query_one("#catalog-message", Label).update(text)
            self.search.run_search(self.search.query_one("#query", Input).value)

    def _sku(self) -> str | None:
        hit = self.search.current()
        if hit is None:
            self.query_one("#catalog-message", Label).update(_("Find a product first."))
        return hit.sku if hit else None

    @on(ProductSearch.Chosen)
    def _chosen(self, event: ProductSearch.Chosen) -> None:
        """Enter on a row of the list opens it in the editor; Enter in the search box (and
        a scan's Enter) only shows the product."""
        if isinstance(self.focused, DataTable):
            self.ask(product_editor.edit_product_form(self.user, event.hit.sku), self.say)

    def action_new(self) -> None:
        self.ask(product_editor.new_product_form(self.user), self.say)

    def action_styles(self) -> None:
        from .styles_view import StylesScreen

        self.app.push_screen(StylesScreen(self.user))

    def action_edit(self) -> None:
        if sku := self._sku():
            self.ask(product_editor.edit_product_form(self.user, sku), self.say)

    def action_history(self) -> None:
        if sku := self._sku():
            self.app.push_screen(product_editor.PriceHistoryScreen(sku))

    def action_reorder(self) -> None:
        if sku := self._sku():
            self.ask(product_editor.reorder_form(self.user, sku), self.say)

    def action_reprice(self) -> None:
        opened: list[repricing_view.repricing.Rule] = []

        def show(_said: str | None) -> None:
            if opened:
                self.app.push_screen(repricing_view.RepricePreviewScreen(self.user, opened[0]))

        self.ask(repricing_view.reprice_form(self.user, opened), show)

    def action_stop_resume(self) -> None:
        if sku := self._sku():
            try:
                self.say(product_editor.toggle_active(self.user, sku))
            except StoreError as err:
                self.app.bell()
                self.query_one("#catalog-message", Label).update(str(err))
