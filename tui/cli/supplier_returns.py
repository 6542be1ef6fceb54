"""`zhanggui purchase return|returnable|returns`: goods sent back to a supplier (退货) from a
goods receipt or a supplier bill, as a debit note or a refund."""

from __future__ import annotations

import argparse
import dataclasses

from store.buying import supplier_returns
from store.buying.supplier_returns import ReturnView
from store.common import clock
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import format_money, format_qty

from .common import acting_user, add_actor, open_db, parse_date, print_json, print_table


def add_parsers(psub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rt = psub.add_parser("return", help=_("send goods of a receipt or a bill back to the "
                                          "supplier"))
    rt.add_argument("document", help=_("the goods receipt (GR-…) or supplier bill (BILL-…)"))
    rt.add_argument("items", nargs="+", metavar="SKU=QTY",
                    help=_("a product (SKU or barcode) and the units going back"))
    rt.add_argument("--reason", required=True, help=_("why: damaged, expired, wrong goods …"))
    rt.add_argument("--tax", default=None, help=_("input VAT to reverse (default: the bill's "
                                                  "share for the goods)"))
    rt.add_argument("--refund", default="", metavar="ACCOUNT",
                    help=_("the supplier pays back now into 1001 cash, 1002 bank or 1012 "
                           "WeChat/Alipay (default: a debit note against their bills)"))
    rt.add_argument("--date", metavar="YYYY-MM-DD", help=_("default: today"))
    add_actor(rt)
    rt.set_defaults(func=cmd_return)
    ra = psub.add_parser("returnable", help=_("what of a receipt or bill can still go back"))
    ra.add_argument("document")
    ra.add_argument("--json", action="store_true", help=_("print JSON"))
    ra.set_defaults(func=cmd_returnable)
    rl = psub.add_parser("returns", help=_("goods sent back to suppliers, newest first"))
    rl.add_argument("--supplier", default="", metavar="CODE")
    rl.add_argument("--json", action="store_true", help=_("print JSON"))
    rl.set_defaults(func=cmd_returns)


def _items(specs: list[str]) -> list[tuple[str, str]]:
    out = []
    for spec in specs:
        code, sep, qty = spec.partition("=")
        if not sep or not code.strip():
            raise ValidationError(_("'{value}' is not SKU=QTY").format(value=spec),
                                  field="items", value=spec)
        out.append((code.strip(), qty))
    return out


def print_return(v: ReturnView) -> None:
    print(_("{number}: {supplier}, from {document}, {reason}").format(
        number=v.number, supplier=v.supplier_code, document=v.document, reason=v.reason))
    for ln in v.lines:
        print(f"  {ln.sku:12} {format_qty(ln.qty):>8} {format_money(ln.amount):>12}  "
              + (_("billed") if ln.billed else _("not billed")))
    print("  " + _("out of stock at {value}; 220201 cleared {grni}; credit {net} + tax {tax}")
          .format(value=format_money(v.value), grni=format_money(v.grni),
                  net=format_money(v.net), tax=format_money(v.tax)))
    if v.refund_account:
        print("  " + _("refunded into {account}").format(account=v.refund_account))
    for bill, amount in v.applied:
        print("  " + _("set against {bill}: {amount}").format(bill=bill,
                                                             amount=format_money(amount)))
    if v.waiting:
        print("  " + _("{amount} waits for the supplier's next bill").format(
            amount=format_money(v.waiting)))


def cmd_return(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    items = _items(args.items)
    day = parse_date(args.date, "--date", clock.local_today())
    v = supplier_returns.post_return(acting_user(args.actor), args.document, items,
                                     reason=args.reason, tax=args.tax,
                                     refund_account=args.refund, day=day)
    print_return(v)
    return 0


def cmd_returnable(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = supplier_returns.returnable(args.document)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("SKU"), _("Name"), _("Can go back"), _("Not billed"), _("Credited at")],
                [(r.sku, r.name, format_qty(r.qty), format_qty(r.not_billed), f"{r.price:.2f}")
                 for r in rows], right={2, 3, 4})
    return 0


def cmd_returns(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = supplier_returns.returns(supplier_code=args.supplier)
    if args.json:
        print_json([{**dataclasses.asdict(v), "credit": v.credit} for v in rows])
        return 0
    print_table([_("Return"), _("Date"), _("Supplier"), _("From"), _("Stock value"),
                 _("Debit note or refund"), _("Reason")],
                [(v.number, v.date, v.supplier_code, v.document, format_money(v.value),
                  format_money(v.credit), v.reason) for v in rows], right={4, 5})
    return 0
