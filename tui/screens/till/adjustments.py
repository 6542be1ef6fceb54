"""Changing what the basket charges: discounts on a line or the whole sale, a price override,
the no-sale drawer, a product added at the till, the customer whose prices apply. Beyond the
cashier's role each asks for a supervisor's approval."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.core.errors import PermissionDenied, StoreError
from store.core.i18n import _
from store.customers import lookup
from store.pricing import price_lists
from store.pricing.price_lists import NO_RULES
from store.security.permissions import Policy
from store.selling import drawer, overrides, quick_add

from ...dialogs.inputs import AmountDialog, DiscountDialog, TextDialog
from ...dialogs.new_product import NewProduct, NewProductDialog
from ...dialogs.pickers import ListPicker
from .view import TillView, needs_database


@dataclass(frozen=True)
class DiscountAsk:
    """A discount being asked for: the line (or the whole sale), its amount before, and the
    amount or the percentage typed."""

    index: int
    whole_sale: bool
    base: Decimal
    amount: Decimal | None
    percent: Decimal | None

    @property
    def pct(self) -> Decimal:
        """The discount as a percentage, for the role's limit."""
        if self.percent is not None:
            return self.percent
        return self.amount * 100 / self.base if self.base and self.amount else Decimal(0)

    @property
    def off(self) -> Decimal:
        return self.amount if self.amount is not None else self.base * (self.percent or 0) / 100


class Adjustments(TillView):
    # -- discounts, price overrides, the drawer ---------------------------------------------
    def _approve(self, permission: str | None, then, *, what: str = "",  # type: ignore[no-untyped-def]
                 reason: str = "", discount_pct: Decimal | None = None) -> None:
        """Run `then(approval_id)`: at once when the cashier's role allows it, else after a
        supervisor's approval (nothing happens if they cancel)."""
        if permission is None:
            then(None)
            return
        self._ask_supervisor(permission, then, what=what, reason=reason,
                             discount_pct=discount_pct)

    def _rules(self) -> Policy | None:
        """The role rules an offline till decides by (its copy's); None: the database's."""
        return self.link.copy.policy() if self.selling_offline() else None  # type: ignore[union-attr]

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
                     name=self.basket.lines[index].product.local_name))

        self.ask(DiscountDialog(title),
                 lambda value: self._discount_entered(
                     DiscountAsk(index, whole_sale, base, *value) if value else None))

    def _discount_entered(self, ask: DiscountAsk | None) -> None:
        if ask is not None:
            self._ask_reason(_("Why? (the reason is recorded)"),
                             lambda reason: self._discount_reasoned(ask, reason))

    def _discount_reasoned(self, ask: DiscountAsk, reason: str) -> None:
        """With the reason: at once within the cashier's limit, else after a supervisor."""
        name = (_("the whole sale") if ask.whole_sale else
                self.basket.lines[ask.index].product.local_name)
        self._approve(overrides.discount_needs(self.user, ask.pct, self._rules()),
                      lambda approval_id: self._discount_apply(ask, reason, approval_id),
                      what=_("{name}: {before} → {after}").format(
                          name=name, before=f"{ask.base:.2f}", after=f"{ask.base - ask.off:.2f}"),
                      reason=reason, discount_pct=ask.pct)

    def _discount_apply(self, ask: DiscountAsk, reason: str, approval_id: int | None) -> None:
        if ask.whole_sale:
            self._apply(lambda: self.basket.discount_sale(
                amount=ask.amount, percent=ask.percent, reason=reason, approval_id=approval_id))
        else:
            self._apply(lambda: self.basket.discount_line(
                ask.index, amount=ask.amount, percent=ask.percent, reason=reason,
                approval_id=approval_id), ask.index)

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
                    overrides.price_needs(self.user, line.product.id, price, self._rules()),
                    lambda a: self._apply(lambda: self.basket.override_price(
                        index, price, reason=reason, approval_id=a), index),
                    what=_("{name}: {before} → {after}").format(
                        name=line.product.local_name, before=line.original_price, after=price),
                    reason=reason)

            self._ask_reason(_("Why? (the reason is recorded)"), with_reason)

        self.ask(AmountDialog(_("New price of {name}").format(
            name=line.product.local_name), value=f"{line.unit_price:.2f}"), entered)

    @needs_database
    def action_no_sale(self) -> None:
        def with_reason(reason: str, approval_id: int | None = None) -> None:
            try:
                drawer.no_sale(self.user, terminal=self.terminal, reason=reason,
                               approval_id=approval_id)
            except PermissionDenied as err:
                self._ask_supervisor(err.permission, lambda a: with_reason(reason, a),
                                     reason=reason)
                return
            except StoreError as err:
                self._say(str(err))
                return
            self.app.wake_printer()  # type: ignore[attr-defined]
            self._say(_("Drawer opened (recorded)"))

        self._ask_reason(_("Open the drawer: the reason"), with_reason)

    # -- a product the shop does not know yet ------------------------------------------------
    @needs_database
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
                    self._ask_supervisor(err.permission, add,
                                         what=f"{code} {new.name} {new.price:.2f}")
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
            matches = self.link.customers(text) if self.link is not None else lookup.find(text)
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

    def _set_customer(self, who: lookup.CustomerView | None) -> None:
        rules = NO_RULES
        if who is not None:  # offline: the price list as the till's copy has it
            rules = (self.link.price_rules(who.price_list_id) if self.link is not None
                     else price_lists.rules_for(who.price_list_id))
        self.basket.attach(who, rules)
        self._refresh(select=self.selected)
        said = (_("Customer {name}: their prices apply").format(name=who.label) if who
                else _("Customer removed: shelf prices apply"))
        if who is not None and (who.points or who.tier):
            said += " · " + (f"{who.tier} · " if who.tier else "") + _(
                "{points} points").format(points=f"{who.points:,}")
        self._say(said)

