"""A supervisor's review of a stock count: expected, counted, variance in quantity and value;
F12 twice posts it. Uncounted products in scope are listed; Z counts them as none."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.core.money import format_money, format_qty, round_money
from store.security.auth import SessionUser
from store.stock import counts

from ..bindings import TranslatedBindings
from ..guard import GuardedActions
from .stockdoc import clip, qty_text, right


class CountReviewScreen(GuardedActions, TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    CountReviewScreen #review-status { height: 1; width: 100%; color: $text-muted; }
    CountReviewScreen #review-lines { height: 1fr; }
    CountReviewScreen #review-total { height: 1; width: 100%; text-style: bold;
                                      content-align: right middle; }
    CountReviewScreen #review-message { height: 1; width: 100%; color: $warning;
                                        text-style: bold; }
    """
    BINDINGS = [
        Binding("z", "zero_uncounted", N_("Uncounted = 0"), id="review.zero"),
        Binding("f12", "post", N_("Post"), id="review.post"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, number: str) -> None:
        super().__init__()
        self.user = user
        self.number = number
        self.zero_uncounted = False
        self.armed = False
        self.lines = counts.review(user, number)  # refuses a user who may not see the book

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="review-status")
        table: DataTable[str | Text] = DataTable(id="review-lines", cursor_type="row")
        table.add_columns(_("SKU"), _("Name"), _("Expected"), _("Counted"), _("Variance"),
                          _("Value"))
        yield table
        yield Static("", id="review-total")
        yield Label("", id="review-message")
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#review-lines", DataTable).focus()

    def _variance(self, line: counts.VarianceLine) -> tuple[Decimal, Decimal]:
        if line.counted is None and self.zero_uncounted:
            return -line.expected, round_money(-line.expected * line.unit_cost)
        return line.variance, line.value

    def show(self) -> None:
        table = self.query_one("#review-lines", DataTable)
        table.clear()
        total = Decimal(0)
        for ln in self.lines:
            qty, value = self._variance(ln)
            total += value
            style = "bold red" if qty < 0 else ("green" if qty > 0 else "")
            counted = (format_qty(ln.counted) if ln.counted is not None
                       else ("0" if self.zero_uncounted else _("not counted")))
            table.add_row(ln.sku, clip(ln.name, 16), qty_text(ln.expected), right(counted),
                          qty_text(qty, style), right(format_money(value), style))
        uncounted = sum(1 for ln in self.lines if ln.counted is None)
        self.query_one("#review-status", Label).update(
            _("Review {number}: uncounted products {n} ({what})").format(
                number=self.number, n=uncounted,
                what=_("counted as none") if self.zero_uncounted else _("left as they are")))
        self.query_one("#review-total", Static).update(
            _("Variance value {value}").format(value=format_money(total)))

    def action_zero_uncounted(self) -> None:
        self.zero_uncounted = not self.zero_uncounted
        self.armed = False
        self.show()

    def action_post(self) -> None:
        if not self.armed:
            self.armed = True
            self.query_one("#review-message", Label).update(
                _("Press F12 again to post the adjustments"))
            return
        try:
            counts.post(self.user, self.number, zero_uncounted=self.zero_uncounted)
        except StoreError as err:
            self.app.bell()
            self.armed = False
            self.query_one("#review-message", Label).update(str(err))
            return
        self.app.notify(_("{number} posted").format(number=self.number), timeout=6)
        self.app.pop_screen()  # the review
        self.app.pop_screen()  # the count
