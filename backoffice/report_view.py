"""One screen for every report: the table of `store.reporting.export` for a period, computed in a worker
(a year of sales never freezes the keyboard), with keys to move through days, weeks, months
and years, to group sales differently, and to export what is shown to CSV or XLSX."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from store.common import clock
from store.core import config, files, reader
from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _
from store.core.money import format_qty
from store.reporting import export, reports
from tui.bindings import TranslatedBindings
from tui.dialogs.inputs import InputDialog
from tui.guard import FAULTS, GuardedActions, fault_message
from tui.widgets.fit_table import FitTable

SPANS = ("day", "week", "month", "year")
SPAN_LABELS = {"day": N_("day"), "week": N_("week"), "month": N_("month"), "year": N_("year")}
# Reports of one moment (as of the period's last day) rather than of a period.
AS_OF = ("balance-sheet", "trial-balance", "valuation", "ap-aging", "ar-aging", "transit")
TITLES = {
    "daily": N_("Sales summary"), "sales": N_("Sales by …"), "tax": N_("Tax by rate"),
    "pnl": N_("Profit and loss"), "balance-sheet": N_("Balance sheet"),
    "trial-balance": N_("Trial balance"), "valuation": N_("Inventory valuation"),
    "ap-aging": N_("Accounts payable aging"), "ar-aging": N_("Accounts receivable aging"),
    "journal": N_("Journal"), "transit": N_("Goods in transit by shop"),
}
# Columns that stay on screen while the others move with Left and Right: the key and its name.
NAMED = ("sales", "pnl", "balance-sheet", "trial-balance", "valuation", "ap-aging", "ar-aging",
         "transit")


@dataclass(frozen=True)
class Period:
    span: str
    anchor: dt.date

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        a = self.anchor
        if self.span == "day":
            return a, a
        if self.span == "week":
            start = a - dt.timedelta(days=a.weekday())
            return start, start + dt.timedelta(days=6)
        if self.span == "month":
            return a.replace(day=1), a.replace(day=calendar.monthrange(a.year, a.month)[1])
        return dt.date(a.year, 1, 1), dt.date(a.year, 12, 31)

    def step(self, n: int) -> Period:
        a = self.anchor
        if self.span == "day":
            return Period(self.span, a + dt.timedelta(days=n))
        if self.span == "week":
            return Period(self.span, a + dt.timedelta(weeks=n))
        if self.span == "month":
            month = a.month - 1 + n
            year = a.year + month // 12
            month = month % 12 + 1
            return Period(self.span, dt.date(year, month, min(a.day, calendar.monthrange(
                year, month)[1])))
        return Period(self.span, a.replace(year=a.year + n, day=min(a.day, 28)))

    def label(self) -> str:
        start, end = self.bounds
        return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"


def cell(value: export.Value) -> str | Text:
    """Numbers right-aligned: amounts with 2 places and thousands separators, quantities and
    percentages as they are."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Text(f"{value:,}", justify="right")
    if isinstance(value, Decimal):
        text = f"{value:,.2f}" if value.as_tuple().exponent == -2 else format_qty(value)
        return Text(text, justify="right")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


class ExportDialog(InputDialog[Path]):
    def accept(self, text: str) -> Path:
        path = Path(text.strip()).expanduser()
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise ValidationError(_("Name the file .csv or .xlsx"), field="path", value=text)
        files.check_target(path, cli=False)  # said here, while the name can still change
        return path


