"""Receiving, transfer and count screens: the scan-first document screen with their store
calls. Lines are highlighted: short (yellow), over (red) and not ordered (magenta)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.binding import Binding

from store.buying import receiving
from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.core.money import format_money, format_qty
from store.stock import counts, transfers

from ..dialogs.inputs import AmountDialog, LotDialog
from .stockdoc import Row, ScanDocumentScreen, clip, qty_text, right

STATE_STYLES = {"ok": "green", "short": "yellow", "over": "bold red", "extra": "magenta"}


def _state_text(line: receiving.ReceiptLine) -> Text:
    if line.tracks_lots and line.qty:
        have = sum((q for _n, _d, q in line.lots), Decimal(0))
        if have != line.qty:  # F6 (or a GS1 label's scan) before confirming
            return Text(_("lots {have}/{qty}").format(have=format_qty(have),
                                                      qty=format_qty(line.qty)), style="yellow")
    label = {"ok": _("complete"), "extra": _("not ordered"),
             "short": _("short {qty}"), "over": _("over {qty}")}[line.state]
    got = line.before + line.qty
    diff = abs((line.ordered or Decimal(0)) - got)
    return Text(label.format(qty=format_qty(diff)), style=STATE_STYLES[line.state])


class ReceivingScreen(ScanDocumentScreen):
    where = "receiving"
    BINDINGS = [Binding("f5", "cost", N_("Cost"), id="receive.cost"),
                 Binding("f6", "lot", N_("Lot"), id="receive.lot")]
    columns = (N_("SKU"), N_("Name"), N_("Ordered"), N_("Received"), N_("This"), N_("Cost"),
               N_("State"))

    def scan(self, code: str, qty: Decimal) -> str:
        line = receiving.scan(self.user, self.number, code, qty)
        self.reload(select=line.sku)
        said = _("{name}: {qty} on this receipt").format(name=line.name,
                                                         qty=format_qty(line.qty))
        if line.tracks_lots:
            said += " · " + _("lots: {lots}").format(lots=", ".join(
                f"{n} {d or '-'} ×{format_qty(q)}" for n, d, q in line.lots) or "-")
        return said

    def set_qty(self, sku: str, qty: Decimal) -> None:
        receiving.set_line(self.user, self.number, sku, qty)

    def action_cost(self) -> None:
        """The supplier's price for the selected line differs from the order's or the last."""
        sku = self.selected_sku()
        if sku is None or not self.editable:
            self.app.bell()
            return
        line = next(ln for ln in receiving.view(self.number).lines if ln.sku == sku)
        if not line.qty:
            self.app.bell()
            self.say(_("Scan {sku} first, then set its cost").format(sku=sku))
            return

        def changed(cost: Decimal | None) -> None:
            if cost is None:
                return
            try:
                receiving.set_line(self.user, self.number, sku, line.qty, cost)
            except StoreError as err:
                self.app.bell()
                self.say(str(err))
                return
            self.reload(select=sku)
            self.say(_("{sku}: unit cost {cost}").format(sku=sku, cost=cost))

        self.ask(AmountDialog(_("Unit cost for {sku}").format(sku=sku),
                              value=f"{line.unit_cost:.2f}", places=4), changed)

    def action_lot(self) -> None:
        """The selected line's lot typed from the label: number, expiry date and how many."""
        sku = self.selected_sku()
        if sku is None or not self.editable:
            self.app.bell()
            return

        def given(parts: tuple[str, str, str] | None) -> None:
            if parts is None:
                return
            try:
                receiving.set_lot(self.user, self.number, sku, *parts)
            except StoreError as err:
                self.app.bell()
                self.say(str(err))
                return
            self.reload(select=sku)
            self.say(_("{sku}: lot {lot}, {qty}").format(sku=sku, lot=parts[0].upper(),
                                                         qty=parts[2]))

        self.ask(LotDialog(_("Lot of {sku}: LOT EXPIRY QTY (2027-12-31; no date: LOT QTY)")
                           .format(sku=sku)), given)

    def rows(self) -> tuple[str, list[tuple[str, Row]], str]:
        v = receiving.view(self.number)
        self.editable = v.status == "draft"
        status = _("Receiving {number} into {warehouse}").format(number=v.number,
                                                                 warehouse=v.warehouse_code)
        if v.order_number:
            status += " · " + _("order {number}").format(number=v.order_number)
        if v.supplier_code:
            status += " · " + v.supplier_code
        rows: list[tuple[str, Row]] = [
            (ln.sku, (ln.sku, clip(ln.name, 18), qty_text(ln.ordered), qty_text(ln.before),
                      qty_text(ln.qty), right(f"{ln.unit_cost:.2f}"), _state_text(ln)))
            for ln in v.lines]
        total = _("Items {qty} · Value {value}").format(qty=format_qty(v.total_qty),
                                                        value=format_money(v.value))
        return status, rows, total

    def confirm(self, approval_id: int | None = None) -> str | None:
        v = receiving.post(self.user, self.number, approval_id=approval_id)
        return _("{number} received: {qty} items, value {value}").format(
            number=v.number, qty=format_qty(v.total_qty), value=format_money(v.value))

    def cancel_document(self) -> None:
        receiving.cancel(self.user, self.number)


