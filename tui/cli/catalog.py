"""`zhanggui categories|units|taxes`: the catalog's master data from the shell, so a shop made
by `init` can be set up without Python (issue 16.2)."""

from __future__ import annotations

import argparse
from decimal import Decimal

from store.catalog import master
from store.core import text
from store.core.config import Config
from store.core.i18n import _

from .common import acting_user, add_actor, open_db, print_json, print_table
from .master import add_name_setter, add_toggles


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """categories add|set|deactivate|activate|list, units and taxes add|set|deactivate|
    activate|list"""
    cat = sub.add_parser("categories", help=_("product categories (a tree)"))
    csub = cat.add_subparsers(dest="categories_command", metavar=_("COMMAND"), required=True)
    ca = csub.add_parser("add", help=_("add a category"))
    ca.add_argument("code")
    ca.add_argument("name")
    ca.add_argument("--name-en", default="", metavar="NAME", help=_("English name"))
    ca.add_argument("--parent", metavar="CODE", help=_("the category it belongs under"))
    add_actor(ca)
    ca.set_defaults(func=cmd_categories_add)
    cs = csub.add_parser("set", help=_("rename a category or move it under another"))
    cs.add_argument("code")
    cs.add_argument("--name")
    cs.add_argument("--name-en", metavar="NAME", help=_("English name"))
    cs.add_argument("--parent", metavar="CODE",
                    help=_("the category it belongs under ('' for the top)"))
    add_actor(cs)
    cs.set_defaults(func=cmd_categories_set)
    add_toggles(csub, master.set_category_active,
                _("stop using a category (once no product on sale and no subcategory in use "
                  "is in it)"), _("use a category again"))
    cl = csub.add_parser("list", help=_("the category tree with product counts"))
    cl.add_argument("--json", action="store_true", help=_("print JSON"))
    cl.set_defaults(func=cmd_categories_list)

    unit = sub.add_parser("units", help=_("units of sale (pcs, kg, 瓶)"))
    usub = unit.add_subparsers(dest="units_command", metavar=_("COMMAND"), required=True)
    ua = usub.add_parser("add", help=_("add a unit"))
    ua.add_argument("code")
    ua.add_argument("name")
    ua.add_argument("--name-en", default="", metavar="NAME", help=_("English name"))
    ua.add_argument("--decimals", type=int, default=0, choices=range(4), metavar="0-3",
                    help=_("decimal places of a quantity: 0 counted, 3 weighed to the gram"))
    add_actor(ua)
    ua.set_defaults(func=cmd_units_add)
    add_name_setter(usub, master.change_unit, _("rename a unit (its decimals stay)"))
    add_toggles(usub, master.set_unit_active,
                _("stop using a unit (once no product on sale is sold in it)"),
                _("use a unit again"))
    ul = usub.add_parser("list", help=_("the units"))
    ul.add_argument("--json", action="store_true", help=_("print JSON"))
    ul.set_defaults(func=cmd_units_list)

    tax = sub.add_parser("taxes", help=_("tax rates"))
    tsub = tax.add_subparsers(dest="taxes_command", metavar=_("COMMAND"), required=True)
    ta = tsub.add_parser("add", help=_("add a tax rate"))
    ta.add_argument("code")
    ta.add_argument("name")
    ta.add_argument("percent", help=_("the rate in percent: 13, 9, 1.5"))
    ta.add_argument("--name-en", default="", metavar="NAME", help=_("English name"))
    add_actor(ta)
    ta.set_defaults(func=cmd_taxes_add)
    add_name_setter(tsub, master.change_tax_rate,
                    _("rename a tax rate (its percent stays: add a new rate for a new one)"))
    add_toggles(tsub, master.set_tax_rate_active,
                _("stop using a tax rate (once no product on sale has it)"),
                _("use a tax rate again"))
    tl = tsub.add_parser("list", help=_("the tax rates"))
    tl.add_argument("--json", action="store_true", help=_("print JSON"))
    tl.set_defaults(func=cmd_taxes_list)


def cmd_categories_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    c = master.add_category(acting_user(args.actor), args.code, args.name,
                            name_en=args.name_en, parent=args.parent)
    print(_("Category {code} {name} added").format(code=c.code, name=c.name))
    return 0


def cmd_categories_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    c = master.change_category(acting_user(args.actor), args.code, name=args.name,
                               name_en=args.name_en, parent=args.parent)
    print(_("Category {code} {name} changed").format(code=c.code, name=c.name))
    return 0


def cmd_categories_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = master.category_tree()
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    print_table([_("Code"), _("Name"), _("English name"), _("Products"), _("Status")],
                [("  " * r.depth + r.code, r.name, r.name_en, r.products,
                  text.in_use(r.active)) for r in rows], right={3})
    return 0


def cmd_units_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    u = master.add_unit(acting_user(args.actor), args.code, args.name, name_en=args.name_en,
                        decimals=args.decimals)
    print(_("Unit {code} {name} added").format(code=u.code, name=u.name))
    return 0


def cmd_units_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": u.code, "name": u.name, "name_en": u.name_en, "decimals": u.decimals,
             "active": u.active} for u in master.units()]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Name"), _("English name"), _("Decimals"), _("Status")],
                [(r["code"], r["name"], r["name_en"], r["decimals"], text.in_use(r["active"]))
                 for r in rows], right={3})
    return 0


def cmd_taxes_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    t = master.add_tax_rate(acting_user(args.actor), args.code, args.name, args.percent,
                            name_en=args.name_en)
    print(_("Tax rate {code} {name} ({percent}%) added").format(
        code=t.code, name=t.name, percent=f"{Decimal(t.rate_bp) / 100:g}"))
    return 0


def cmd_taxes_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": t.code, "name": t.name, "name_en": t.name_en,
             "percent": f"{Decimal(t.rate_bp) / 100:g}", "active": t.active}
            for t in master.tax_rates()]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Name"), _("English name"), _("Rate %"), _("Status")],
                [(r["code"], r["name"], r["name_en"], r["percent"], text.in_use(r["active"]))
                 for r in rows], right={3})
    return 0
