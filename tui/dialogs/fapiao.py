"""A customer asks for a 发票 at the till: the receipts (the last sale's, by default), the
title, the taxpayer's code and an e-mail. Enter moves from field to field; the last one's
Enter hands the form to `submit` (the till's, which records it): a field the store refuses is
named and focused, the dialog stays open with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _

from ..bindings import TranslatedBindings
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


@dataclass(frozen=True)
class FapiaoForm:
    sales: list[str]
    title: str
    tax_id: str
    email: str


FIELDS = {"sale": "fp-sales", "title": "fp-title", "tax_id": "fp-tax", "email": "fp-email"}


class FapiaoDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[str | None]):
    DEFAULT_CSS = """
    FapiaoDialog { align: center middle; }
    FapiaoDialog > Vertical { width: 64; height: auto; border: round $accent;
                              padding: 0 2; background: $surface; }
    FapiaoDialog .field { margin: 0; color: $text-muted; }
    FapiaoDialog Input { border: tall $panel; }
    FapiaoDialog Input:focus { border: tall $accent; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"), ENTER_NEXT]
    ORDER = ("fp-sales", "fp-title", "fp-tax", "fp-email")

    def __init__(self, receipt: str, submit: Callable[[FapiaoForm], str], *,
                 buyer: tuple[str, str, str] = ("", "", "")) -> None:
        super().__init__()
        self.receipt = receipt
        self.submit = submit
        self.buyer = buyer  # title, tax ID, e-mail the customer gave last time

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("发票 for the customer"), classes="title")
            yield Label(_("Receipts (space between)"), classes="field")
            yield TextInput(value=self.receipt, id="fp-sales")
            yield Label(_("Title: the company's or the person's name"), classes="field")
            yield TextInput(value=self.buyer[0], id="fp-title")
            yield Label(_("Tax ID (unified social credit code; none for a person)"),
                        classes="field")
            yield TextInput(value=self.buyer[1], id="fp-tax")
            yield Label(_("E-mail to send it to"), classes="field")
            yield TextInput(value=self.buyer[2], id="fp-email")
            yield Label("", id="fp-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#fp-title" if self.receipt else "#fp-sales", Input).focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#fp-error", Label).update("")

    def enter_target(self) -> Widget | None:
        field = getattr(self.focused, "id", None)
        if field not in self.ORDER[:-1]:
            return None
        return self.query_one(f"#{self.ORDER[self.ORDER.index(field) + 1]}", Input)

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        form = FapiaoForm(value("fp-sales").replace(",", " ").replace("，", " ").split(),
                          value("fp-title"), value("fp-tax"), value("fp-email"))
        try:
            said = self.submit(form)
        except ValidationError as err:
            self.query_one("#fp-error", Label).update(str(err))
            wrong = self.query_one(f"#{FIELDS.get(err.field or '', 'fp-title')}", Input)
            wrong.focus()
            wrong.select_all()
            return
        except StoreError as err:  # a receipt on another request, a refund: said, kept open
            self.query_one("#fp-error", Label).update(str(err))
            self.query_one("#fp-sales", Input).focus()
            return
        self.dismiss(said)

    def action_cancel(self) -> None:
        self.dismiss(None)
