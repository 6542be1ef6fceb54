"""`zhanggui lots track|show|expiring|trace|write-off|warn-days`: lot numbers and expiry dates of
the products that track them (store/stock/expiry.py); lots come in at receiving (a GS1-128
label's scan, or F6 on the receiving screen) and go out first-to-expire first."""

from __future__ import annotations

import argparse
import dataclasses

from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money, format_qty
from store.stock import expiry

from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("lots", help=_("lots and expiry dates: what expires soon, write-offs"))
    psub = p.add_subparsers(dest="lots_command", metavar=_("COMMAND"), required=True)
    pt = psub.add_parser("track", help=_("a product takes lot numbers and expiry dates from "
                                         "now on (--off: no longer)"))
    pt.add_argument("sku")
    pt.add_argument("--off", action="store_true")
    add_actor(pt)
    pt.set_defaults(func=cmd_track)
    ps = psub.add_parser("show", help=_("a product's lots in each warehouse"))
    ps.add_argument("sku")
    ps.add_argument("--warehouse", default="")
    ps.add_argument("--json", action="store_true", help=_("print JSON"))
    ps.set_defaults(func=cmd_show)
    pe = psub.add_parser("expiring", help=_("lots expiring within the warning days (or "
                                            "--days), and those expired"))
    pe.add_argument("--days", type=int, default=None)
    pe.add_argument("--warehouse", default="")
    pe.add_argument("--json", action="store_true", help=_("print JSON"))
    pe.set_defaults(func=cmd_expiring)
    pw = psub.add_parser("write-off", help=_("take a lot out of stock (expired, spoilt) with a "
                                             "reason"))
    pw.add_argument("sku")
    pw.add_argument("lot")
    pw.add_argument("--warehouse", required=True)
    pw.add_argument("--reason", required=True)
    pw.add_argument("--qty", default=None, help=_("only this many (default: all of the lot)"))
    add_actor(pw)
    pw.set_defaults(func=cmd_write_off)
    pr = psub.add_parser("trace", help=_("where a lot went: its receipt, each sale, transfer "
                                         "and write-off (a recall)"))
    pr.add_argument("sku")
    pr.add_argument("lot")
    pr.add_argument("--json", action="store_true", help=_("print JSON"))
    pr.set_defaults(func=cmd_trace)
    pd = psub.add_parser("warn-days", help=_("how many days ahead expiring lots are shown"))
    pd.add_argument("days")
    add_actor(pd)
    pd.set_defaults(func=cmd_warn_days)


def _print(rows: list[expiry.LotRow], as_json: bool) -> None:
    if as_json:
        print_json([dataclasses.asdict(r) for r in rows])
        return
    print_table([_("SKU"), _("Name"), _("Warehouse"), _("Lot"), _("Expires"), _("Days"),
                 _("Qty")],
                [(r.sku, r.name, r.warehouse, r.number or _("(unknown)"), r.expires_on or "",
                  "" if r.days_left is None else r.days_left, format_qty(r.qty))
                 for r in rows], right={5, 6})


def cmd_track(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    expiry.track(acting_user(args.actor), args.sku, on=not args.off)
    said = (_("{sku} no longer tracks lots") if args.off else
            _("{sku} tracks lots: receive it with its lot and expiry"))
    print(said.format(sku=args.sku.upper()))
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    _print(expiry.lots_of(args.sku, warehouse=args.warehouse), args.json)
    return 0


def cmd_expiring(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = expiry.expiring(args.days, warehouse=args.warehouse)
    if not rows and not args.json:
        print(_("No lot expires within {days} days.").format(
            days=expiry.warn_days() if args.days is None else args.days))
        return 0
    _print(rows, args.json)
    return 0


def cmd_trace(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = expiry.trace(args.sku, args.lot)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    if not rows:
        print(_("No move of lot {lot} of {sku}.").format(lot=args.lot.upper(),
                                                         sku=args.sku.upper()))
        return 0
    print_table([_("When"), _("Warehouse"), _("What"), _("Document"), _("Qty")],
                [(f"{r.at:%Y-%m-%d %H:%M}", r.warehouse, _(r.reason), r.reference,
                  f"{r.qty:+,.3f}".rstrip("0").rstrip(".")) for r in rows], right={4})
    return 0


def cmd_write_off(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    value = expiry.write_off(acting_user(args.actor), args.warehouse, args.sku, args.lot,
                             reason=args.reason, qty=args.qty)
    print(_("{sku} lot {lot} written off: {value} to 1901, for the accountant").format(
        sku=args.sku, lot=args.lot.upper(), value=format_money(value)))
    return 0


def cmd_warn_days(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    days = expiry.set_warn_days(acting_user(args.actor), args.days)
    print(_("Lots expiring within {days} days are shown").format(days=days))
    return 0
