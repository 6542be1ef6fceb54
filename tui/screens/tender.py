"""Taking payment: one or several tenders until the total is covered; change from cash."""

from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from store.core.errors import ValidationError
from store.core.i18n import N_, _, current_language
from store.core.money import format_money, parse_decimal
from store.selling.sales import PaymentInput, cash_due
from store.shops import org
from store.shops.org import TenderType

from ..bindings import TranslatedBindings


class TenderScreen(TranslatedBindings, ModalScreen[list[PaymentInput] | None]):
    """Pick a tender with its F-key, type the amount (the rest due is filled in), Enter.

    Returns the payments once they cover the total; Esc drops them and returns None. A negative
    total is a refund: the cashier types what goes back, the payments come out negative. Cash
    is due rounded to the shop's smallest coin when one is set.
    """

    DEFAULT_CSS = """
    TenderScreen { align: center middle; }
    TenderScreen > Vertical { width: 60; height: auto; border: round $accent; padding: 0 1;
                              background: $surface; }
    #due { text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="tender.cancel"),
        # F-keys, not digits: digits are what the cashier types into the amount.
        *[Binding(f"f{n}", f"tender({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, total: Decimal, tenders: list[TenderType] | None = None,
                 cash_step: Decimal | None = None, *,
                 refund_limits: dict[str, Decimal] | None = None) -> None:
        """`tenders` and `cash_step` as the till read them when it opened: paying needs no
        database until the sale commits (and keeps working while it is away).

        `refund_limits` (a refund of a receipt): what can still go back by each non-cash
        tender the sale was paid with. Only those tenders and cash are offered, and none
        beyond its limit; the refund starts on the sale's own tender."""
        super().__init__()
        self.sign = Decimal(-1) if total < 0 else Decimal(1)
        self.total = abs(total)  # the screen works in positive amounts; sign says which way
        self.payments: list[PaymentInput] = []
        self.cash_step = cash_step if tenders is not None else org.settings().cash_rounding
        tenders = tenders if tenders is not None else org.tender_types()
        self.limits = refund_limits
        if refund_limits is not None:
            tenders = [t for t in tenders if t.kind == "cash" or refund_limits.get(t.code, 0) > 0]
        self.tenders = tenders
        self.selected = next((i for i, t in enumerate(tenders) if refund_limits
                              and refund_limits.get(t.code, 0) > 0), 0)

    def _limit(self, tender: TenderType) -> Decimal | None:
        """What is left to give back by this tender, or None when it is not limited."""
        if self.limits is None or tender.kind == "cash":
            return None
        given = abs(sum((p.amount for p in self.payments if p.tender == tender.code),
                        Decimal(0)))
        return max(self.limits.get(tender.code, Decimal(0)) - given, Decimal(0))

    @property
    def paid(self) -> Decimal:
        return abs(sum((p.amount for p in self.payments), Decimal(0)))

    def _is_cash(self, code: str) -> bool:
        return next(t.kind for t in self.tenders if t.code == code) == "cash"

    def _remaining(self, cash_now: bool) -> Decimal:
        """What is still due; in cash (now or already), rounded to the smallest coin."""
        cash = abs(sum((p.amount for p in self.payments if self._is_cash(p.tender)), Decimal(0)))
        if cash_now or cash:
            due, _rounding = cash_due(self.total, self.paid - cash, self.cash_step)
            return max(due - cash, Decimal(0))
        return max(self.total - self.paid, Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return self._remaining(self.tenders[self.selected].kind == "cash")

    def compose(self) -> ComposeResult:
        en = current_language() == "en"
        with Vertical():
            yield Label(_("Payment"), classes="title")
            yield Static(id="due")
            yield Static("  ".join(f"F{i + 1} {t.name_en if en and t.name_en else t.name}"
                                   for i, t in enumerate(self.tenders)), id="tender-keys")
            yield Label(id="tender-selected")
            yield Input(id="tender-amount")
            yield Input(placeholder=_("reference (last 4 digits or transaction no.)"),
                        id="tender-ref", compact=True)
            yield Static(id="tender-paid")
            yield Label("", id="tender-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self._select(self.selected, first=True)

    def _tender_name(self, index: int) -> str:
        t = self.tenders[index]
        return t.name_en if current_language() == "en" and t.name_en else t.name

    def _refresh(self) -> None:
        text = (_("Refund {total}   Still to give back {due}") if self.sign < 0 else
                _("Total {total}   Still due {due}"))
        self.query_one("#due", Static).update(
            text.format(total=format_money(self.total), due=format_money(self.remaining)))
        names = {i: self._tender_name(i) for i in range(len(self.tenders))}
        index = {t.code: i for i, t in enumerate(self.tenders)}
        paid = "\n".join(f"  {names[index[p.tender]]} {format_money(p.amount)}"
                         for p in self.payments)
        self.query_one("#tender-paid", Static).update(paid)

    def _select(self, index: int, *, first: bool = False) -> None:
        if index != self.selected or first:
            self.query_one("#tender-ref", Input).value = ""  # a reference belongs to its tender
            self.query_one("#tender-error", Label).update("")  # said of the other tender
        self.selected = index
        self.query_one("#tender-selected", Label).update(
            _("Tender: {name} — type the amount, Enter").format(name=self._tender_name(index)))
        amount = self.query_one("#tender-amount", Input)
        limit = self._limit(self.tenders[index])
        suggested = self.remaining if limit is None else min(self.remaining, limit)
        amount.value = f"{suggested:.2f}"
        amount.focus()
        amount.select_all()  # typing replaces the suggested amount; Enter accepts it
        self._refresh()

    def action_tender(self, index: int) -> None:
        if 0 <= index < len(self.tenders):
            self._select(index)

    @on(Input.Submitted)
    def _add(self) -> None:
        error = self.query_one("#tender-error", Label)
        tender = self.tenders[self.selected]
        try:
            amount = parse_decimal(self.query_one("#tender-amount", Input).value,
                                   field=_("amount"))
        except ValidationError as err:
            error.update(str(err))
            return
        if amount <= 0:
            error.update(_("Enter more than zero"))
            return
        if (tender.kind != "cash" or self.sign < 0) and amount > self.remaining:
            error.update(_("Only cash can be more than what is due ({due})").format(
                due=format_money(self.remaining)) if self.sign > 0 else
                _("Give back at most {due}").format(due=format_money(self.remaining)))
            return
        limit = self._limit(tender)
        if limit is not None and amount > limit:
            error.update(_("Give back at most {left} by {tender}: what is left of what the sale "
                           "was paid with it").format(left=format_money(limit),
                                                     tender=self._tender_name(self.selected)))
            return
        reference = self.query_one("#tender-ref", Input).value.strip()
        digits = "".join(c for c in reference if c.isdigit())
        if tender.kind == "card" and len(digits) > 4:
            self.query_one("#tender-ref", Input).value = ""
            error.update(_("Enter only the card's last 4 digits, never the full number"))
            return
        if tender.needs_reference and not reference:
            self.query_one("#tender-ref", Input).focus()
            error.update(_("{name} needs a reference").format(name=self._tender_name(self.selected)))
            return
        error.update("")
        self.payments.append(PaymentInput(tender.code, self.sign * amount, reference[-32:]))
        self.query_one("#tender-ref", Input).value = ""
        if self._remaining(False) <= 0:
            self.dismiss(self.payments)
        else:
            self._select(self.selected)

    def action_cancel(self) -> None:
        self.dismiss(None)
