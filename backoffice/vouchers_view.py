"""Voucher batches in the back office: every batch with its terms and how much of it was used;
`n` issues a batch (a value or a percentage, a minimum spend, dates, or handed out on
receipts), Enter shows its codes, `p` prints them as barcodes, `x` voids one code."""

from __future__ import annotations

from textual.binding import Binding

from store.core.i18n import N_, _
from store.core.money import format_money
from store.security.auth import SessionUser
from store.selling import vouchers
from store.shops import org, printing
from tui.dialogs.inputs import TextDialog
from tui.dialogs.shift_report import ShiftReportDialog
from tui.screens.stockdoc import clip, right

from .forms import Field, FormDialog
from .purchasing import DocScreen

# key, label, value, hint (label and hint are msgids, translated when the form opens)
ISSUE_FIELDS = (
    ("name", N_("Name"), "", "满50减10"),
    ("kind", N_("Kind"), "promo", N_("promo (given) or gift (sold)")),
    ("value", N_("Value"), "", N_("what it pays; with a percentage, the most")),
    ("percent", N_("Percent off"), "0", N_("0: a fixed value")),
    ("min_spend", N_("Minimum spend"), "0", ""),
    ("count", N_("How many"), "100", N_("codes printed now")),
    ("on_receipts", N_("On receipts from"), "",
     N_("a total: every such receipt carries a new code")),
    ("valid_from", N_("Good from"), "", "YYYY-MM-DD"),
    ("valid_to", N_("Good to"), "", "YYYY-MM-DD"),
    ("uses", N_("Uses each"), "1", ""),
    ("shop", N_("Shop only"), "", ""),
    ("paid_into", N_("Paid into"), "", N_("a gift batch: 1001, 1002 or 1012")),
)


class VouchersScreen(DocScreen):
    reload_on_resume = True
    row_action = "codes"
    BINDINGS = [
        Binding("enter", "codes", N_("Codes"), id="vouchers.codes"),
        Binding("n", "new", N_("Issue"), id="vouchers.new"),
        Binding("p", "print", N_("Print"), id="vouchers.print"),
        Binding("x", "void", N_("Void a code"), id="vouchers.void"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.views: list[vouchers.BatchView] = []

    def reload(self) -> None:
        self.views = vouchers.batches()
        self.fill(_("Vouchers"),
                  _("{n} batches · gift vouchers owed {owed} · n issue · p print · x void")
                  .format(n=len(self.views), owed=format_money(vouchers.owed())),
                  [_("Batch"), _("Name"), _("Terms"), _("Count"), _("Used"), _("Good to")],
                  [[v.number, clip(v.name, 12), clip(v.terms, 30),
                    right(str(v.count) if v.receipt_min is None else _(
                        "{count} · receipts ≥{least}").format(count=v.count,
                                                     least=f"{v.receipt_min:,.0f}")),
                    right(str(v.used)), v.valid_to.isoformat()]
                   for v in self.views])

    def _chosen(self) -> vouchers.BatchView | None:
        i = self.row()
        if not 0 <= i < len(self.views):
            self.app.bell()
            return None
        return self.views[i]

    def action_codes(self) -> None:
        batch = self._chosen()
        if batch is None:
            return
        state = {"active": _("active"), "void": _("voided"), "expired": _("expired")}
        rows = [(_("Terms"), batch.terms), (_("Good"), f"{batch.valid_from} – {batch.valid_to}"),
                ("-", "")]
        rows += [(vouchers.pretty(code), _("used") if left == 0 and status == "active"
                  else state.get(status, status)) for code, left, status in
                 vouchers.codes(batch.number)]
        self.app.push_screen(ShiftReportDialog(f"{batch.number} {batch.name}", rows))

    def action_new(self) -> None:
        def act(v: dict[str, str]) -> str:
            batch, codes = vouchers.issue(
                self.user, v["name"], v["kind"].strip().lower(), v["value"],
                int(v["count"] or 0) if v["count"].strip().isdigit() else -1,
                min_spend=v["min_spend"] or "0", valid_from=v["valid_from"] or None,
                valid_to=v["valid_to"] or None,
                uses=int(v["uses"]) if v["uses"].strip().isdigit() else 0, shop=v["shop"],
                paid_into=v["paid_into"], percent=v["percent"] or "0",
                on_receipts=v["on_receipts"] or None)
            return _("{number} issued: {terms}, {count} codes").format(
                number=batch.number, terms=batch.terms, count=len(codes))

        fields = [Field(k, label, value, _(hint) if hint else "")
                  for k, label, value, hint in ISSUE_FIELDS]
        self.ask(FormDialog(_("Issue vouchers"), fields, act), self.reload_and_say)

    def action_print(self) -> None:
        batch = self._chosen()
        if batch is None:
            return
        payload = vouchers.sheet(batch.number, org.settings().name)
        if payload is None:
            self.say(_("{number}: no voucher left to print").format(number=batch.number))
            return
        printing.enqueue(self.app.config.terminal.code,  # type: ignore[attr-defined]
                         "vouchers", payload, reference=batch.number)
        self.say(_("{number}: sent to the printer").format(number=batch.number))

    def action_void(self) -> None:
        def given(text: str | None) -> None:
            parts = (text or "").split(maxsplit=1)
            if len(parts) != 2:
                if text:
                    self.say(_("Type the code and why: ABCD-EFGH-JKLM lost"))
                return
            if self.attempt(lambda: vouchers.void(self.user, parts[0], parts[1])):
                self.reload()
                self.say(_("Voucher {code} voided").format(code=parts[0].upper()))

        self.ask(TextDialog(_("Void a voucher: its code and why")), given)
