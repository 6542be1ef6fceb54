"""The till: scan or type, see the basket and the total, take payment. Thin: the basket and
the sale are the store's; this screen turns keys into calls and results into rows."""

from __future__ import annotations

from decimal import Decimal

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from devices.display import PoleDisplay
from devices.errors import DeviceError
from store import (
    customers,
    drawer,
    org,
    overrides,
    parking,
    pricing,
    promotions,
    quick_add,
    returns,
    sales,
    scale,
    search,
    voids,
)
from store.auth import SessionUser
from store.barcodes import is_in_store
from store.basket import Basket, parse_entry
from store.errors import PermissionDenied, StoreError
from store.i18n import N_, _, current_language
from store.money import QTY_PLACES, format_money, format_qty
from store.org import TenderType
from store.pricing import NO_RULES
from store.sales import PaymentInput, SaleView

from ..bindings import TranslatedBindings
from ..cashcount import CashCount, CashCountDialog
from ..dialogs import (
    AmountDialog,
    DiscountDialog,
    KeysDialog,
    ListPicker,
    ProductPicker,
    TextDialog,
    parked_picker,
)
from ..guard import GuardedActions, guarded, storage_problem
from ..new_product import NewProduct, NewProductDialog
from ..override import OverrideDialog
from ..printing import device_message
from ..receipts import queue_receipt, queue_shift_report, reprint
from ..scanning import BarcodeScanned
from ..widgets.cart import CartView, format_row
from ..widgets.scan_input import ScanInput
from .returns import ReturnPick, ReturnScreen
from .tender import TenderScreen


