"""Typed one-line input dialogs: an amount, a discount, a text, product codes. Each returns its
result or None (Esc)."""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, TypeVar

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
from ..widgets.text_input import TextInput

T = TypeVar("T")


class InputDialog(TranslatedBindings, ModalScreen[T | None], Generic[T]):
    """One line of input, read by `accept` (which raises ValidationError to stay open with its
    message); Esc gives None."""

    DEFAULT_CSS = """
    InputDialog { align: center middle; }
    InputDialog > Vertical { width: 50; height: auto; border: round $accent; padding: 1 2;
                             background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.dialog_title = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="title")
            yield TextInput(value=self.value, id="dialog-input")
            yield Label("", id="dialog-error", classes="error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def accept(self, text: str) -> T:
        raise NotImplementedError

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            result = self.accept(event.value)
        except ValidationError as err:
            self.query_one("#dialog-error", Label).update(str(err))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AmountDialog(InputDialog[Decimal]):
    """A number (money or a quantity), validated."""

    def __init__(self, title: str, *, value: str = "", places: int = 2,
                 allow_zero: bool = True) -> None:
        super().__init__(title, value)
        self.places = places
        self.allow_zero = allow_zero

    def accept(self, text: str) -> Decimal:
        value = parse_decimal(text, field=_("amount"), places=self.places)
        if value == 0 and not self.allow_zero:
            raise ValidationError(_("Enter more than zero"), field="amount", value=value)
        return value


class DiscountDialog(InputDialog[tuple[Decimal | None, Decimal | None]]):
    """'10%' → (None, 10); '5.00' → (5.00, None): an amount or a percentage off."""

    def accept(self, text: str) -> tuple[Decimal | None, Decimal | None]:
        text = text.strip()
        if text.endswith("%"):
            return None, parse_decimal(text[:-1], field=_("discount"))
        return parse_decimal(text, field=_("discount")), None


class TextDialog(InputDialog[str]):
    """One line of text (a receipt number, a reason); empty input is not an answer."""

    def accept(self, text: str) -> str:
        if not text.strip():
            raise ValidationError("", field="text", value=text)
        return text.strip()


class LotDialog(InputDialog[tuple[str, str, str]]):
    """A lot from its label: "L123 2027-12-31 6" (number, expiry, qty) or "L123 6" (no
    expiry); the store checks each part."""

    def accept(self, text: str) -> tuple[str, str, str]:
        parts = text.split()
        if len(parts) == 2:
            return parts[0], "", parts[1]
        if len(parts) == 3:
            return parts[0], parts[1], parts[2]
        raise ValidationError(_("Type the lot, its expiry date and how many: L123 2027-12-31 6"),
                              field="lot", value=text[:40])


class CodesDialog(InputDialog[list[str]]):
    """Product codes (SKUs or barcodes) separated by spaces or commas."""

    def accept(self, text: str) -> list[str]:
        codes = [c for c in text.replace(",", " ").replace("，", " ").split() if c]
        if not codes:
            raise ValidationError(_("Enter at least one SKU or barcode"), field="codes",
                                  value=text)
        return codes
