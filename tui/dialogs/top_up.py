"""Topping up a stored-value card at the till: scan the card (nothing: a new card, the
attached member's), the amount (the bonus it earns shown as it is typed), F1–F4 what pays
for it, a reference where that tender takes one. Enter moves on; the last Enter hands the
form to `submit` (the till's, which records it): what the store refuses is said and the
field focused, the dialog open with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _, current_language
from store.core.money import format_money
from store.shops.org import TenderType

from ..bindings import TranslatedBindings
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


@dataclass(frozen=True)
class TopUpForm:
    card: str  # "" for a new card
    amount: str
    tender: str  # its code
    reference: str


FIELDS = {"card": "tu-card", "amount": "tu-amount", "reference": "tu-ref"}


class TopUpDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[str | None]):
    DEFAULT_CSS = """
    TopUpDialog { align: center middle; }
    TopUpDialog > Vertical { width: 64; height: auto; border: round $accent;
                             padding: 0 2; background: $surface; }
    TopUpDialog .field { margin: 0; color: $text-muted; }
    TopUpDialog Input { border: tall $panel; }
    TopUpDialog Input:focus { border: tall $accent; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"), ENTER_NEXT,
                *[Binding(f"f{n}", f"tender({n - 1})", show=False) for n in range(1, 5)]]
    ORDER = ("tu-card", "tu-amount", "tu-ref")

    def __init__(self, tenders: list[TenderType], bonuses: list[tuple[Decimal, Decimal]],
                 submit: Callable[[TopUpForm], str], *, member: str = "") -> None:
        """`tenders`: those a top-up may be paid with; `bonuses`: the shop's 充X送Y rules,
        read when the dialog opened (nothing is asked of the database while typing);
        `member`: the attached customer's name, whose card a blank number means."""
        super().__init__()
        self.tenders = tenders
        self.bonuses = bonuses
        self.submit = submit
        self.member = member
        self.selected = 0

    def _tender_name(self, t: TenderType) -> str:
        return t.name_en if current_language() == "en" and t.name_en else t.name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Top up a stored-value card"), classes="title")
            yield Label(_("Card: scan it (blank: the member's card, or a new one)")
                        if self.member else _("Card: scan it (blank: a new card)"),
                        classes="field")
            yield TextInput(id="tu-card")
            yield Label(_("Amount"), classes="field")
            yield TextInput(id="tu-amount")
            yield Label("  ".join(f"F{i + 1} {self._tender_name(t)}" for i, t in
                                  enumerate(self.tenders)), id="tu-keys")
            yield Label(id="tu-tender")
            yield Label(_("Reference: a card's last 4 digits, or the transaction number"),
                        classes="field")
            yield TextInput(id="tu-ref")
            yield Label("", id="tu-error", classes="error")

    def on_mount(self) -> None:
        self.action_tender(0)
        self.query_one("#tu-card", Input).focus()

    def action_tender(self, index: int) -> None:
        if 0 <= index < len(self.tenders):
            self.selected = index
            self._show()

    def _bonus(self) -> Decimal:
        try:
            amount = Decimal(self.query_one("#tu-amount", Input).value.strip() or "0")
        except InvalidOperation:
            return Decimal(0)
        reached = [extra for least, extra in self.bonuses if amount >= least]
        return reached[-1] if reached else Decimal(0)

    def _show(self) -> None:
        said = _("Paid by {tender}").format(tender=self._tender_name(self.tenders[self.selected]))
        bonus = self._bonus()
        if bonus:
            said += "   " + _("Bonus {amount}").format(amount=format_money(bonus))
        self.query_one("#tu-tender", Label).update(said)

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#tu-error", Label).update("")
        self._show()

    def enter_target(self) -> Widget | None:
        field = getattr(self.focused, "id", None)
        if field not in self.ORDER[:-1]:
            return None
        return self.query_one(f"#{self.ORDER[self.ORDER.index(field) + 1]}", Input)

    @on(Input.Submitted)
    def _send(self) -> None:
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        form = TopUpForm(value("tu-card"), value("tu-amount"),
                         self.tenders[self.selected].code, value("tu-ref"))
        try:
            said = self.submit(form)
        except StoreError as err:  # a mistyped card, an amount past the limit: said, kept
            self.query_one("#tu-error", Label).update(str(err))
            field = err.field if isinstance(err, ValidationError) else "card"
            wrong = self.query_one(f"#{FIELDS.get(field or '', 'tu-card')}", Input)
            wrong.focus()
            return
        self.dismiss(said)

    def action_cancel(self) -> None:
        self.dismiss(None)
