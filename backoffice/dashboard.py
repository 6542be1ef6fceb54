"""The owner's dashboard: today against the same weekday last week, sales by hour, tenders,
terminals, low stock, open shifts and cash over/short. It refreshes itself every 30 seconds in
a worker thread, so a slow link or a busy database never freezes the keyboard."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from store.common import clock
from store.core import reader
from store.core.i18n import N_, _
from store.core.money import format_money, format_qty
from store.jobs import schedule
from store.offline import reviews
from store.reporting import reports
from store.security.auth import SessionUser
from store.shops import branches
from tui.bindings import TranslatedBindings
from tui.guard import FAULTS, fault_message
from tui.widgets.bars import bar_lines, hour_axis

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))


def change(now: Decimal, before: Decimal) -> str:
    """+12% / −3% against last week, or "new" when there was nothing to compare with."""
    if not before:
        return _("new") if now else ""
    pct = ((now - before) * 100 / abs(before)).quantize(Decimal(1))
    return f"{'▲' if pct >= 0 else '▼'}{abs(pct)}%"


def grid(rows: list[tuple[str, str, str]]) -> Table:
    """Label, value, note: a borderless table that measures Chinese as two columns."""
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    for row in rows:
        table.add_row(*row)
    return table


def reconcile(day: reports.DailyReport) -> str:
    """Why the terminals' takings and receipt count differ from net sales and the number of
    sales (cash rounding, return receipts), or "" when they agree."""
    taken = sum((t.amount for t in day.by_terminal), Decimal(0))
    receipts = sum(t.count for t in day.by_terminal)
    parts = []
    if taken != day.figures.net:
        parts.append(_("taken {taken} = net sales {net} + cash rounding {rounding}").format(
            taken=format_money(taken), net=format_money(day.figures.net),
            rounding=format_money(day.rounding)))
    if receipts != day.sales:
        parts.append(_("{n} receipts = {sales} sales + {returns} returns").format(
            n=receipts, sales=day.sales, returns=day.return_receipts))
    return _("Terminals: {why}").format(why="; ".join(parts)) if parts else ""


class DashboardScreen(TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    DashboardScreen { align: left top; }
    DashboardScreen #dash-title { height: 1; width: 100%; text-style: bold; }
    DashboardScreen #dash-top { height: 8; }
    DashboardScreen .panel { border: round $accent; padding: 0 1; height: 8; }
    DashboardScreen #dash-sales { width: 42; }
    DashboardScreen #dash-tenders { width: 1fr; }
    DashboardScreen #dash-hours { height: 1fr; min-height: 7; border: round $accent; padding: 0 1; }
    DashboardScreen #dash-foot { height: auto; }
    DashboardScreen #dash-warn { color: $warning; text-style: bold; display: none; }
    """
    BINDINGS = [
        Binding("r", "refresh_now", N_("Refresh"), id="dashboard.refresh"),
        Binding("s", "next_shop", N_("Shop"), id="dashboard.shop"),
        Binding("m", "menu", N_("Menu"), id="dashboard.menu"),
        Binding("escape", "menu", N_("Back"), id="back"),
    ]
    REFRESH_SECONDS = 30.0

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.data: reports.Dashboard | None = None
        self.shop = ""  # "": every shop the user sees; else one shop's code (s cycles)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Loading today's figures…"), id="dash-title")
        with Horizontal(id="dash-top"):
            yield Static("", id="dash-sales", classes="panel")
            yield Static("", id="dash-tenders", classes="panel")
        yield Static("", id="dash-hours")
        with Vertical(id="dash-foot"):
            yield Label("", id="dash-terminals")
            yield Label("", id="dash-reconcile")
            yield Label("", id="dash-alerts")
            yield Label("", id="dash-warn")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(self.REFRESH_SECONDS, self.load)

    def action_refresh_now(self) -> None:
        self.load()

    def action_next_shop(self) -> None:
        """All the user's shops, then each alone, then all again (a chain's owner compares
        a shop with the chain; one shop's manager has only theirs)."""
        try:
            choices = ["", *branches.seen_by(self.user)]
        except FAULTS as exc:  # the database away: said, the screen stays
            self.notify(fault_message(exc), severity="error")
            return
        if len(choices) <= 2:
            self.notify(_("One shop only"))
            return
        self.shop = choices[(choices.index(self.shop) + 1) % len(choices)
                            if self.shop in choices else 0]
        self.query_one("#dash-title", Label).update(_("Loading today's figures…"))
        self.load()

    def action_menu(self) -> None:
        self.app.pop_screen()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def load(self) -> None:
        try:
            data = reports.dashboard(shop=self.shop, viewer=self.user)
            stale = reader.note()  # figures from a lagging replica, or past a silent one
            warnings = ([stale] if stale else []) + schedule.attention() + reviews.attention()
        except Exception as exc:  # the database away: say so, try again at the next tick
            self.app.call_from_thread(self.show_error, exc)
            return
        self.app.call_from_thread(self.show, data)
        self.app.call_from_thread(self.warn, warnings)

    def warn(self, warnings: list[str]) -> None:
        """Channels failing, no worker, a job failed, offline tills' sales: the first two, one
        line each."""
        label = self.query_one("#dash-warn", Label)
        label.update("\n".join("⚠ " + w for w in warnings[:2]))
        label.display = bool(warnings)

    def show_error(self, exc: Exception) -> None:
        self.query_one("#dash-title", Label).update(fault_message(exc))

    def show(self, d: reports.Dashboard) -> None:
        self.data = d
        today, before = d.today, d.last_week
        f, b = today.figures, before.figures
        now = clock.local_now()
        self.query_one("#dash-title", Label).update(
            _("Today {date} ({weekday}), against last {weekday} · updated {time}").format(
                date=today.date.isoformat(), weekday=_(WEEKDAYS[today.date.weekday()]),
                time=now.strftime("%H:%M"))
            + (" · " + _("shop {code}").format(code=self.shop) if self.shop else ""))
        margin = f"{f.margin_pct}%" if f.margin_pct is not None else "—"
        rows = [
            (_("Net sales"), format_money(f.net), change(f.net, b.net)),
            (_("Receipts"), str(today.sales), change(Decimal(today.sales), Decimal(before.sales))),
            (_("Average basket"), format_money(today.average_basket),
             change(today.average_basket, before.average_basket)),
            (_("Margin"), f"{format_money(f.margin)} {margin}", change(f.margin, b.margin)),
            (_("Returns"), format_money(f.returns), ""),
            (_("Items sold"), format_qty(f.items), change(f.items, b.items)),
        ]
        self.query_one("#dash-sales", Static).update(grid(rows))
        tenders = [(t.label, format_money(t.amount), f"({t.count})")
                   for t in today.by_tender if t.amount or t.count]
        self.query_one("#dash-tenders", Static).update(
            grid(tenders[:6]) if tenders else _("No payments yet"))
        hours = self.query_one("#dash-hours", Static)
        lines = bar_lines(d.by_hour, max(3, hours.content_size.height - 2))  # title, axis
        hours.update(
            _("Sales by hour") + "\n" + "\n".join(lines) + "\n" + hour_axis())
        terminals = "  ".join(f"{t.key} {format_money(t.amount)} ({t.count})"
                              for t in today.by_terminal) or _("No sales yet today")
        self.query_one("#dash-terminals", Label).update(_("Terminals: {list}").format(
            list=terminals))
        why = reconcile(today)
        self.query_one("#dash-reconcile", Label).update(why)
        self.query_one("#dash-reconcile", Label).display = bool(why)
        shifts = ", ".join(d.open_shifts) or _("none")
        said = _("Low stock: {n} · Open shifts: {shifts} · Cash over/short: {amount}").format(
            n=d.low_stock, shifts=shifts, amount=format_money(d.over_short))
        if d.expiring:
            said = _("Expiring lots: {n}").format(n=d.expiring) + " · " + said
        self.query_one("#dash-alerts", Label).update(said)
