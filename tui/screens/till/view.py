"""The till's state and its view: the basket on screen, the status, totals and message lines,
the pole display. The till's other parts (paying, adjustments, the shift) build on it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual import work
from textual.screen import Screen
from textual.widgets import Label, Static

from devices.display import PoleDisplay, fit
from devices.errors import DeviceError
from store.catalog import search
from store.core.i18n import _
from store.core.money import format_money, format_qty
from store.offline.till import TillLink
from store.pricing import promotions
from store.security.auth import SessionUser
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops.org import TenderType

from ...bindings import TranslatedBindings
from ...dialogs.override import OverrideDialog
from ...guard import GuardedActions
from ...printing import device_message
from ...widgets.cart import CartView
from ...widgets.change_due import ChangeDue


def needs_database(action: Callable[..., None]) -> Callable[..., None]:
    """An action the database must answer (a return, a parked basket, a discount's rules):
    refused in words while the till sells offline, the basket kept."""
    @functools.wraps(action)
    def wrapper(self: TillView, *args: Any, **kwargs: Any) -> None:
        if self.selling_offline():
            self.app.bell()
            self._say(_("Offline: this needs the database. The till sells on; it comes back "
                        "when the database answers"))
            return None
        return action(self, *args, **kwargs)

    return wrapper


class TillView(GuardedActions, TranslatedBindings, Screen[None]):
    """What every part of the till shares; TillScreen (screen.py) sets it up."""

    user: SessionUser
    basket: Basket
    shift: sales.ShiftInfo | None
    paying: bool
    payments: list[PaymentInput]  # the last tendered, kept for a retry
    unknown_code: str | None  # the last code not found, for Ctrl+N
    tenders: list[TenderType]  # read once: paying needs no database
    cash_step: Decimal | None
    selected: int | None  # the line Delete and F4 act on (the last scanned)
    shop_id: int | None  # the till's shop: its prices and promotions
    link: TillLink | None  # the way through an outage (None: an embedded database)
    zone: dt.tzinfo  # its time zone: the promotions' hours

    def _ask_supervisor(self, permission: str, then, **details: Any) -> None:  # type: ignore[no-untyped-def]
        """A refusal a supervisor can lift: ask for their PIN (and a reason), then run
        `then(approval_id)`; nothing happens if they cancel."""
        self.ask(OverrideDialog(permission, self.user, terminal=self.terminal, **details),
                 lambda approval_id: then(approval_id) if approval_id is not None else None)

    def enter(self, text: str) -> None:
        """One scan or typed entry: TillScreen's, used here by the parts that add an item."""
        raise NotImplementedError

    def selling_offline(self) -> bool:
        return self.link is not None and not self.link.online

    def find_product(self, code: str):  # type: ignore[no-untyped-def]
        """A scan: through the link (the database, or offline the local copy)."""
        if self.link is not None:
            return self.link.lookup(code, self.shop_id)
        return search.lookup_code(code, shop=self.shop_id)

    @property
    def terminal(self) -> str:
        return str(self.app.config.terminal.code)  # type: ignore[attr-defined]

    def _empty_basket(self, prices_include_tax: bool) -> Basket:
        till = self.app.config.till  # type: ignore[attr-defined]
        running, rule = (self.link.promotions(self.shop_id) if self.link is not None
                         else promotions.for_basket(self.shop_id))
        return Basket(prices_include_tax=prices_include_tax, merge_same=till.merge_same,
                      max_qty=Decimal(till.max_qty), promotions=running, promotion_rule=rule,
                      zone=self.zone)

    def _new_basket(self) -> None:
        self.basket = self._empty_basket(self.basket.prices_include_tax)
        self._refresh()

    # -- display --------------------------------------------------------------------------
    def _show_display(self, upper: str, upper_right: str, lower: str, lower_right: str) -> None:
        url = self.app.config.display.url  # type: ignore[attr-defined]
        if url:
            self.show_on_display(url, upper, upper_right, lower, lower_right)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pole-display")
    def show_on_display(self, url: str, upper: str, upper_right: str, lower: str,
                        lower_right: str) -> None:
        """The customer's pole display: two lines, each a label and a figure flush right."""
        try:
            PoleDisplay(url).show(fit(upper, upper_right), fit(lower, lower_right))
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
        name = ln.product.local_name
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
        if self.basket.lines:
            self.query_one("#change-due", ChangeDue).hide()  # the next customer's first scan
            last = self.basket.lines[select if select is not None else -1]
            self._show_display(last.product.name, f"{last.amount:.2f}", _("TOTAL"),
                               f"{self.basket.total:.2f}")
        shift = (_("Shift #{number}").format(number=self.shift.number) if self.shift
                 else _("No shift open"))
        who = f" · {self.basket.customer.label}" if self.basket.customer else ""
        self.query_one("#till-status", Label).update(
            f"{self.user.display_name} · {self.terminal} · {shift}{who}", layout=False)