class ReportScreen(GuardedActions, TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    ReportScreen { align: left top; }
    ReportScreen #report-title { height: 1; width: 100%; text-style: bold; }
    ReportScreen #report-status { height: 1; width: 100%; color: $text-muted; }
    ReportScreen #report-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", N_("Earlier"), id="report.earlier"),
        Binding("right_square_bracket", "step(1)", N_("Later"), id="report.later"),
        Binding("p", "span", N_("Period"), id="report.period"),
        Binding("b", "group", N_("Group by"), id="report.group"),
        Binding("t", "today", N_("Today"), id="report.today", show=False),
        Binding("x", "export", N_("Export"), id="report.export"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, name: str, *, span: str = "month", by: str = "product") -> None:
        super().__init__()
        self.report = name
        self.period = Period(span if name not in AS_OF else "day", clock.local_today())
        self.by = by
        self.table_data: export.Table | None = None
        self.what = ""
        self.freshness = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_(TITLES[self.report]), id="report-title")
        yield Label("", id="report-status")
        yield FitTable(id="report-table", fixed=2 if self.report in NAMED else 1,
                       cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "group":
            return self.report == "sales"
        return True

    def params(self) -> export.Params:
        start, end = self.period.bounds
        # Whoever is logged in: a user who works for some shops sees theirs only.
        return export.Params(start, end, self.by,
                             viewer=getattr(self.app, "user", None))

    def load(self) -> None:
        what = (_("as of {date}").format(date=self.period.bounds[1].isoformat())
                if self.report in AS_OF else self.period.label())
        if self.report == "sales":
            what += " · " + _("by {what}").format(what=_(reports.DIMENSIONS[self.by]))
        self.query_one("#report-status", Label).update(what + " · " + _("working…"))
        self.compute(self.params(), what)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def compute(self, params: export.Params, what: str) -> None:
        try:
            table = export.table(self.report, params)
        except Exception as exc:  # shown, never a traceback: the screen stays usable
            self.app.call_from_thread(self.failed, exc)
            return
        self.app.call_from_thread(self.show, table, what, reader.note())

    def failed(self, exc: Exception) -> None:
        self.query_one("#report-status", Label).update(
            str(exc) if isinstance(exc, StoreError) else fault_message(exc))

    def show(self, table: export.Table, what: str, freshness: str = "") -> None:
        self.table_data = table
        self.what = what
        self.freshness = freshness  # read from a lagging replica: said with the figures
        self.query_one("#report-table", FitTable).show_table(
            table.columns, [[cell(v) for v in row] for row in table.rows])
        self.query_one("#report-title", Label).update(table.title)
        self.show_status()

    def show_status(self) -> None:
        if self.table_data is None:
            return
        parts = [self.what, _("{n} rows").format(n=len(self.table_data.rows))]
        parts += [self.freshness] if self.freshness else []
        note = self.query_one("#report-table", FitTable).note
        self.query_one("#report-status", Label).update(" · ".join(parts + ([note] if note else [])))

    def on_fit_table_shifted(self, event: FitTable.Shifted) -> None:
        self.show_status()

    def action_step(self, n: int) -> None:
        self.period = self.period.step(n)
        self.load()

    def action_today(self) -> None:
        self.period = Period(self.period.span, clock.local_today())
        self.load()

    def action_span(self) -> None:
        if self.report in AS_OF:
            return
        self.period = Period(SPANS[(SPANS.index(self.period.span) + 1) % len(SPANS)],
                             self.period.anchor)
        self.app.notify(_("Period: {span}").format(span=_(SPAN_LABELS[self.period.span])))
        self.load()

    def action_group(self) -> None:
        keys = list(reports.DIMENSIONS)
        self.by = keys[(keys.index(self.by) + 1) % len(keys)]
        self.load()

    def action_export(self) -> None:
        start, end = self.period.bounds
        default = files.free_name(
            config.exports_dir() / f"zhanggui-{self.report}-{start.isoformat()}-{end.isoformat()}.xlsx")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write(self.params(), path)

        self.ask(ExportDialog(_("Export to (.xlsx or .csv)"), str(default)), chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="report-export")
    def write(self, params: export.Params, path: Path) -> None:
        try:
            written = export.write(export.table(self.report, params), path,
                                   path.suffix.lower().lstrip("."))
        except Exception as exc:  # a refusal or the database away: a notice, not a crash
            if not isinstance(exc, (StoreError, *FAULTS)):
                raise
            message = str(exc) if isinstance(exc, StoreError) else fault_message(exc)
            self.app.call_from_thread(self.app.notify, message, severity="error", timeout=8)
            return
        self.app.call_from_thread(self.app.notify, _("Wrote {path}").format(path=written),
                                  timeout=8)
