"""Adding a product for a barcode the shop does not know: name, price, tax rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from store.catalog.products import find_tax_rate
from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.core.money import parse_decimal

from ..bindings import TranslatedBindings
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


@dataclass(frozen=True)
class NewProduct:
    name: str
    price: Decimal
    tax_rate: str


class NewProductDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[NewProduct | None]):
    """Three labelled fields; Enter moves name → price → tax rate and then adds. Each field is
    checked where it is typed, so a price typed into the name (5.5) or a tax rate into the
    price (13%) is said at once, with the dialog still open."""

    DEFAULT_CSS = """
    NewProductDialog { align: center middle; }
    NewProductDialog > Vertical { width: 60; height: auto; border: round $accent;
                                  padding: 0 2; background: $surface; }
    NewProductDialog .field { margin: 1 0 0 0; color: $text-muted; }
    NewProductDialog Input { border: tall $panel; }
    NewProductDialog Input:focus { border: tall $accent; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"), ENTER_NEXT]
    ORDER = ("new-name", "new-price", "new-tax")

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("New product for {code}").format(code=self.code), classes="title")
            yield Label(_("Name"), classes="field")
            yield TextInput(id="new-name")
            yield Label(_("Price"), classes="field")
            yield TextInput(placeholder="0.00", id="new-price")
            yield Label(_("Tax rate (13%, 9%, 6%, 0%)"), classes="field")
            yield TextInput(value="13%", id="new-tax")
            yield Label("", id="new-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#new-error", Label).update("")  # its cause is being changed

    def enter_target(self) -> Widget | None:
        """The next field as the Enter is dispatched (a fast cashier's 'name⏎3.50⏎' puts
        3.50 in the price); the last field's Enter is its own: it checks every field, after
        their keys, and focuses the first wrong one."""
        field = getattr(self.focused, "id", None)
        if field not in self.ORDER[:-1]:
            return None
        return self.query_one(f"#{self.ORDER[self.ORDER.index(field) + 1]}", Input)

    @on(Input.Submitted)
    def _add(self, event: Input.Submitted) -> None:
        """Every field checked, in order, now that their keys are in; the first wrong one is
        named and focused with its text selected, to be typed over."""
        try:
            new = self._checked(upto=len(self.ORDER) - 1)
        except ValidationError as err:
            self.query_one("#new-error", Label).update(str(err))
            wrong = self.query_one(f"#new-{err.field}", Input)
            wrong.focus()
            wrong.select_all()
            return
        if new is not None:
            self.dismiss(new)

    def _checked(self, upto: int) -> NewProduct | None:
        """The fields up to `upto` checked in order; the product once all three are."""
        name = self.query_one("#new-name", Input).value.strip()
        if not name:
            raise ValidationError(_("Name: the product needs a name"), field="name", value=name)
        if _is_number(name):
            raise ValidationError(_("Name: '{value}' is a number; type the product's name")
                                  .format(value=name), field="name", value=name)
        if upto < 1:
            return None
        text = self.query_one("#new-price", Input).value.strip()
        if "%" in text:
            raise ValidationError(_("Price: '{value}' is a percentage; type the shelf price")
                                  .format(value=text), field="price", value=text)
        price = parse_decimal(text, field="price")
        if price <= 0:
            raise ValidationError(_("Price: more than zero"), field="price", value=text)
        if upto < 2:
            return None
        rate = self.query_one("#new-tax", Input).value.strip() or "13%"
        try:
            find_tax_rate(rate)
        except ValidationError as err:
            raise ValidationError(str(err), field="tax", value=rate) from err
        return NewProduct(name, price, rate)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", "").replace("￥", "").replace("¥", ""))
    except ArithmeticError:
        return False
    return True
