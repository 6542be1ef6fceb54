"""Customers' accounts: who owes what (and what is overdue), a customer's statement, and
taking a payment against the account."""

from __future__ import annotations

from textual.binding import Binding

from store.books import ledger
from store.core.i18n import N_, _
from store.core.money import ZERO, format_money
from store.customers import receivables
from store.security.auth import SessionUser
from tui.screens.stockdoc import clip, right

from .payables_view import Money, PaymentDialog
from .purchasing import DocScreen
from .report_view import ReportScreen

RECEIVE_INTO = ((ledger.CASH, N_("Cash")), (ledger.BANK, N_("Bank")),
                (ledger.OTHER_FUNDS, N_("WeChat/Alipay")))


class CustomerAccountsScreen(DocScreen):
    reload_on_resume = True
    row_action = "statement"
    BINDINGS = [
        Binding("enter", "statement", N_("Statement"), id="accounts.statement"),
        Binding("p", "pay", N_("Take payment"), id="accounts.pay"),
        Binding("g", "aging", N_("Aging"), id="accounts.aging"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[receivables.AccountRow] = []

    def reload(self) -> None:
        self.rows = receivables.accounts()
        owed = sum((r.owed for r in self.rows), ZERO)
        self.fill(_("Customer accounts"),
                  _("{n} customers owe {amount}").format(n=len(self.rows),
                                                         amount=format_money(owed)),
                  [_("Member no."), _("Name"), _("Owed"), _("Overdue"), _("Credit limit")],
                  [[r.code, clip(r.name, 20), right(format_money(r.owed)),
                    right(format_money(r.overdue)), right(format_money(r.credit_limit))]
                   for r in self.rows])

    def _row(self) -> receivables.AccountRow | None:
        return self.rows[self.row()] if self.rows else None

    def action_statement(self) -> None:
        row = self._row()
        if row is not None:
            self.app.push_screen(StatementScreen(row.code, row.name))

    def action_pay(self) -> None:
        row = self._row()
        if row is None:
            return

        def act(m: Money) -> str:
            v = receivables.receive_payment(self.user, row.code, m.amount, account=m.account,
                                            reference=m.reference)
            return _("{number}: {amount} from {customer}").format(
                number=v.number, amount=format_money(v.amount), customer=row.name)

        def done(said: str | None) -> None:
            if said is not None:
                self.reload()
                self.say(said)

        self.ask(PaymentDialog(_("{customer} pays: {owed} owed").format(
            customer=row.name, owed=format_money(row.owed)), row.owed, act, prepayment=False,
            accounts=RECEIVE_INTO), done)

    def action_aging(self) -> None:
        self.app.push_screen(ReportScreen("ar-aging"))


class StatementScreen(DocScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, code: str, name: str) -> None:
        super().__init__()
        self.code, self.customer = code, name

    def reload(self) -> None:
        lines = receivables.statement(self.code)
        self.fill(_("Statement: {customer} ({code})").format(customer=self.customer,
                                                           code=self.code),
                  _("Balance {amount}").format(amount=format_money(
                      lines[-1].balance if lines else ZERO)),
                  [_("Date"), _("Document"), _("Bought"), _("Paid"), _("Balance")],
                  [[ln.date.isoformat(), ln.document,
                    right(format_money(ln.charge) if ln.charge else ""),
                    right(format_money(ln.payment) if ln.payment else ""),
                    right(format_money(ln.balance))] for ln in lines])
