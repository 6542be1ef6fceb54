"""Order tracking: sales orders by status and channel (phone, trade, Taobao, Shopify …), one
order with its lines and history, and the steps an order takes: confirm, pick, ship with the
carrier and tracking number, invoice, cancel with a reason."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from store.common import clock
from store.core.i18n import N_, NC_, _, channel_label
from store.core.money import format_money
from store.customers import orders
from store.security.auth import SessionUser
from tui.dialogs.inputs import TextDialog
from tui.screens.stockdoc import clip, qty_text, right

from .purchasing import DocScreen

STATUS_FILTERS = ("open", "held", "confirmed", "shipped", "invoiced", "paid", "cancelled", "")


class SalesOrdersScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="sorders.open"),
        Binding("f", "filter", N_("Status"), id="sorders.filter"),
        Binding("c", "channel", N_("Channel"), id="sorders.channel"),
        Binding("i", "invoice_shipped", N_("Invoice shipped"), id="sorders.invoice_shipped"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.status, self.channel = "open", ""
        self.numbers: list[str] = []

    def reload(self) -> None:
        rows = orders.orders(status=self.status, channel=self.channel, limit=500)
        self.numbers = [r.number for r in rows]
        self.fill(_("Sales orders"), _("Status: {status} · channel: {channel} · {n} orders")
                  .format(status=_(self.status) if self.status else _("all"),
                          channel=channel_label(self.channel) if self.channel else _("all"),
                          n=len(rows)),
                  [_("Order no."), _("Channel"), _("Status"), _("Buyer"), _("Total"),
                   _("Ordered"), _("Tracking")],
                  [[r.number, channel_label(r.channel), _(r.status), clip(r.customer, 14),
                    right(format_money(r.total)), clock.short(r.ordered_at), r.tracking_no]
                   for r in rows])

    def action_open(self) -> None:
        if self.numbers:
            self.app.push_screen(SalesOrderScreen(self.user, self.numbers[self.row()]))

    def action_invoice_shipped(self) -> None:
        """Every shipped order of the channel shown (or all): an online shop's day in one key."""
        done: list[str] = []
        if self.attempt(lambda: done.extend(orders.invoice_shipped(self.user, self.channel))):
            self.reload()
            self.say(_("{n} orders invoiced").format(n=len(done)))

    def action_filter(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1)
                                     % len(STATUS_FILTERS)]
        self.reload()

    def action_channel(self) -> None:
        known = ["", *orders.channels()]
        self.channel = known[(known.index(self.channel) + 1) % len(known)] \
            if self.channel in known else ""
        self.reload()


class SalesOrderScreen(DocScreen):
    BINDINGS = [
        Binding("f2", "confirm", N_("Confirm"), id="sorder.confirm"),
        Binding("p", "pick", N_("Picked"), id="sorder.pick"),
        Binding("f5", "ship", N_("Ship"), id="sorder.ship"),
        Binding("f6", "invoice", N_("Invoice"), id="sorder.invoice"),
        Binding("f8", "cancel_order", NC_("sales order", "Cancel order"), id="sorder.cancel"),
        Binding("h", "history", N_("History"), id="sorder.history"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, number: str) -> None:
        super().__init__()
        self.user, self.number = user, number
        self.show_history = False

    def reload(self) -> None:
        v = orders.view(self.number)
        head = _("{number} · {channel} {external} · {status} · {customer}").format(
            number=v.number, channel=channel_label(v.channel), external=v.external_id, status=_(v.status),
            customer=v.customer_name or v.buyer)
        status = _("Total {total} · paid {paid}").format(total=format_money(v.total),
                                                        paid=format_money(v.paid))
        if v.tracking_no:
            status += f" · {v.carrier} {v.tracking_no}"
        if self.show_history:
            self.fill(head, status, [_("When"), _("Status"), _("By"), _("Note")],
                      [[clock.short(e.at), _(e.status), e.user, clip(e.note, 40)] for e in v.events])
            return
        self.fill(head, status, [_("SKU"), _("Name"), _("Qty"), _("Price"), _("Amount"),
                                 _("Shipped")],
                  [[ln.sku if ln.mapped else f"? {ln.sku}", clip(ln.name, 20), qty_text(ln.qty),
                    right(f"{ln.unit_price:.2f}"), right(format_money(ln.amount)),
                    qty_text(ln.shipped)] for ln in v.lines])

    def _step(self, act: Any) -> None:
        if self.attempt(lambda: act(self.user, self.number)):
            self.reload()
            self.say(_("{number} is {status}.").format(number=self.number,
                                                       status=_(orders.view(self.number)
                                                                .status)))

    def action_confirm(self) -> None:
        self._step(orders.confirm)

    def action_pick(self) -> None:
        self._step(orders.pick)

    def action_invoice(self) -> None:
        self._step(orders.invoice)

    def action_history(self) -> None:
        self.show_history = not self.show_history
        self.reload()

    def action_ship(self) -> None:
        def given(text: str | None) -> None:
            if text is None:
                return
            carrier, _sep, tracking = text.strip().rpartition(" ")
            self._step(lambda user, number: orders.ship(user, number, carrier=carrier,
                                                        tracking_no=tracking))

        self.ask(TextDialog(_("Carrier and tracking number (e.g. 顺丰 SF1234567890)")), given)

    def action_cancel_order(self) -> None:
        def given(reason: str | None) -> None:
            if reason:
                self._step(lambda user, number: orders.cancel(user, number, reason))

        self.ask(TextDialog(_("Why cancel {number}?").format(number=self.number)), given)
