"""`zhanggui vouchers issue|list|codes|check|void`: voucher batches and their codes (see
store/selling/vouchers.py); at the till a code is the voucher tender's reference."""

from __future__ import annotations

import argparse
import csv
import io
import sys

from store.core import files
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.security import permissions
from store.selling import vouchers

from .common import acting_user, add_actor, open_db, parse_date, print_json, print_table


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    v = sub.add_parser("vouchers", help=_("vouchers: batches of codes used once at the till"))
    vsub = v.add_subparsers(dest="vouchers_command", metavar=_("COMMAND"), required=True)
    vi = vsub.add_parser("issue", help=_("a batch of vouchers, each with its own code"))
    vi.add_argument("name")
    vi.add_argument("--kind", choices=["promo", "gift"], default="promo",
                    help=_("promo: given away (a selling expense when used); gift: sold "
                           "(owed in 2203 until used)"))
    vi.add_argument("--value", required=True, help=_("what a voucher pays; with --percent, "
                                                     "the most it pays"))
    vi.add_argument("--percent", default="0", help=_("a percentage coupon: this share of the "
                                                     "sale (promo only)"))
    vi.add_argument("--count", type=int, default=0)
    vi.add_argument("--on-receipts", default=None, metavar="MIN_TOTAL",
                    help=_("a \"next visit\" coupon: a new code on every receipt of at least "
                           "this, instead of --count codes now"))
    vi.add_argument("--min-spend", default="0")
    vi.add_argument("--from", dest="valid_from", metavar="YYYY-MM-DD")
    vi.add_argument("--to", dest="valid_to", metavar="YYYY-MM-DD")
    vi.add_argument("--uses", type=int, default=1, help=_("times each voucher may be used"))
    vi.add_argument("--shop", default="", help=_("good at this shop only"))
    vi.add_argument("--paid-into", default="", metavar="ACCOUNT",
                    help=_("a gift batch's money: 1001 cash, 1002 bank, 1012 WeChat/Alipay"))
    vi.add_argument("--out", metavar="FILE", help=_("write the codes to a CSV file to print "
                                                    "(default: print them)"))
    vi.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    add_actor(vi)
    vi.set_defaults(func=cmd_issue)
    vl = vsub.add_parser("list", help=_("the batches, newest first"))
    vl.add_argument("--json", action="store_true", help=_("print JSON"))
    vl.set_defaults(func=cmd_list)
    vc = vsub.add_parser("codes", help=_("a batch's codes and what is left of each"))
    vc.add_argument("batch")
    vc.add_argument("--json", action="store_true", help=_("print JSON"))
    vc.set_defaults(func=cmd_codes)
    vk = vsub.add_parser("check", help=_("whether a code can be used at a till today"))
    vk.add_argument("code")
    vk.add_argument("--terminal", default="T1")
    vk.set_defaults(func=cmd_check)
    vp = vsub.add_parser("print", help=_("print a batch's vouchers still to use on the receipt "
                                         "printer, one slip each with its barcode"))
    vp.add_argument("batch")
    vp.set_defaults(func=cmd_print)
    ve = vsub.add_parser("expire", help=_("expire gift vouchers past their last day (the "
                                          "nightly job does it too)"))
    add_actor(ve)
    ve.set_defaults(func=cmd_expire)
    vv = vsub.add_parser("void", help=_("take a voucher out of use"))
    vv.add_argument("code")
    vv.add_argument("--reason", required=True)
    add_actor(vv)
    vv.set_defaults(func=cmd_void)


def _csv(codes: list[str], batch: vouchers.BatchView) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["code", "batch", "value", "min_spend", "valid_to"])
    for code in codes:
        w.writerow([code, batch.number, f"{batch.value}", f"{batch.min_spend}",
                    batch.valid_to.isoformat()])
    return "\ufeff" + out.getvalue()  # a BOM: Excel opens it as UTF-8


def cmd_issue(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.out:
        files.check_target(args.out, force=args.force)  # refused before anything is issued
    batch, codes = vouchers.issue(
        acting_user(args.actor), args.name, args.kind, args.value, args.count,
        min_spend=args.min_spend,
        valid_from=parse_date(args.valid_from, "--from") if args.valid_from else None,
        valid_to=parse_date(args.valid_to, "--to") if args.valid_to else None,
        uses=args.uses, shop=args.shop, paid_into=args.paid_into, percent=args.percent,
        on_receipts=args.on_receipts)
    if batch.receipt_min is not None:
        print(_("{number}: {terms}, on every receipt of at least {least}, good {start} to "
                "{end}").format(number=batch.number, terms=batch.terms,
                                least=format_money(batch.receipt_min), start=batch.valid_from,
                                end=batch.valid_to))
        return 0
    print(_("{number}: {count} vouchers of {value}, good {start} to {end}").format(
        number=batch.number, count=batch.count, value=batch.terms,
        start=batch.valid_from, end=batch.valid_to))
    if args.out:
        files.write_text(args.out, _csv(codes, batch), force=args.force)
        print(_("Wrote {path}").format(path=args.out))
    else:
        for code in codes:
            print(code)
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = vouchers.batches()
    if args.json:
        print_json([b.__dict__ for b in rows])
        return 0
    print_table([_("Batch"), _("Name"), _("Kind"), _("Terms"), _("Count"), _("Used"),
                 _("Good to")],
                [(b.number, b.name, _(vouchers.KINDS[b.kind]) + (
                    " · " + _("on receipts") if b.receipt_min is not None else ""),
                  b.terms, b.count, b.used, b.valid_to) for b in rows], right={4, 5})
    return 0


def cmd_codes(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = vouchers.codes(args.batch)
    if args.json:
        print_json([{"code": c, "uses_left": n, "status": s} for c, n, s in rows])
        return 0
    print_table([_("Code"), _("Uses left"), _("Status")], rows, right={1})
    return 0


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    code, value, least = vouchers.check(args.code, args.terminal)
    print(_("{code}: worth {value}, on a spend of at least {least}").format(
        code=code, value=format_money(value), least=format_money(least)))
    return 0


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    vouchers.void(acting_user(args.actor), args.code, args.reason)
    print(_("{code} voided").format(code=vouchers.normalize(args.code)))
    return 0


def cmd_print(args: argparse.Namespace, cfg: Config) -> int:
    import json

    from devices.errors import DeviceError
    from devices.printer import ReceiptPrinter
    from store.shops import org

    from ..printing import device_message, printer_settings

    open_db(cfg)
    batch = vouchers.view(args.batch)
    payload = vouchers.sheet(batch.number, org.settings().name)
    if payload is None:
        print(_("{number}: no voucher left to print").format(number=batch.number))
        return 0
    left = json.loads(payload)["codes"]
    try:
        ReceiptPrinter(printer_settings(cfg)).print_job("vouchers", payload)
    except DeviceError as err:
        print(_("error: {message}").format(message=device_message(err)), file=sys.stderr)
        return 1
    print(_("{n} vouchers of {number} sent to {url}").format(n=len(left), number=batch.number,
                                                             url=cfg.printer.url))
    return 0


def cmd_expire(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    permissions.check(user, "manage_promotions", reference="expire")
    count, total = vouchers.expire(user.id)
    print(_("{count} gift voucher(s) expired, {amount} no longer owed").format(
        count=count, amount=format_money(total)))
    return 0
