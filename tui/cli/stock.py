"""`zhanggui stock …`: stock per warehouse, a product's move history, low-stock alerts,
reorder rules and the barcodes nobody recognised."""

from __future__ import annotations

import argparse
import dataclasses
from decimal import Decimal
from typing import Any

from store.buying import receiving
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_qty
from store.shops import branches, org, retiring
from store.stock import inventory

from . import master
from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("stock", help=_("stock on hand, moves and low-stock alerts"))
    s.add_argument("--warehouse", metavar="W", default="", help=_("only this warehouse"))
    s.add_argument("--sku", metavar="S", default="", help=_("only this product"))
    s.add_argument("--json", action="store_true", help=_("print JSON"))
    s.set_defaults(func=cmd_stock)
    ssub = s.add_subparsers(dest="stock_command", metavar=_("COMMAND"))
    m = ssub.add_parser("moves", help=_("a product's moves, newest first, with running balance"))
    m.add_argument("--sku", metavar="S", required=True, help=_("the product"))
    m.add_argument("--warehouse", metavar="W", default="", help=_("only this warehouse"))
    m.add_argument("--limit", type=int, default=200, metavar="N", help=_("at most N moves"))
    m.add_argument("--json", action="store_true", help=_("print JSON"))
    m.set_defaults(func=cmd_moves)
    a = ssub.add_parser("alerts", help=_("products below their reorder minimum, and stock "
                                         "below zero"))
    a.add_argument("--warehouse", metavar="W", default="", help=_("only this warehouse"))
    a.add_argument("--json", action="store_true", help=_("print JSON"))
    a.set_defaults(func=cmd_alerts)
    r = ssub.add_parser("reorder", help=_("set a product's reorder minimum and maximum in a "
                                          "warehouse"))
    r.add_argument("sku")
    r.add_argument("warehouse")
    r.add_argument("min_qty", metavar="MIN")
    r.add_argument("max_qty", metavar="MAX")
    add_actor(r)
    r.set_defaults(func=cmd_reorder)
    u = ssub.add_parser("unknown", help=_("barcodes scanned in the stockroom that matched no "
                                          "product"))
    u.add_argument("--json", action="store_true", help=_("print JSON"))
    u.set_defaults(func=cmd_unknown)


def add_warehouse_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    w = sub.add_parser("warehouses", help=_("warehouses and their negative-stock policy"))
    wsub = w.add_subparsers(dest="warehouses_command", metavar=_("COMMAND"), required=True)
    wl = wsub.add_parser("list", help=_("list warehouses"))
    wl.add_argument("--all", action="store_true", help=_("those out of use too"))
    wl.add_argument("--json", action="store_true", help=_("print JSON"))
    wl.set_defaults(func=cmd_warehouses_list)
    wn = wsub.add_parser("negative", help=_("may the till sell below zero in this warehouse?"))
    wn.add_argument("code", metavar="CODE")
    wn.add_argument("allow", choices=["on", "off"])
    add_actor(wn)
    wn.set_defaults(func=cmd_warehouses_negative)
    wa = wsub.add_parser("add", help=_("add a warehouse (a stock room or a shop floor)"))
    wa.add_argument("code", metavar="CODE")
    wa.add_argument("name", metavar="NAME")
    wa.add_argument("--name-en", default="", metavar="NAME", help=_("its English name"))
    wa.add_argument("--no-negative", action="store_true",
                    help=_("the till may never sell below zero here"))
    wa.add_argument("--shop", default="", metavar="SHOP",
                    help=_("the shop it belongs to (default: the first, MAIN)"))
    add_actor(wa)
    wa.set_defaults(func=cmd_warehouses_add)

    t = sub.add_parser("terminals", help=_("the tills and the warehouse each sells from"))
    tsub = t.add_subparsers(dest="terminals_command", metavar=_("COMMAND"), required=True)
    tl = tsub.add_parser("list", help=_("list the tills"))
    tl.add_argument("--all", action="store_true", help=_("those out of use too"))
    tl.add_argument("--json", action="store_true", help=_("print JSON"))
    tl.set_defaults(func=cmd_terminals_list)
    ta = tsub.add_parser("add", help=_("add a till"))
    ta.add_argument("code", metavar="CODE")
    ta.add_argument("--warehouse", required=True, metavar="W",
                    help=_("the warehouse it sells from"))
    ta.add_argument("--name", default="", metavar="NAME", help=_("its name (default: CODE)"))
    add_actor(ta)
    ta.set_defaults(func=cmd_terminals_add)
    master.add_warehouse_parsers(wsub, tsub)


