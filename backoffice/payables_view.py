"""Supplier bills and payments: the bill list, entering a bill against what was received (the
supplier's price beside what the goods came in at), expense bills, and paying suppliers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label

from store.books import ledger
from store.buying import payables, suppliers
from store.core.errors import StoreError
from store.core.i18n import N_, NC_, _, pgettext
from store.core.money import (
    COST_PLACES,
    QTY_PLACES,
    ZERO,
    format_money,
    format_qty,
    parse_decimal,
    round_money,
)
from store.security.auth import SessionUser
from tui.bindings import TranslatedBindings
from tui.dialogs.inputs import AmountDialog, TextDialog
from tui.dialogs.pickers import ListPicker
from tui.guard import FAULTS, fault_message
from tui.screens.stockdoc import clip, qty_text, right
from tui.widgets.text_input import TextInput

from .purchasing import DocScreen
from .report_view import ReportScreen


def pick_supplier(screen: DocScreen, title: str, then: Any) -> None:
    listed = suppliers.suppliers()
    screen.ask(ListPicker(title, [_("Code"), _("Name")], [(s.code, s.name) for s in listed],
                          [s.code for s in listed]), lambda code: code and then(str(code)))


class BillsScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="bills.open"),
        Binding("n", "new", N_("New bill"), id="bills.new"),
        Binding("p", "pay", NC_("supplier", "Pay"), id="bills.pay"),
        Binding("f", "filter", N_("Open/all"), id="bills.filter"),
        Binding("g", "aging", N_("Aging"), id="bills.aging"),
        Binding("r", "send_back", N_("Goods back"), id="bills.return"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.open_only = True
        self.views: list[payables.BillView] = []

    def reload(self) -> None:
        self.views = payables.bills(open_only=self.open_only)
        owed = sum((v.open for v in self.views), ZERO)
        self.fill(_("Supplier bills"),
                  (_("Not paid in full: {n}, {amount} owed") if self.open_only
                   else _("All bills: {n}, {amount} owed")).format(
                      n=len(self.views), amount=format_money(owed)),
                  [_("Bill"), _("Supplier"), _("Their no."), _("Due"), _("Total"), pgettext("amount", "Open"),
                   _("Status")],
                  [[v.number, clip(v.supplier_name, 12), clip(v.supplier_ref, 12),
                    v.due_date.isoformat(), right(format_money(v.total)),
                    right(format_money(v.open)), _(v.status)] for v in self.views])

    def action_filter(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    def action_open(self) -> None:
        if self.views:
            self.app.push_screen(BillScreen(self.views[self.row()].number))

    def action_new(self) -> None:
        pick_supplier(self, _("New bill — from which supplier?"),
                      lambda code: self.app.push_screen(NewBillScreen(self.user, code)))

    def action_pay(self) -> None:
        def pay(code: str) -> None:
            def done(said: str | None) -> None:
                if said is not None:
                    self.reload()
                    self.say(said)

            self.ask(supplier_payment(self.user, code), done)

        if self.views:
            pay(self.views[self.row()].supplier_code)
        else:
            pick_supplier(self, _("Pay which supplier?"), pay)

    def action_aging(self) -> None:
        self.app.push_screen(ReportScreen("ap-aging"))

    def action_send_back(self) -> None:
        from .supplier_returns_view import ask_document

        ask_document(self, self.user, self.views[self.row()].number if self.views else "")


class BillScreen(DocScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def reload(self) -> None:
        v = payables.bill_view(self.number)
        self.fill(_("Bill {number} · {supplier} · their no. {ref}").format(
            number=v.number, supplier=v.supplier_name, ref=v.supplier_ref),
            _("Dated {date}, due {due} · net {net} · tax {tax} · total {total} · paid {paid}")
            .format(date=v.bill_date, due=v.due_date, net=format_money(v.net),
                    tax=format_money(v.tax), total=format_money(v.total),
                    paid=format_money(v.paid)),
            [_("SKU / account"), _("Description"), _("Qty"), pgettext("purchase", "Price"), _("Amount"),
             _("Received at"), _("Price diff")],
            [[ln.sku or ln.account, clip(ln.description, 18), qty_text(ln.qty if ln.sku else None),
              right(f"{ln.unit_price:.2f}" if ln.sku else ""), right(format_money(ln.amount)),
              right(format_money(ln.received_cost) if ln.sku else ""),
              right(format_money(ln.price_difference) if ln.price_difference else "")]
             for ln in v.lines])


@dataclass
class Draft:
    """A bill being entered: which received lines it charges, at what, and expense lines."""

    line: payables.Unbilled
    include: bool = True
    qty: Decimal = ZERO
    price: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return round_money(self.qty * self.price) if self.include else ZERO


class NewBillScreen(DocScreen):
    BINDINGS = [
        Binding("space", "include", N_("In/out"), id="bill.include"),
        Binding("f4", "qty", N_("Qty"), id="bill.qty"),
        Binding("f5", "price", NC_("purchase", "Price"), id="bill.price"),
        Binding("r", "ref", N_("Their no."), id="bill.ref"),
        Binding("t", "tax", N_("Tax"), id="bill.tax"),
        Binding("x", "expense", N_("Expense"), id="bill.expense"),
        Binding("f12", "post", N_("Post"), id="bill.post"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, supplier: str) -> None:
        super().__init__()
        self.user = user
        self.supplier = supplier
        self.drafts = [Draft(u, True, u.qty, u.unit_cost) for u in payables.unbilled(supplier)]
        self.expenses: list[payables.BillLineInput] = []
        self.ref = ""
        self.tax = ZERO
        self.armed = False

    def net(self) -> Decimal:
        goods = sum((d.amount for d in self.drafts), ZERO)
        return goods + sum((Decimal(str(e.amount)) for e in self.expenses), ZERO)

    def reload(self) -> None:
        rows = []
        for d in self.drafts:
            diff = d.amount - round_money(d.qty * d.line.unit_cost) if d.include else ZERO
            rows.append(["✓" if d.include else "·", d.line.receipt, d.line.sku,
                         clip(d.line.name, 12), qty_text(d.qty), right(f"{d.line.unit_cost:.2f}"),
                         right(f"{d.price:.2f}"), right(format_money(d.amount)),
                         Text(format_money(diff), style="bold red", justify="right")
                         if diff else ""])
        for e in self.expenses:
            rows.append(["✓", "", e.account, clip(e.description, 12), "", "", "",
                         right(format_money(Decimal(str(e.amount)))), ""])
        self.fill(_("New bill from {supplier}").format(supplier=self.supplier),
                  _("Their no. {ref} · net {net} · tax {tax} · total {total}").format(
                      ref=self.ref or "—", net=format_money(self.net()),
                      tax=format_money(self.tax), total=format_money(self.net() + self.tax)),
                  ["", _("Receipt"), _("SKU"), _("Name"), _("Qty"), _("Received at"),
                   pgettext("purchase", "Price"), _("Amount"), _("Price diff")], rows)
        if not rows:
            self.say(_("Nothing received from {supplier} waits for a bill: x adds an expense "
                       "line").format(supplier=self.supplier))

    def _draft(self) -> Draft | None:
        i = self.row()
        return self.drafts[i] if 0 <= i < len(self.drafts) else None

    def action_include(self) -> None:
        d = self._draft()
        if d is not None:
            d.include = not d.include
            self.reload()

    def _set(self, title: str, value: Decimal, places: int, apply: Any) -> None:
        def given(v: Decimal | None) -> None:
            if v is not None:
                apply(v)
                self.armed = False
                self.reload()

        self.ask(AmountDialog(title, value=f"{value}", places=places), given)

    def action_qty(self) -> None:
        d = self._draft()
        if d is not None:
            self._set(_("Units billed of {sku} (at most {qty})").format(
                sku=d.line.sku, qty=format_qty(d.line.qty)), d.qty, QTY_PLACES,
                lambda v: setattr(d, "qty", v))

    def action_price(self) -> None:
        d = self._draft()
        if d is not None:
            self._set(_("The supplier's unit price for {sku}").format(sku=d.line.sku),
                      d.price, COST_PLACES, lambda v: setattr(d, "price", v))

    def action_tax(self) -> None:
        self._set(_("Input VAT on the invoice"), self.tax, 2, lambda v: setattr(self, "tax", v))

    def action_ref(self) -> None:
        def given(text: str | None) -> None:
            if text:
                self.ref = text
                self.reload()

        self.ask(TextDialog(_("The supplier's invoice number")), given)

    def action_expense(self) -> None:
        accounts = [a for a in ledger.accounts() if a.kind in ("expense", "asset")]
        self.ask(ListPicker(_("Expense to which account?"), [_("Account"), _("Name")],
                            [(a.code, a.name) for a in accounts], [a.code for a in accounts]),
                 self._expense_account)

    def _expense_account(self, code: Any) -> None:
        if code is not None:
            self.ask(AmountDialog(_("Amount for {code}").format(code=code), allow_zero=False),
                     lambda amount: self._expense_amount(str(code), amount))

    def _expense_amount(self, code: str, amount: Decimal | None) -> None:
        if amount is not None:
            self.ask(TextDialog(_("What is it for?")),
                     lambda text: self._expense_add(code, amount, text))

    def _expense_add(self, code: str, amount: Decimal, text: str | None) -> None:
        self.expenses.append(payables.BillLineInput(account=code, amount=amount,
                                                    description=text or ""))
        self.reload()

    def action_post(self) -> None:
        lines = [payables.BillLineInput(d.line.receipt_line_id, d.qty, d.price)
                 for d in self.drafts if d.include] + self.expenses
        if not self.armed:
            self.armed = True
            self.say(_("Press F12 again to post this bill of {total}").format(
                total=format_money(self.net() + self.tax)))
            return
        self.armed = False
        made: list[payables.BillView] = []
        if self.attempt(lambda: made.append(payables.post_bill(
                self.user, self.supplier, self.ref, lines, tax=self.tax))):
            self.app.notify(_("{number}: {total}, due {due}").format(
                number=made[0].number, total=format_money(made[0].total),
                due=made[0].due_date), timeout=8)
            self.app.pop_screen()


PAY_FROM = ((ledger.BANK, N_("Bank")), (ledger.CASH, N_("Cash")),
            (ledger.OTHER_FUNDS, N_("WeChat/Alipay")))


@dataclass(frozen=True)
class Money:
    """What the payment dialog collected."""

    amount: Decimal
    account: str
    reference: str
    prepayment: bool


class PaymentDialog(TranslatedBindings, ModalScreen[str | None]):
    """Money paid or received: the amount (what is owed, filled in), which account, a
    reference, and for suppliers whether more than is owed is a prepayment. `act` does it and
    returns what to say; a refusal stays on the dialog."""

    DEFAULT_CSS = """
    PaymentDialog { align: center middle; }
    PaymentDialog > Vertical { width: 64; height: auto; border: round $accent; padding: 0 2;
                               background: $surface; }
    PaymentDialog Input { margin: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, title: str, owed: Decimal, act: Callable[[Money], str], *,
                 prepayment: bool = True, accounts: Sequence[tuple[str, str]] = PAY_FROM
                 ) -> None:
        super().__init__()
        self.dialog_title, self.owed, self.act = title, owed, act
        self.prepayment, self.accounts = prepayment, accounts
        self.source = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="title")
            yield TextInput(value=f"{self.owed}", placeholder=_("amount"), id="pay-amount",
                        compact=True)
            yield Label(self._source_text(), id="pay-source")
            yield TextInput(placeholder=_("reference (bank slip, transfer no.)"), id="pay-ref",
                        compact=True)
            if self.prepayment:
                yield Checkbox(_("More than owed is a prepayment"), id="pay-prepay")
            yield Label(_("Enter pays · Tab moves · F2 changes the account"), classes="muted")
            yield Label("", id="pay-error", classes="error")

    def _source_text(self) -> str:
        code, name = self.accounts[self.source]
        return _("Account: {code} {name}").format(code=code, name=_(name))

    def on_mount(self) -> None:
        self.query_one("#pay-amount", Input).focus()

    def key_f2(self) -> None:
        self.source = (self.source + 1) % len(self.accounts)
        self.query_one("#pay-source", Label).update(self._source_text())

    @on(Input.Submitted)
    def _pay(self) -> None:
        error = self.query_one("#pay-error", Label)
        try:
            amount = parse_decimal(self.query_one("#pay-amount", Input).value, field="amount")
            said = self.act(Money(amount, self.accounts[self.source][0],
                                  self.query_one("#pay-ref", Input).value,
                                  self.prepayment and self.query_one("#pay-prepay",
                                                                     Checkbox).value))
        except Exception as err:  # a refusal, or the database away: say so, stay open
            if not isinstance(err, (StoreError, *FAULTS)):
                raise
            error.update(str(err) if isinstance(err, StoreError) else fault_message(err))
            return
        self.dismiss(said)

    def action_cancel(self) -> None:
        self.dismiss(None)


def supplier_payment(user: SessionUser, supplier: str) -> PaymentDialog:
    owed = sum((b.open for b in payables.bills(supplier_code=supplier, open_only=True)), ZERO)

    def act(m: Money) -> str:
        v = payables.pay(user, supplier, m.amount, account=m.account, reference=m.reference,
                         prepayment=m.prepayment)
        return _("{number}: {amount} to {supplier}").format(
            number=v.number, amount=format_money(v.amount), supplier=v.supplier_code)

    return PaymentDialog(_("Pay {supplier}: {owed} owed").format(
        supplier=supplier, owed=format_money(owed)), owed, act)
