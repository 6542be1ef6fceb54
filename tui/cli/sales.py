"""`zhanggui sales …`: the sales journal for scripts and accountants."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from store.common.clock import to_local
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.selling import sales

from .common import open_db, parse_date, print_json, print_table


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("sales", help=_("the sales journal"))
    ssub = s.add_subparsers(dest="sales_command", metavar=_("COMMAND"), required=True)
    ls = ssub.add_parser("list", help=_("list sales"))
    ls.add_argument("--date", metavar="YYYY-MM-DD", help=_("only this day (the shop's time)"))
    ls.add_argument("--terminal", metavar="T", help=_("only this terminal"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    sh = ssub.add_parser("show", help=_("one sale with its lines and payments"))
    sh.add_argument("number")
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_show)


def _as_json(view: sales.SaleView) -> dict[str, Any]:
    data = dataclasses.asdict(view)
    data["uuid"] = str(view.uuid)
    data["kind"] = ("exchange" if view.is_return and any(ln.qty > 0 for ln in view.lines)
                    else "return" if view.is_return else "sale")
    return data


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.date, "--date") if args.date else None
    views = sales.list_sales(day=day, terminal=args.terminal)
    if args.json:
        print_json([_as_json(v) for v in views])
        return 0
    print_table([_("Receipt"), _("Time"), _("Cashier"), _("Total"), _("Status")],
                [(v.number, f"{to_local(v.created_at):%Y-%m-%d %H:%M}", v.cashier,
                  format_money(v.total), v.status) for v in views], right={3})
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = sales.get_sale(args.number)
    if args.json:
        print_json(_as_json(v))
        return 0
    print(f"{v.number}  {to_local(v.created_at):%Y-%m-%d %H:%M}  {v.cashier_name}  {v.status}")
    for ln in v.lines:
        print(f"  {ln.sku:10} {ln.name}  {ln.qty} × {ln.unit_price} = {ln.amount}")
    for p in v.payments:
        print(f"  {p.tender:8} {p.amount}")
    print(_("  total {total}  tax {tax}  change {change}").format(
        total=v.total, tax=v.tax, change=v.change))
    return 0
