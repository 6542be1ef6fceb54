"""Stored-value cards in the back office: every card with its balances, what the holders are
owed (220301) and the top-up bonuses; Enter shows a card's statement, `b` sets a bonus rule."""

from __future__ import annotations

from textual.binding import Binding

from store.common import clock
from store.core.i18n import N_, _
from store.core.money import format_money
from store.security.auth import SessionUser
from store.selling import cards
from tui.dialogs.inputs import TextDialog
from tui.dialogs.shift_report import ShiftReportDialog
from tui.screens.stockdoc import clip, right

from .purchasing import DocScreen

FILTERS = ("active", "closed", "")


class CardsScreen(DocScreen):
    reload_on_resume = True
    row_action = "statement"
    BINDINGS = [
        Binding("enter", "statement", N_("Statement"), id="cards.statement"),
        Binding("b", "bonus", N_("Top-up bonus"), id="cards.bonus"),
        Binding("f", "filter", N_("Status"), id="cards.filter"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.status = "active"
        self.views: list[cards.CardView] = []

    def reload(self) -> None:
        self.views = cards.cards(status=self.status)
        rules = ", ".join(_("{least} +{bonus}").format(least=format_money(a),
                                                      bonus=format_money(b))
                          for a, b in cards.bonuses()) or _("none")
        shown = {"active": _("active"), "closed": _("closed"), "": _("all")}[self.status]
        self.fill(_("Stored-value cards"),
                  _("{status}: {n} · owed to holders {owed} · bonuses {rules}").format(
                      status=shown, n=len(self.views), owed=format_money(cards.owed()),
                      rules=rules),
                  [_("Card"), _("Member"), _("Balance"), _("Paid"), _("Bonus"), _("Opened")],
                  [[v.number, clip(v.customer_name, 12) or "—", right(format_money(v.balance)),
                    right(format_money(v.paid)), right(format_money(v.bonus)),
                    clock.local_date(v.created_at).isoformat()] for v in self.views])

    def action_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self.reload()

    def action_statement(self) -> None:
        i = self.row()
        if not 0 <= i < len(self.views):
            self.app.bell()
            return
        v = self.views[i]
        rows = [(_("Balance"), format_money(v.balance)), (_("Paid"), format_money(v.paid)),
                (_("Bonus"), format_money(v.bonus)), ("-", "")]
        for m in cards.statement(v.number):
            rows.append((f"{clock.to_local(m.at):%m-%d %H:%M} {_(cards.KINDS[m.kind])} "
                         f"{m.number}", f"{m.paid + m.bonus:+.2f}"))
            rows.append((f"  {_('Balance')}", f"{m.balance:.2f}"))
        self.app.push_screen(ShiftReportDialog(_("Card {number}").format(number=v.number)
                                               if not v.customer else
                                               f"{v.number} {v.customer_name}", rows))

    def action_bonus(self) -> None:
        def given(text: str | None) -> None:
            parts = (text or "").split()
            if len(parts) != 2:
                if text:
                    self.say(_("Type the top-up and its bonus: 100 10"))
                return
            if self.attempt(lambda: cards.set_bonus(self.user, parts[0], parts[1])):
                self.reload()
                self.say(_("Top-ups of at least {least} now get {bonus}").format(
                    least=parts[0], bonus=parts[1]))

        self.ask(TextDialog(_("Top-up bonus: the top-up and its bonus (100 10; a bonus of 0 "
                              "removes it)")), given)
