"""Typed modal dialogs: ask for an amount, pick a product. Each returns its result or None."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from store.clock import to_local
from store.errors import ValidationError
from store.i18n import N_, _
from store.money import parse_decimal
from store.search import ProductHit

from .bindings import TranslatedBindings
from .widgets.product_search import ProductSearch

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
            yield Input(value=self.value, id="dialog-input")
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


class ProductPicker(TranslatedBindings, ModalScreen[ProductHit | None]):
    """Find a product by name, SKU or pinyin initials; Enter on a row picks it."""

    DEFAULT_CSS = """
    ProductPicker { align: center middle; }
    ProductPicker > Vertical { width: 76; height: 20; border: round $accent;
                               background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Find a product — Enter in the list picks it"), classes="title")
            yield ProductSearch(limit=30, id="picker-search")

    @on(ProductSearch.Chosen)
    def _chosen(self, event: ProductSearch.Chosen) -> None:
        self.dismiss(event.hit)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeysDialog(TranslatedBindings, ModalScreen[None]):
    """Every key of the screen below, with what it does: the footer shows only what fits."""

    DEFAULT_CSS = """
    KeysDialog { align: center middle; }
    KeysDialog > Vertical { width: 64; height: auto; border: round $accent; padding: 0 2;
                            background: $surface; }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"), id="dialog.close"),
                Binding("f1", "close", show=False)]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Keys"), classes="title")
            for key, what in self.rows:
                yield Label(f"{key:>8}  {what}")

    def action_close(self) -> None:
        self.dismiss(None)


class CodesDialog(InputDialog[list[str]]):
    """Product codes (SKUs or barcodes) separated by spaces or commas."""

    def accept(self, text: str) -> list[str]:
        codes = [c for c in text.replace(",", " ").replace("，", " ").split() if c]
        if not codes:
            raise ValidationError(_("Enter at least one SKU or barcode"), field="codes",
                                  value=text)
        return codes


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
