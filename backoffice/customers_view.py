"""Customers and price lists in the back office.

The customer list opens no personal data (a phone shows as …1234); Enter opens one customer's
details for those allowed to see them (recorded in the audit trail), where `e` corrects them,
`s` shows their statement and `p` their points. Price lists show their rules; `a` adds a product price (with
a quantity break) or a category percentage, Del removes one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.binding import Binding

from store.core.i18n import N_, NC_, _
from store.core.money import format_money, format_qty
from store.customers import parties, records
from store.pricing import price_lists
from store.security.auth import SessionUser
from store.selling import points
from tui.dialogs.inputs import TextDialog
from tui.screens.stockdoc import clip, right

from .forms import Field, FormDialog
from .purchasing import DocScreen
from .receivables_view import StatementScreen

CUSTOMER_FIELDS = (("code", N_("Member no.")), ("name", N_("Name")), ("phone", N_("Phone")),
                   ("address", N_("Address")), ("email", N_("E-mail")),
                   ("id_number", N_("ID number")), ("group", N_("Group")),
                   ("price_list", N_("Price list")), ("credit_limit", N_("Credit limit")))


class CustomersScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="customers.open"),
        Binding("n", "new", N_("New"), id="customers.new"),
        Binding("slash", "search", N_("Find"), id="customers.find"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user, self.text = user, ""
        self.rows: list[records.CustomerRow] = []

    def reload(self) -> None:
        self.rows = records.customer_list(self.text)
        found = _("“{text}”: {n} customers").format(text=self.text, n=len(self.rows)) \
            if self.text else _("{n} customers · Enter opens · / find · n new").format(n=len(self.rows))
        self.fill(_("Customers"), found,
                  [_("Member no."), _("Name"), _("Group"), _("Price list"), _("Phone"),
                   _("Owed"), _("Credit limit")],
                  [[r.code, clip(r.name, 12), r.group, r.price_list, r.phone_hint,
                    right(format_money(r.owed)), right(format_money(r.credit_limit))]
                   for r in self.rows])

    def action_open(self) -> None:
        if self.rows:
            code = self.rows[self.row()].code
            self.attempt(lambda: self.app.push_screen(CustomerScreen(self.user, code)))

    def action_search(self) -> None:
        def given(text: str | None) -> None:
            self.text = text or ""
            self.reload()

        self.ask(TextDialog(_("Member number or name")), given)

    def action_new(self) -> None:
        def act(v: dict[str, str]) -> str:
            c = parties.add_customer(
                self.user, v["code"], v["name"], phone=v["phone"], address=v["address"], email=v["email"],
                id_number=v["id_number"], group=v["group"] or None,
                price_list=v["price_list"] or None, credit_limit=v["credit_limit"] or "0")
            return _("Customer {code} added").format(code=c.code)

        self.ask(FormDialog(_("New customer"), [Field(k, label) for k, label in
                                                CUSTOMER_FIELDS], act,
                            aliases={"customer": "code"}), self.reload_and_say)


class CustomerScreen(DocScreen):
    """One customer, personal data opened (the store checks the permission and records it)."""

    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="customer.edit"),
        Binding("s", "statement", N_("Statement"), id="customer.statement"),
        Binding("p", "points", N_("Points"), id="customer.points"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, code: str) -> None:
        super().__init__()
        self.user, self.code = user, code
        self.details = records.details(user, code)

    def reload(self) -> None:
        d = self.details
        member = points.member(d.code)
        self.fill(f"{d.name} ({d.code})", _("e edit · s statement · p points"),
                  [_("Field"), _("Details")],
                  [[_(label), getattr(d, key) if key != "credit_limit"
                    else format_money(d.credit_limit)] for key, label in CUSTOMER_FIELDS[1:]]
                  + [[_("Member tier"), member.tier or "-"],
                     [_("Points"), _("{points} points, worth {worth}").format(
                         points=f"{member.points:,}", worth=format_money(member.worth))]])

    def action_statement(self) -> None:
        self.app.push_screen(StatementScreen(self.details.code, self.details.name))

    def action_points(self) -> None:
        self.app.push_screen(PointsScreen(self.details.code, self.details.name))

    def action_edit(self) -> None:
        d = self.details
        # The ID number is shown masked: left empty, it is kept; typed, it replaces the old.
        fields = [Field(k, label, "" if k == "id_number" else
                        (f"{d.credit_limit:.2f}" if k == "credit_limit" else getattr(d, k)))
                  for k, label in CUSTOMER_FIELDS[1:]]

        def act(v: dict[str, str]) -> str:
            changed: dict[str, Any] = {k: v[k] for k, _l in CUSTOMER_FIELDS[1:]
                       if k != "id_number" and v[k] != str(getattr(d, k))}
            if changed.get("credit_limit") == f"{d.credit_limit:.2f}":
                changed.pop("credit_limit")
            if v["id_number"].strip():
                changed["id_number"] = v["id_number"]
            records.update(self.user, d.code, **changed)
            return _("Customer {code} changed").format(code=d.code)

        def done(said: str | None) -> None:
            if said:
                self.details = records.details(self.user, self.code)
                self.reload()
                self.say(said)

        self.ask(FormDialog(_("Change {name}").format(name=d.name), fields, act), done)


class PointsScreen(DocScreen):
    """A member's points: every movement, the balance after each, when incoming points
    lapse."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, code: str, name: str) -> None:
        super().__init__()
        self.code, self.customer = code, name

    def reload(self) -> None:
        view = points.member(self.code)
        said = _("{points} points, worth {worth}").format(points=f"{view.points:,}",
                                                          worth=format_money(view.worth))
        if view.tier:
            said += " · " + view.tier
        if view.next_tier:
            said += " · " + _("{amount} more to {next}").format(
                amount=format_money(view.to_next), next=view.next_tier)
        self.fill(_("Points: {customer} ({code})").format(customer=self.customer,
                                                         code=self.code), said,
                  [_("When"), _("What"), _("Document"), _("Points"), _("Balance"),
                   _("Lapses on")],
                  [[m.at.strftime("%Y-%m-%d %H:%M"), _(points.KINDS[m.kind]), m.number,
                    right(f"{m.points:+,}"), right(f"{m.balance:,}"),
                    m.expires_on.isoformat() if m.expires_on else ""]
                   for m in points.statement(self.code)])


class PriceListsScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="pricelists.open"),
        Binding("n", "new", N_("New"), id="pricelists.new"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[price_lists.ListRow] = []

    def reload(self) -> None:
        self.rows = price_lists.price_lists()
        self.fill(_("Price lists"), _("Enter shows a list's rules · n new list"),
                  [_("Code"), _("Name"), _("Rules"), _("Customers")],
                  [[r.code, r.name, right(str(r.rules)), right(str(r.customers))]
                   for r in self.rows])

    def action_open(self) -> None:
        if self.rows:
            row = self.rows[self.row()]
            self.app.push_screen(PriceListScreen(self.user, row.code, row.name))

    def action_new(self) -> None:
        def act(v: dict[str, str]) -> str:
            parties.create_price_list(self.user, v["code"], v["name"], v["name_en"])
            return _("Price list {code} added").format(code=v["code"].strip())

        self.ask(FormDialog(_("New price list"), [
            Field("code", N_("Code")), Field("name", N_("Name")),
            Field("name_en", N_("English name"))], act, aliases={"price_list": "code"}),
            self.reload_and_say)


class PriceListScreen(DocScreen):
    BINDINGS = [
        Binding("a", "add", N_("Add rule"), id="pricelist.add"),
        Binding("delete", "remove", N_("Remove"), id="pricelist.remove"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, code: str, name: str) -> None:
        super().__init__()
        self.user, self.code, self.list_name = user, code, name
        self.rows: list[price_lists.RuleRow] = []

    def reload(self) -> None:
        self.rows = price_lists.rules_of(self.code)
        self.fill(_("Price list {code} · {name}").format(code=self.code, name=self.list_name),
                  _("a add: SKU PRICE [FROM QTY], or [CATEGORY] PERCENT% · Del remove"),
                  [_("Product or category"), _("Name"), _("From qty"), _("Price"), _("% off")],
                  [[r.target, clip(r.name, 20),
                    right(format_qty(r.min_qty) if r.min_qty is not None else ""),
                    right(f"{r.price:.2f}" if r.price is not None else ""),
                    right(f"{r.percent_off:f}%" if r.percent_off is not None else "")]
                   for r in self.rows])

    def action_add(self) -> None:
        def given(text: str | None) -> None:
            if not text:
                return
            parts = text.split()
            if parts[0].startswith("[") and len(parts) == 2:
                self._apply(lambda: price_lists.set_category_discount(
                    self.user, self.code, parts[0].strip("[]"), parts[1].rstrip("%")))
            elif len(parts) in (2, 3):
                self._apply(lambda: price_lists.set_product_price(
                    self.user, self.code, parts[0], parts[1], parts[2] if len(parts) == 3 else "1"))
            else:
                self.app.bell()
                self.say(_("Type SKU PRICE [FROM QTY], or [CATEGORY] PERCENT%"))

        self.ask(TextDialog(_("SKU PRICE [FROM QTY], or [CATEGORY] PERCENT%")), given)

    def _apply(self, change: object) -> None:
        if self.attempt(change):
            self.reload()
            self.say(_("Price list {code} updated").format(code=self.code))

    def action_remove(self) -> None:
        if not self.rows:
            return
        r = self.rows[self.row()]
        self._apply(lambda: price_lists.remove_rule(self.user, self.code, r.target,
                                                r.min_qty if r.min_qty is not None
                                                else Decimal(1)))
