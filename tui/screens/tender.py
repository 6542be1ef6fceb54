"""Taking payment: one or several tenders until the total is covered; change from cash."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from devices.text import width
from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _, current_language
from store.core.money import format_money, parse_decimal
from store.selling.sales import PaymentInput, cash_due
from store.shops import org
from store.shops.org import TenderType

from ..bindings import TranslatedBindings
from ..widgets.text_input import TextInput


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
    TenderScreen .field { margin: 1 0 0 0; color: $text-muted; width: 100%; }
    TenderScreen #tender-error { width: 100%; }
    TenderScreen Input { border: tall $panel; }
    TenderScreen Input:focus { border: tall $accent; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="tender.cancel"),
        # F-keys, not digits: digits are what the cashier types into the amount.
        *[Binding(f"f{n}", f"tender({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, total: Decimal, tenders: list[TenderType] | None = None,
                 cash_step: Decimal | None = None, *,
                 refund_limits: dict[str, Decimal] | None = None,
                 account_holder: bool = True,
                 voucher: Callable[[str], tuple[str, Decimal, Decimal]] | None = None,
                 card: Callable[[str], tuple[str, Decimal]] | None = None,
                 member_card: str = "",
                 member_points: tuple[int, Decimal] | None = None,
                 offline: bool = False) -> None:
        """`tenders` and `cash_step` as the till read them when it opened: paying needs no
        database until the sale commits (and keeps working while it is away).

        `refund_limits` (a refund of a receipt): what can still go back by each non-cash
        tender the sale was paid with. Only those tenders and cash are offered, and none
        beyond its limit; the refund starts on the sale's own tender.

        `account_holder`: whether a customer can be charged "on account" (the basket has
        one); without, that tender is refused here, with the dialog still open.

        `voucher`: looks a scanned voucher code up (its code, value, minimum spend) so the
        amount is filled in; None (offline) leaves the amount to the cashier. `card` does the
        same for a stored-value card (its number, balance); `member_card` is the attached
        member's card, filled in when the stored-value tender is chosen; `member_points` the
        attached member's points and what one pays for (the points tender's amount is what
        they can pay of what is due), None without a member (or `offline`: the points tender
        is then refused in words, the member attached or not)."""
        super().__init__()
        self.sign = Decimal(-1) if total < 0 else Decimal(1)
        self.total = abs(total)  # the screen works in positive amounts; sign says which way
        self.payments: list[PaymentInput] = []
        self.cash_step = cash_step if tenders is not None else org.settings().cash_rounding
        tenders = tenders if tenders is not None else org.tender_types()
        self.limits = refund_limits
        self.account_holder = account_holder
        self.voucher = voucher
        self.card = card
        self.member_card = member_card
        self.member_points = member_points
        self.offline = offline
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
            yield Static(_key_lines([f"F{i + 1} {t.name_en if en and t.name_en else t.name}"
                                     for i, t in enumerate(self.tenders)], 56),
                         id="tender-keys")
            yield Label(id="tender-selected")
            yield Label(_("Amount"), classes="field", id="amount-label")
            # Focus alone selects nothing: Tab back to the amount must not make the next key
            # overwrite it (the suggested amount is selected on purpose, in _select).
            yield TextInput(id="tender-amount", select_on_focus=False)
            yield Label(_("Reference: a card's last 4 digits, or the transaction number"),
                        classes="field", id="ref-label")
            yield TextInput(id="tender-ref", select_on_focus=False)
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
            self._set("#tender-ref", "")  # a reference belongs to its tender
            self.query_one("#tender-error", Label).update("")  # said of the other tender
        self.selected = index
        self.query_one("#tender-selected", Label).update(
            _("Tender: {name} — type the amount, Enter").format(name=self._tender_name(index)))
        # Cash, "on account" and points (the member's) have no reference: the field shows
        # where it means something.
        has_ref = (self.tenders[index].kind not in ("cash", "account", "points")
                   or self.tenders[index].needs_reference)
        self.query_one("#ref-label", Label).update(
            _("Card: scan the stored-value card") if self.tenders[index].kind == "store_credit"
            else _("Reference: a card's last 4 digits, or the transaction number"))
        self.query_one("#ref-label").display = has_ref
        self.query_one("#tender-ref").display = has_ref
        amount = self.query_one("#tender-amount", Input)
        limit = self._limit(self.tenders[index])
        suggested = self.remaining if limit is None else min(self.remaining, limit)
        self._set("#tender-amount", f"{suggested:.2f}")
        amount.focus()
        amount.select_all()  # typing replaces the suggested amount; Enter accepts it
        if self.tenders[index].kind == "store_credit" and self.member_card and self.sign > 0:
            self._set("#tender-ref", self.member_card)
            self._look_up_card(self.member_card)
        if self.tenders[index].kind == "points" and self.sign > 0:
            self._suggest_points()
        self._refresh()

    def _no_points(self) -> str:
        if self.offline:
            return _("Offline: points need the database; take another payment")
        return _("Points need the member: Esc, then Shift+F2 to choose them")

    def _suggest_points(self) -> None:
        """The member's points: what they pay for, and as much of what is due as they can
        (in whole points)."""
        error = self.query_one("#tender-error", Label)
        if self.member_points is None:
            error.update(self._no_points())
            return
        count, value = self.member_points
        worth = count * value
        can = min(worth, self.remaining)
        can -= can % value
        self._set("#tender-amount", f"{can:.2f}")
        self.query_one("#tender-amount", Input).select_all()
        error.update(_("{points} points: they pay for {worth}").format(
            points=f"{count:,}", worth=format_money(worth)))

    def action_tender(self, index: int) -> None:
        if 0 <= index < len(self.tenders):
            self._select(index)

    def _set(self, selector: str, value: str) -> None:
        """Set a field without it counting as the user's change (which clears the message)."""
        field = self.query_one(selector, Input)
        with field.prevent(Input.Changed):
            field.value = value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        error = self.query_one("#tender-error", Label)
        error.update("")  # its cause is being changed
        tender = self.tenders[self.selected]
        code = "".join(ch for ch in event.value if ch.isalnum())
        if event.input.id != "tender-ref" or self.sign < 0 or len(code) != 12:
            return
        if tender.kind == "store_credit":
            self._look_up_card(code)
        elif tender.kind == "voucher" and self.voucher is not None:
            self._look_up_voucher(code)

    def _look_up_voucher(self, code: str) -> None:
        assert self.voucher is not None
        error = self.query_one("#tender-error", Label)
        try:
            found, value, least = self.voucher(code)
        except StoreError as err:  # used, expired, mistyped …: said before Enter
            error.update(str(err))
            return
        except Exception as exc:  # the database away: the sale itself will check it
            error.update(_("Cannot check the voucher now ({reason}): type its amount").format(
                reason=exc))
            return
        self._set("#tender-amount", f"{min(value, self.remaining):.2f}")
        error.update(_("Voucher {code}: worth {value}, on a spend of at least {least}").format(
            code=found, value=format_money(value), least=format_money(least)))

    def _look_up_card(self, number: str) -> None:
        """A scanned stored-value card: its balance said, the amount what it can pay."""
        if self.card is None:
            return
        error = self.query_one("#tender-error", Label)
        try:
            found, balance = self.card(number)
        except StoreError as err:  # closed, mistyped, unknown: said before Enter
            error.update(str(err))
            return
        except Exception as exc:  # the database away: the sale itself will check it
            error.update(_("Cannot check the card now ({reason})").format(reason=exc))
            return
        self._set("#tender-amount", f"{min(balance, self.remaining):.2f}")
        self.query_one("#tender-amount", Input).select_all()
        error.update(_("Card ****{last4}: balance {balance}").format(
            last4=found[-4:], balance=format_money(balance)))

    @on(Input.Submitted)
    def _add(self) -> None:
        error = self.query_one("#tender-error", Label)
        tender = self.tenders[self.selected]
        if tender.kind == "points" and self.sign > 0 and self.member_points is None:
            error.update(self._no_points())
            return
        if tender.kind == "account" and not self.account_holder:
            error.update(_("{name} needs a customer: Esc, then Shift+F2 to choose one").format(
                name=self._tender_name(self.selected)))
            return
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
            self._set("#tender-ref", "")
            error.update(_("Enter only the card's last 4 digits, never the full number"))
            return
        scanned = tender.kind in ("store_credit", "voucher")  # the card or code is the payment
        if (tender.needs_reference or scanned) and not reference:
            self.query_one("#tender-ref", Input).focus()
            error.update(_("{name} needs a reference").format(name=self._tender_name(self.selected)))
            return
        error.update("")
        self.payments.append(PaymentInput(tender.code, self.sign * amount, reference[-32:]))
        self._set("#tender-ref", "")
        if self._remaining(False) <= 0:
            self.dismiss(self.payments)
        else:
            self._select(self.selected)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _key_lines(keys: list[str], columns: int) -> str:
    """The tender keys, broken only between keys: never "F5 Store" | "credit"."""
    lines = [""]
    for key in keys:
        joined = f"{lines[-1]}  {key}" if lines[-1] else key
        if width(joined) > columns and lines[-1]:
            lines.append(key)
        else:
            lines[-1] = joined
    return "\n".join(lines)
