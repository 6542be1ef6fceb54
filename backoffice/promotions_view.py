"""Promotions in the back office: the list (running first) with their terms, scope and
window; end or restart one; a form for a new one that stays open on a mistake, naming it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.binding import Binding

from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.pricing import promotions
from store.pricing.promotions import PromotionInput
from store.security.auth import SessionUser
from tui.screens.stockdoc import clip

from .forms import Field, FormDialog
from .purchasing import DocScreen

# (field id, label) in the order Enter walks them; the kind decides which value fields count.
FIELDS = (("code", N_("Code")), ("name", N_("Receipt name")),
          ("kind", N_("Kind")), ("value", N_("% / amount / price")),
          ("buy", N_("Buy X")), ("get", N_("Get Y free")), ("bundle", N_("Bundle of N")),
          ("skus", N_("SKUs")), ("categories", N_("Categories")), ("shops", N_("Shops")),
          ("members", N_("Members only")), ("dates", N_("Dates")), ("days", N_("Weekdays")),
          ("hours", N_("Hours")))
KIND_WORDS = {"percent": "percent", "%": "percent", "amount": "amount", "buy_get": "buy_get",
              "buy": "buy_get", "bundle": "bundle", "折": "percent", "减": "amount",
              "送": "buy_get", "组合": "bundle"}


class PromotionsScreen(DocScreen):
    BINDINGS = [
        Binding("n", "new", N_("New"), id="promos.new"),
        Binding("e", "end_or_restart", N_("End / restart"), id="promos.toggle"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[promotions.PromotionRow] = []

    def reload(self) -> None:
        self.rows = promotions.promotions()
        running = sum(1 for r in self.rows if r.active)
        self.fill(_("Promotions"), _("{n} running · n new · e end or restart").format(
            n=running),
            [_("Code"), _("Name"), _("Terms"), _("On"), _("When"), _("State")],
            [[r.code, clip(r.name, 14), r.terms,
              clip(r.scope + (f" @{r.shops}" if r.shops else ""), 14), clip(r.window, 16),
              (_("running") if r.active else _("ended"))
              + (" " + _("members") if r.members_only else "")] for r in self.rows])

    def action_end_or_restart(self) -> None:
        if not self.rows:
            return
        row = self.rows[self.row()]
        if self.attempt(lambda: promotions.set_active(self.user, row.code, not row.active)):
            self.reload()

    def action_new(self) -> None:
        def act(data: PromotionInput) -> str:
            made = promotions.create(self.user, data)
            return _("{code}: {terms} on {scope}, {window}").format(
                code=made.code, terms=made.terms, scope=made.scope, window=made.window)

        self.ask(promotion_form(act), self.reload_and_say)


def _int(text: str, field: str) -> int:
    try:
        return int(text or "0")
    except ValueError:
        raise ValidationError(_("{field}: '{value}' is not a whole number").format(
            field=field, value=text), field=field, value=text) from None


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]


def read_form(values: dict[str, str]) -> PromotionInput:
    """The form's text as a promotion to create (the store checks the rest)."""
    kind = KIND_WORDS.get(values["kind"].strip().lower(), values["kind"].strip())
    starts = ends = None
    if values["dates"].strip():
        first, _sep, last = values["dates"].partition("..")
        try:
            starts = dt.date.fromisoformat(first.strip()) if first.strip() else None
            ends = dt.date.fromisoformat(last.strip()) if last.strip() else None
        except ValueError:
            raise ValidationError(_("dates: '{value}' is not YYYY-MM-DD..YYYY-MM-DD").format(
                value=values["dates"]), field="dates", value=values["dates"]) from None
    start, _sep, end = (values["hours"].strip() or "0-24").partition("-")
    return PromotionInput(
        values["code"], values["name"], kind, values["value"].strip(),
        buy=_int(values["buy"], "buy"), get=_int(values["get"], "get"),
        bundle_qty=_int(values["bundle"], "bundle_qty"), skus=_list(values["skus"]),
        categories=_list(values["categories"]), shops=_list(values["shops"]),
        members_only=values["members"].strip().lower() in ("y", "yes", "1", "是", "会员"),
        starts_on=starts, ends_on=ends, weekdays=values["days"].strip() or "1234567",
        hours=(_int(start, "hours"), _int(end or "24", "hours")))


def promotion_form(act: Callable[[PromotionInput], str]) -> FormDialog:
    """The new-promotion form: the store checks what the form reads."""
    defaults = {"kind": "percent", "days": "1234567", "hours": "0-24", "members": "n"}
    hints = {"kind": "percent / amount / buy_get / bundle", "skus": "COKE, TEA",
             "categories": "DRINK", "shops": _("empty: every shop; BJ, SH"),
             "dates": "2026-12-01..2026-12-31", "members": "y / n"}
    return FormDialog(_("New promotion"),
                      [Field(k, label, defaults.get(k, ""), hints.get(k, ""))
                       for k, label in FIELDS],
                      lambda values: act(read_form(values)),
                      {"percent": "value", "amount": "value", "price": "value",
                       "bundle_qty": "bundle", "items": "skus", "ends_on": "dates",
                       "weekdays": "days"})
