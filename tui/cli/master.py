"""Changing and retiring the shop's master data from the shell: warehouses, tills, tenders,
suppliers, customer groups, and the catalog's categories, units and tax rates (`set`,
`deactivate`, `activate`, and `tenders add|list`, `customers groups add|list`), each checked
and recorded in the store (issue 16.2). The commands join the groups the `add` commands are
in."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from store.core import text
from store.core.config import Config
from store.core.i18n import _
from store.customers import parties
from store.shops import retiring

from .common import acting_user, add_actor, open_db, print_json, print_table

Toggle = Callable[[Any, str, bool], Any]


def add_toggles(sub: argparse._SubParsersAction, toggle: Toggle,  # type: ignore[type-arg]
                off: str, on: str) -> None:
    """`deactivate CODE --as USER` and `activate CODE --as USER` for one kind of thing."""
    for name, active, helptext in (("deactivate", False, off), ("activate", True, on)):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("code", metavar="CODE")
        add_actor(p)
        p.set_defaults(func=_cmd_toggle, toggle=toggle, active=active)


Setter = Callable[..., Any]


def add_name_setter(sub: argparse._SubParsersAction, setter: Setter,  # type: ignore[type-arg]
                    text: str, more: Callable[[argparse.ArgumentParser], object] | None = None
                    ) -> None:
    """`set CODE [--name N] [--name-en N] [more options] --as USER`: only what is given
    changes. Each option (`more` adds its own) is passed to `setter` by its dest."""
    p = sub.add_parser("set", help=text)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name")
    p.add_argument("--name-en", metavar="NAME", help=_("its English name"))
    if more is not None:
        more(p)
    options = [a.dest for a in p._actions if a.option_strings and a.dest != "help"]
    add_actor(p)
    p.set_defaults(func=_cmd_set, setter=setter, setter_options=options)


def _cmd_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    row = args.setter(acting_user(args.actor), args.code,
                      **{k: getattr(args, k) for k in args.setter_options})
    print(_("{code} {name} changed").format(code=row.code, name=row.name))
    return 0


def _cmd_toggle(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    row = args.toggle(acting_user(args.actor), args.code, args.active)
    print((_("{code} is in use again") if args.active else _("{code} is no longer in use"))
          .format(code=row.code))
    return 0


def add_warehouse_parsers(wsub: argparse._SubParsersAction,  # type: ignore[type-arg]
                          tsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ws = wsub.add_parser("set", help=_("rename a warehouse"))
    ws.add_argument("code", metavar="CODE")
    ws.add_argument("--name")
    ws.add_argument("--name-en", metavar="NAME", help=_("its English name"))
    add_actor(ws)
    ws.set_defaults(func=cmd_warehouses_set)
    add_toggles(wsub, retiring.set_warehouse_active,
                _("stop using a warehouse (once it holds no stock and no till sells from it)"),
                _("use a deactivated warehouse again"))
    ts = tsub.add_parser("set", help=_("rename a till or change the warehouse it sells from"))
    ts.add_argument("code", metavar="CODE")
    ts.add_argument("--name")
    ts.add_argument("--warehouse", metavar="W", help=_("the warehouse it sells from"))
    add_actor(ts)
    ts.set_defaults(func=cmd_terminals_set)
    add_toggles(tsub, retiring.set_terminal_active,
                _("stop using a till (once its shift is closed)"), _("use a till again"))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """tenders list|add|deactivate|activate"""
    t = sub.add_parser("tenders", help=_("the ways customers pay"))
    tsub = t.add_subparsers(dest="tenders_command", metavar=_("COMMAND"), required=True)
    tl = tsub.add_parser("list", help=_("the tenders, those out of use too"))
    tl.add_argument("--json", action="store_true", help=_("print JSON"))
    tl.set_defaults(func=cmd_tenders_list)
    ta = tsub.add_parser("add", help=_("add a tender (a second card terminal, a meal voucher)"))
    ta.add_argument("code", metavar="CODE")
    ta.add_argument("name", metavar="NAME")
    ta.add_argument("--kind", required=True, choices=retiring.TENDER_KINDS,
                    help=_("what kind of money it is, for the books"))
    ta.add_argument("--name-en", default="", metavar="NAME", help=_("its English name"))
    ta.add_argument("--drawer", action=argparse.BooleanOptionalAction, default=None,
                    help=_("open the cash drawer (default: for cash)"))
    ta.add_argument("--reference", action="store_true",
                    help=_("ask the cashier for a reference (the slip's last digits)"))
    add_actor(ta)
    ta.set_defaults(func=cmd_tenders_add)
    def tender_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--drawer", dest="opens_drawer", action=argparse.BooleanOptionalAction,
                       default=None, help=_("open the cash drawer"))
        p.add_argument("--reference", dest="needs_reference",
                       action=argparse.BooleanOptionalAction, default=None,
                       help=_("ask the cashier for a reference (the slip's last digits)"))

    add_name_setter(tsub, retiring.change_tender,
                    _("rename a tender, or say whether it opens the drawer and asks for a "
                      "reference"), tender_options)
    add_toggles(tsub, retiring.set_tender_active, _("stop offering a tender at the tills"),
                _("offer a tender again"))


def add_supplier_parsers(ssub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ss = ssub.add_parser("set", help=_("change a supplier's name, contact or phone"))
    ss.add_argument("code", metavar="CODE")
    ss.add_argument("--name")
    ss.add_argument("--contact", metavar="NAME", help=_("the person to call"))
    ss.add_argument("--phone", help=_("the supplier's business phone"))
    add_actor(ss)
    ss.set_defaults(func=cmd_suppliers_set)
    add_toggles(ssub, parties.set_supplier_active,
                _("stop buying from a supplier (its orders, bills and balance stay)"),
                _("buy from a supplier again"))


def add_group_parsers(csub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    g = csub.add_parser("groups", help=_("customer groups (member tiers) and their price lists"))
    gsub = g.add_subparsers(dest="groups_command", metavar=_("COMMAND"), required=True)
    ga = gsub.add_parser("add", help=_("add a customer group"))
    ga.add_argument("code", metavar="CODE")
    ga.add_argument("name", metavar="NAME")
    ga.add_argument("--name-en", default="", metavar="NAME", help=_("its English name"))
    ga.add_argument("--price-list", metavar="CODE", help=_("the price list its members buy at"))
    add_actor(ga)
    ga.set_defaults(func=cmd_groups_add)
    add_name_setter(gsub, parties.change_customer_group,
                    _("rename a customer group or change its price list"),
                    lambda p: p.add_argument(
                        "--price-list", metavar="CODE",
                        help=_("the price list its members buy at ('' for shelf prices)")))
    add_toggles(gsub, parties.set_customer_group_active,
                _("stop using a customer group (once it has no customers)"),
                _("use a customer group again"))
    gl = gsub.add_parser("list", help=_("the customer groups"))
    gl.add_argument("--json", action="store_true", help=_("print JSON"))
    gl.set_defaults(func=cmd_groups_list)


def cmd_warehouses_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    w = retiring.change_warehouse(acting_user(args.actor), args.code, name=args.name,
                                  name_en=args.name_en)
    print(_("Warehouse {code} {name} changed").format(code=w.code, name=w.name))
    return 0


def cmd_terminals_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    t = retiring.change_terminal(acting_user(args.actor), args.code, name=args.name,
                                 warehouse=args.warehouse)
    print(_("Till {code} {name} sells from {warehouse}").format(
        code=t.code, name=t.name, warehouse=t.warehouse.code))
    return 0


def cmd_tenders_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": t.code, "name": t.name, "name_en": t.name_en, "kind": t.kind,
             "opens_drawer": t.opens_drawer, "needs_reference": t.needs_reference,
             "active": t.active} for t in retiring.all_tenders()]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Name"), _("Kind"), _("Status")],
                [(r["code"], r["name"], r["kind"], text.in_use(r["active"])) for r in rows])
    return 0


def cmd_tenders_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    t = retiring.add_tender(acting_user(args.actor), args.code, args.name, args.kind,
                            name_en=args.name_en, opens_drawer=args.drawer,
                            needs_reference=args.reference)
    print(_("Tender {code} {name} added").format(code=t.code, name=t.name))
    return 0


def cmd_suppliers_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    s = parties.change_supplier(acting_user(args.actor), args.code, name=args.name,
                                contact=args.contact, phone=args.phone)
    print(_("Supplier {code} {name} changed").format(code=s.code, name=s.name))
    return 0


def cmd_groups_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    g = parties.add_customer_group(acting_user(args.actor), args.code, args.name,
                                   name_en=args.name_en, price_list=args.price_list)
    print(_("Customer group {code} {name} added").format(code=g.code, name=g.name))
    return 0


def cmd_groups_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": g.code, "name": g.name, "name_en": g.name_en,
             "price_list": g.price_list.code if g.price_list is not None else None,
             "active": g.active} for g in parties.customer_groups()]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Name"), _("Price list"), _("Status")],
                [(r["code"], r["name"], r["price_list"], text.in_use(r["active"]))
                 for r in rows])
    return 0
