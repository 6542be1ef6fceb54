"""The stockroom's scan-first document screen: a barcode field (wedge or serial scans, `3*`
for a quantity), a table of lines, a big total, a message line, keys in the footer.
Receiving, transfers and counts are this screen with their own store calls."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from store.buying import receiving
from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import N_, _
from store.core.money import QTY_PLACES, format_qty
from store.security.auth import SessionUser
from store.selling.basket import parse_entry
from store.stock import scans

from ..bindings import TranslatedBindings
from ..dialogs.inputs import AmountDialog
from ..dialogs.override import OverrideDialog
from ..guard import GuardedActions, guarded
from ..scanning import BarcodeScanned
from ..widgets.scan_input import ScanInput

Row = tuple[str | Text, ...]


class ScanDocumentScreen(GuardedActions, TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    ScanDocumentScreen #doc-status { height: 1; width: 100%; color: $text-muted; }
    ScanDocumentScreen #doc-lines { height: 1fr; }
    ScanDocumentScreen #doc-total { height: 1; width: 100%; text-style: bold;
                                    content-align: right middle; }
    ScanDocumentScreen #doc-message { height: 1; width: 100%; color: $warning;
                                      text-style: bold; }
    """
    BINDINGS = [
        Binding("f4", "quantity", N_("Qty"), id="doc.qty"),
        Binding("f7", "note_unknown", N_("Note code"), id="doc.note", show=False),
        Binding("f8", "cancel_document", N_("Cancel doc"), id="doc.cancel"),
        Binding("f12", "confirm", N_("Confirm"), id="doc.confirm"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        # From the scan field, Up and Down move the table's cursor (the row F4 changes), so
        # nobody needs to Tab into the table; with the table focused, it moves its own.
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
    ]
    where = "receiving"  # for an unknown barcode's note
    columns: tuple[str, ...] = ()
    editable = True
    confirm_twice = True  # F12 posts only when pressed again: stock and the books change
    can_cancel = True  # F8 is offered only where the document can be cancelled

    def __init__(self, user: SessionUser, number: str) -> None:
        super().__init__()
        self.user = user
        self.number = number
        self.unknown_code: str | None = None
        self.skus: list[str] = []  # the table's rows, for F4
        self.armed = ""  # the action ("confirm", "cancel") a second press carries out

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="doc-status")
        yield ScanInput(placeholder=_("scan or type a barcode / SKU; 3* then a scan adds 3"),
                        id="scan", compact=True)
        table: DataTable[str | Text] = DataTable(id="doc-lines", cursor_type="row")
        table.add_columns(*[_(c) for c in self.columns])
        yield table
        yield Static("", id="doc-total")
        yield Label("", id="doc-message")
        yield Footer()

    @guarded
    def on_mount(self) -> None:
        self.reload()
        self.query_one("#scan", Input).focus()

    # -- what each document does ---------------------------------------------------------
    def scan(self, code: str, qty: Decimal) -> str:
        """Add a scan to the document; returns what to say."""
        raise NotImplementedError

    def set_qty(self, sku: str, qty: Decimal) -> None:
        raise NotImplementedError

    def rows(self) -> tuple[str, list[tuple[str, Row]], str]:
        """(status line, [(sku, table row)], total line) as the database has them now."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_document":
            return self.can_cancel
        return True

    def confirm(self, approval_id: int | None = None) -> str | None:
        """Post the document (with a supervisor's approval when one was asked for); returns
        the message to show on the stockroom menu."""
        raise NotImplementedError

    def cancel_document(self) -> None:
        raise NotImplementedError

    # -- the screen ----------------------------------------------------------------------
    def reload(self, *, select: str | None = None) -> None:
        status, rows, total = self.rows()
        self.query_one("#doc-status", Label).update(status)
        self.query_one("#doc-total", Static).update(total)
        table = self.query_one("#doc-lines", DataTable)
        table.clear()
        self.skus = [sku for sku, _row in rows]
        for _sku, row in rows:
            table.add_row(*row)
        if select in self.skus:
            table.move_cursor(row=self.skus.index(select))

    def say(self, text: str) -> None:
        self.query_one("#doc-message", Label).update(text)

    def database_fault(self, message: str) -> None:
        self.say(message)

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
            return  # the field's own Enter took it
        scan.value = ""
        self.enter(message.code)

    def selected_sku(self) -> str | None:
        if not self.skus:
            return None
        return self.skus[self.query_one("#doc-lines", DataTable).cursor_row]

    def enter(self, text: str) -> None:
        self.armed = ""
        if not self.editable:
            self.app.bell()
            self.say(_("This document can no longer change"))
            return
        try:
            qty, code = parse_entry(text)
            said = self.scan(code, qty if qty is not None else Decimal(1))
        except scans.UnknownCode as err:
            self.app.bell()
            self.unknown_code = err.code
            self.say(_("Unknown barcode '{code}': F7 notes it for the manager").format(
                code=err.code))
            return
        except StoreError as err:
            self.app.bell()
            self.say(str(err))
            return
        self.unknown_code = None
        self.say(said)

    def action_cursor_up(self) -> None:
        self.query_one("#doc-lines", DataTable).action_cursor_up()

    def action_cursor_down(self) -> None:
        self.query_one("#doc-lines", DataTable).action_cursor_down()

    def action_note_unknown(self) -> None:
        if self.unknown_code is None:
            self.app.bell()
            return
        receiving.note_unknown(self.user, self.unknown_code, self.where, self.number)
        self.say(_("Noted '{code}' for the manager").format(code=self.unknown_code))
        self.unknown_code = None

    def action_quantity(self) -> None:
        sku = self.selected_sku()
        if sku is None or not self.editable:
            self.app.bell()
            return

        def changed(qty: Decimal | None) -> None:
            if qty is None:
                return
            try:
                self.set_qty(sku, qty)
            except StoreError as err:
                self.app.bell()
                self.say(str(err))
                return
            self.reload(select=sku)
            self.say(_("{sku}: {qty}").format(sku=sku, qty=format_qty(qty)))

        self.ask(AmountDialog(_("New quantity for {sku} (0 removes it)").format(sku=sku),
                              places=QTY_PLACES), changed)

    def action_confirm(self, approval_id: int | None = None) -> None:
        if self.confirm_twice and self.armed != "confirm" and approval_id is None:
            self.armed = "confirm"
            self.say(_("Press F12 again to confirm {number}").format(number=self.number))
            return
        self.armed = ""
        try:
            message = self.confirm(approval_id)
        except PermissionDenied as err:  # an exception a supervisor can approve
            self.app.bell()
            self.say(str(err))
            terminal = self.app.config.terminal.code  # type: ignore[attr-defined]
            self.ask(OverrideDialog(err.permission, self.user, terminal=terminal,
                                    what=self.number),
                     lambda approval: self.action_confirm(approval)
                     if approval is not None else None)
            return
        except StoreError as err:
            self.app.bell()
            self.say(str(err))
            self.reload()
            return
        if message is not None:
            self.app.notify(message, timeout=6)
            self.app.pop_screen()

    def action_cancel_document(self) -> None:
        if self.armed != "cancel":  # destructive: asked twice, like F12
            self.armed = "cancel"
            self.app.bell()
            self.say(_("Press F8 again to cancel {number}").format(number=self.number))
            return
        self.armed = ""
        try:
            self.cancel_document()
        except StoreError as err:
            self.app.bell()
            self.say(str(err))
            return
        self.app.notify(_("{number} cancelled").format(number=self.number))
        self.app.pop_screen()


def clip(text: str, width: int) -> str:
    """Cut a name to a display width (a Chinese character takes two cells)."""
    return set_cell_size(text, width).rstrip() if cell_len(text) > width else text


def right(text: str, style: str = "") -> Text:
    """A table cell aligned right: numbers line up by their last digit."""
    return Text(text, style=style, justify="right")


def qty_text(value: Decimal | None, style: str = "") -> Text:
    return right("" if value is None else format_qty(value), style)
