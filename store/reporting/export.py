"""Reports as tables, written to CSV (UTF-8 with BOM, for Excel) or XLSX. A table is a title,
column headings and rows of plain values; amounts stay Decimal until the writer (XLSX cells get
a number with a 0.00 format: the file's doubles are made from the Decimal as it is written).

Every report `zhanggui report export` knows is a function here from its parameters to a Table.
Files are written by store.core.files: whole or not at all, never over an existing file
unless forced, never over the shop's own files."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from store.books import ledger
from store.buying import payables
from store.core import files
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.reader import from_replica
from store.customers import receivables
from store.reporting import reports
from store.security.auth import SessionUser
from store.stock import transfers

Value = str | int | Decimal | dt.date | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Value]] = field(default_factory=list)


@dataclass(frozen=True)
class Params:
    start: dt.date
    end: dt.date
    by: str = "product"
    viewer: SessionUser | None = None  # a user who works for some shops sees theirs only


def _figures_row(f: reports.Figures) -> list[Value]:
    return [f.gross, f.discounts, f.returns, f.net, f.tax, f.revenue, f.cost, f.margin,
            f.margin_pct, f.items]


def _figure_columns() -> list[str]:
    return [_("Gross"), _("Discounts"), _("Returns"), _("Net"), _("Tax"), _("Revenue"),
            _("Cost"), _("Margin"), _("Margin %"), _("Items")]


def daily_table(p: Params) -> Table:
    """One figure per row (what, item, count, amount): the day's figures, then each tender,
    terminal and invoiced channel. A wide one-row table would not fit a screen, and rows of
    tenders under the figures' headings would mislabel them in a spreadsheet."""
    r = reports.period(p.start, p.end, viewer=p.viewer)
    f = r.figures
    t = Table(_("Sales {start} to {end}").format(start=p.start, end=p.end),
              [_("Section"), _("Item"), _("Count"), _("Amount")])
    sales = _("Sales summary")  # not "Sales": in Chinese that one is the count (笔数)
    t.rows.append([sales, _("Sales receipts"), r.sales, None])
    t.rows.append([sales, _("Return receipts"), r.return_receipts, None])
    for label, amount in zip(_figure_columns(), _figures_row(f), strict=True):
        if label in (_("Margin %"), _("Items")):
            t.rows.append([sales, label, amount, None])
        else:
            t.rows.append([sales, label, None, amount])
    t.rows.append([sales, _("Rounding"), None, r.rounding])
    t.rows.append([sales, _("Average basket"), None, r.average_basket])
    for share in r.by_tender:
        t.rows.append([_("Tender"), share.label, share.count, share.amount])
    for share in r.by_terminal:
        t.rows.append([_("Terminal"), share.key, share.count, share.amount])
    for share in r.orders_invoiced:
        t.rows.append([_("Sales orders invoiced"), share.label, share.count, share.amount])
    return t


def sales_table(p: Params) -> Table:
    t = Table(_("Sales by {what}, {start} to {end}").format(
        what=_(reports.DIMENSIONS.get(p.by, p.by)), start=p.start, end=p.end),
        [_(reports.DIMENSIONS.get(p.by, "Key")), _("Name"), _("Sales"), *_figure_columns()])
    for row in reports.sales_by(p.by, p.start, p.end, limit=1_000_000, viewer=p.viewer):
        t.rows.append([row.key, row.label, row.sales, *_figures_row(row.figures)])
    return t


def tax_table(p: Params) -> Table:
    t = Table(_("Output VAT by rate, {start} to {end}").format(start=p.start, end=p.end),
              [_("Rate %"), _("Net"), _("Tax"), _("Gross")])
    for r in reports.tax_summary(p.start, p.end):
        t.rows.append([r.rate_pct, r.net, r.tax, r.gross])
    return t


def pnl_table(p: Params) -> Table:
    s = reports.pnl(p.start, p.end)
    t = Table(_("Profit and loss, {start} to {end}").format(start=p.start, end=p.end),
              [_("Account"), _("Name"), _("Amount")])
    t.rows.extend([r.code, r.name, r.amount] for r in s.income)
    t.rows.append(["", _("Total income"), s.total_income])
    t.rows.extend([r.code, r.name, r.amount] for r in s.expenses)
    t.rows.append(["", _("Total expenses"), s.total_expenses])
    t.rows.append(["", _("Gross profit"), s.gross_profit])
    t.rows.append(["", _("Net profit"), s.net_profit])
    return t


def balance_sheet_table(p: Params) -> Table:
    s = reports.balance_sheet(p.end)
    t = Table(_("Balance sheet as of {date}").format(date=p.end),
              [_("Account"), _("Name"), _("Amount")])
    for label, rows, total in ((_("Total assets"), s.assets, s.total_assets),
                               (_("Total liabilities"), s.liabilities, s.total_liabilities),
                               (_("Total equity"), s.equity, s.total_equity)):
        t.rows.extend([r.code, r.name, r.amount] for r in rows)
        t.rows.append(["", label, total])
    return t


