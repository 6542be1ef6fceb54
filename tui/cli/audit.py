"""`zhanggui shifts|audit|roles|settings …`: shifts with their X/Z totals, the audit chain,
the permission matrix, and shop-wide settings (cash rounding, time zone)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from decimal import Decimal
from typing import Any

from store.assurance import integrity
from store.catalog import scale
from store.common import clock
from store.core import files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import format_money, parse_decimal
from store.pricing import promotions
from store.security import audit, permissions
from store.selling import sales
from store.shops import org

from ..receipts import report_lines, shift_report_rows, shift_report_title
from .common import acting_user, add_actor, open_db, print_json, print_table, printable


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("shifts", help=_("shifts with their X and Z totals"))
    ssub = s.add_subparsers(dest="shifts_command", metavar=_("COMMAND"), required=True)
    ls = ssub.add_parser("list", help=_("list shifts, newest first"))
    ls.add_argument("--terminal", metavar="T", help=_("only this terminal"))
    ls.add_argument("--limit", type=int, default=100, metavar="N", help=_("at most N shifts"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_shifts_list)
    sh = ssub.add_parser("show", help=_("one shift's X report (open) or Z report (closed)"))
    sh.add_argument("id", type=int, metavar="ID", help=_("the shift's ID, as 'shifts list' shows"))
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_shifts_show)

    a = sub.add_parser("audit", help=_("the tamper-evident audit chain"))
    asub = a.add_subparsers(dest="audit_command", metavar=_("COMMAND"), required=True)
    av = asub.add_parser("verify", help=_("recompute the chain, the sealed sales, Z reports, "
                                          "journal and stock; exit 1 if anything was changed"))
    av.add_argument("--anchor", action="append", default=[], metavar="FILE|SEQ:HASH",
                    help=_("also check an anchor: a file written by 'audit anchor', or the "
                           "audit seal printed on a Z report"))
    av.set_defaults(func=cmd_audit_verify)
    an = asub.add_parser("anchor", help=_("print the chain's head (or write it to a file) to "
                                          "keep off-site: history before it cannot be "
                                          "rewritten unnoticed"))
    an.add_argument("--out", metavar="FILE", help=_("write it to this file"))
    an.add_argument("--force", action="store_true", help=_("replace an existing file"))
    an.set_defaults(func=cmd_audit_anchor)
    al = asub.add_parser("list", help=_("list audit events"))
    al.add_argument("--kind", help=_("only events of this kind (sale, return, approval, …)"))
    al.add_argument("--limit", type=int, default=100, metavar="N", help=_("at most N events"))
    al.add_argument("--json", action="store_true", help=_("print JSON"))
    al.set_defaults(func=cmd_audit_list)

    r = sub.add_parser("roles", help=_("who may do what: permissions and discount limits"))
    rsub = r.add_subparsers(dest="roles_command", metavar=_("COMMAND"), required=True)
    rs = rsub.add_parser("show", help=_("the permission matrix"))
    rs.add_argument("--json", action="store_true", help=_("print JSON"))
    rs.set_defaults(func=cmd_roles_show)
    for name, allow in (("grant", True), ("revoke", False)):
        g = rsub.add_parser(name, help=_("allow a role a permission") if allow else
                            _("take a permission from a role"))
        g.add_argument("role")
        g.add_argument("permission")
        g.add_argument("--as", dest="actor", required=True, metavar="USER",
                       help=_("the owner making the change (asks for the PIN or password)"))
        g.set_defaults(func=cmd_roles_set, allow=allow)
    lim = rsub.add_parser("limit", help=_("the largest discount (percent) a role may give"))
    lim.add_argument("role")
    lim.add_argument("percent")
    lim.add_argument("--as", dest="actor", required=True, metavar="USER",
                     help=_("the owner making the change (asks for the PIN or password)"))
    lim.set_defaults(func=cmd_roles_limit)

    st = sub.add_parser("settings", help=_("shop-wide settings"))
    stsub = st.add_subparsers(dest="settings_command", metavar=_("COMMAND"), required=True)
    sts = stsub.add_parser("show", help=_("show the shop's settings"))
    sts.set_defaults(func=cmd_settings_show)
    cr = stsub.add_parser("cash-rounding", help=_("round cash to the smallest coin: 0.1, 0.5, "
                                                  "1, or 0.01 for none"))
    cr.add_argument("step")
    cr.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who makes the change (asks for the PIN or password)"))
    cr.set_defaults(func=cmd_settings_rounding)
    sh = stsub.add_parser("shop", help=_("the shop's name, address, phone and tax ID on the "
                                         "receipt, its closing line, tax-inclusive prices"))
    sh.add_argument("--name")
    sh.add_argument("--name-en", metavar="NAME")
    sh.add_argument("--address")
    sh.add_argument("--phone")
    sh.add_argument("--tax-id", metavar="USCC", help=_("the unified social credit code ('' to remove)"))
    sh.add_argument("--receipt-footer", metavar="TEXT",
                    help=_("the receipt's last line ('' for the default thanks)"))
    sh.add_argument("--prices-include-tax", choices=["yes", "no"],
                    help=_("whether shelf prices include tax"))
    add_actor(sh)
    sh.set_defaults(func=cmd_settings_shop)
    tz = stsub.add_parser("timezone", help=_("the shop's time zone, e.g. Asia/Shanghai"))
    tz.add_argument("zone")
    tz.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who makes the change (asks for the PIN or password)"))
    tz.set_defaults(func=cmd_settings_timezone)
    sl = stsub.add_parser("scale-layouts", help=_("the labels the shop's scales print: show "
                                                  "them, try a sample, or set new ones"))
    sl.add_argument("layouts", nargs="*", metavar="LAYOUT",
                    help=_("13 characters each: a prefix 20–29, C… the product's code, P… "
                           "price or W… weight, K the check digit (21CCCCCPPPPPK)"))
    sl.add_argument("--sample", default="", metavar="LABEL",
                    help=_("a label your scale printed: shown as the till will read it (with "
                           "new layouts it must find a product, or nothing is saved)"))
    sl.add_argument("--as", dest="actor", metavar="USER",
                    help=_("who makes the change (asks for the PIN or password)"))
    sl.set_defaults(func=cmd_settings_scale)
    pr = stsub.add_parser("promotion-rule", help=_("which promotion wins where several apply: "
                                                   "best (the most off) or priority"))
    pr.add_argument("rule", choices=["best", "priority"])
    pr.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who makes the change (asks for the PIN or password)"))
    pr.set_defaults(func=cmd_settings_promotion_rule)


def _totals_json(t: sales.ShiftTotals) -> dict[str, Any]:
    data = dataclasses.asdict(t)
    data["over_short"] = t.over_short
    data["status"] = "closed" if t.z_number else "open"
    return data


def cmd_shifts_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = sales.list_shifts(terminal=args.terminal, limit=args.limit)
    if args.json:
        print_json([_totals_json(t) for t in rows])
        return 0
    print_table(
        [_("ID"), _("Terminal"), _("Shift"), _("Z report"), _("Opened"), _("Sales count"),
         _("Taken"), _("Expected cash"), _("Counted cash")],
        [(t.shift.id, t.shift.terminal, f"#{t.shift.number}",
          f"Z{t.z_number:04d}" if t.z_number else _("open"),
          f"{clock.to_local(t.shift.opened_at):%Y-%m-%d %H:%M}", t.sales,
          format_money(t.total), format_money(t.expected_cash),
          format_money(t.counted_cash) if t.counted_cash is not None else "-") for t in rows],
        right={0, 5, 6, 7, 8})
    return 0


def cmd_shifts_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    t = sales.shift_totals(args.id)
    if args.json:
        print_json(_totals_json(t))
        return 0
    print(shift_report_title(t))
    for line in report_lines(shift_report_rows(t), 42):
        print(printable(line))
    return 0


def _anchors(values: list[str]) -> list[audit.Anchor]:
    found: list[audit.Anchor] = []
    for value in values:
        if ":" not in value or os.sep in value:  # not SEQ:HASH, so the name of a file
            text, source = files.read_small_text(value, field="--anchor"), value
        else:
            text, source = value, "--anchor"
        try:
            found += audit.parse_anchors(text, source=source)
        except ValueError as exc:
            raise ValidationError(str(exc), field="anchor", value=value) from exc
    return found


def cmd_audit_verify(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    anchors = _anchors(args.anchor)
    report = integrity.verify(anchors=anchors)
    if report.ok:
        print(_("Audit chain intact: {events} events, {sales} sales, {z} Z reports, "
                "{entries} journal entries, {moves} stock moves verified").format(
            events=report.events, sales=report.sales, z=report.z_reports,
            entries=report.entries, moves=report.moves))
        if args.anchor:
            print(_("Anchors checked: {count}").format(count=len(anchors)))
        return 0
    print(_("AUDIT FAILED: {count} problems").format(count=len(report.problems)),
          file=sys.stderr)
    for problem in report.problems:
        print("  " + problem, file=sys.stderr)
    return 1


def cmd_audit_anchor(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    a = audit.anchor()
    stamp = f"{a.line()} at={clock.local_now():%Y-%m-%dT%H:%M:%S%z}\n"
    if not args.out:
        print(stamp, end="")
        return 0
    path = files.write_text(args.out, stamp, force=args.force)
    print(_("Wrote the audit anchor (event {seq}) to {path}: keep a copy away from this "
            "machine").format(seq=a.seq, path=path))
    return 0


def cmd_audit_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = audit.events(kind=args.kind)[-args.limit:]
    if args.json:
        print_json([dataclasses.asdict(e) for e in rows])
        return 0
    for e in rows:
        print(f"{e.seq:>8} {clock.to_local(e.created_at):%Y-%m-%d %H:%M:%S} {e.kind:18} "
              f"{e.terminal:6} {e.reference:16} {e.hash[:12]}")
    return 0


def cmd_roles_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    p = permissions.policy()
    if args.json:
        print_json({"matrix": {r: sorted(v) for r, v in p.matrix.items()},
                    "discount_limits": {r: str(v) for r, v in p.discount_limits.items()}})
        return 0
    for role in p.matrix:
        limit = _("discount up to {pct}%").format(pct=p.discount_limit(role))
        print(f"{role:11} {limit}")
        for perm in sorted(p.matrix[role]):
            print(f"    {perm:20} {_(permissions.PERMISSIONS[perm])}")
    return 0


def cmd_roles_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    permissions.set_permission(acting_user(args.actor), args.role, args.permission, args.allow)
    print(_("{role}: {permission} {state}").format(
        role=args.role, permission=args.permission,
        state=_("allowed") if args.allow else _("not allowed")))
    return 0


def cmd_roles_limit(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    pct = parse_decimal(args.percent, field="percent")
    permissions.set_discount_limit(acting_user(args.actor), args.role, pct)
    print(_("{role}: discount up to {pct}%").format(role=args.role, pct=pct))
    return 0


def cmd_settings_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    s = org.settings()
    _print_shop(s)
    print(_("cash rounding: {step}").format(step=s.cash_rounding or "0.01"))
    print(_("time zone: {zone}").format(zone=clock.shop_zone()))
    print(_("promotion rule: {rule}").format(rule=promotions.rule()))
    return 0


def cmd_settings_scale(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.layouts:
        if not args.actor:
            raise ValidationError(_("--as: say who sets the layouts"), field="actor", value="")
        rules, seen = scale.change_layouts(acting_user(args.actor), args.layouts,
                                           sample=args.sample)
    else:
        rules = scale.layouts()
        seen = scale.preview(args.sample, rules) if args.sample.strip() else None
    for rule in rules:
        print(f"{rule.text}  " + (_("price") if rule.kind == "price" else _("weight")))
    if seen is not None:
        print(seen.said())
    return 0


def cmd_settings_promotion_rule(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    promotions.set_rule(acting_user(args.actor), args.rule)
    print(_("promotion rule: {rule}").format(rule=args.rule))
    return 0


def cmd_settings_rounding(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    step = parse_decimal(args.step, field="step")
    org.change_cash_rounding(acting_user(args.actor), None if step == Decimal("0.01") else step)
    print(_("cash rounding: {step}").format(step=step))
    return 0


def cmd_settings_shop(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    include = None if args.prices_include_tax is None else args.prices_include_tax == "yes"
    s = org.change_shop(acting_user(args.actor), name=args.name, name_en=args.name_en,
                        address=args.address, phone=args.phone, tax_id=args.tax_id,
                        receipt_footer=args.receipt_footer, prices_include_tax=include)
    _print_shop(s)
    return 0


def _print_shop(s: org.ShopSettings) -> None:
    print(_("shop: {name}").format(name=s.name) + (f" / {s.name_en}" if s.name_en else ""))
    for label, value in ((_("address"), s.address), (_("phone"), s.phone),
                         (_("tax ID"), s.tax_id), (_("receipt footer"), s.receipt_footer)):
        if value:
            print(f"{label}: {value}")
    print(_("prices include tax: {answer}").format(
        answer=_("yes") if s.prices_include_tax else _("no")))


def cmd_settings_timezone(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    org.change_timezone(acting_user(args.actor), args.zone)
    print(_("time zone: {zone}").format(zone=args.zone))
    return 0
