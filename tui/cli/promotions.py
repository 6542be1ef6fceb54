"""`zhanggui promotions list|add|end|start`: the shop's promotions."""

from __future__ import annotations

import argparse
import dataclasses

from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.pricing import promotions

from .common import acting_user, open_db, parse_date, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("promotions", help=_("promotions: percent or amount off, buy X get "
                                            "Y, bundles"))
    psub = p.add_subparsers(dest="promotions_command", metavar=_("COMMAND"), required=True)
    ls = psub.add_parser("list", help=_("every promotion, by code"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    add = psub.add_parser("add", help=_("a new promotion"))
    add.add_argument("code")
    add.add_argument("name", help=_("what the receipt calls it"))
    add.add_argument("--name-en", default="")
    add.add_argument("--kind", required=True, choices=list(promotions.KINDS))
    add.add_argument("--value", default="", help=_("percent: 20; amount: 1.50; bundle: its "
                                                   "price"))
    add.add_argument("--buy", type=int, default=0, help=_("buy_get: buy X …"))
    add.add_argument("--get", type=int, default=0, help=_("… get Y free"))
    add.add_argument("--bundle", type=int, default=0, metavar="N", help=_("bundle: N units"))
    add.add_argument("--sku", action="append", default=[], help=_("a product (repeatable)"))
    add.add_argument("--category", action="append", default=[],
                     help=_("a category (repeatable)"))
    add.add_argument("--shop", action="append", default=[], metavar="SHOP",
                     help=_("a shop it runs at (repeatable; default: every shop)"))
    add.add_argument("--members", action="store_true", help=_("members only"))
    add.add_argument("--from", dest="starts", metavar="YYYY-MM-DD")
    add.add_argument("--to", dest="ends", metavar="YYYY-MM-DD")
    add.add_argument("--days", default="1234567",
                     help=_("ISO weekdays, 1 Monday … 7 Sunday (default: every day)"))
    add.add_argument("--hours", default="0-24", metavar="FROM-TO",
                     help=_("local hours, e.g. 11-14 (default 0-24)"))
    add.add_argument("--priority", type=int, default=0)
    add.add_argument("--as", dest="actor", required=True, metavar="USER",
                     help=_("who does it (asks for the PIN or password)"))
    add.set_defaults(func=cmd_add)
    for name, text in (("end", _("stop a promotion")), ("start", _("run a stopped one "
                                                                     "again"))):
        step = psub.add_parser(name, help=text)
        step.add_argument("code")
        step.add_argument("--as", dest="actor", required=True, metavar="USER",
                          help=_("who does it (asks for the PIN or password)"))
        step.set_defaults(func=cmd_toggle, active=name == "start")


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = promotions.promotions()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("Code"), _("State"), _("Terms"), _("Applies to"), _("When"), _("Shops"),
                 _("Name")],
                [(r.code, _("running") if r.active else _("ended"), r.terms, r.scope,
                  r.window + (" " + _("members") if r.members_only else ""),
                  r.shops or _("all"), r.name)
                 for r in rows])
    return 0


def _hours(text: str) -> tuple[int, int]:
    start, _sep, end = text.partition("-")
    try:
        return int(start), int(end)
    except ValueError:
        raise ValidationError(_("hours: '{value}' is not FROM-TO, e.g. 11-14").format(
            value=text), field="hours", value=text) from None


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    row = promotions.create(user, promotions.PromotionInput(
        args.code, args.name, args.kind, args.value, buy=args.buy, get=args.get,
        bundle_qty=args.bundle, skus=args.sku, categories=args.category, name_en=args.name_en,
        members_only=args.members,
        starts_on=parse_date(args.starts, "--from") if args.starts else None,
        ends_on=parse_date(args.ends, "--to") if args.ends else None, weekdays=args.days,
        hours=_hours(args.hours), priority=args.priority, shops=args.shop))
    print(_("{code}: {terms} on {scope}, {window}").format(
        code=row.code, terms=row.terms, scope=row.scope, window=row.window)
          + (" · " + _("at {shops}").format(shops=row.shops) if row.shops else ""))
    return 0


def cmd_toggle(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    promotions.set_active(acting_user(args.actor), args.code, args.active)
    said = _("{code}: running") if args.active else _("{code}: ended")
    print(said.format(code=args.code))
    return 0
