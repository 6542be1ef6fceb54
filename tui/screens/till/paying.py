"""Paying, and what else ends or sets aside a basket: F12 pays (a worker posts the sale; a
refusal a supervisor can lift asks for them), F3 takes goods back, F6/F7 park and recall, F8
cancels."""

from __future__ import annotations

from decimal import Decimal

from textual import work

from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import _
from store.core.money import format_money
from store.security import permissions
from store.selling import cards, parking, points, returns, sales, vouchers
from store.selling.basket import Basket
from store.selling.sales import PaymentInput, SaleView

from ...dialogs.inputs import TextDialog
from ...dialogs.pickers import parked_picker
from ...guard import storage_problem
from ...receipts import queue_receipt
from ...widgets.change_due import ChangeDue
from ..returns import ReturnPick, ReturnScreen
from ..tender import TenderScreen
from .view import TillView, needs_database


class Paying(TillView):
    # -- paying -----------------------------------------------------------------------------
    def action_pay(self) -> None:
        if not self.basket or self.paying or getattr(self, "weighing", False):
            return  # (still weighing: the line comes first)
        if self.shift is None and self.selling_offline():
            self._say(_("No shift is open: a shift opens when the database answers"))
            return
        if self.basket.total == 0:  # an even exchange: nothing to pay or give back
            self._tendered([])
            return
        limits = None
        if self.basket.total < 0 and self.basket.original:
            try:  # a refund goes back by what the sale was paid with, up to what is left of it
                limits = returns.refund_limits(self._receipt(self.basket.original))
            except StoreError as err:
                self._say(str(err))
                return
        offline = self.selling_offline()
        lookup = None if offline else lambda code: vouchers.check(code, self.terminal,
                                                                   self.basket.total)
        member = self.basket.customer
        self.ask(TenderScreen(self.basket.total, self.tenders, self.cash_step,
                              refund_limits=limits,
                              account_holder=bool(self.basket.customer or self.basket.original),
                              voucher=lookup, card=None if offline else cards.check,
                              member_card=(cards.of_customer(member.id) or ""
                                           if member and not offline else ""),
                              member_points=(points.balance_of(member.id)
                                             if member and not offline else None),
                              offline=offline),
                 self._tendered)

    def _tendered(self, payments: list[PaymentInput] | None) -> None:
        if payments is not None:
            self.payments = payments
            self.paying = True
            self._say(_("Completing the sale…"))
            self.complete(self.basket, payments)

    @work(thread=True, exit_on_error=False, group="sale")
    def complete(self, basket: Basket, payments: list[PaymentInput]) -> None:
        try:
            if self.link is not None and self.shift is not None:
                sale = self.link.sell(basket, payments, cashier=self.user,
                                      shift_id=self.shift.id)
            else:
                sale = sales.post_sale(basket, payments, terminal=self.terminal,
                                       cashier_id=self.user.id)
        except PermissionDenied as err:  # a supervisor can approve it and the sale goes on
            self.app.call_from_thread(self._needs_approval, err)
            return
        except StoreError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        except Exception as exc:  # database unreachable: the basket stays, F12 retries once
            said = storage_problem(exc)
            self.app.call_from_thread(
                self._failed, said + " " + _("F12 tries again.") if said else
                _("The sale was not saved ({reason}); F12 tries again").format(reason=exc))
            return
        try:
            queue_receipt(sale, self.terminal, self.link)
        except Exception as exc:  # the sale is safe; the receipt can be reprinted
            self.app.call_from_thread(self._say, _("Receipt not queued: {reason}").format(
                reason=exc))
        self.app.call_from_thread(self._completed, sale)

    def _failed(self, message: str) -> None:
        self.paying = False
        self.app.bell()
        self._say(message)

    def _needs_approval(self, err: PermissionDenied) -> None:
        """Ask for the supervisor; with their approval the same payments are tried again."""
        self.paying = False
        self._say(str(err))

        def approved(approval_id: int) -> None:
            if err.permission in ("refund", "refund_to_cash", "credit_limit"):
                self.basket.approvals[err.permission] = approval_id
            else:  # a line's price or discount beyond the cashier's limit
                for line in self.basket.lines:
                    if line.note and line.approval_id is None and line.return_of is None:
                        line.approval_id = approval_id
            self._tendered(self.payments)

        self._ask_supervisor(err.permission, approved)

    def _completed(self, sale: SaleView) -> None:
        self.paying = False
        self.app.wake_printer()  # type: ignore[attr-defined]
        self._new_basket()
        tendered = sum((p.amount for p in sale.payments), Decimal(0))
        due = self.query_one("#change-due", ChangeDue)
        if sale.total < 0:
            message = _("Refund {number} done: {amount} given back").format(
                number=sale.number, amount=format_money(-sale.total))
            due.show(_("Refund {number}").format(number=sale.number) + "\n"
                     + _("GIVE BACK"), -sale.total)
            self._show_display(_("REFUND"), "", _("GIVE BACK"), f"{-sale.total:.2f}")
        else:
            message = _("Sale {number} done").format(number=sale.number)
            due.show(_("Paid {amount}").format(amount=format_money(tendered)) + "\n"
                     + _("CHANGE"), sale.change)
            self._show_display(_("PAID"), f"{tendered:.2f}", _("CHANGE"), f"{sale.change:.2f}")
        if sale.change:
            message += "  " + _("Change {amount}").format(amount=format_money(sale.change))
        self._say(message)

    # -- park, recall, cancel ---------------------------------------------------------------
    @needs_database
    def action_park(self) -> None:
        if not self.basket:
            return
        try:
            parking.park(self.basket, terminal=self.terminal, user_id=self.user.id)
        except StoreError as err:
            self._say(str(err))
            return
        self._new_basket()
        self._say(_("Basket parked: F7 recalls it on any till"))

    @needs_database
    def action_recall(self) -> None:
        if self.basket:
            self._say(_("Finish or park this basket first"))
            return
        rows = parking.parked(self.terminal)
        if not rows:
            self._say(_("No parked baskets"))
            return

        def chosen(uuid) -> None:  # type: ignore[no-untyped-def]
            if uuid is None:
                return
            try:
                basket = parking.recall(uuid, prices_include_tax=self.basket.prices_include_tax,
                                        terminal=self.terminal)
                fresh = self._empty_basket(basket.prices_include_tax)
                basket.merge_same, basket.max_qty = fresh.merge_same, fresh.max_qty
                self.basket = basket
            except StoreError as err:
                self._say(str(err))
                return
            self._say("")
            self._refresh(select=0)

        self.ask(parked_picker(rows), chosen)

    @needs_database
    def action_cancel_sale(self) -> None:
        if not self.basket:
            return

        def reason(text: str | None) -> None:
            if text is None:
                return
            try:
                parking.cancel(self.basket, terminal=self.terminal, user_id=self.user.id,
                               reason=text)
            except StoreError as err:
                self._say(str(err))
                return
            self._new_basket()
            self._say(_("Sale cancelled (recorded)"))

        self.ask(TextDialog(_("Cancel this sale: the reason")), reason)

    # -- returns ---------------------------------------------------------------------------
    def _receipt(self, number: str) -> returns.Returnable:
        """A receipt to take goods back from: offline, from the till's copy (its shop's last
        month of sales), refused in words when the copy does not have it."""
        if self.link is not None:
            return self.link.returnable(number)
        return returns.returnable(number)

    def action_return_goods(self) -> None:
        self.ask(TextDialog(_("Return: scan the receipt or type its number")),
                             lambda n: self.start_return(n) if n else None)

    def start_return(self, number: str) -> None:
        try:
            receipt = self._receipt(number)
            rules = self.link.copy.policy() if self.selling_offline() else permissions.policy()  # type: ignore[union-attr]
            allowed = "refund" in self.basket.approvals or rules.allows(self.user.role,
                                                                        "refund")
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return
        if allowed:
            self._pick_returns(receipt)
            return

        # Asked before the lines are picked, not after: a refund the role may not give is
        # approved (or not) while the customer is still at the counter with the receipt.
        def approved(approval_id: int) -> None:
            self.basket.approvals["refund"] = approval_id
            self._pick_returns(receipt)

        self._ask_supervisor("refund", approved, what=_("Return from sale {number}").format(
            number=receipt.number))

    def _pick_returns(self, receipt: returns.Returnable) -> None:
        def picked(picks: list[ReturnPick] | None) -> None:
            if not picks:
                return
            index = None
            for pick in picks:
                product = None
                if self.link is not None and self.selling_offline():
                    line = next(ln for ln in receipt.lines if ln.line_id == pick.line_id)
                    product = self.link.product(line.product_id)
                    if product is None:
                        self._say(_("{name} is not in this till's copy: return it online")
                                  .format(name=line.name[:30]))
                        break
                try:
                    index = returns.add_return(self.basket, receipt, pick.line_id, pick.qty,
                                               restock=pick.restock, product=product)
                except StoreError as err:
                    self._say(str(err))
                    break
            self._refresh(select=index)
            if index is not None:
                self._say(_("Returning from {number}: scan more to exchange, F12 to refund")
                          .format(number=receipt.number))

        self.ask(ReturnScreen(receipt), picked)
