"""发票 requests in the back office: the list by status, the invoice number recorded once the
tax platform issued it, marked sent, withdrawn, and the requests still to issue exported in
the platform's bulk-issue file (docs/FAPIAO.md)."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from store.common import clock
from store.core import config
from store.core.i18n import N_, NC_, _
from store.core.money import format_money
from store.fapiao import batch, requests
from store.security.auth import SessionUser
from tui.dialogs.inputs import TextDialog
from tui.screens.stockdoc import clip, right

from .purchasing import DocScreen

FILTERS = ("requested", "issued", "sent", "cancelled", "")


class FapiaoScreen(DocScreen):
    reload_on_resume = True
    BINDINGS = [
        Binding("i", "issue", N_("Invoice no."), id="fapiao.issue"),
        Binding("s", "sent", NC_("fapiao", "Sent"), id="fapiao.sent"),
        Binding("x", "withdraw", N_("Withdraw"), id="fapiao.cancel"),
        Binding("e", "export", N_("Export"), id="fapiao.export"),
        Binding("f", "filter", N_("Status"), id="fapiao.filter"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.status = "requested"
        self.views: list[requests.RequestView] = []

    def reload(self) -> None:
        self.views = requests.requests(self.user, status=self.status or None)
        shown = _(requests.STATUS_WORDS[self.status]) if self.status else _("all")
        self.fill(_("发票 requests"),
                  _("{status}: {n} · i invoice no. · s sent · x withdraw · e export · f "
                    "status").format(status=shown, n=len(self.views)),
                  [_("Request"), _("Date"), _("Title"), _("Tax ID"), _("Amount"), _("Status"),
                   _("Invoice no."), _("Receipts")],
                  [[v.number, clock.local_date(v.created_at).isoformat(), clip(v.title, 16),
                    v.tax_id or "—", right(format_money(v.amount)),
                    _(requests.STATUS_WORDS[v.status]), v.invoice_number,
                    " ".join(v.sales)] for v in self.views])

    def _selected(self) -> requests.RequestView | None:
        i = self.row()
        if not 0 <= i < len(self.views):
            self.app.bell()
            return None
        return self.views[i]

    def action_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self.reload()

    def action_issue(self) -> None:
        v = self._selected()
        if v is None:
            return

        def given(number: str | None) -> None:
            if number and self.attempt(lambda: requests.issue(self.user, v.number, number)):
                self.reload()
                self.say(_("{request}: 发票 {invoice} recorded").format(request=v.number,
                                                                        invoice=number))

        self.ask(TextDialog(_("The 发票 number the tax platform gave {request}").format(
            request=v.number)), given)

    def action_sent(self) -> None:
        v = self._selected()
        if v is not None and self.attempt(lambda: requests.mark_sent(self.user, v.number)):
            self.reload()
            self.say(_("{request}: sent to the customer").format(request=v.number))

    def action_withdraw(self) -> None:
        v = self._selected()
        if v is None:
            return

        def given(reason: str | None) -> None:
            if reason and self.attempt(lambda: requests.cancel(self.user, v.number, reason)):
                self.reload()
                self.say(_("{request} withdrawn: its receipts can be asked for again").format(
                    request=v.number))

        self.ask(TextDialog(_("Why is {request} withdrawn?").format(request=v.number)), given)

    def action_export(self) -> None:
        default = config.data_dir() / f"fapiao-{clock.local_today():%Y%m%d}.xlsx"

        def given(path: str | None) -> None:
            if not path:
                return
            count: list[int] = []
            if self.attempt(lambda: count.append(batch.export(self.user, Path(path)))):
                self.say(_("{n} requests written to {path}: upload it to the tax platform's "
                           "bulk issue").format(n=count[0], path=path))

        self.ask(TextDialog(_("Export the requests still to issue to which file?"),
                            str(default)), given)
