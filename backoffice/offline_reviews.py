"""The offline tills' sales a manager should look at (issue 18.2): each flagged sale with what
the database would have refused or changed on its way in — a price beyond the cashier's limit,
stock below zero, a number taken, a closed shift — and `s` to mark it seen once dealt with
(`zhanggui sync reviews|seen`). The status line names tills that still hold or had refused
sales."""

from __future__ import annotations

from textual.binding import Binding

from backoffice.purchasing import DocScreen
from store.common import clock
from store.core.i18n import N_, _
from store.offline import reviews
from store.security.auth import SessionUser
from tui.screens.stockdoc import clip


class OfflineReviewsScreen(DocScreen):
    reload_on_resume = True
    BINDINGS = [Binding("s", "seen", N_("Seen"), id="offline.seen"),
                Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[reviews.ReviewRow] = []

    def reload(self) -> None:
        self.rows = reviews.open_reviews()
        tills = [t for t in reviews.tills() if t.waiting or t.held]
        waiting = " · ".join(_("{till}: {n} to send, {held} refused").format(
            till=t.terminal, n=t.waiting, held=t.held) for t in tills)
        self.fill(_("Sales made offline to review"),
                  " · ".join(p for p in (_("{n} to review · s seen").format(n=len(self.rows)),
                                         waiting) if p),
                  [_("Receipt"), _("Till"), _("Sold"), _("What")],
                  [[r.number, r.terminal, clock.short(r.sold_at), clip(r.what, 46)]
                   for r in self.rows])

    def action_seen(self) -> None:
        if not self.rows:
            return
        row = self.rows[self.row()]
        if self.attempt(lambda: reviews.mark_seen(self.user, row.id)):
            self.reload()
            self.say(_("{number}: seen").format(number=row.number))
