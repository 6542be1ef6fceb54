"""The till: scan or type, see the basket and the total, take payment. Thin: the basket and
the sale are the store's; this screen turns keys into calls and results into rows."""

from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Static

from store.catalog import scale, variants
from store.catalog.barcodes import is_in_store
from store.common import clock
from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import N_, NC_, _
from store.core.money import QTY_PLACES, format_money, format_qty
from store.security.auth import SessionUser
from store.selling import returns, sales, voids
from store.selling.basket import parse_entry
from store.selling.sales import PaymentInput
from store.shops import branches, org
from store.shops.org import TenderType
from store.stock import lots

from ...dialogs.cashcount import CashCountDialog
from ...dialogs.inputs import AmountDialog
from ...dialogs.keys import KeysDialog
from ...dialogs.pickers import ListPicker, ProductPicker
from ...guard import guarded
from ...scanning import BarcodeScanned
from ...widgets.cart import CartView, format_row
from ...widgets.change_due import ChangeDue
from ...widgets.scan_input import ScanInput
from .adjustments import Adjustments
from .paying import Paying
from .shift import ShiftKeys
from .view import TillView
from .weighing import Weighing


class TillScreen(Paying, Adjustments, ShiftKeys, Weighing, TillView):
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
        Binding("shift+f6", "fapiao", N_("发票 for the customer"), id="till.fapiao", show=False),
        Binding("f4", "quantity", N_("Qty"), id="till.qty"),
        Binding("f5", "discount", N_("Disc"), id="till.discount"),
        # Priority, so Delete removes a line even while the scan field has focus (which owns
        # Delete for editing); with text in the field, it edits instead.
        Binding("delete", "remove", N_("Remove"), id="till.remove", priority=True),
        Binding("f12", "pay", NC_("till", "Pay"), id="till.pay", priority=True),
        Binding("f6", "park", N_("Park"), id="till.park"),
        Binding("f7", "recall", N_("Recall"), id="till.recall"),
        Binding("f1", "keys", N_("Keys"), id="till.keys"),
        # Listed by F1: the footer has room for the keys a cashier uses every minute.
        Binding("shift+f5", "sale_discount", N_("Discount the whole sale"),
                id="till.sale_discount", show=False),
        Binding("shift+f4", "price", N_("Override the price"), id="till.price", show=False),
        Binding("shift+f9", "no_sale", N_("Open the drawer (no sale)"), id="till.no_sale",
                show=False),
        Binding("shift+f7", "top_up", N_("Top up a stored-value card"), id="till.top_up",
                show=False),
        Binding("f8", "cancel_sale", N_("Cancel sale"), id="till.cancel", show=False),
        Binding("f9", "reprint", N_("Reprint"), id="till.reprint", show=False),
        Binding("f11", "x_report", N_("X report"), id="till.x", show=False),
        Binding("f10", "close_shift", N_("Close shift"), id="till.close", show=False),
        Binding("up", "cursor(-1)", show=False, priority=True),
        Binding("down", "cursor(1)", show=False, priority=True),
        Binding("escape", "leave", N_("Back"), id="back"),
        # Quitting stays on Ctrl+Q (README) but off the till's footer: its room is the sale's.
        Binding("ctrl+q", "app.quit", show=False, priority=True),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.link = self.app.link  # type: ignore[attr-defined]
        # The till's shop and its time zone, read once: its prices, promotions and hours.
        if self.link is not None and not self.link.online:
            copy = self.link.copy
            self.shop_id, self.zone = copy.shop_id(), copy.zone()
            with_tax = copy.settings().prices_include_tax
        else:
            self.shop_id = branches.shop_of(self.terminal)
            self.zone = branches.zone_of(self.terminal)
            with_tax = org.settings().prices_include_tax
        self.basket = self._empty_basket(with_tax)
        self.shift: sales.ShiftInfo | None = None
        self.paying = False
        self.payments: list[PaymentInput] = []  # the last tendered, kept for a retry
        self.unknown_code: str | None = None  # the last code not found, for Ctrl+N
        self.tenders: list[TenderType] = []  # read once: paying needs no database
        self.cash_step: Decimal | None = None
        self.selected: int | None = None  # the line Delete and F4 act on (the last scanned)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="till-status")
        yield ScanInput(placeholder=_("scan or type a barcode / SKU; 3* then a scan sells 3"),
                        id="scan", compact=True)
        # A line-cached view, not a DataTable: a scan renders one line (docs/BENCHMARKS.md).
        yield Static(format_row(("#", _("Name"), _("Qty"), _("Price"), _("Amount"))),
                     id="cart-header")
        yield CartView(id="cart")
        yield ChangeDue(id="change-due")
        with Horizontal(id="totals"):
            yield Static(id="counts")
            yield Static(id="total")
        # Not the "error" variant: its background would paint the whole (fixed-width) line.
        yield Label("", id="till-message")
        yield Footer(compact=True)  # every key the cashier uses each minute fits 80 columns

    @guarded
    def on_mount(self) -> None:
        if self.selling_offline():
            self._mount_offline()
            return
        self.tenders = org.tender_types()
        self.cash_step = org.settings().cash_rounding
        self.shift = sales.current_shift(self.terminal)
        if self.link is not None:  # a till that restarts offline sells in this shift
            self.link.copy.set_shift(self.shift)
        if sales.stale_shift(self.terminal):
            self._say(_("This shift is from an earlier day: a supervisor must close it (F10)"))
        elif self.shift is None:
            self.ask(CashCountDialog(_("Open the shift: count the opening float")),
                                 self._opened)
        self._refresh()
        self.query_one("#scan", Input).focus()

    def _mount_offline(self) -> None:
        """Opened while the database is away: the shift, tenders and rounding the till's copy
        last knew. No shift there: none can open until the database answers."""
        assert self.link is not None
        copy = self.link.copy
        self.tenders, self.cash_step = copy.tenders(), copy.settings().cash_rounding
        self.shift = copy.shift()
        if self.shift is None:
            self._say(_("Offline, and no shift is open on this till: a shift opens when the "
                        "database answers"))
        elif clock.local_date(self.shift.opened_at, self.zone) < clock.local_today(self.zone):
            self.shift = None
            self._say(_("Offline, and this shift is from an earlier day: it closes, and the "
                        "next opens, when the database answers"))
        self._refresh()
        self.query_one("#scan", Input).focus()

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
            code, lot = _gs1(code)
            hit = self.find_product(code)
            if hit is None and lot is not None and code.startswith("0"):
                code = code[1:]  # the unit's EAN-13 inside a GTIN-14
                hit = self.find_product(code)
            if hit is None:  # a style's code: which of its variants?
                styles = (variants.variants_of(code) if self.link is None
                          else self.link.variants_of(code))
                if styles:
                    self._pick_variant(code, qty, styles)
                    return
            if hit is None or not hit.active:
                self.app.bell()
                self.unknown_code = code if hit is None else None
                self._say(_("Unknown code '{code}': F2 to search, Ctrl+N to add it").format(
                    code=code) if hit is None else
                    _("Unknown code '{code}': F2 to search").format(code=code))
                return
            if hit.sold_by_weight and qty is None:
                if self.app.weigher.configured:  # type: ignore[attr-defined]
                    self.weigh(hit)
                else:
                    self._say(_("{name} is sold by weight: type the weight, then * and the "
                                "code").format(name=hit.local_name))
                return
            index = self.basket.add(hit, qty, lot or "")
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return
        except Exception as exc:  # the database went away: the basket stays as it is
            self._say(_("Cannot look up '{code}': {reason}").format(code=text, reason=exc))
            return
        self._say("")
        self._refresh(select=index, changed=index)

    def _pick_variant(self, code: str, qty: Decimal | None,
                      styles: list[variants.VariantView]) -> None:
        on_sale = [v for v in styles if v.active]

        def picked(sku: object) -> None:
            if sku is not None:
                self.enter(f"{qty}*{sku}" if qty is not None else str(sku))

        self.ask(ListPicker(_("{code}: which one?").format(code=code.upper()),
                            [_("SKU"), _("Name"), _("Price"), _("On hand")],
                            [(v.sku, v.name, format_money(v.price),
                              "—" if v.on_hand is None else format_qty(v.on_hand))
                             for v in on_sale], [v.sku for v in on_sale]), picked)

    def _add_scale_label(self, code: str, label: scale.ScaleRead) -> None:
        hit = self.find_product(label.plu)
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

        finder = (None if self.link is None else
                  lambda text, limit: self.link.search(text, limit, self.shop_id))  # type: ignore[union-attr]
        self.ask(ProductPicker(shop=self.shop_id, finder=finder,
                               details=not self.selling_offline()), picked)

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

        self.ask(AmountDialog(_("Quantity of {name}").format(name=line.product.local_name),
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
            if self.link is not None:
                self.link.void(self.user, basket=self.basket.uuid, sku=line.product.sku,
                               qty=line.qty, amount=line.amount, approval_id=approval_id)
            else:
                voids.void_line(self.user, terminal=self.terminal, basket=self.basket.uuid,
                                sku=line.product.sku, qty=line.qty, amount=line.amount,
                                approval_id=approval_id)
        except PermissionDenied as err:
            self._say(str(err))
            self._ask_supervisor(err.permission, lambda a: self._void(index, a))
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

    def action_keys(self) -> None:
        rows = []
        # The screen's keys as they are now: after the shop's [keys] remapping.
        for active in self.active_bindings.values():
            binding = active.binding
            if active.node is self and binding.description:
                # The ids for remapping are in docs/TILL.md: a cashier needs the words only.
                rows.append((self.app.get_key_display(binding), binding.description))
        self.ask(KeysDialog(rows))


def _gs1(code: str) -> tuple[str, str | None]:
    """A GS1-128 label (fresh food's): its GTIN to look up and its lot, which the sale takes
    first; any other code as it is."""
    read = lots.parse_gs1(code)
    if read is None:
        return code, None
    return read.gtin, read.lot.upper() or None
