"""The shift at the till: opening it with a counted float, reprints, the X report, and closing
it with the drawer counted and the Z printed."""

from __future__ import annotations

from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import _
from store.core.money import format_money
from store.fapiao import requests as fapiao
from store.selling import cards, sales

from ...dialogs.cashcount import CashCount, CashCountDialog
from ...dialogs.fapiao import FapiaoDialog, FapiaoForm
from ...dialogs.inputs import TextDialog
from ...dialogs.shift_report import ShiftReportDialog
from ...dialogs.top_up import TopUpDialog, TopUpForm
from ...receipts import queue_shift_report, reprint, shift_report_rows, shift_report_title
from .view import TillView, needs_database


class ShiftKeys(TillView):
    def _opened(self, count: CashCount | None) -> None:
        if count is None:
            self.app.pop_screen()  # no shift, no selling
            return
        try:
            self.shift = sales.open_shift(self.terminal, self.user.id, count.amount,
                                          counts=count.counts)
        except StoreError as err:
            self.app.notify(str(err), severity="error")
            self.app.pop_screen()
            return
        if self.link is not None:
            self.link.copy.set_shift(self.shift)
        self._refresh()

    # -- a 发票 for the customer, reprint, X and Z ----------------------------------------------
    @needs_database
    def action_fapiao(self) -> None:
        """The customer asks for a 发票: the last receipt's, or those they hand over."""
        def submit(form: FapiaoForm) -> str:
            view = fapiao.request(self.user, form.sales, title=form.title, tax_id=form.tax_id,
                                  email=form.email)
            return _("发票 request {number} recorded for {title}").format(
                number=view.number, title=view.title)

        last = sales.last_sale_number(self.terminal) or ""
        known = fapiao.remembered_buyer(last) if last else None  # the customer asked before
        self.ask(FapiaoDialog(last, submit, buyer=(known.title, known.tax_id, known.email)
                              if known is not None else ("", "", "")),
                 lambda said: self._say(said) if said else None)

    @needs_database
    def action_top_up(self) -> None:
        """Money onto a stored-value card: into this shift's drawer, not a sale."""
        if self.shift is None:
            return
        member = self.basket.customer

        def submit(form: TopUpForm) -> str:
            done = cards.top_up_at_till(self.user, form.card, form.amount, form.tender,
                                        terminal=self.terminal, reference=form.reference,
                                        member=member.code if member else "")
            self.app.wake_printer()  # type: ignore[attr-defined]
            return _("{number}: {amount} onto card {card}, bonus {bonus}; balance {balance}"
                     ).format(number=done.number, amount=format_money(done.amount),
                              card=done.card.number, bonus=format_money(done.bonus),
                              balance=format_money(done.card.balance))

        tenders = [t for t in self.tenders if t.kind in cards.TOP_UP_TENDERS]
        self.ask(TopUpDialog(tenders, cards.bonuses(), submit,
                             member=member.name if member else ""),
                 lambda said: self._say(said) if said else None)

    @needs_database
    def action_reprint(self) -> None:
        def chosen(number: str | None) -> None:
            if number is None:
                return
            try:
                reprint(number, self.terminal)
            except StoreError as err:
                self._say(str(err))
                return
            self.app.wake_printer()  # type: ignore[attr-defined]
            self._say(_("Reprinting {number}").format(number=number))

        self.ask(TextDialog(_("Reprint receipt number"),
                                        sales.last_sale_number(self.terminal) or ""), chosen)

    @needs_database
    def action_x_report(self) -> None:
        if self.shift is None:
            return
        x = sales.shift_totals(self.shift.id)
        queue_shift_report(x, self.terminal)
        self.app.wake_printer()  # type: ignore[attr-defined]
        self.app.push_screen(ShiftReportDialog(shift_report_title(x), shift_report_rows(x),
                                               self._printed_hint()))

    def _printed_hint(self) -> str:
        url = self.app.config.printer.url  # type: ignore[attr-defined]
        return "" if url.startswith("dummy:") else _("Also sent to the receipt printer")

    @needs_database
    def action_close_shift(self) -> None:
        if self.shift is None:
            return
        waiting = self.link.state().waiting if self.link is not None else 0
        if waiting:  # the Z must count them: they go in first
            self._say(_("Sales of this shift still to send to the database: {n}. The shift "
                        "closes once they are in").format(n=waiting))
            return
        if self.basket:
            self._say(_("Finish or empty the basket before closing the shift"))
            return

        def counted(count: CashCount | None, approval_id: int | None = None) -> None:
            if count is None:
                return
            try:
                z = sales.close_shift(self.terminal, self.user, count.amount,
                                      counts=count.counts, approval_id=approval_id)
            except PermissionDenied as err:
                self._ask_supervisor(err.permission, lambda a: counted(count, a))
                return
            except StoreError as err:
                self._say(str(err))
                return
            queue_shift_report(z, self.terminal)
            self.app.wake_printer()  # type: ignore[attr-defined]
            # The Z stays on screen until read (expected, counted, over/short and the audit
            # seal are on it: a toast repeating them covered its last lines); the till
            # closes behind it.
            self.app.pop_screen()
            self.app.push_screen(ShiftReportDialog(shift_report_title(z), shift_report_rows(z),
                                                   self._printed_hint()))

        self.ask(CashCountDialog(_("Close the shift: count the cash in the drawer")),
                             counted)

