"""Find a product by barcode, SKU, name or pinyin initials; the highlighted one's details below.

Queries run in a thread worker, newest wins, so a 1M-product catalog never stalls typing; typing
is debounced so a fast typist starts one query, not one per key (a no-match search scans the
names: 0.3 s on 1M products, docs/BENCHMARKS.md). Enter (a scanner's suffix) searches at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from store.catalog import search
from store.catalog.search import ProductHit
from store.core.i18n import _, current_language
from store.core.money import format_money, format_qty
from store.stock import inventory

from .text_input import TextInput


@dataclass
class Details:
    hit: ProductHit
    barcodes: list[tuple[str, Decimal]]
    levels: list[inventory.LevelRow]


def display_name(hit: ProductHit) -> str:
    return hit.local_name


Finder = Callable[[str, int], list[ProductHit]]  # (text, limit) → hits


class ProductSearch(Vertical):
    """Search box, result table and a detail panel (barcodes, stock per warehouse)."""

    class Chosen(Message):
        def __init__(self, hit: ProductHit) -> None:
            super().__init__()
            self.hit = hit

    DEBOUNCE_SECONDS = 0.15
    BINDINGS = [Binding("down", "to_results", show=False)]

    def __init__(self, *, limit: int = 50, id: str | None = None,
                 include_inactive: bool = False, shop: int | None = None,
                 finder: Finder | None = None, details: bool = True) -> None:
        super().__init__(id=id)
        self.details = details  # barcodes and stock: the database's (an offline till has none)
        self.limit = limit
        self.shop = shop  # whose own prices the hits show (None: the chain's)
        self.finder = finder
        self.include_inactive = include_inactive  # the catalog editor finds them to reactivate
        self.hits: list[ProductHit] = []
        self._pending: Timer | None = None
        self._shown: str | None = None  # the text the list holds hits for

    def compose(self) -> ComposeResult:
        yield TextInput(placeholder=_("barcode, SKU, name or pinyin initials (kkkl)"), id="query")
        table: DataTable[str] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("SKU"), _("Name"), _("Price"), _("Unit"))
        yield table
        yield Static(_("Type to search."), id="detail")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if self._pending is not None:
            self._pending.stop()
        value = event.value
        self._pending = self.set_timer(self.DEBOUNCE_SECONDS, lambda: self.run_search(value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter picks the best hit, searching first if the list is not for this text yet
        (a scan ends in Enter: it picks the scanned product at once)."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if self._shown != event.value:
            self.run_search(event.value, pick=True)
        elif self.hits:
            self.post_message(self.Chosen(self.hits[0]))

    def action_to_results(self) -> None:
        """Down from the search box goes into the list, on its first row."""
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.focus()
            table.move_cursor(row=0)

    def current(self) -> ProductHit | None:
        """The product the list's cursor is on (the best hit before the list is entered)."""
        row = self.query_one("#results", DataTable).cursor_row
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def scanned(self, code: str) -> None:
        """A scanner read `code`: show that product now, whatever was typed before."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        query = self.query_one("#query", Input)
        with query.prevent(Input.Changed):
            query.value = code
        self.run_search(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="product-search")
    def run_search(self, text: str, pick: bool = False) -> None:
        try:
            if not text.strip():
                hits: list[ProductHit] = []
            elif self.finder is not None:
                hits = self.finder(text, self.limit)
            else:
                hits = search.search(text, self.limit, include_inactive=self.include_inactive,
                                     shop=self.shop)
        except Exception as exc:
            self.app.call_from_thread(self._show_error, exc)
            return
        self.app.call_from_thread(self._show, text, hits, pick)

    def _show(self, text: str, hits: list[ProductHit], pick: bool = False) -> None:
        self.hits = hits
        self._shown = text
        if pick and hits:
            self.post_message(self.Chosen(hits[0]))
        table = self.query_one("#results", DataTable)
        table.clear()
        for h in hits:
            pack = f" ×{format_qty(h.pack_qty)}" if h.pack_qty != 1 else ""
            gone = "" if h.active else " " + _("(not sold)")
            table.add_row(h.sku, display_name(h) + pack + gone, format_money(h.price),
                          h.unit_en if current_language() == "en" and h.unit_en else h.unit)
        detail = self.query_one("#detail", Static)
        if not text.strip():
            detail.update(_("Type to search."))
        elif not hits:
            detail.update(_("No products found for '{query}'.").format(query=text))
        else:
            self.load_details(hits[0])

    def _show_error(self, exc: Exception) -> None:
        self.query_one("#detail", Static).update(_("Search failed: {reason}").format(reason=exc))

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.hits):
            self.load_details(self.hits[event.cursor_row])

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.hits):
            self.post_message(self.Chosen(self.hits[event.cursor_row]))

    def load_details(self, hit: ProductHit) -> None:
        if not self.details:
            self.query_one("#detail", Static).update(
                _("{name} · offline: its stock shows when the database answers").format(
                    name=display_name(hit)))
            return
        self.fetch_details(hit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="product-detail")
    def fetch_details(self, hit: ProductHit) -> None:
        try:
            details = Details(hit, search.barcodes_of(hit.id), inventory.levels(hit.id))
        except Exception as exc:
            self.app.call_from_thread(self._show_error, exc)
            return
        self.app.call_from_thread(self._show_details, details)

    def _show_details(self, d: Details) -> None:
        en = current_language() == "en"
        codes = ", ".join(c if q == 1 else f"{c} ×{format_qty(q)}"
                          for c, q in d.barcodes) or _("none")
        stock = "  ".join(
            f"{lv.warehouse_name_en if en and lv.warehouse_name_en else lv.warehouse_name}"
            f" {format_qty(lv.on_hand)}" for lv in d.levels) or _("none")
        self.query_one("#detail", Static).update(
            f"{d.hit.sku}  {display_name(d.hit)}\n"
            + _("Barcodes: {codes}").format(codes=codes) + "\n"
            + _("Tax {rate}%  ·  On hand: {stock}").format(
                rate=format_qty(d.hit.tax_rate * 100), stock=stock))