class TillScreen(GuardedActions, TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    TillScreen #till-status { height: 1; width: 100%; color: $text-muted; }
    TillScreen #scan { margin: 0; }
    TillScreen #cart { height: 1fr; }
    TillScreen #cart-header { height: 1; text-style: bold; }
    TillScreen #totals { height: 1; }
    TillScreen #counts { width: 1fr; }
    TillScreen #total { width: 1fr; content-align: right middle; text-style: bold; }
    TillScreen #till-message { height: 1; width: 100%; color: $warning; text-style: bold; }
    """
    # The status, totals and message lines have fixed sizes, so updating them repaints the
    # line alone (layout=False): a layout pass of the whole screen cost ~20 ms a scan.
    BINDINGS = [
        Binding("f2", "find", N_("Find"), id="till.find"),
        Binding("shift+f2", "customer", N_("Customer"), id="till.customer", show=False),
        Binding("ctrl+n", "new_product", N_("Add the unknown product"), id="till.new_product",
                show=False),
        Binding("f3", "return_goods", N_("Return"), id="till.return", show=False),
        Binding("f4", "quantity", N_("Qty"), id="till.qty"),
        Binding("f5", "discount", N_("Disc"), id="till.discount"),
        # Priority, so Delete removes a line even while the scan field has focus (which owns
        # Delete for editing); with text in the field, it edits instead.
        Binding("delete", "remove", N_("Remove"), id="till.remove", priority=True),
        Binding("f12", "pay", N_("Pay"), id="till.pay", priority=True),
        Binding("f6", "park", N_("Park"), id="till.park"),
        Binding("f7", "recall", N_("Recall"), id="till.recall"),
        Binding("f1", "keys", N_("Keys"), id="till.keys"),
        # Listed by F1: the footer has room for the keys a cashier uses every minute.
        Binding("shift+f5", "sale_discount", N_("Discount the whole sale"),
                id="till.sale_discount", show=False),
        Binding("shift+f4", "price", N_("Override the price"), id="till.price", show=False),
        Binding("shift+f9", "no_sale", N_("Open the drawer (no sale)"), id="till.no_sale",
                show=False),
        Binding("f8", "cancel_sale", N_("Cancel sale"), id="till.cancel", show=False),
        Binding("f9", "reprint", N_("Reprint"), id="till.reprint", show=False),
        Binding("f11", "x_report", N_("X report"), id="till.x", show=False),
        Binding("f10", "close_shift", N_("Close shift"), id="till.close", show=False),
        Binding("up", "cursor(-1)", show=False, priority=True),
        Binding("down", "cursor(1)", show=False, priority=True),
        Binding("escape", "leave", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.basket = self._empty_basket(org.settings().prices_include_tax)
        self.shift: sales.ShiftInfo | None = None
        self.paying = False
        self.payments: list[PaymentInput] = []  # the last tendered, kept for a retry
        self.unknown_code: str | None = None  # the last code not found, for Ctrl+N
        self.tenders: list[TenderType] = []  # read once: paying needs no database
        self.cash_step: Decimal | None = None
        self.selected: int | None = None  # the line Delete and F4 act on (the last scanned)

    @property
    def terminal(self) -> str:
        return str(self.app.config.terminal.code)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="till-status")
        yield ScanInput(placeholder=_("scan or type a barcode / SKU; 3* then a scan sells 3"),
                        id="scan", compact=True)
        # A line-cached view, not a DataTable: a scan renders one line (docs/BENCHMARKS.md).
        yield Static(format_row(("#", _("Name"), _("Qty"), _("Price"), _("Amount"))),
                     id="cart-header")
        yield CartView(id="cart")
        with Horizontal(id="totals"):
            yield Static(id="counts")
            yield Static(id="total")
        # Not the "error" variant: its background would paint the whole (fixed-width) line.
        yield Label("", id="till-message")
        yield Footer()

    @guarded
    def on_mount(self) -> None:
        self.tenders = org.tender_types()
        self.cash_step = org.settings().cash_rounding
        self.shift = sales.current_shift(self.terminal)
        if sales.stale_shift(self.terminal):
            self._say(_("This shift is from an earlier day: a supervisor must close it (F10)"))
        elif self.shift is None:
            self.ask(CashCountDialog(_("Open the shift: count the opening float")),
                                 self._opened)
        self._refresh()
        self.query_one("#scan", Input).focus()

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
        self._refresh()

    # -- entering items -------------------------------------------------------------------
    @on(Input.Submitted, "#scan")
    @guarded
    def _entered(self, event: Input.Submitted) -> None:
        event.input.value = ""
        if event.value.strip():
            self.enter(event.value)

    @guarded
    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        scan = self.query_one("#scan", Input)
        if message.source == "wedge" and self.focused is scan:
            return  # the scan input's own Enter already took it
        scan.value = ""
        self.enter(message.code)

    def enter(self, text: str) -> None:
        """One scan or typed entry: '6901234567892', 'P0000001', '3*6901234567892'."""
        if returns.looks_like_receipt(text):
            self.start_return(text.strip())
            return
        try:
            qty, code = parse_entry(text)
            label = scale.decode(code) if qty is None and is_in_store(code) else None
            if label is not None:
                self._add_scale_label(code, label)
                return
            hit = search.lookup_code(code)
            if hit is None or not hit.active:
                self.app.bell()
                self.unknown_code = code if hit is None else None
                self._say(_("Unknown code '{code}': F2 to search, Ctrl+N to add it").format(
                    code=code) if hit is None else
                    _("Unknown code '{code}': F2 to search").format(code=code))
                return
            if hit.sold_by_weight and qty is None:
                self._say(_("{name} is sold by weight: type the weight, then * and the code")
                          .format(name=hit.name))
                return
            index = self.basket.add(hit, qty)
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return
        except Exception as exc:  # the database went away: the basket stays as it is
            self._say(_("Cannot look up '{code}': {reason}").format(code=text, reason=exc))
            return
        self._say("")
        self._refresh(select=index, changed=index)

    def _add_scale_label(self, code: str, label: scale.ScaleRead) -> None:
        hit = search.lookup_code(label.plu)
        if hit is None or not hit.active:
            self.app.bell()
            self._say(_("Scale label {code}: no product with code {plu}").format(
                code=code, plu=label.plu))
            return
        index = self.basket.add_scale_label(hit, label)
        self._say("")
        self._refresh(select=index, changed=index)

    def action_find(self) -> None:
        def picked(hit) -> None:  # type: ignore[no-untyped-def]
            if hit is not None:
                self.enter(hit.barcode or hit.sku)

        self.ask(ProductPicker(), picked)

    def action_quantity(self) -> None:
        index = self._selected()
        if index is None:
            return
        line = self.basket.lines[index]

        def changed(qty: Decimal | None) -> None:
            if qty is None:
                return
            try:
                self.basket.set_qty(index, qty)
            except StoreError as err:
                self._say(str(err))
                return
            self._refresh(select=index, changed=index)

        self.ask(AmountDialog(_("Quantity of {name}").format(name=line.product.name),
                                          value=format_qty(line.qty), places=QTY_PLACES,
                                          allow_zero=False), changed)

    def action_remove(self) -> None:
        if self.query_one("#scan", Input).value:
            raise SkipAction
        index = self._selected()
        if index is not None:
            self._void(index, None)

    def _void(self, index: int, approval_id: int | None) -> None:
        """Take the line out, recorded (a void); beyond the role, a supervisor approves."""
        line = self.basket.lines[index]
        try:
            voids.void_line(self.user, terminal=self.terminal, basket=self.basket.uuid,
                            sku=line.product.sku, qty=line.qty, amount=line.amount,
                            approval_id=approval_id)
        except PermissionDenied as err:
            self._say(str(err))
            self.ask(OverrideDialog(err.permission, self.user, terminal=self.terminal),
                     lambda a: self._void(index, a) if a is not None else None)
            return
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return
        self.basket.remove(index)
        self._refresh(select=max(0, index - 1))

    def action_cursor(self, step: int) -> None:
        if self.selected is not None and self.basket.lines:
            self._select(min(max(self.selected + step, 0), len(self.basket.lines) - 1))

    def action_leave(self) -> None:
        if self.basket:
            self._say(_("Finish or empty the basket before leaving the till"))
            return
        self.app.pop_screen()

    # -- paying -----------------------------------------------------------------------------
    def action_pay(self) -> None:
        if not self.basket or self.paying:
            return
        if self.basket.total == 0:  # an even exchange: nothing to pay or give back
            self._tendered([])
            return
        self.ask(TenderScreen(self.basket.total, self.tenders, self.cash_step), self._tendered)

    def _tendered(self, payments: list[PaymentInput] | None) -> None:
        if payments is not None:
            self.payments = payments
            self.paying = True
            self._say(_("Completing the sale…"))
            self.complete(self.basket, payments)

    @work(thread=True, exit_on_error=False, group="sale")
    def complete(self, basket: Basket, payments: list[PaymentInput]) -> None:
        try:
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
            queue_receipt(sale, self.terminal)
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

        def approved(approval_id: int | None) -> None:
            if approval_id is None:
                return
            if err.permission in ("refund", "refund_to_cash", "credit_limit"):
                self.basket.approvals[err.permission] = approval_id
            else:  # a line's price or discount beyond the cashier's limit
                for line in self.basket.lines:
                    if line.note and line.approval_id is None and line.return_of is None:
                        line.approval_id = approval_id
            self._tendered(self.payments)

        self.ask(OverrideDialog(err.permission, self.user, terminal=self.terminal),
                             approved)

    def _completed(self, sale: SaleView) -> None:
        self.paying = False
        self.app.wake_printer()  # type: ignore[attr-defined]
        self._new_basket()
        message = _("Sale {number} done").format(number=sale.number)
        if sale.change:
            message += "  " + _("Change {amount}").format(amount=format_money(sale.change))
        self._say(message)

    # -- park, recall, cancel ---------------------------------------------------------------
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

    def action_recall(self) -> None:
        if self.basket:
            self._say(_("Finish or park this basket first"))
            return
        rows = parking.parked()
        if not rows:
            self._say(_("No parked baskets"))
            return

        def chosen(uuid) -> None:  # type: ignore[no-untyped-def]
            if uuid is None:
                return
            try:
                basket = parking.recall(uuid, prices_include_tax=self.basket.prices_include_tax)
                fresh = self._empty_basket(basket.prices_include_tax)
                basket.merge_same, basket.max_qty = fresh.merge_same, fresh.max_qty
                self.basket = basket
            except StoreError as err:
                self._say(str(err))
                return
            self._say("")
            self._refresh(select=0)

        self.ask(parked_picker(rows), chosen)

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

    def action_keys(self) -> None:
        rows = []
        # The screen's keys as they are now: after the shop's [keys] remapping.
        for active in self.active_bindings.values():
            binding = active.binding
            if active.node is self and binding.description:
                what = f"{binding.description}  [dim]{binding.id or ''}[/]"
                rows.append((self.app.get_key_display(binding), what))
        self.ask(KeysDialog(rows))

    # -- reprint, X and Z ---------------------------------------------------------------------
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

    def action_x_report(self) -> None:
        if self.shift is None:
            return
        queue_shift_report(sales.shift_totals(self.shift.id), self.terminal)
        self.app.wake_printer()  # type: ignore[attr-defined]
        self._say(_("X report printing"))

    def action_close_shift(self) -> None:
        if self.shift is None:
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
                self.ask(
                    OverrideDialog(err.permission, self.user, terminal=self.terminal),
                    lambda a: counted(count, a) if a is not None else None)
                return
            except StoreError as err:
                self._say(str(err))
                return
            queue_shift_report(z, self.terminal)
            self.app.wake_printer()  # type: ignore[attr-defined]
            self.app.notify(_("Shift closed: expected {expected}, counted {counted}, "
                              "over/short {diff}").format(
                expected=format_money(z.expected_cash),
                counted=format_money(z.counted_cash or Decimal(0)),
                diff=f"{z.over_short or 0:+.2f}"), timeout=10)
            self.app.pop_screen()

        self.ask(CashCountDialog(_("Close the shift: count the cash in the drawer")),
                             counted)

    # -- discounts, price overrides, the drawer ---------------------------------------------
    def _approve(self, permission: str | None, then, *, what: str = "",  # type: ignore[no-untyped-def]
                 reason: str = "", discount_pct: Decimal | None = None) -> None:
        """Run `then(approval_id)`: at once when the cashier's role allows it, else after a
        supervisor's approval (nothing happens if they cancel)."""
        if permission is None:
            then(None)
            return
        self.ask(OverrideDialog(permission, self.user, terminal=self.terminal,
                                            what=what, reason=reason,
                                            discount_pct=discount_pct),
                             lambda a: then(a) if a is not None else None)

    def _apply(self, change, index: int | None = None) -> bool:  # type: ignore[no-untyped-def]
        try:
            change()
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return False
        self._say("")
        self._refresh(select=index if index is not None else self.selected,
                      changed=index)
        return True

    def _ask_reason(self, title: str, then) -> None:  # type: ignore[no-untyped-def]
        self.ask(TextDialog(title), lambda r: then(r) if r else None)

    def action_discount(self, whole_sale: bool = False) -> None:
        index = self._selected()
        if index is None or (self.basket.total <= 0 and whole_sale):
            return
        base = (sum((ln.amount for ln in self.basket.lines if ln.return_of is None), Decimal(0))
                if whole_sale else self.basket.lines[index].gross)
        title = (_("Discount the whole sale: 10% or an amount") if whole_sale else
                 _("Discount {name}: 10% or an amount").format(
                     name=self.basket.lines[index].product.name))

        def entered(value: tuple[Decimal | None, Decimal | None] | None) -> None:
            if value is None:
                return
            amount, percent = value
            pct = percent if percent is not None else (
                amount * 100 / base if base else Decimal(0))  # type: ignore[operator]

            def with_reason(reason: str) -> None:
                def apply(approval_id: int | None) -> None:
                    if whole_sale:
                        self._apply(lambda: self.basket.discount_sale(
                            amount=amount, percent=percent, reason=reason,
                            approval_id=approval_id))
                    else:
                        self._apply(lambda: self.basket.discount_line(
                            index, amount=amount, percent=percent, reason=reason,
                            approval_id=approval_id), index)

                off = (amount if amount is not None else
                       base * percent / 100)  # type: ignore[operator]
                self._approve(overrides.discount_needs(self.user, pct), apply,
                              what=_("{name}: {before} → {after}").format(
                                  name=_("the whole sale") if whole_sale else
                                  self.basket.lines[index].product.name,
                                  before=f"{base:.2f}", after=f"{base - off:.2f}"),
                              reason=reason, discount_pct=pct)

            self._ask_reason(_("Why? (the reason is recorded)"), with_reason)

        self.ask(DiscountDialog(title), entered)

    def action_sale_discount(self) -> None:
        self.action_discount(whole_sale=True)

    def action_price(self) -> None:
        index = self._selected()
        if index is None:
            return
        line = self.basket.lines[index]

        def entered(price: Decimal | None) -> None:
            if price is None:
                return

            def with_reason(reason: str) -> None:
                self._approve(
                    overrides.price_needs(self.user, line.product.id, price),
                    lambda a: self._apply(lambda: self.basket.override_price(
                        index, price, reason=reason, approval_id=a), index),
                    what=_("{name}: {before} → {after}").format(
                        name=line.product.name, before=line.original_price, after=price),
                    reason=reason)

            self._ask_reason(_("Why? (the reason is recorded)"), with_reason)

        self.ask(AmountDialog(_("New price of {name}").format(
            name=line.product.name), value=f"{line.unit_price:.2f}"), entered)

    def action_no_sale(self) -> None:
        def with_reason(reason: str, approval_id: int | None = None) -> None:
            try:
                drawer.no_sale(self.user, terminal=self.terminal, reason=reason,
                               approval_id=approval_id)
            except PermissionDenied as err:
                self.ask(
                    OverrideDialog(err.permission, self.user, terminal=self.terminal,
                                   reason=reason),
                    lambda a: with_reason(reason, a) if a is not None else None)
                return
            except StoreError as err:
                self._say(str(err))
                return
            self.app.wake_printer()  # type: ignore[attr-defined]
            self._say(_("Drawer opened (recorded)"))

        self._ask_reason(_("Open the drawer: the reason"), with_reason)

    # -- a product the shop does not know yet ------------------------------------------------
    def action_new_product(self) -> None:
        code = self.unknown_code
        if not code:
            self._say(_("Scan the unknown barcode first"))
            return

        def entered(new: NewProduct | None) -> None:
            if new is None:
                return

            def add(approval_id: int | None) -> None:
                try:
                    quick_add.add_product(self.user, code, new.name, new.price, new.tax_rate,
                                          terminal=self.terminal, approval_id=approval_id)
                except PermissionDenied as err:
                    self.ask(OverrideDialog(err.permission, self.user, terminal=self.terminal,
                                            what=f"{code} {new.name} {new.price:.2f}"),
                             lambda a: add(a) if a is not None else None)
                    return
                except StoreError as err:
                    self.app.bell()
                    self._say(str(err))
                    return
                self.unknown_code = None
                self.enter(code)

            add(None)

        self.ask(NewProductDialog(code), entered)

    # -- the customer -----------------------------------------------------------------------
    def action_customer(self) -> None:
        if self.basket.customer is not None:  # the same key takes them off again
            self._set_customer(None)
            return

        def found(text: str) -> None:
            matches = customers.find(text)
            if not matches:
                self.app.bell()
                self._say(_("No customer matches '{text}'").format(text=text))
            elif len(matches) == 1:
                self._set_customer(matches[0])
            else:
                self.ask(ListPicker(_("Customers — Enter attaches"),
                                    [_("Member no."), _("Name"), _("Phone")],
                                    [(c.code, c.name, c.phone_hint) for c in matches],
                                    list(matches)),
                         lambda c: self._set_customer(c) if c is not None else None)

        self._ask_reason(_("Customer: phone, member number or name"), found)

    def _set_customer(self, who: customers.CustomerView | None) -> None:
        self.basket.attach(who, pricing.rules_for(who.price_list_id) if who else NO_RULES)
        self._refresh(select=self.selected)
        self._say(_("Customer {name}: their prices apply").format(name=who.label) if who
                  else _("Customer removed: shelf prices apply"))

    # -- returns ---------------------------------------------------------------------------
    def action_return_goods(self) -> None:
        self.ask(TextDialog(_("Return: scan the receipt or type its number")),
                             lambda n: self.start_return(n) if n else None)

    def start_return(self, number: str) -> None:
        try:
            receipt = returns.returnable(number)
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return

        def picked(picks: list[ReturnPick] | None) -> None:
            if not picks:
                return
            index = None
            for pick in picks:
                try:
                    index = returns.add_return(self.basket, receipt, pick.line_id, pick.qty,
                                               restock=pick.restock)
                except StoreError as err:
                    self._say(str(err))
                    break
            self._refresh(select=index)
            if index is not None:
                self._say(_("Returning from {number}: scan more to exchange, F12 to refund")
                          .format(number=receipt.number))

        self.ask(ReturnScreen(receipt), picked)

    def _empty_basket(self, prices_include_tax: bool) -> Basket:
        till = self.app.config.till  # type: ignore[attr-defined]
        running, rule = promotions.for_basket()
        return Basket(prices_include_tax=prices_include_tax, merge_same=till.merge_same,
                      max_qty=Decimal(till.max_qty), promotions=running, promotion_rule=rule)

    def _new_basket(self) -> None:
        self.basket = self._empty_basket(self.basket.prices_include_tax)
        self._refresh()

    # -- display --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="pole-display")
    def show_on_display(self, url: str, name: str, amount: str, total: str) -> None:
        """The customer's pole display: the last item and the total."""
        try:
            PoleDisplay(url).show_item(name, amount, _("TOTAL"), total)
        except DeviceError as err:  # a missing display must never disturb the sale
            self.app.call_from_thread(self.app.notify, device_message(err), severity="warning")

    def _say(self, text: str) -> None:
        self.query_one("#till-message", Label).update(text, layout=False)

    def database_fault(self, message: str) -> None:
        self._say(message)  # the basket stays as it is

    def _selected(self) -> int | None:
        return self.selected if self.basket.lines else None

    def _mark(self, i: int) -> str:
        return f"▶{i + 1}" if i == self.selected else str(i + 1)

    def _select(self, index: int | None) -> None:
        """Move the ▶ mark: two lines change, the rest stay cached."""
        cart = self.query_one("#cart", CartView)
        old, self.selected = self.selected, index
        for i in {old, index}:
            if i is not None and i < cart.row_count:
                cart.update(i, self._row(i))
        if index is not None and index < cart.row_count:
            cart.show(index)

    def _row(self, i: int) -> tuple[str, str, str, str, str]:
        ln = self.basket.lines[i]
        en = current_language() == "en"
        name = ln.product.name_en if en and ln.product.name_en else ln.product.name
        if ln.return_of is not None:
            name = "↩ " + name
        elif ln.discount or ln.list_price is not None:
            name = "% " + name
        elif ln.promos:  # a promotion: its name shows on the status line and the receipt
            name = "★ " + name
        return (self._mark(i), name, format_qty(ln.qty), f"{ln.unit_price:.2f}",
                f"{ln.amount:.2f}")

    def _refresh(self, select: int | None = None, changed: int | None = None) -> None:
        """Show the basket. A scan changes one line (`changed`): only that row is touched,
        so a 100-line basket costs the same per scan as an empty one (bench_till.py)."""
        cart = self.query_one("#cart", CartView)
        lines = len(self.basket.lines)
        # A scan can change what a promotion takes off other lines (the third of "3 for 10"):
        # then every row is redrawn, else only the changed one.
        sig = tuple(ln.promo_off for ln in self.basket.lines)
        old, self._promo_sig = getattr(self, "_promo_sig", ()), sig
        if changed is not None and any(
                i != changed and (old[i] if i < len(old) else None) != sig[i]
                for i in range(lines)):
            changed = None
        if changed is not None and changed == cart.row_count == lines - 1:
            cart.append(self._row(changed))
        elif changed is not None and cart.row_count == lines:
            cart.update(changed, self._row(changed))
        else:
            if select is None or not lines:
                self.selected = None
            cart.set_rows([self._row(i) for i in range(lines)])
        if select is not None and cart.row_count:
            self._select(min(select, cart.row_count - 1))
            promos = self.basket.lines[min(select, lines - 1)].promos
            if promos:
                self._say("★ " + "; ".join(f"{p.name} −{p.amount:.2f}" for p in promos))
        elif not lines:
            self.selected = None
        self.query_one("#counts", Static).update(
            _("Items {items}   Tax {tax}").format(items=format_qty(self.basket.items),
                                                  tax=f"{self.basket.tax:.2f}"), layout=False)
        self.query_one("#total", Static).update(
            _("TOTAL {total}").format(total=format_money(self.basket.total)), layout=False)
        display = self.app.config.display.url  # type: ignore[attr-defined]
        if display and self.basket.lines:
            last = self.basket.lines[select if select is not None else -1]
            self.show_on_display(display, last.product.name, f"{last.amount:.2f}",
                                 f"{self.basket.total:.2f}")
        shift = (_("Shift #{number}").format(number=self.shift.number) if self.shift
                 else _("No shift open"))
        who = f" · {self.basket.customer.label}" if self.basket.customer else ""
        self.query_one("#till-status", Label).update(
            f"{self.user.display_name} · {self.terminal} · {shift}{who}", layout=False)
