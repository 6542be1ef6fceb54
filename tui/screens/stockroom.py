"""The stockroom: stock lookup, receiving, transfers, counts, low-stock alerts and expiring
lots. Starting a
document asks what it is about with a pick list, then opens its scan screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from store.buying import purchasing, receiving
from store.catalog import products
from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import N_, _, current_language
from store.core.money import format_money, format_qty
from store.security import scope
from store.security.auth import SessionUser
from store.shops import org
from store.stock import counts, expiry, inventory, transfers

from ..bindings import TranslatedBindings
from ..dialogs.inputs import CodesDialog, TextDialog
from ..dialogs.override import OverrideDialog
from ..dialogs.pickers import ListPicker
from ..scanning import BarcodeScanned
from ..widgets.product_search import ProductSearch
from .menu import Entry, MenuScreen
from .stockdoc import clip, qty_text, right
from .stockdocs import CountScreen, ReceivingScreen, TransferScreen

# Warehouses the system keeps for itself: goods cannot be received into or counted there.
SYSTEM_WAREHOUSES = ("TRANSIT", "DAMAGED")


class StockLookupScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Scan or type to see a product's stock in each warehouse; Enter on a "
                      "product shows its moves"),
                    classes="muted")
        yield ProductSearch(id="stock-search")
        yield Footer()

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.query_one("#stock-search", ProductSearch).scanned(message.code)

    def on_product_search_chosen(self, message: ProductSearch.Chosen) -> None:
        from .stock_moves import StockMovesScreen

        self.app.push_screen(StockMovesScreen(message.hit.sku, message.hit.local_name))


class AlertsScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        yield Header()
        rows = inventory.alerts(shops=scope.shops_of(self.user.id))  # their shops' only
        yield Label(_("Low stock: {n} alerts (below the reorder minimum, or below zero)").format(
            n=len(rows)), classes="title")
        table: DataTable[str | Text] = DataTable(id="alerts", cursor_type="row")
        table.add_columns(_("SKU"), _("Name"), _("Warehouse"), _("On hand"), _("Min"),
                          _("To order"))
        for a in rows:
            table.add_row(a.sku, clip(a.name, 24), a.warehouse, qty_text(a.on_hand),
                          right(_("below zero")) if a.min_qty is None else qty_text(a.min_qty),
                          qty_text(a.suggested))
        yield table
        yield Footer()


class ExpiringScreen(TranslatedBindings, Screen[None]):
    """Lots that expire within the shop's warning days, or have expired, first to expire
    first; `w` writes the selected lot off (expired, spoilt) with a reason."""

    BINDINGS = [Binding("w", "write_off", N_("Write off"), id="expiring.write_off"),
                Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.lots: list[expiry.LotRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="expiring-title", classes="title")
        table: DataTable[str | Text] = DataTable(id="expiring", cursor_type="row")
        table.add_columns(_("SKU"), _("Name"), _("Warehouse"), _("Lot"), _("Expires"),
                          _("Days"), _("Qty"))
        yield table
        yield Label("", id="expiring-message", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        mine = {w.code for w in org.warehouses(self.user)}
        self.lots = [x for x in expiry.expiring() if x.warehouse in mine]
        self.query_one("#expiring-title", Label).update(
            _("Lots expiring within {days} days: {n} (w writes the selected one off)").format(
                days=expiry.warn_days(), n=len(self.lots)))
        table = self.query_one("#expiring", DataTable)
        table.clear()
        for x in self.lots:
            days = Text(str(x.days_left), style="bold red" if (x.days_left or 0) < 0 else "")
            table.add_row(x.sku, clip(x.name, 18), x.warehouse, x.number,
                          str(x.expires_on or ""), days, qty_text(x.qty))

    def action_write_off(self) -> None:
        table = self.query_one("#expiring", DataTable)
        if not self.lots or table.cursor_row >= len(self.lots):
            self.app.bell()
            return
        lot = self.lots[table.cursor_row]

        def given(reason: str | None) -> None:
            if reason is None:
                return
            try:
                value = expiry.write_off(self.user, lot.warehouse, lot.sku, lot.number,
                                         reason=reason)
            except StoreError as err:
                self.app.bell()
                self.query_one("#expiring-message", Label).update(str(err))
                return
            self.reload()
            self.query_one("#expiring-message", Label).update(
                _("{sku} lot {lot}: {qty} written off ({value})").format(
                    sku=lot.sku, lot=lot.number, qty=format_qty(lot.qty),
                    value=format_money(value)))

        self.app.push_screen(TextDialog(_("Why is lot {lot} of {sku} written off?").format(
            lot=lot.number, sku=lot.sku)), given)


def _expiring(user: SessionUser) -> Screen:
    return ExpiringScreen(user)


def _lookup(user: SessionUser) -> Screen:
    return StockLookupScreen(user)


def _alerts(user: SessionUser) -> Screen:
    return AlertsScreen(user)


class StockroomScreen(MenuScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        entries = [Entry("lookup", N_("Stock lookup"), _lookup),
                   Entry("receive", N_("Receive goods"), _lookup),
                   Entry("transfer", N_("Transfer between warehouses"), _lookup),
                   Entry("count", N_("Stock count"), _lookup),
                   Entry("alerts", N_("Low-stock alerts"), _alerts),
                   Entry("expiring", N_("Expiring lots"), _expiring)]
        hint = _("Low stock: {n} alerts").format(
            n=inventory.alert_count(shops=scope.shops_of(user.id)))
        soon = expiry.expiring_count(shops=scope.shops_of(user.id))
        if soon:
            hint += " · " + _("Expiring lots: {n}").format(n=soon)
        super().__init__(user, entries, _("Stockroom"), hint)
        self.starters: dict[str, Callable[[], None]] = {
            "receive": self.start_receiving, "transfer": self.start_transfer,
            "count": self.start_count}

    def action_open(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        start = self.starters.get(self.entries[index].id)
        if start is None:
            super().action_open(index)
            return
        start()

    def _fail(self, err: StoreError) -> None:
        self.app.bell()
        self.app.notify(str(err), severity="error", timeout=8)

    def _open(self, make: Callable[[], Screen]) -> None:
        try:
            self.app.push_screen(make())
        except StoreError as err:
            self._fail(err)

    def _open_approved(self, make: Callable[[int | None], Screen]) -> None:
        """Open a document that may need a supervisor's approval: ask for it when the role
        does not allow the action, then try once more with the approval."""
        try:
            self.app.push_screen(make(None))
        except PermissionDenied as err:
            terminal = self.app.config.terminal.code  # type: ignore[attr-defined]

            def approved(approval: int | None) -> None:
                if approval is not None:
                    self._open(lambda: make(approval))

            self.ask(OverrideDialog(err.permission, self.user, terminal=terminal), approved)
        except StoreError as err:
            self._fail(err)

    def _warehouses(self) -> list[str]:
        """The user's shops' warehouses."""
        return [w.code for w in org.warehouses(self.user) if w.code not in SYSTEM_WAREHOUSES]

    # -- receiving -----------------------------------------------------------------------
    def start_receiving(self) -> None:
        rows: list[tuple[str, ...]] = []
        values: list[object] = []
        for d in receiving.drafts(viewer=self.user):
            rows.append((d.number, _("resume"), d.warehouse_code, d.order_number or "—"))
            values.append(("resume", d.number))
        mine = self._warehouses()
        for o in purchasing.open_orders():
            if o.warehouse_code not in mine:  # another shop's delivery
                continue
            rows.append((o.number, o.supplier_name[:20], o.warehouse_code, _(o.status)))
            values.append(("order", o.number))
        for code in mine:
            rows.append(("—", _("without an order"), code, ""))
            values.append(("free", code))

        def picked(choice: Any) -> None:
            if choice is None:
                return
            kind, key = choice
            if kind == "resume":
                self._open(lambda: ReceivingScreen(self.user, key))
            elif kind == "order":
                self._open(lambda: ReceivingScreen(
                    self.user, receiving.start(self.user, order_number=key).number))
            else:
                self._open_approved(lambda approval: ReceivingScreen(
                    self.user, receiving.start(self.user, key, approval_id=approval).number))

        self.ask(ListPicker(_("Receive goods — pick an order, a draft or a warehouse"),
                            [_("Document"), _("Supplier"), _("Warehouse"), _("Status")],
                            rows, values), picked)

    # -- transfers -----------------------------------------------------------------------
    def start_transfer(self) -> None:
        rows: list[tuple[str, ...]] = []
        values: list[object] = []
        for t in transfers.in_transit(self.user, incoming=True):
            rows.append((t.number, f"{t.source} → {t.destination}", _("receive")))
            values.append(("receive", t.number, False))
        for t in transfers.drafts(self.user):  # one left half done: go on with it
            rows.append((t.number, f"{t.source} → {t.destination}", _("resume")))
            values.append(("receive", t.number, False))
        shop_of = {w.code: w.shop_id for w in org.warehouses()
                   if w.code not in SYSTEM_WAREHOUSES}  # every shop's: where goods may go
        sources = self._warehouses()
        for two_step in (False, True):
            for a in sources:
                for b in shop_of:
                    # Between shops only in two steps: the other shop receives the goods.
                    if a != b and (two_step or shop_of.get(a) == shop_of.get(b)):
                        rows.append(("—", f"{a} → {b}",
                                     _("new, two steps") if two_step else _("new")))
                        values.append(("new", f"{a}>{b}", two_step))

        def picked(choice: Any) -> None:
            if choice is None:
                return
            kind, key, two_step = choice
            if kind == "receive":
                self._open(lambda: TransferScreen(self.user, key))
                return
            source, destination = key.split(">")
            self._open(lambda: TransferScreen(self.user, transfers.start(
                self.user, source, destination, two_step=two_step).number))

        self.ask(ListPicker(_("Transfer — a route, goods in transit, or a draft to go on with"),
                            [_("Document"), _("Route"), _("What")], rows, values), picked)

    # -- counts --------------------------------------------------------------------------
    def start_count(self) -> None:
        rows: list[tuple[str, ...]] = []
        values: list[object] = []
        for c in counts.open_counts(self.user):
            rows.append((c.number, c.warehouse, _("join") + (f" · {c.category}"
                                                            if c.category else "")))
            values.append(("join", c.number, ""))
        for code in self._warehouses():
            rows.append(("—", code, _("new: whole warehouse")))
            values.append(("new", code, ""))
            rows.append(("—", code, _("new: a list of products")))
            values.append(("list", code, ""))
            for cat_code, name, name_en in products.top_categories():
                shown = name_en if current_language() == "en" and name_en else name
                rows.append(("—", code, _("new: category {name}").format(name=shown)))
                values.append(("new", code, cat_code))

        def picked(choice: Any) -> None:
            if choice is None:
                return
            kind, key, category = choice
            if kind == "join":
                self._open(lambda: CountScreen(self.user, key))
                return
            if kind == "list":
                def listed(codes: list[str] | None) -> None:
                    if codes:
                        self._open(lambda: CountScreen(
                            self.user, counts.start(self.user, key, skus=codes).number))

                self.ask(CodesDialog(_("Count in {warehouse}: SKUs or barcodes, separated by "
                                       "spaces").format(warehouse=key)), listed)
                return
            self._open(lambda: CountScreen(self.user, counts.start(
                self.user, key, category_code=category).number))

        self.ask(ListPicker(_("Stock count — join one, or start one"),
                            [_("Document"), _("Warehouse"), _("What")], rows, values), picked)