def trial_balance_table(p: Params) -> Table:
    t = Table(_("Trial balance as of {date}").format(date=p.end),
              [_("Account"), _("Name"), _("Debit"), _("Credit"), _("Account balance")])
    for r in ledger.trial_balance(p.end):
        if r.debit or r.credit:
            t.rows.append([r.code, r.name, r.debit, r.credit, r.balance])
    return t


def valuation_table(p: Params) -> Table:
    rows, total = reports.valuation()
    t = Table(_("Inventory valuation"), [_("SKU"), _("Name"), _("Qty"), _("Unit cost"),
                                         _("Value")])
    t.rows.extend([r.sku, r.name, r.qty, r.unit_cost, r.value] for r in rows)
    t.rows.append(["", _("Total"), None, None, total])
    return t


def ap_aging_table(p: Params) -> Table:
    t = Table(_("Accounts payable aging as of {date}").format(date=p.end),
              [_("Supplier"), _("Name"), _("Not due"), "1–30", "31–60", "61–90", "90+",
               _("Total")])
    for r in payables.aging(p.end):
        t.rows.append([r.code, r.name, *r.buckets, r.total])
    return t


def ar_aging_table(p: Params) -> Table:
    t = Table(_("Accounts receivable aging as of {date}").format(date=p.end),
              [_("Customer"), _("Name"), _("Not due"), "1–30", "31–60", "61–90", "90+",
               _("Total")])
    for r in receivables.aging(p.end):
        t.rows.append([r.code, r.name, *r.buckets, r.total])
    return t


def journal_table(p: Params) -> Table:
    t = Table(_("Journal, {start} to {end}").format(start=p.start, end=p.end),
              [_("Entry"), _("Date"), _("Kind"), _("Description"), _("Reference"),
               _("Account"), _("Debit"), _("Credit")])
    for e in ledger.journal(p.start, p.end, limit=1_000_000)[::-1]:
        for ln in e.lines:
            # The entry's number is a name, not an amount: "1629", never "1,629".
            t.rows.append([str(e.id), e.date, ledger.kind_label(e.kind), e.description,
                           e.reference, ln.account, ln.debit, ln.credit])
    return t



def transit_table(p: Params) -> Table:
    """What each shop has on the road (issue 18.1): coming to it, and sent by it, at the cost
    the goods left at — now, whatever the period."""
    rows = transfers.transit_by_shop(p.viewer)
    return Table(_("Goods in transit by shop"),
                 [_("Shop"), _("Name"), _("Coming"), _("Qty coming"), _("Value coming"),
                  _("Sent"), _("Qty sent"), _("Value sent")],
                 [[r.shop, r.name, r.incoming, r.incoming_qty, r.incoming_value, r.outgoing,
                   r.outgoing_qty, r.outgoing_value] for r in rows])

REPORTS: dict[str, Callable[[Params], Table]] = {
    "daily": daily_table, "sales": sales_table, "tax": tax_table, "pnl": pnl_table,
    "balance-sheet": balance_sheet_table, "trial-balance": trial_balance_table,
    "valuation": valuation_table, "ap-aging": ap_aging_table, "ar-aging": ar_aging_table,
    "journal": journal_table, "transit": transit_table,
}


@from_replica
def table(name: str, params: Params) -> Table:
    make = REPORTS.get(name)
    if make is None:
        raise ValidationError(_("report: '{value}' is not one of {names}").format(
            value=name, names=", ".join(REPORTS)), field="report", value=name)
    return make(params)


def _cell(value: Value) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def write(t: Table, path: str | Path, fmt: str, *, force: bool = False) -> Path:
    """Write the table; the file appears whole or not at all, and never over an existing
    file without `force` (store.core.files)."""
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("format: '{value}' is not csv or xlsx").format(value=fmt),
                              field="format", value=fmt)
    return files.write_file(path, (lambda fh: _write_csv(t, fh)) if fmt == "csv"
                            else (lambda fh: _write_xlsx(t, fh)), force=force)


def _write_csv(t: Table, fh: Any) -> None:
    """The headings on row 1, so a spreadsheet or a script reads the file as a table; the
    report's name and period are in the file's name. Text a spreadsheet would run as a
    formula is escaped; amounts are written as the numbers they are."""
    import io

    text = io.StringIO()
    w = csv.writer(text)
    w.writerow([files.csv_safe(c) for c in t.columns])
    for row in t.rows:
        w.writerow([files.csv_safe(v) if isinstance(v, str) else _cell(v) for v in row])
    fh.write(("\ufeff" + text.getvalue()).encode("utf-8"))


def _write_xlsx(t: Table, fh: Any) -> None:
    import xlsxwriter  # imported when used: only exports need it

    book = xlsxwriter.Workbook(fh, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"title": t.title})
    sheet = book.add_worksheet(_sheet_name(t.title))
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for c, heading in enumerate(t.columns):  # row 1: a table Excel can filter and sort
        sheet.write_string(0, c, heading, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(t.rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Decimal):
                # xlsxwriter formats the number itself (%.16G), which a Decimal does exactly:
                # the cell holds the amount's own decimal text, never a float's rounding.
                sheet.write_number(r, c, value, money)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(_cell(value)))  # text stays text, never a formula
    book.close()


def _sheet_name(title: str) -> str:
    """The title as a sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Report"
