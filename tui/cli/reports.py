"""`zhanggui report …` and `zhanggui ledger …`: the day's figures, sales by anything, P&L,
balance sheet, exports to CSV/XLSX; the trial balance, the journal, manual entries, reversals,
locked months and the chart of accounts."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from store.books import ledger
from store.common import clock
from store.core import files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _, current_language
from store.core.money import format_money
from store.reporting import export, reports

from .common import acting_user, open_db, parse_date, print_json, print_table


def _span(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    today = clock.local_today()
    start = parse_date(getattr(args, "start", None), "--from", today.replace(day=1))
    end = parse_date(getattr(args, "end", None), "--to", today)
    if end < start:
        raise ValidationError(_("--to {end} is before --from {start}").format(
            end=end, start=start), field="--to", value=end)
    return start, end


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help=_("first day (default: the 1st of this month)"))
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("last day (default: today)"))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser("report", help=_("sales, profit and loss, balance sheet; exports"))
    rsub = r.add_subparsers(dest="report_command", metavar=_("COMMAND"), required=True)
    d = rsub.add_parser("daily", help=_("one day's sales, returns, tax, cost and margin"))
    d.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day (default: today)"))
    d.add_argument("--shop", default="", metavar="SHOP",
                   help=_("one shop of a chain (default: all; `report sales --by shop` "
                          "puts them side by side)"))
    d.add_argument("--json", action="store_true", help=_("print JSON"))
    d.set_defaults(func=cmd_daily)
    s = rsub.add_parser("sales", help=_("sales grouped by day, hour, product, category, "
                                        "cashier, terminal, tender, channel or shop"))
    s.add_argument("--by", default="product", choices=list(reports.DIMENSIONS))
    _period_args(s)
    s.add_argument("--limit", type=int, default=50, metavar="N", help=_("at most N rows"))
    s.add_argument("--json", action="store_true", help=_("print JSON"))
    s.set_defaults(func=cmd_sales)
    p = rsub.add_parser("pnl", help=_("profit and loss for a period"))
    _period_args(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_pnl)
    b = rsub.add_parser("balance-sheet", help=_("assets, liabilities and equity on a day"))
    b.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help=_("default: today"))
    b.add_argument("--json", action="store_true", help=_("print JSON"))
    b.set_defaults(func=cmd_balance_sheet)
    e = rsub.add_parser("export", help=_("write a report to CSV or XLSX"))
    e.add_argument("name", choices=list(export.REPORTS), metavar="NAME",
                   help=", ".join(export.REPORTS))
    e.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default=None,
                   help=_("csv or xlsx (default: from the file name)"))
    e.add_argument("--out", required=True, metavar="FILE", help=_("the file to write"))
    e.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    e.add_argument("--by", default="product", choices=list(reports.DIMENSIONS),
                   help=_("for the sales report"))
    _period_args(e)
    e.epilog = _("Without --from and --to, daily exports today and the others this month.")
    e.set_defaults(func=cmd_export)

    g = sub.add_parser("ledger", help=_("the books: trial balance, journal, entries, periods"))
    gsub = g.add_subparsers(dest="ledger_command", metavar=_("COMMAND"), required=True)
    tb = gsub.add_parser("trial-balance", help=_("every account's debits, credits and balance"))
    tb.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help=_("default: today"))
    tb.add_argument("--json", action="store_true", help=_("print JSON"))
    tb.set_defaults(func=cmd_trial_balance)
    j = gsub.add_parser("journal", help=_("journal entries with their lines, newest first"))
    _period_args(j)
    j.add_argument("--account", default="", metavar="CODE", help=_("only entries touching it"))
    j.add_argument("--kind", default="", help=_("sale, return, receipt, bill, payment, "
                                                "ar_payment, count, shift, manual, reversal, "
                                                "opening"))
    j.add_argument("--limit", type=int, default=100, metavar="N", help=_("at most N entries"))
    j.add_argument("--json", action="store_true", help=_("print JSON"))
    j.set_defaults(func=cmd_journal)
    po = gsub.add_parser("post", help=_("a manual entry: --debit and --credit lines that "
                                        "balance"))
    po.add_argument("--date", metavar="YYYY-MM-DD", help=_("default: today"))
    po.add_argument("--description", required=True)
    po.add_argument("--debit", action="append", default=[], metavar="ACCOUNT=AMOUNT")
    po.add_argument("--credit", action="append", default=[], metavar="ACCOUNT=AMOUNT")
    po.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who posts it (asks for the PIN or password)"))
    po.set_defaults(func=cmd_post)
    rv = gsub.add_parser("reverse", help=_("cancel an entry with its mirror image"))
    rv.add_argument("entry", type=int)
    rv.add_argument("--reason", required=True)
    rv.add_argument("--date", metavar="YYYY-MM-DD", help=_("default: today"))
    rv.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who posts it (asks for the PIN or password)"))
    rv.set_defaults(func=cmd_reverse)
    for name, helptext in (("lock", _("lock the books through the end of a month")),
                           ("unlock", _("open a locked month again (recorded)"))):
        lk = gsub.add_parser(name, help=helptext)
        lk.add_argument("month", metavar="YYYY-MM")
        lk.add_argument("--as", dest="actor", required=True, metavar="USER",
                        help=_("who does it (asks for the PIN or password)"))
        lk.set_defaults(func=cmd_lock, lock=name == "lock")
    ac = gsub.add_parser("accounts", help=_("the chart of accounts"))
    ac.add_argument("--json", action="store_true", help=_("print JSON"))
    ac.set_defaults(func=cmd_accounts)
    aa = gsub.add_parser("add-account", help=_("a new account in the chart"))
    aa.add_argument("code")
    aa.add_argument("name")
    aa.add_argument("kind", choices=["asset", "liability", "equity", "income", "expense"])
    aa.add_argument("--name-en", default="")
    aa.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who does it (asks for the PIN or password)"))
    aa.set_defaults(func=cmd_add_account)


def _figures(f: reports.Figures) -> dict[str, Any]:
    return {"gross": f.gross, "discounts": f.discounts, "returns": f.returns, "net": f.net,
            "tax": f.tax, "revenue": f.revenue, "cost": f.cost, "margin": f.margin,
            "margin_pct": f.margin_pct, "items": f.items, "items_returned": f.returned}


def cmd_daily(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.date, "--date", clock.local_today())
    r = reports.daily(day, shop=args.shop)
    data = {"date": day, "shop": args.shop.upper(), "sales": r.sales, "return_receipts": r.return_receipts,
            **_figures(r.figures), "rounding": r.rounding, "average_basket": r.average_basket,
            "by_tender": [dataclasses.asdict(s) for s in r.by_tender],
            "by_terminal": [dataclasses.asdict(s) for s in r.by_terminal],
            "orders_invoiced": [dataclasses.asdict(s) for s in r.orders_invoiced]}
    if args.json:
        print_json(data)
        return 0
    f = r.figures
    print(_("Sales on {date}: {n} receipts, {returns} returns").format(
        date=day, n=r.sales, returns=r.return_receipts))
    for label, value in ((_("Gross"), f.gross), (_("Discounts"), f.discounts),
                         (_("Returns"), f.returns), (_("Net"), f.net), (_("Tax"), f.tax),
                         (_("Cost"), f.cost), (_("Margin"), f.margin)):
        print(f"  {label:12} {format_money(value):>14}")
    print(f"  {_('Margin %'):12} {f.margin_pct if f.margin_pct is not None else '—':>14}")
    print("  " + _("Average basket {amount}").format(amount=format_money(r.average_basket)))
    for s in r.by_tender:
        print(f"  {s.label:12} {format_money(s.amount):>14}  ({s.count})")
    for s in r.by_terminal:
        print(f"  {s.key:12} {format_money(s.amount):>14}  ({s.count})")
    if r.orders_invoiced:
        print(_("Sales orders invoiced (in the books apart from the receipts above):"))
    for s in r.orders_invoiced:
        print(f"  {s.label:12} {format_money(s.amount):>14}  ({s.count})")
    return 0


def cmd_sales(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    start, end = _span(args)
    rows = reports.sales_by(args.by, start, end, limit=args.limit)
    if args.json:
        print_json([{"key": r.key, "label": r.label, "sales": r.sales, **_figures(r.figures)}
                    for r in rows])
        return 0
    print_table([_("Key"), _("Name"), _("Sales count"), _("Net sales"), _("Margin")],
                [(r.key, r.label, r.sales, format_money(r.figures.net),
                  format_money(r.figures.margin)) for r in rows], right={2, 3, 4})
    return 0


def _statement_rows(rows: list[reports.StatementRow]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(r) for r in rows]


def cmd_pnl(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    start, end = _span(args)
    p = reports.pnl(start, end)
    data = {"from": start, "to": end, "income": _statement_rows(p.income),
            "expenses": _statement_rows(p.expenses), "total_income": p.total_income,
            "total_expenses": p.total_expenses, "revenue": p.revenue,
            "cost_of_sales": p.cost_of_sales, "gross_profit": p.gross_profit,
            "net_profit": p.net_profit}
    if args.json:
        print_json(data)
        return 0
    print(_("Profit and loss, {start} to {end}").format(start=start, end=end))
    for row in p.income + p.expenses:
        print(f"  {row.code:8} {row.name[:30]:30} {format_money(row.amount):>14}")
    print(f"  {_('Gross profit'):39} {format_money(p.gross_profit):>14}")
    print(f"  {_('Net profit'):39} {format_money(p.net_profit):>14}")
    return 0


def cmd_balance_sheet(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.as_of, "--as-of", clock.local_today())
    s = reports.balance_sheet(day)
    data = {"as_of": day, "assets": _statement_rows(s.assets),
            "liabilities": _statement_rows(s.liabilities), "equity": _statement_rows(s.equity),
            "total_assets": s.total_assets, "total_liabilities": s.total_liabilities,
            "total_equity": s.total_equity, "balances": s.balances}
    if args.json:
        print_json(data)
        return 0
    print(_("Balance sheet as of {date}").format(date=day))
    for title, rows, total in ((_("Assets"), s.assets, s.total_assets),
                               (_("Liabilities"), s.liabilities, s.total_liabilities),
                               (_("Equity"), s.equity, s.total_equity)):
        print(title)
        for row in rows:
            print(f"  {row.code:8} {row.name[:30]:30} {format_money(row.amount):>14}")
        print(f"  {'':39} {format_money(total):>14}")
    return 0


def export_format(out: str, given: str | None) -> str:
    """The file's format: --format if given, else its name's (.csv, .xlsx); a name that says
    one and a --format that says the other is refused, before anything is written."""
    suffix = Path(out).suffix.lower().lstrip(".")
    named = suffix if suffix in ("csv", "xlsx") else None
    if given and named and given != named:
        raise ValidationError(_("--format {fmt} does not match the file name {file}: name it "
                                ".{fmt} or leave out --format").format(fmt=given, file=out),
                              field="format", value=given)
    fmt = given or named
    if fmt is None:
        raise ValidationError(_("{file}: give --format csv or xlsx, or end the name in .csv "
                                "or .xlsx").format(file=out), field="format", value=out)
    return fmt


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    fmt = export_format(args.out, args.fmt)
    start, end = _span(args)
    files.check_target(args.out, force=args.force)  # before the report is computed
    if args.name == "daily" and not args.start and not args.end:
        start = end = clock.local_today()  # like `report daily`: today, not the month
    path = export.write(export.table(args.name, export.Params(start, end, args.by)),
                        args.out, fmt, force=args.force)
    print(_("Wrote {path}").format(path=path))
    return 0


def cmd_trial_balance(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.as_of, "--as-of", clock.local_today())
    rows = [r for r in ledger.trial_balance(day) if r.debit or r.credit]
    if args.json:
        print_json({"as_of": day, "accounts": [
            {**dataclasses.asdict(r), "balance": r.balance} for r in rows],
            "debit": sum((r.debit for r in rows), Decimal(0)),
            "credit": sum((r.credit for r in rows), Decimal(0))})
        return 0
    debit = sum((r.debit for r in rows), Decimal(0))
    credit = sum((r.credit for r in rows), Decimal(0))
    print_table([_("Account"), _("Name"), _("Debit"), _("Credit"), _("Balance")],
                [*((r.code, r.name, format_money(r.debit), format_money(r.credit),
                    format_money(r.balance)) for r in rows),
                 ("", _("Total"), format_money(debit), format_money(credit), "")],
                right={2, 3, 4})
    return 0


def cmd_journal(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    start = parse_date(args.start, "--from", dt.date(1900, 1, 1))
    end = parse_date(args.end, "--to", dt.date(9999, 12, 31))
    entries = ledger.journal(start, end, account=args.account, kind=args.kind, limit=args.limit)
    if args.json:
        print_json([dataclasses.asdict(e) for e in entries])
        return 0
    # One table, so Chinese account names (two cells a character) keep the amounts aligned:
    # an entry's row, then its lines under it with the account in the reader's language.
    english = current_language() == "en"
    rows: list[tuple[object, ...]] = []
    for e in entries:
        rows.append((f"#{e.id}", e.date, ledger.kind_label(e.kind), e.reference,
                     e.description, "", ""))
        rows += [("", "", "", "",
                  f"  {ln.account} {ln.name_en if english and ln.name_en else ln.name}",
                  format_money(ln.debit) if ln.debit else "",
                  format_money(ln.credit) if ln.credit else "") for ln in e.lines]
    print_table([_("Entry"), _("Date"), _("Kind"), _("Reference"), _("Description / account"),
                 _("Debit"), _("Credit")], rows, right={5, 6})
    return 0


def _lines(pairs: list[str], side: str) -> list[ledger.ManualLine]:
    out = []
    for pair in pairs:
        account, sep, amount = pair.partition("=")
        if not sep:
            raise ValidationError(_("--{side}: '{value}' is not ACCOUNT=AMOUNT").format(
                side=side, value=pair), field=side, value=pair)
        out.append(ledger.ManualLine(account, **{side: amount}))
    return out


def cmd_post(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    day = parse_date(args.date, "--date", clock.local_today())
    entry = ledger.post_manual(user, day, args.description,
                               _lines(args.debit, "debit") + _lines(args.credit, "credit"))
    print(_("Posted entry {id} on {date}: {amount}").format(id=entry.id, date=entry.date,
                                                            amount=format_money(entry.total)))
    return 0


def cmd_reverse(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    day = parse_date(args.date, "--date", clock.local_today())
    entry = ledger.reverse(user, args.entry, day=day, reason=args.reason)
    print(_("Posted entry {id} reversing {original}").format(id=entry.id, original=args.entry))
    return 0


def cmd_lock(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    through = (ledger.lock_period(user, args.month) if args.lock
               else ledger.unlock_period(user, args.month))
    print(_("The books are locked through {date}").format(date=through) if through
          else _("No month is locked"))
    return 0


def cmd_accounts(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": a.code, "name": a.name, "name_en": a.name_en, "kind": a.kind,
             "active": a.active} for a in ledger.accounts(include_inactive=True)]
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r['code']:8} {r['kind']:10} {r['name']}  {r['name_en']}")
    return 0


def cmd_add_account(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    a = ledger.create_account(acting_user(args.actor), args.code, args.name, args.kind, args.name_en)
    print(_("Added account {code} {name}").format(code=a.code, name=a.name))
    return 0
