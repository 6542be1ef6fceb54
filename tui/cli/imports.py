"""`zhanggui import`: bring a shop's data in from files — products, customers, suppliers,
opening stock (CSV or a spreadsheet), a template for each, and the channels' orders and the
couriers' tracking numbers (tui/cli/orders.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from store.common import clock
from store.core.config import Config
from store.core.i18n import _
from store.onboarding import imports, templates

from . import orders
from .common import acting_user, add_import_options, open_db, parse_date
from .import_report import print_report, progress


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """import products|customers|suppliers|stock|balances|shop-prices|template|orders|tracking"""
    imp = sub.add_parser("import", help=_("bring data in from files: products, customers, "
                                          "suppliers, opening stock and balances, orders, "
                                          "tracking"))
    isub = imp.add_subparsers(dest="import_command", metavar=_("COMMAND"), required=True)
    for name, text in (("products", _("products (CSV or XLSX; an existing SKU is updated "
                                      "with the columns given)")),
                       ("customers", _("customers (an existing code is left as it is)")),
                       ("suppliers", _("suppliers (an existing code is left as it is)")),
                       ("stock", _("opening stock per product and warehouse, at its cost, "
                                   "against the owner's capital")),
                       ("balances", _("opening balances: what customers owe, what the shop owes "
                                      "suppliers, the accounts' balances; one entry, the "
                                      "difference to capital")),
                       ("shop-prices", _("a shop's own prices over the chain's (price '-': "
                                         "the chain's again)"))):
        p = isub.add_parser(name, help=text)
        p.add_argument("file", help=_("a CSV (UTF-8 or GBK) or a spreadsheet (.xlsx)"))
        if name == "stock":
            p.add_argument("--warehouse", metavar="W",
                           help=_("the warehouse of rows that name none"))
        if name == "shop-prices":
            p.add_argument("--shop", metavar="S", help=_("the shop of rows that name none"))
        if name == "balances":
            p.add_argument("--date", metavar="YYYY-MM-DD",
                           help=_("the day the balances are brought forward to (by default "
                                  "today)"))
        add_import_options(p)
        p.set_defaults(func=cmd_import, what=name)
    t = isub.add_parser("template", help=_("an empty file to fill in, with its headers and an "
                                           "example row"))
    t.add_argument("name", choices=sorted(templates.TEMPLATES))
    t.add_argument("file")
    t.add_argument("--format", default=None, choices=["csv", "xlsx"],
                   help=_("csv or xlsx (by default, from the file's name)"))
    t.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    t.set_defaults(func=cmd_template)
    orders.add_import_parsers(isub)


def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    actor = acting_user(args.actor)
    day = (parse_date(args.date, "--date", clock.local_today()) if args.what == "balances"
           else None)
    report = imports.run_import(args.what, Path(args.file), actor,
                                warehouse=getattr(args, "warehouse", None), day=day,
                                shop=getattr(args, "shop", None),
                                skip_bad=args.skip_bad, dry_run=args.dry_run, progress=progress)
    if sys.stderr.isatty() and args.what in ("products", "customers"):
        print(file=sys.stderr)  # past the progress line
    print_report(report, args.json)
    return 0


def cmd_template(args: argparse.Namespace, cfg: Config) -> int:
    path = Path(args.file)
    fmt = args.format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    written = templates.write_template(args.name, path, fmt, force=args.force)
    print(_("Template for {name} written to {file}").format(name=args.name, file=written))
    return 0
