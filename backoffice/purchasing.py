"""Purchasing screens: the order list, one order (edit a draft, send, cancel, short-close,
export, the three-way match), and reorder suggestions that become draft orders."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from store.buying import purchasing, reorder, suppliers
from store.catalog.search import ProductHit
from store.common import clock
from store.core import config, files
from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, NC_, _, pgettext
from store.core.money import COST_PLACES, QTY_PLACES, format_money, format_qty
from store.security.auth import SessionUser
from store.shops import org
from tui.bindings import TranslatedBindings
from tui.dialogs.inputs import AmountDialog, InputDialog, TextDialog
from tui.dialogs.pickers import ListPicker, ProductPicker
from tui.guard import GuardedActions, guarded
from tui.screens.stockdoc import clip, qty_text, right
from tui.widgets.fit_table import FitTable

STATUS_FILTERS = ("open", "draft", "", "received", "billed", "closed", "cancelled")


class DocScreen(GuardedActions, TranslatedBindings, Screen[None]):
    """A title, a status line, a table and a message line: the back office's list screens."""

    DEFAULT_CSS = """
    DocScreen { align: left top; }
    DocScreen #doc-title { height: 1; width: 100%; text-style: bold; }
    DocScreen #doc-status { height: 1; width: 100%; color: $text-muted; }
    DocScreen #doc-table { height: 1fr; }
    DocScreen #doc-message { height: auto; max-height: 3; width: 100%; color: $warning;
                             text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="doc-title")
        yield Label("", id="doc-status")
        yield FitTable(id="doc-table", fixed=self.fixed_columns, cursor_type="row",
                       zebra_stripes=True)
        yield Label("", id="doc-message")
        yield Footer()

    # Columns that stay on screen while Left and Right bring the others (see FitTable).
    fixed_columns = 1
    status_text = ""

    # Lists that another screen can change (an order opened and shipped) read themselves
    # again when the user comes back to them.
    reload_on_resume = False

    @guarded
    def on_mount(self) -> None:
        self.reload()
        self.query_one("#doc-table", DataTable).focus()

    @guarded  # a fault while coming back is said on the message line, like any other
    def on_screen_resume(self) -> None:
        if self.reload_on_resume and self.is_mounted:
            self.reload()

    # What Enter on a row does. The table takes Enter itself (as a row selection): the
    # screen's Enter binding is only there to show the key in the footer.
    row_action = ""

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.row_action:
            await self.run_action(self.row_action)

    def reload(self) -> None:
        raise NotImplementedError

    def fill(self, title: str, status: str, columns: list[str], rows: list[list[Any]]) -> None:
        if self.fault_said:  # the database answered again: the fault's message is stale
            self.say("")
            self.fault_said = False
        self.query_one("#doc-title", Label).update(title)
        self.status_text = status
        self.query_one("#doc-table", FitTable).show_table(
            [str(c) for c in columns],
            [[c if isinstance(c, (str, Text)) else str(c) for c in row] for row in rows])
        self.show_status()

    def show_status(self) -> None:
        note = self.query_one("#doc-table", FitTable).note
        self.query_one("#doc-status", Label).update(
            " · ".join(p for p in (self.status_text, note) if p))

    def on_fit_table_shifted(self, event: FitTable.Shifted) -> None:
        self.show_status()

    def say(self, text: str) -> None:
        self.query_one("#doc-message", Label).update(text)

    def reload_and_say(self, said: str | None) -> None:
        """What a form hands back when it changed something: the list again, and the news."""
        if said:
            self.reload()
            self.say(said)

    fault_said = False

    def database_fault(self, message: str) -> None:
        self.say(message)
        self.fault_said = True

    def row(self) -> int:
        return self.query_one("#doc-table", DataTable).cursor_row

    def attempt(self, change: Any) -> bool:
        """Run a store call; a refusal is said on the message line. True if it went through."""
        try:
            change()
        except StoreError as err:
            self.app.bell()
            self.say(str(err))
            return False
        self.say("")
        return True


class OrdersScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="orders.open"),
        Binding("n", "new", N_("New order"), id="orders.new"),
        Binding("s", "suggest", N_("Reorder"), id="orders.suggest"),
        Binding("f", "filter", N_("Filter"), id="orders.filter"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.status = "open"
        self.numbers: list[str] = []

    def reload(self) -> None:
        views = purchasing.orders(status=self.status)
        self.numbers = [v.number for v in views]
        shown = _("all") if not self.status else _(self.status)
        self.fill(_("Purchase orders"), _("Showing: {which} · {n} orders").format(
            which=shown, n=len(views)),
            [_("Order"), _("Supplier"), _("Warehouse"), _("Status"), _("Total"), _("Date")],
            [[v.number, clip(v.supplier_name, 20), v.warehouse_code, _(v.status),
              right(format_money(v.total)),
              clock.local_date(v.created_at).isoformat()  # type: ignore[arg-type]
              if v.created_at else ""] for v in views])

    def action_open(self) -> None:
        if self.numbers:
            self.app.push_screen(OrderScreen(self.user, self.numbers[self.row()]))

    def action_filter(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1)
                                     % len(STATUS_FILTERS)]
        self.reload()

    def action_suggest(self) -> None:
        self.app.push_screen(SuggestionsScreen(self.user))

    def action_new(self) -> None:
        listed = suppliers.suppliers()
        rows = [(s.code, s.name) for s in listed]

        def supplier_chosen(code: Any) -> None:
            if code is None:
                return
            codes = [w.code for w in org.warehouses() if w.code not in ("TRANSIT", "DAMAGED")]

            def warehouse_chosen(wh: Any) -> None:
                if wh is not None:
                    self._draft(str(code), str(wh))

            self.ask(ListPicker(_("Deliver to which warehouse?"), [_("Warehouse")],
                                [(c,) for c in codes], list(codes)), warehouse_chosen)

        self.ask(ListPicker(_("New order — which supplier?"), [_("Code"), _("Name")], rows,
                            [s.code for s in listed]), supplier_chosen)

    def _draft(self, supplier: str, warehouse: str) -> None:
        """An order needs a first line: ask for the product, then open the new draft."""
        made: list[str] = []

        def picked(hit: ProductHit | None) -> None:
            if hit is None:
                return
            if self.attempt(lambda: made.append(purchasing.create_order(
                    self.user, supplier, warehouse,
                    [purchasing.OrderLineInput(hit.sku, "1")], send=False).number)):
                self.app.push_screen(OrderScreen(self.user, made[0]))

        self.ask(ProductPicker(), picked)


class OrderScreen(DocScreen):
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="order.add"),
        Binding("f4", "qty", N_("Qty"), id="order.qty"),
        Binding("f5", "cost", N_("Cost"), id="order.cost"),
        Binding("delete", "remove", N_("Remove"), id="order.remove", show=False),
        Binding("f12", "send", N_("Send"), id="order.send"),
        Binding("f8", "cancel_order", NC_("purchase order", "Cancel order"), id="order.cancel"),
        Binding("c", "close_order", N_("Close short"), id="order.close", show=False),
        Binding("e", "export", N_("Export"), id="order.export"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, number: str) -> None:
        super().__init__()
        self.user = user
        self.number = number
        self.view: purchasing.OrderView | None = None
        self.armed = False

    def reload(self) -> None:
        v = self.view = purchasing.get_order(self.number)
        match = {m.sku: m for m in purchasing.match(self.number)}
        rows = []
        for ln in v.lines:
            m = match.get(ln.sku)
            diff = m.price_difference if m is not None else Decimal(0)
            rows.append([ln.sku, clip(ln.name, 16), qty_text(ln.qty),
                         right(f"{ln.unit_cost:.2f}"), right(format_money(ln.amount)),
                         qty_text(ln.received), qty_text(ln.billed),
                         qty_text(m.returned if m is not None and m.returned else None),
                         Text(format_money(diff), style="bold red" if diff else "",
                              justify="right") if diff else ""])
        keys = {"draft": _("a add · F4 qty · F5 cost · Del remove · F12 send"),
                "ordered": _("F8 cancel · e export"),
                "partial": _("c close short · e export")}.get(v.status, _("e export"))
        self.fill(_("Order {number} · {supplier} → {warehouse} · {status}").format(
            number=v.number, supplier=v.supplier_name, warehouse=v.warehouse_code,
            status=_(v.status)),
            _("Total {total} · {keys}").format(total=format_money(v.total), keys=keys),
            [_("SKU"), _("Name"), _("Qty"), pgettext("purchase", "Price"), _("Amount"),
             _("Received"), _("Billed"), _("Sent back"), _("Price diff")], rows)

    def _sku(self) -> str | None:
        if self.view is None or not self.view.lines:
            return None
        return self.view.lines[self.row()].sku

    def _draft_only(self) -> bool:
        if self.view is None or self.view.status != "draft":
            self.app.bell()
            self.say(_("Only a draft can be edited"))
            return False
        return True

    def action_add(self) -> None:
        if not self._draft_only():
            return

        def picked(hit: ProductHit | None) -> None:
            if hit is None:
                return

            def qty(value: Decimal | None) -> None:
                if value is not None and self.attempt(lambda: purchasing.set_line(
                        self.user, self.number, hit.sku, value)):
                    self.reload()

            self.ask(AmountDialog(_("How many {name}?").format(name=hit.local_name),
                                  places=QTY_PLACES, allow_zero=False), qty)

        self.ask(ProductPicker(), picked)

    def _change(self, what: str) -> None:
        sku = self._sku()
        if sku is None or not self._draft_only():
            return
        line = next(ln for ln in self.view.lines if ln.sku == sku)  # type: ignore[union-attr]

        def changed(value: Decimal | None) -> None:
            if value is None:
                return
            qty, cost = (value, None) if what == "qty" else (line.qty, value)
            if self.attempt(lambda: purchasing.set_line(self.user, self.number, sku, qty,
                                                        cost)):
                self.reload()

        if what == "qty":
            self.ask(AmountDialog(_("New quantity for {sku} (0 removes it)").format(sku=sku),
                                  value=format_qty(line.qty), places=QTY_PLACES), changed)
        else:
            self.ask(AmountDialog(_("Unit cost for {sku}").format(sku=sku),
                                  value=f"{line.unit_cost:.2f}", places=COST_PLACES), changed)

    def action_qty(self) -> None:
        self._change("qty")

    def action_cost(self) -> None:
        self._change("cost")

    def action_remove(self) -> None:
        sku = self._sku()
        if sku is not None and self._draft_only() and self.attempt(
                lambda: purchasing.set_line(self.user, self.number, sku, "0")):
            self.reload()

    def action_send(self) -> None:
        if not self._draft_only():
            return
        if not self.armed:
            self.armed = True
            self.say(_("Press F12 again to send {number} to the supplier").format(
                number=self.number))
            return
        self.armed = False
        if self.attempt(lambda: purchasing.send_order(self.user, self.number)):
            self.reload()
            self.say(_("{number} sent").format(number=self.number))

    def _with_reason(self, title: str, act: Any) -> None:
        def given(reason: str | None) -> None:
            if reason and self.attempt(lambda: act(reason)):
                self.reload()

        self.ask(TextDialog(title), given)

    def action_cancel_order(self) -> None:
        self._with_reason(_("Why cancel {number}?").format(number=self.number),
                          lambda r: purchasing.cancel_order(self.user, self.number, r))

    def action_close_order(self) -> None:
        self._with_reason(_("Why will the rest of {number} not come?").format(
            number=self.number), lambda r: purchasing.short_close(self.user, self.number, r))

    def action_export(self) -> None:
        default = files.free_name(config.exports_dir() / f"{self.number}.csv")

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            fmt = "txt" if path.suffix.lower() == ".txt" else "csv"
            try:
                written = files.write_text(path, purchasing.export_order(self.number, fmt))
            except StoreError as err:
                self.app.bell()
                self.say(str(err))
                return
            self.say(_("Wrote {path}").format(path=written))

        self.ask(OrderExportDialog(_("Export to (.csv, or .txt for a receipt printer)"),
                                   str(default)), chosen)


class OrderExportDialog(InputDialog[Path]):
    def accept(self, text: str) -> Path:
        path = Path(text.strip()).expanduser()
        if path.suffix.lower() not in (".csv", ".txt"):
            raise ValidationError(_("Name the file .csv or .txt"), field="path", value=text)
        files.check_target(path, cli=False)
        return path


class SuggestionsScreen(DocScreen):
    """What to reorder; space leaves a line out; F12 makes one draft per supplier."""

    BINDINGS = [
        Binding("space", "include", N_("In/out"), id="suggest.include"),
        Binding("f12", "create", N_("Make drafts"), id="suggest.create"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[reorder.Suggestion] = []
        self.left_out: set[int] = set()

    def reload(self) -> None:
        if not self.rows:
            self.rows = reorder.suggestions()
        self.fill(_("Reorder suggestions"),
                  _("{n} to order · projected = on hand + on order − daily sales × lead time")
                  .format(n=len(self.rows) - len(self.left_out)),
                  ["", _("Supplier"), _("SKU"), _("Name"), _("Whse"), _("On hand"),
                   _("On order"), _("Per day"), _("Order")],
                  [["·" if i in self.left_out else "✓", s.supplier_code or "—", s.sku,
                    clip(s.name, 14), s.warehouse, qty_text(s.on_hand), qty_text(s.on_order),
                    qty_text(s.daily_sales), qty_text(s.qty)]
                   for i, s in enumerate(self.rows)])

    def action_include(self) -> None:
        if not self.rows:
            return
        i = self.row()
        self.left_out ^= {i}
        self.reload()

    def action_create(self) -> None:
        picked = [s for i, s in enumerate(self.rows) if i not in self.left_out]
        made: list[purchasing.OrderView] = []
        if not self.attempt(lambda: made.extend(reorder.draft_orders(self.user, picked))):
            return
        no_supplier = [s.sku for s in picked if not s.supplier_code]
        self.app.notify(_("{n} draft orders made").format(n=len(made))
                        + (" · " + _("No supplier for: {skus}").format(skus=", ".join(
                            no_supplier)) if no_supplier else ""), timeout=8)
        self.app.pop_screen()