class TransferScreen(ScanDocumentScreen):
    where = "transfer"
    columns = (N_("SKU"), N_("Name"), N_("Qty"))

    def scan(self, code: str, qty: Decimal) -> str:
        line = transfers.scan(self.user, self.number, code, qty)
        self.reload(select=line.sku)
        return _("{name}: {qty} to move").format(name=line.name, qty=format_qty(line.qty))

    def set_qty(self, sku: str, qty: Decimal) -> None:
        transfers.set_line(self.user, self.number, sku, qty)

    def rows(self) -> tuple[str, list[tuple[str, Row]], str]:
        v = transfers.view(self.number)
        self.editable = v.status == "draft"
        if v.status == "in_transit":
            status = _("Transfer {number} {source} → {destination}: in transit, F12 receives "
                       "it").format(number=v.number, source=v.source, destination=v.destination)
        else:
            status = _("Transfer {number} {source} → {destination}").format(
                number=v.number, source=v.source, destination=v.destination)
            if v.two_step:
                status += " · " + _("two steps")
        rows: list[tuple[str, Row]] = [(ln.sku, (ln.sku, clip(ln.name, 40), qty_text(ln.qty)))
                                       for ln in v.lines]
        return status, rows, _("Items {qty}").format(qty=format_qty(v.total_qty))

    def confirm(self, approval_id: int | None = None) -> str | None:
        v = transfers.view(self.number)
        if v.status == "in_transit":
            v = transfers.receive(self.user, self.number)
            return _("{number} received at {warehouse}").format(number=v.number,
                                                                 warehouse=v.destination)
        v = transfers.post(self.user, self.number)
        if v.status == "in_transit":
            return _("{number} shipped: {qty} items in transit").format(
                number=v.number, qty=format_qty(v.total_qty))
        return _("{number} done: {qty} items moved to {warehouse}").format(
            number=v.number, qty=format_qty(v.total_qty), warehouse=v.destination)

    can_cancel = False  # set its lines to 0 and leave it, or confirm it

    def cancel_document(self) -> None:
        raise StoreError(_("A transfer is not cancelled: set its lines to 0 and "
                                     "leave it, or confirm it"))


class CountScreen(ScanDocumentScreen):
    """Blind: counters see what they counted, never the book. A supervisor reviews (F9)."""

    where = "count"
    confirm_twice = False  # Done only leaves: the count stays open for the others
    columns = (N_("SKU"), N_("Name"), N_("Counted"), N_("Lots"))
    BINDINGS = [Binding("f9", "review", N_("Review"), id="count.review"),
                Binding("f12", "confirm", N_("Done"), id="doc.confirm")]

    def scan(self, code: str, qty: Decimal) -> str:
        line = counts.scan(self.user, self.number, code, qty)
        self.reload(select=line.sku)
        said = _("{name}: {qty} counted").format(name=line.name,
                                                 qty=format_qty(line.counted or Decimal(0)))
        return said + (" · " + _("lots: {lots}").format(lots=line.lots_text) if line.lots else "")

    def set_qty(self, sku: str, qty: Decimal) -> None:
        counts.recount(self.user, self.number, sku, qty)

    def rows(self) -> tuple[str, list[tuple[str, Row]], str]:
        info = counts.info(self.number)
        self.editable = info.status == "open"
        scope = (_("whole warehouse") if info.scope == "all" else
                 _("category {code}").format(code=info.category) if info.scope == "category"
                 else _("listed products"))
        status = _("Count {number} in {warehouse}: {scope}").format(
            number=info.number, warehouse=info.warehouse, scope=scope)
        lines = counts.counted(self.number)
        rows: list[tuple[str, Row]] = [(ln.sku, (ln.sku, clip(ln.name, 30), qty_text(ln.counted),
                                                 clip(ln.lots_text, 30))) for ln in lines]
        done = sum(1 for ln in lines if ln.counted is not None)
        return status, rows, _("Lines counted {n}").format(n=done)

    def confirm(self, approval_id: int | None = None) -> str | None:
        return _("{number}: your counts are saved").format(number=self.number)

    def cancel_document(self) -> None:
        counts.cancel(self.user, self.number)

    def action_review(self) -> None:
        from .count_review import CountReviewScreen

        try:
            screen = CountReviewScreen(self.user, self.number)
        except StoreError as err:
            self.app.bell()
            self.say(str(err))
            return
        self.app.push_screen(screen)