def cmd_warehouses_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    listed = retiring.all_warehouses() if args.all else org.warehouses()
    rows: list[dict[str, Any]] = [
        {"code": w.code, "name": w.name, "name_en": w.name_en, "shop": branches.shop_code(w),
         "allow_negative": bool(w.allow_negative), "active": bool(w.active)} for w in listed]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Shop"), _("Selling below zero"), _("Name")],
                [(r["code"], r["shop"], _("may sell below zero") if r["allow_negative"]
                  else _("never below zero"), r["name"] + _status(r["active"]))
                 for r in rows])
    return 0


def _status(active: bool) -> str:
    return "" if active else " " + _("(deactivated)")


def cmd_warehouses_negative(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    w = org.set_allow_negative(acting_user(args.actor), args.code, args.allow == "on")
    print(_("{code}: the till may sell below zero").format(code=w.code) if w.allow_negative
          else _("{code}: stock never goes below zero").format(code=w.code))
    return 0


def cmd_warehouses_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    w = org.add_warehouse(acting_user(args.actor), args.code, args.name, name_en=args.name_en,
                          allow_negative=not args.no_negative, shop=args.shop)
    print(_("Warehouse {code} {name} added to shop {shop}").format(
        code=w.code, name=w.name, shop=branches.shop_code(w)))
    return 0


def cmd_terminals_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    listed = retiring.all_terminals() if args.all else org.terminals()
    rows: list[dict[str, Any]] = [
        {"code": t.code, "name": t.name, "warehouse": t.warehouse.code,
         "active": bool(t.active)} for t in listed]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Warehouse"), _("Name")],
                [(r["code"], r["warehouse"], r["name"] + _status(r["active"])) for r in rows])
    return 0


def cmd_terminals_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    t = org.add_terminal(acting_user(args.actor), args.code, args.warehouse, name=args.name)
    print(_("Till {code} added, selling from {warehouse}: set [terminal] code = \"{code}\" "
            "in zhanggui.toml on that machine").format(code=t.code, warehouse=t.warehouse.code))
    return 0


def _rows(items: list[Any], extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for item in items:
        data = dataclasses.asdict(item)
        for name in extra:
            data[name] = getattr(item, name)
        out.append(data)
    return out


def cmd_stock(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = inventory.stock(warehouse_code=args.warehouse, sku=args.sku)
    if args.json:
        print_json(_rows(rows, ("available",)))
        return 0
    print(f"{_('SKU'):14} {_('Warehouse'):10} {_('On hand'):>10} {_('Available'):>10}  "
          f"{_('Name')}")
    for r in rows:
        print(f"{r.sku:14} {r.warehouse or _('all'):10} {format_qty(r.on_hand):>10} "
              f"{format_qty(r.available):>10}  {r.name}")
    return 0


def cmd_moves(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = inventory.moves(args.sku, warehouse_code=args.warehouse, limit=args.limit)
    if args.json:
        print_json(_rows(rows))
        return 0
    for m in rows:
        print(f"{m.at:%Y-%m-%d %H:%M} {m.warehouse:8} {_(m.reason):10} {m.reference:14} "
              f"{format_qty(m.qty):>9} @ {m.unit_cost}  = {format_qty(m.balance):>9}  {m.user}")
    return 0


def cmd_alerts(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = inventory.alerts(warehouse_code=args.warehouse)
    if args.json:
        print_json(_rows(rows, ("kind", "suggested")))
        return 0
    if not rows:
        print(_("No alerts."))
    for a in rows:
        what = _("below zero") if a.kind == "negative" else _("below {min}").format(
            min=format_qty(a.min_qty or Decimal(0)))
        print(f"{a.sku:14} {a.warehouse:8} {format_qty(a.on_hand):>9}  {what:14} "
              + _("order {qty}").format(qty=format_qty(a.suggested)) + f"  {a.name}")
    return 0


def cmd_reorder(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    inventory.set_reorder_rules(acting_user(args.actor), args.sku,
                                {args.warehouse: (args.min_qty, args.max_qty)})
    print(_("{sku} in {warehouse}: reorder below {min}, up to {max}").format(
        sku=args.sku, warehouse=args.warehouse, min=args.min_qty, max=args.max_qty))
    return 0


def cmd_unknown(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = receiving.unknown_barcodes()
    data: list[dict[str, Any]] = [{"code": u.code, "where": u.where, "reference": u.reference,
             "at": u.created_at} for u in rows]
    if args.json:
        print_json(data)
        return 0
    for d in data:
        print(f"{d['at']:%Y-%m-%d %H:%M} {d['code']:16} {_(d['where']):10} {d['reference']}")
    return 0
