"""Adding a product for a barcode the shop does not know: name, price, tax rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.core.money import parse_decimal

from ..bindings import TranslatedBindings


@dataclass(frozen=True)
class NewProduct:
    name: str
    price: Decimal
    tax_rate: str


class NewProductDialog(TranslatedBindings, ModalScreen[NewProduct | None]):
    DEFAULT_CSS = """
    NewProductDialog { align: center middle; }
    NewProductDialog > Vertical { width: 60; height: auto; border: round $accent;
                                  padding: 0 2; background: $surface; }
    NewProductDialog Input { margin: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("New product for {code}").format(code=self.code), classes="title")
            yield Input(placeholder=_("name"), id="new-name", compact=True)
            yield Input(placeholder=_("price"), id="new-price", compact=True)
            yield Input(value="13%", placeholder=_("tax rate (13%, 9%, 6%, 0%)"),
                        id="new-tax", compact=True)
            yield Label("", id="new-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id != "new-tax":
            self.focus_next()
            return
        name = self.query_one("#new-name", Input).value.strip()
        try:
            if not name:
                raise ValidationError(_("name: the product needs a name"), field="name",
                                      value=name)
            price = parse_decimal(self.query_one("#new-price", Input).value, field=_("price"))
        except ValidationError as err:
            self.query_one("#new-error", Label).update(str(err))
            wrong = self.query_one("#new-name" if err.field == "name" else "#new-price", Input)
            wrong.focus()
            wrong.select_all()
            return
        self.dismiss(NewProduct(name, price, event.value.strip() or "13%"))

    def action_cancel(self) -> None:
        self.dismiss(None)
