"""`zhanggui orders …`, `zhanggui import orders|tracking` and `zhanggui export shipments`:
sales orders by phone and for the trade, and the online channels' orders and logistics."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from store.channels import base, connectors, logistics
from store.core import files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _, channel_label
from store.core.money import format_money
from store.customers import orders
from store.customers.orders import LineInput, Recipient

from .common import acting_user, open_db, print_json, print_table


def _as(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="actor", required=True, metavar="USER",
                   help=_("who does it (asks for the PIN or password)"))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    o = sub.add_parser("orders", help=_("sales orders: phone, trade and online"))
    osub = o.add_subparsers(dest="orders_command", metavar=_("COMMAND"), required=True)
    ls = osub.add_parser("list", help=_("orders, newest first"))
    ls.add_argument("--status", default="", help=_("quote, held, confirmed, picked, partial, "
                                                   "shipped, invoiced, paid, cancelled or open"))
    ls.add_argument("--channel", default="", help=_("phone, taobao, tmall, shopify …"))
    ls.add_argument("--limit", type=int, default=200, metavar="N")
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    sh = osub.add_parser("show", help=_("an order with its lines and history"))
    sh.add_argument("number")
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_show)
    cr = osub.add_parser("create", help=_("take an order: SKU=QTY[@PRICE] …"))
    cr.add_argument("lines", nargs="+", metavar="SKU=QTY[@PRICE]")
    cr.add_argument("--customer", default="", help=_("member number (their price list applies)"))
    cr.add_argument("--channel", default="phone")
    cr.add_argument("--warehouse", default="STORE")
    cr.add_argument("--recipient", nargs=3, metavar=("NAME", "PHONE", "ADDRESS"))
    cr.add_argument("--note", default="")
    cr.add_argument("--confirm", action="store_true", help=_("confirm it at once (reserves)"))
    _as(cr)
    cr.set_defaults(func=cmd_create)
    for name, text in (("confirm", _("confirm a quote: its stock is reserved")),
                       ("pick", _("mark an order picked")),
                       ("invoice", _("invoice what was shipped"))):
        step = osub.add_parser(name, help=text)
        step.add_argument("number")
        _as(step)
        step.set_defaults(func=cmd_step, step=name)
    ia = osub.add_parser("invoice-shipped", help=_("invoice every shipped order (of a "
                                                   "channel): imported 交易成功 orders too"))
    ia.add_argument("--channel", default="")
    _as(ia)
    ia.set_defaults(func=cmd_invoice_shipped)
    sp = osub.add_parser("ship", help=_("ship all that is left, or --qty SKU=QTY"))
    sp.add_argument("number")
    sp.add_argument("--carrier", default="")
    sp.add_argument("--tracking", default="")
    sp.add_argument("--qty", action="append", default=[], metavar="SKU=QTY")
    _as(sp)
    sp.set_defaults(func=cmd_ship)
    ca = osub.add_parser("cancel", help=_("cancel an order that has not shipped"))
    ca.add_argument("number")
    ca.add_argument("--reason", required=True)
    _as(ca)
    ca.set_defaults(func=cmd_cancel)

    exp = sub.add_parser("export", help=_("export for couriers"))
    esub = exp.add_subparsers(dest="export_command", metavar=_("COMMAND"), required=True)
    es = esub.add_parser("shipments", help=_("orders ready to ship, in the courier's layout"))
    es.add_argument("--out", required=True, metavar="FILE")
    es.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    es.add_argument("--channel", default="")
    es.add_argument("--encoding", default="utf-8", choices=["utf-8", "gbk"],
                    help=_("file encoding (UTF-8 is written with a BOM for Excel)"))
    _as(es)
    es.set_defaults(func=cmd_export_shipments)


def add_import_parsers(isub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """import orders|tracking (under `zhanggui import`, with the master data's imports)"""
    io = isub.add_parser("orders", help=_("a channel's order export (Taobao, Tmall, Shopify)"))
    io.add_argument("file", help=_("the order report (订单报表) or orders_export.csv"))
    io.add_argument("--channel", required=True, help=_("taobao, tmall, shopify or a plug-in"))
    io.add_argument("--items", default=None, metavar="FILE",
                    help=_("Taobao's item report (宝贝报表)"))
    io.add_argument("--warehouse", default="STORE", help=_("the stock the orders take from"))
    io.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    io.add_argument("--json", action="store_true", help=_("print JSON"))
    _as(io)
    io.set_defaults(func=cmd_import_orders)
    it = isub.add_parser("tracking", help=_("the courier's file (订单号, 物流公司, 运单号): "
                                            "ships the orders"))
    it.add_argument("file")
    it.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    it.add_argument("--json", action="store_true", help=_("print JSON"))
    _as(it)
    it.set_defaults(func=cmd_import_tracking)


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = orders.orders(status=args.status, channel=args.channel, limit=args.limit)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("Order"), _("Channel"), _("Status"), _("Total"), _("Channel order"),
                 _("Customer")],
                [(r.number, channel_label(r.channel), _(r.status), format_money(r.total), r.external_id,
                  r.customer) for r in rows], right={3})
    return 0


