"""Goods sent back to a supplier (退货) from the bills screen: the receipt or bill, how many of
each product go back, why, and whether the supplier owes it back (a debit note against their
bills) or pays it back now into cash, the bank or WeChat/Alipay."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual.binding import Binding

from store.books import ledger
from store.buying import supplier_returns
from store.core.i18n import N_, NC_, _
from store.core.money import QTY_PLACES, ZERO, format_money, format_qty, round_money
from store.security.auth import SessionUser
from tui.dialogs.inputs import AmountDialog, TextDialog
from tui.screens.stockdoc import clip, qty_text, right

from .purchasing import DocScreen

# Where the money comes back: "" is a debit note set against the supplier's bills.
REFUND_TO = (("", N_("debit note")), (ledger.BANK, N_("Bank")), (ledger.CASH, N_("Cash")),
             (ledger.OTHER_FUNDS, N_("WeChat/Alipay")))


@dataclass
class Going:
    line: supplier_returns.Returnable
    qty: Decimal = ZERO


class ReturnGoodsScreen(DocScreen):
    BINDINGS = [
        Binding("f4", "qty", N_("Qty"), id="rtv.qty"),
        Binding("f6", "refund", NC_("supplier return", "Money back"), id="rtv.refund"),
        Binding("f12", "post", N_("Post"), id="rtv.post"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, document: str) -> None:
        super().__init__()
        self.user = user
        self.document = document
        self.going = [Going(r) for r in supplier_returns.returnable(document)]
        self.refund = 0
        self.armed = False

    def reload(self) -> None:
        rows = [[g.line.sku, clip(g.line.name, 14), qty_text(g.line.qty),
                 qty_text(g.line.not_billed), right(f"{g.line.price:.2f}"),
                 qty_text(g.qty if g.qty else None),
                 right(format_money(round_money(g.qty * g.line.price)) if g.qty else "")]
                for g in self.going]
        self.fill(_("Goods back to the supplier from {document}").format(
            document=self.document),
            _("{n} units going back · money back: {how} · F4 qty · F12 post").format(
                n=format_qty(sum((g.qty for g in self.going), ZERO)),
                how=_(REFUND_TO[self.refund][1])),
            [_("SKU"), _("Name"), _("Can go back"), _("Not billed"), _("Credited at"),
             _("Going back"), _("Amount")], rows)
        if not rows:
            self.say(_("Nothing of {document} can go back: all of it went back already")
                     .format(document=self.document))

    def action_qty(self) -> None:
        i = self.row()
        if not 0 <= i < len(self.going):
            return
        g = self.going[i]

        def given(v: Decimal | None) -> None:
            if v is not None and v > g.line.qty:
                self.app.bell()
                self.say(_("Only {qty} of {sku} can go back").format(
                    qty=format_qty(g.line.qty), sku=g.line.sku))
            elif v is not None:
                g.qty = v
                self.armed = False
                self.reload()

        self.ask(AmountDialog(_("Units of {sku} going back (at most {qty})").format(
            sku=g.line.sku, qty=format_qty(g.line.qty)), value=f"{g.qty}", places=QTY_PLACES),
            given)

    def action_refund(self) -> None:
        self.refund = (self.refund + 1) % len(REFUND_TO)
        self.armed = False
        self.reload()

    def action_post(self) -> None:
        items = [(g.line.sku, g.qty) for g in self.going if g.qty]
        if not items:
            self.app.bell()
            self.say(_("F4 sets how many of a product go back"))
            return
        self.ask(TextDialog(_("Why do the goods go back? (damaged, expired, wrong goods …)")),
                 lambda reason: self._post(items, reason))

    def _post(self, items: list[tuple[str, Decimal]], reason: str | None) -> None:
        if not reason:
            return
        made: list[supplier_returns.ReturnView] = []
        if self.attempt(lambda: made.append(supplier_returns.post_return(
                self.user, self.document, items, reason=reason,
                refund_account=REFUND_TO[self.refund][0]))):
            v = made[0]
            self.app.notify(_("{number}: stock out {value}, {credit} back from {supplier}")
                            .format(number=v.number, value=format_money(v.value),
                                    credit=format_money(v.credit + v.grni),
                                    supplier=v.supplier_code), timeout=8)
            self.app.pop_screen()


def ask_document(screen: DocScreen, user: SessionUser, default: str) -> None:
    """Which receipt or bill the goods came on (the selected bill, filled in)."""

    def given(number: str | None) -> None:
        if number and screen.attempt(lambda: supplier_returns.returnable(number)):
            screen.app.push_screen(ReturnGoodsScreen(user, number.strip()))

    screen.ask(TextDialog(_("Goods back from which receipt (GR-…) or bill (BILL-…)?"),
                          value=default), given)
