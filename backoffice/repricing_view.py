"""A bulk price change from the back office (issue 16.3): which products (a category with its
subcategories, or a supplier's) and how (a percentage or an amount, rounded to a step) on a
form; then every product's old and new price, before anything is written; F2 writes them all
in one transaction, each into the product's price history."""

from __future__ import annotations

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.core.i18n import N_, _
from store.core.money import format_money
from store.pricing import repricing
from store.security.auth import SessionUser


def reprice_form(user: SessionUser, opened: list[repricing.Rule]) -> FormDialog:
    """The rule; a wrong one (both a category and a supplier, 3,00 %, a step of 0) is said
    on the form. On a good one the rule is put in `opened` for the preview to show."""

    def act(v: dict[str, str]) -> str:
        rule = repricing.Rule(category=v["category"].strip() or None,
                              supplier=v["supplier"].strip() or None,
                              percent=v["percent"].strip() or None,
                              amount=v["amount"].strip() or None,
                              round_to=v["round_to"].strip() or "0.01")
        repricing.preview(rule)  # checks the rule: a refusal stays on the form
        opened.append(rule)
        return ""

    return FormDialog(_("Change prices"), [
        Field("category", N_("Category"), hint=_("a category's code (with its subcategories)")),
        Field("supplier", N_("Supplier"), hint=_("or a supplier's code")),
        Field("percent", N_("Percent"), hint=_("+5 up, -10 down")),
        Field("amount", N_("Amount"), hint=_("or +0.50 / -0.50 yuan")),
        Field("round_to", N_("Round to"), "0.01", hint="0.01, 0.10, 0.50, 1")], act,
        aliases={"scope": "category", "change": "percent"})


class RepricePreviewScreen(DocScreen):
    """Old → new for every product the rule changes; F2 applies it as previewed (the store
    recomputes the same plan as it writes)."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back"),
                Binding("f2", "apply", N_("Apply"), id="reprice.apply")]

    def __init__(self, user: SessionUser, rule: repricing.Rule) -> None:
        super().__init__()
        self.user, self.rule = user, rule
        self.applied = False

    def reload(self) -> None:
        rows = repricing.preview(self.rule)
        self.fill(_("Price change: {count} products").format(count=len(rows)),
                  _("Nothing is written until F2") if not self.applied else _("Applied"),
                  [_("SKU"), _("Name"), _("Old price"), _("New price")],
                  [[r.sku, r.name, format_money(r.old_price), format_money(r.new_price)]
                   for r in rows])

    def action_apply(self) -> None:
        if self.applied:
            return
        done: list[list[repricing.Repriced]] = []
        if self.attempt(lambda: done.append(repricing.apply(self.user, self.rule))):
            self.applied = True
            self.reload()
            self.say(_("{count} prices changed, each in its price history").format(
                count=len(done[0])))