def _print_order(v: orders.OrderView) -> None:
    print(f"{v.number}  {channel_label(v.channel)} {v.external_id}  {_(v.status)}  "
          f"{v.customer_name or v.buyer}")
    for ln in v.lines:
        flag = "" if ln.mapped else "  ← " + _("no product")
        print(f"  {ln.sku:14} {ln.name[:24]:24} {ln.qty:>8} {format_money(ln.unit_price):>10} "
              f"{format_money(ln.amount):>11} {_('shipped')} {ln.shipped}{flag}")
    print(f"  {_('Total')}: {format_money(v.total)}  {v.carrier} {v.tracking_no}")
    for e in v.events:
        print(f"  {e.at:%Y-%m-%d %H:%M} {_(e.status):10} {e.user:10} {e.note}")


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = orders.view(args.number)
    if args.json:
        print_json(dataclasses.asdict(v))
    else:
        _print_order(v)
    return 0


def _line(text: str) -> LineInput:
    sku, _eq, rest = text.partition("=")
    qty, _at, price = rest.partition("@")
    return LineInput(sku, qty or "1", price or None)


def cmd_create(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    v = orders.create(user, [_line(t) for t in args.lines], channel=args.channel,
                      customer_code=args.customer, warehouse_code=args.warehouse,
                      recipient=Recipient(*args.recipient) if args.recipient else None,
                      note=args.note, confirm=args.confirm)
    _print_order(v)
    return 0


def cmd_step(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    v = {"confirm": orders.confirm, "pick": orders.pick,
         "invoice": orders.invoice}[args.step](user, args.number)
    print(_("{number} is {status}.").format(number=v.number, status=_(v.status)))
    return 0


def cmd_invoice_shipped(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    done = orders.invoice_shipped(acting_user(args.actor), args.channel)
    print(_("{n} orders invoiced").format(n=len(done)))
    return 0


def _sku_qty(text: str) -> tuple[str, str]:
    sku, eq, qty = text.partition("=")
    if not eq or not sku.strip() or not qty.strip():
        # main() prints the message without control characters, whatever was typed
        raise ValidationError(_("--qty: '{value}' is not SKU=QTY").format(value=text[:40]),
                              field="qty", value=text[:40])
    return sku.strip(), qty.strip()


def cmd_ship(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    qty: dict[str, Decimal | str] | None = (dict(_sku_qty(q) for q in args.qty) if args.qty
                                            else None)
    v = orders.ship(user, args.number, carrier=args.carrier, tracking_no=args.tracking,
                    quantities=qty)
    print(_("{number} is {status}.").format(number=v.number, status=_(v.status)))
    return 0


def cmd_cancel(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = orders.cancel(acting_user(args.actor), args.number, args.reason)
    print(_("{number} is {status}.").format(number=v.number, status=_(v.status)))
    return 0


class Bar:
    """A progress bar on stderr for a terminal (or a large file even when piped)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        if not (sys.stderr.isatty() or total >= 20000):
            return
        width = 30
        filled = width * done // max(total, 1)
        print(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
              end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)


def _rows(title: str, rows: list[tuple[int, str]]) -> None:
    if rows:
        print(title)
        for row, why in rows:
            print("  " + _("row {row}: {reason}").format(row=row, reason=why))


def cmd_import_orders(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    options: dict[str, Any] = {"orders": Path(args.file)}
    if args.items:
        options["items"] = Path(args.items)
    conn = connectors.connector(args.channel, **options)
    batch = conn.fetch("")
    report = base.ImportReport(args.channel, dry_run=args.dry_run, rejected=list(batch.rejected))
    base.upsert(user, args.channel, batch.orders, warehouse_code=args.warehouse,
                dry_run=args.dry_run, progress=Bar(_("Importing")), report=report)
    if args.json:
        print_json(dataclasses.asdict(report))
        return 0 if not report.rejected else 2
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    print(_("{channel}: {created} created, {updated} updated, {unchanged} unchanged, {held} "
            "held, {rejected} rejected").format(
        channel=args.channel, created=report.created, updated=report.updated,
        unchanged=report.unchanged, held=len(report.held), rejected=len(report.rejected)))
    _rows(_("Held (an item is no product; map it by 商家编码/SKU or barcode and import "
            "again):"), report.held)
    _rows(_("Rejected:"), sorted(report.rejected))
    return 0 if not report.rejected else 2


def cmd_import_tracking(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    report = logistics.import_tracking(user, Path(args.file), dry_run=args.dry_run,
                                       progress=Bar(_("Shipping")))
    if args.json:
        print_json(dataclasses.asdict(report))
        return 0 if not report.rejected else 2
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    print(_("{shipped} shipped, {unchanged} unchanged, {rejected} rejected").format(
        shipped=len(report.shipped), unchanged=report.unchanged,
        rejected=len(report.rejected)))
    _rows(_("Rejected:"), report.rejected)
    return 0 if not report.rejected else 2


def cmd_export_shipments(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    files.check_target(args.out, force=args.force)  # before any personal data is read
    user = acting_user(args.actor)
    rows = logistics.ready_to_ship(user, channel=args.channel)
    path = logistics.write_shipments(rows, Path(args.out), encoding="gbk"
                                     if args.encoding == "gbk" else "utf-8-sig",
                                     force=args.force)
    print(_("{count} orders to ship written to {path}").format(count=len(rows), path=path))
    return 0
