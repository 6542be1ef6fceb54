"""The books on screen: a manual journal entry, locking a month, and the chart of accounts.
The trial balance, the journal and the statements are report screens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from store.books import ledger
from store.common import clock
from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.core.money import ZERO, format_money
from store.security import permissions
from store.security.auth import SessionUser
from tui.dialogs.inputs import AmountDialog, InputDialog, TextDialog
from tui.dialogs.pickers import ListPicker
from tui.screens.menu import Entry, MenuScreen
from tui.screens.stockdoc import right

from .purchasing import DocScreen
from .report_view import ReportScreen


class DateDialog(InputDialog[dt.date]):
    def accept(self, text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError as exc:
            raise ValidationError(_("'{value}' is not a date like 2026-11-30").format(
                value=text), field="date", value=text) from exc


class MonthDialog(InputDialog[str]):
    def accept(self, text: str) -> str:
        month = text.strip()
        try:
            dt.date.fromisoformat(month + "-01")
        except ValueError as exc:
            raise ValidationError(_("'{value}' is not a month like 2026-11").format(
                value=text), field="month", value=text) from exc
        return month


class ManualEntryScreen(DocScreen):
    """An accountant's entry: lines of debit or credit to accounts; it posts when it balances."""

    BINDINGS = [
        Binding("a", "add", N_("Add line"), id="entry.add"),
        Binding("delete", "remove", N_("Remove"), id="entry.remove"),
        Binding("d", "date", N_("Date"), id="entry.date"),
        Binding("s", "describe", N_("Description"), id="entry.describe"),
        Binding("f12", "post", N_("Post"), id="entry.post"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.day = clock.local_today()
        self.description = ""
        self.lines: list[ledger.ManualLine] = []
        self.names = {a.code: a.name for a in ledger.accounts()}
        self.armed = False

    def totals(self) -> tuple[Decimal, Decimal]:
        debit = sum((Decimal(str(ln.debit)) for ln in self.lines), ZERO)
        credit = sum((Decimal(str(ln.credit)) for ln in self.lines), ZERO)
        return debit, credit

    def reload(self) -> None:
        debit, credit = self.totals()
        state = _("balanced") if debit == credit and debit else _("difference {amount}").format(
            amount=format_money(debit - credit))
        self.fill(_("New journal entry · {date} · {description}").format(
            date=self.day.isoformat(), description=self.description or _("(no description)")),
            _("Debit {debit} · credit {credit} · {state}").format(
                debit=format_money(debit), credit=format_money(credit), state=state),
            [_("Account"), _("Name"), _("Debit"), _("Credit")],
            [[ln.account, self.names.get(ln.account, ""),
              right(format_money(Decimal(str(ln.debit))) if ln.debit else ""),
              right(format_money(Decimal(str(ln.credit))) if ln.credit else "")]
             for ln in self.lines])

    def action_add(self) -> None:
        accounts = ledger.accounts()
        self.ask(ListPicker(_("Which account?"), [_("Account"), _("Name")],
                            [(a.code, a.name) for a in accounts], [a.code for a in accounts]),
                 self._line_account)

    def _line_account(self, code: Any) -> None:
        if code is not None:
            self.ask(ListPicker(_("Debit or credit {code}?").format(code=code), [""],
                                [(_("Debit"),), (_("Credit"),)], ["debit", "credit"]),
                     lambda side: self._line_side(str(code), side))

    def _line_side(self, code: str, side: Any) -> None:
        if side is None:
            return
        debit, credit = self.totals()
        rest = abs(debit - credit)
        self.ask(AmountDialog(_("{side} {code}").format(
            side=_("Debit") if side == "debit" else _("Credit"), code=code),
            value=f"{rest}" if rest else "", allow_zero=False),
            lambda amount: self._line_amount(code, str(side), amount))

    def _line_amount(self, code: str, side: str, amount: Decimal | None) -> None:
        if amount is not None:
            self.lines.append(ledger.ManualLine(code, **{side: amount}))
            self.armed = False
            self.reload()

    def action_remove(self) -> None:
        if self.lines:
            del self.lines[self.row()]
            self.reload()

    def action_date(self) -> None:
        def given(day: dt.date | None) -> None:
            if day is not None:
                self.day = day
                self.reload()

        self.ask(DateDialog(_("Date of the entry"), self.day.isoformat()), given)

    def action_describe(self) -> None:
        def given(text: str | None) -> None:
            if text:
                self.description = text
                self.reload()

        self.ask(TextDialog(_("What is the entry for?"), self.description), given)

    def action_post(self) -> None:
        if not self.armed:
            self.armed = True
            self.say(_("Press F12 again to post this entry"))
            return
        self.armed = False
        posted: list[ledger.EntryView] = []
        if self.attempt(lambda: posted.append(ledger.post_manual(
                self.user, self.day, self.description, self.lines))):
            self.app.notify(_("Posted entry {id} on {date}: {amount}").format(
                id=posted[0].id, date=posted[0].date, amount=format_money(posted[0].total)))
            self.app.pop_screen()


class AccountsScreen(DocScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def reload(self) -> None:
        rows = ledger.trial_balance()
        kinds = {"asset": _("asset"), "liability": _("liability"), "equity": _("equity"),
                 "income": _("income"), "expense": _("expense")}
        self.fill(_("Chart of accounts"),
                  _("Add accounts with 'zhanggui ledger add-account'"),
                  [_("Account"), _("Name"), _("Kind"), _("Account balance")],
                  [[r.code, r.name, kinds.get(r.kind, r.kind), right(format_money(r.balance))]
                   for r in rows])


def _report(name: str) -> Any:
    def make(user: SessionUser) -> Screen:
        return ReportScreen(name)

    return make


def _entry(user: SessionUser) -> Screen:
    return ManualEntryScreen(user)


def _accounts(user: SessionUser) -> Screen:
    return AccountsScreen()


class LedgerScreen(MenuScreen):
    BINDINGS = [Binding("l", "lock", N_("Lock a month"), id="ledger.lock"),
                Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        locked = ledger.locked_through()
        super().__init__(user, [
            Entry("journal", N_("Journal"), _report("journal")),
            Entry("trial", N_("Trial balance"), _report("trial-balance")),
            Entry("pnl", N_("Profit and loss"), _report("pnl")),
            Entry("bs", N_("Balance sheet"), _report("balance-sheet")),
            Entry("entry", N_("New journal entry"), _entry),
            Entry("accounts", N_("Chart of accounts"), _accounts),
        ], _("Ledger"), (_("The books are locked through {date}").format(date=locked)
                         if locked else _("No month is locked")) + " · " + _("L locks a month"))

    def action_lock(self) -> None:
        last = clock.local_today().replace(day=1) - dt.timedelta(days=1)

        def given(month: str | None) -> None:
            if not month:
                return
            try:
                through = ledger.lock_period(self.user, month)
            except Exception as err:
                from store.core.errors import StoreError
                from tui.guard import FAULTS, fault_message

                if not isinstance(err, (StoreError, *FAULTS)):
                    raise
                self.app.bell()
                self.app.notify(str(err) if isinstance(err, StoreError) else fault_message(err),
                                severity="error", timeout=8)
                return
            self.app.notify(_("The books are locked through {date}").format(date=through))

        self.app.push_screen(MonthDialog(_("Lock the books through which month?"),
                                         last.strftime("%Y-%m")), given)


def _offline_reviews(user: SessionUser) -> Screen:
    from .offline_reviews import OfflineReviewsScreen

    return OfflineReviewsScreen(user)


class ReportsScreen(MenuScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__(user, [
            Entry("daily", N_("Sales summary"), _report("daily")),
            Entry("sales", N_("Sales by …"), _report("sales")),
            Entry("tax", N_("Tax by rate"), _report("tax")),
            Entry("valuation", N_("Inventory valuation"), _report("valuation")),
            Entry("transit", N_("Goods in transit by shop"), _report("transit")),
            Entry("pnl", N_("Profit and loss"), _report("pnl")),
            Entry("bs", N_("Balance sheet"), _report("balance-sheet")),
            Entry("aging", N_("Accounts payable aging"), _report("ap-aging")),
            Entry("ar-aging", N_("Accounts receivable aging"), _report("ar-aging")),
            *([Entry("offline-reviews", N_("Sales made offline to review"),
                     _offline_reviews)] if permissions.allowed(user, "review_offline") else []),
        ], _("Reports"), _("[ and ] move through periods, p changes the period, x exports"))
