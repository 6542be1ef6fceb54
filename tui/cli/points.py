"""`zhanggui points program|rule|rules|tier|tiers|show|expire`: members' loyalty points (积分)
and tiers (see store/selling/points.py); at the till points pay as the POINTS tender."""

from __future__ import annotations

import argparse

from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.selling import points

from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("points", help=_("members' points and tiers: rules, balances, lapsing"))
    psub = p.add_subparsers(dest="points_command", metavar=_("COMMAND"), required=True)
    pp = psub.add_parser("program", help=_("what a point is worth and when points lapse"))
    pp.add_argument("--value", default=None, help=_("元 one point pays for (default 0.01: "
                                                    "100 points = 1 元)"))
    pp.add_argument("--months", default=None, help=_("points lapse this many months after "
                                                     "they were earned (0: never)"))
    pp.add_argument("--as", dest="actor", metavar="USER", help=_("who changes it (asks the "
                                                                 "PIN)"))
    pp.set_defaults(func=cmd_program)
    pr = psub.add_parser("rule", help=_("points per 元 on everything, a category, a product "
                                        "or a promotion (0 excludes)"))
    pr.add_argument("rate", nargs="?", default=None, help=_("points per 元"))
    target = pr.add_mutually_exclusive_group()
    target.add_argument("--category", default="")
    target.add_argument("--sku", default="")
    target.add_argument("--promotion", default="")
    pr.add_argument("--remove", action="store_true", help=_("remove that rule"))
    add_actor(pr)
    pr.set_defaults(func=cmd_rule)
    prs = psub.add_parser("rules", help=_("the points rules"))
    prs.set_defaults(func=cmd_rules)
    pt = psub.add_parser("tier", help=_("add or change a member tier (reached by spending)"))
    pt.add_argument("code")
    pt.add_argument("name")
    pt.add_argument("threshold", help=_("spending that reaches it (0: every member)"))
    pt.add_argument("--name-en", default="")
    pt.add_argument("--earn-pct", default="100", help=_("% of the rules' points it earns"))
    pt.add_argument("--price-list", default="", help=_("its members' price list"))
    pt.add_argument("--remove", action="store_true", help=_("remove the tier"))
    add_actor(pt)
    pt.set_defaults(func=cmd_tier)
    pts = psub.add_parser("tiers", help=_("the member tiers"))
    pts.set_defaults(func=cmd_tiers)
    ps = psub.add_parser("show", help=_("a member's points, tier and every movement"))
    ps.add_argument("member", help=_("member number or phone"))
    ps.add_argument("--json", action="store_true", help=_("print JSON"))
    ps.set_defaults(func=cmd_show)
    pa = psub.add_parser("adjust", help=_("give a member points, or take some back (-N), "
                                          "with a reason"))
    pa.add_argument("member", help=_("member number or phone"))
    pa.add_argument("points")
    pa.add_argument("--reason", required=True)
    add_actor(pa)
    pa.set_defaults(func=cmd_adjust)
    pe = psub.add_parser("expire", help=_("take off the points whose day has passed (the "
                                          "nightly job does it)"))
    pe.set_defaults(func=cmd_expire)


def _say_programme() -> None:
    now = points.programme()
    print(_("A point pays for {value}; points lapse after {months} months").format(
        value=format_money(now.value), months=now.months) if now.months else
        _("A point pays for {value}; points never lapse").format(
            value=format_money(now.value)))
    print(_("Points outstanding: {points}, owed as goods (2204): {amount}").format(
        points=f"{points.outstanding():,}", amount=format_money(points.owed())))


def cmd_program(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.value is not None or args.months is not None:
        points.set_programme(acting_user(args.actor), value=args.value, months=args.months)
    _say_programme()
    return 0


def cmd_rule(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    if args.remove:
        points.remove_rule(user, category=args.category, sku=args.sku,
                           promotion=args.promotion)
        print(_("Rule removed"))
        return 0
    if args.rate is None:
        print(_("Give the points per 元, or --remove"))
        return 2
    rule = points.set_rule(user, args.rate, category=args.category, sku=args.sku,
                           promotion=args.promotion)
    print(_("{name}: {rate} points per 元").format(name=rule.name, rate=f"{rule.rate.normalize():f}"))
    return 0


def cmd_rules(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    print_table([_("Applies to"), _("Name"), _("Points per 元")],
                [(r.target or _("everything"), r.name, f"{r.rate.normalize():f}")
                 for r in points.rules()], right={2})
    _say_programme()
    return 0


def cmd_tier(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    if args.remove:
        points.remove_tier(user, args.code)
        print(_("Tier {code} removed").format(code=args.code))
        return 0
    tier = points.set_tier(user, args.code, args.name, args.threshold, name_en=args.name_en,
                           earn_pct=args.earn_pct, price_list=args.price_list)
    print(_("Tier {code} {name}: from {threshold} spent, {pct}% points; {members} "
            "member(s)").format(code=tier.code, name=tier.name,
                                threshold=format_money(tier.threshold), pct=tier.earn_pct,
                                members=tier.members))
    return 0


def cmd_tiers(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    print_table([_("Code"), _("Name"), _("From spending"), _("Points %"), _("Price list"),
                 _("Members")],
                [(t.code, t.name, format_money(t.threshold), t.earn_pct, t.price_list or "-",
                  t.members) for t in points.tiers()], right={2, 3, 5})
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    view = points.member(args.member)
    moves = points.statement(args.member)
    if args.json:
        print_json({**view.__dict__, "moves": [m.__dict__ for m in moves]})
        return 0
    print(_("{name} ({code}): {points} points, worth {worth}").format(
        name=view.name, code=view.code, points=f"{view.points:,}",
        worth=format_money(view.worth)))
    print(_("Tier: {tier}; spent {spent}").format(tier=view.tier or "-",
                                                  spent=format_money(view.spent))
          + (_("; {amount} more to {next}").format(amount=format_money(view.to_next),
                                                  next=view.next_tier)
             if view.next_tier else ""))
    if view.lapsing:
        print(_("{points} points lapse within {days} days (the first on {day})").format(
            points=f"{view.lapsing:,}", days=points.LAPSE_WARNING, day=view.lapsing_on))
    print_table([_("When"), _("What"), _("Document"), _("Points"), _("Balance"),
                 _("Lapses on"), _("By")],
                [(m.at.strftime("%Y-%m-%d %H:%M"), _(points.KINDS[m.kind]), m.number,
                  f"{m.points:+,}", f"{m.balance:,}", m.expires_on or "", m.user)
                 for m in moves], right={3, 4})
    return 0


def cmd_adjust(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    left = points.adjust(acting_user(args.actor), args.member, args.points, reason=args.reason)
    print(_("{member}: {points} points now").format(member=args.member, points=f"{left:,}"))
    return 0


def cmd_expire(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    members, lapsed = points.expire(None)
    print(_("{points} points of {members} member(s) lapsed").format(
        points=f"{lapsed:,}", members=members))
    return 0
