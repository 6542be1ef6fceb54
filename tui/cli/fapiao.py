"""`zhanggui fapiao …`: customers' 发票 requests, the tax platform's bulk-issue file, and the
invoice numbers it gives back (issue 19.4, docs/FAPIAO.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.fapiao import batch, requests
from store.fapiao.requests import RequestView

from .common import acting_user, add_actor, add_import_options, open_db, parse_date, print_json, print_table
from .import_report import print_report


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    f = sub.add_parser("fapiao", help=_("发票 requests: record, export for the tax platform, "
                                        "numbers back"))
    fsub = f.add_subparsers(dest="fapiao_command", metavar=_("COMMAND"), required=True)
    r = fsub.add_parser("request", help=_("record a customer's request for a 发票"))
    r.add_argument("sales", nargs="+", metavar="SALE", help=_("the receipts' numbers"))
    r.add_argument("--title", required=True, help=_("the buyer's name on the invoice"))
    r.add_argument("--tax-id", default="", help=_("the buyer's unified social credit code"))
    r.add_argument("--email", default="", help=_("where to send the invoice"))
    r.add_argument("--special", action="store_true",
                   help=_("a special VAT invoice (专票): needs --tax-id, --address, --bank"))
    r.add_argument("--address", default="", help=_("the buyer's address and phone"))
    r.add_argument("--bank", default="", help=_("the buyer's bank and account"))
    r.add_argument("--note", default="")
    add_actor(r)
    r.set_defaults(func=cmd_request)
    ls = fsub.add_parser("list", help=_("the requests, newest first"))
    ls.add_argument("--status", choices=requests.STATUSES)
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    add_actor(ls)
    ls.set_defaults(func=cmd_list)
    ex = fsub.add_parser("export", help=_("the requests to issue, in the tax platform's "
                                          "bulk-issue template (XLSX)"))
    ex.add_argument("file")
    ex.add_argument("numbers", nargs="*", metavar="REQUEST",
                    help=_("only these (by default every request not issued yet)"))
    ex.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    add_actor(ex)
    ex.set_defaults(func=cmd_export)
    im = fsub.add_parser("issued", help=_("the platform's issued invoices back: request and "
                                          "invoice numbers (CSV or XLSX)"))
    im.add_argument("file")
    add_import_options(im)
    im.set_defaults(func=cmd_issued)
    one = fsub.add_parser("issue", help=_("record one request's invoice number"))
    one.add_argument("number", metavar="REQUEST")
    one.add_argument("invoice", metavar="INVOICE_NUMBER")
    one.add_argument("--date", metavar="YYYY-MM-DD", help=_("when it was issued (today)"))
    add_actor(one)
    one.set_defaults(func=cmd_issue)
    sent = fsub.add_parser("sent", help=_("the invoice was sent to the buyer"))
    sent.add_argument("number", metavar="REQUEST")
    add_actor(sent)
    sent.set_defaults(func=cmd_sent)
    cancel = fsub.add_parser("cancel", help=_("withdraw a request not issued yet"))
    cancel.add_argument("number", metavar="REQUEST")
    cancel.add_argument("--reason", required=True)
    add_actor(cancel)
    cancel.set_defaults(func=cmd_cancel)
    code = fsub.add_parser("tax-code", help=_("a category's tax classification code "
                                              "(商品和服务税收分类编码, 19 digits)"))
    code.add_argument("category")
    code.add_argument("code")
    add_actor(code)
    code.set_defaults(func=cmd_tax_code)


def _said(view: RequestView) -> None:
    print(_("发票 request {number}: {title}, {amount} ({sales}) — {status}").format(
        number=view.number, title=view.title, amount=format_money(view.amount),
        sales=", ".join(view.sales), status=_(requests.STATUS_WORDS[view.status])))


def cmd_request(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    view = requests.request(acting_user(args.actor), args.sales, title=args.title,
                            tax_id=args.tax_id, email=args.email,
                            kind="special" if args.special else "normal",
                            address=args.address, bank=args.bank, note=args.note)
    _said(view)
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = requests.requests(acting_user(args.actor), status=args.status)
    if args.json:
        print_json([{**r.__dict__, "created_at": r.created_at.isoformat(),
                     "issued_on": r.issued_on.isoformat() if r.issued_on else None,
                     "sent_at": r.sent_at.isoformat() if r.sent_at else None} for r in rows])
        return 0
    print_table([_("Request"), _("Status"), _("Title"), _("Tax ID"), _("Amount"),
                 _("Receipts"), _("Invoice")],
                [(r.number, _(requests.STATUS_WORDS[r.status]), r.title, r.tax_id,
                  format_money(r.amount), " ".join(r.sales), r.invoice_number) for r in rows],
                right=(4,))
    return 0


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    count = batch.export(acting_user(args.actor), Path(args.file), numbers=args.numbers or None,
                         force=args.force)
    print(_("{count} request(s) written to {file}: upload it on the tax platform's bulk "
            "issue page").format(count=count, file=args.file))
    return 0


def cmd_issued(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    report = batch.import_issued(Path(args.file), acting_user(args.actor),
                                 skip_bad=args.skip_bad, dry_run=args.dry_run)
    print_report(report, args.json)
    return 0


def cmd_issue(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.date, "--date") if args.date else None
    _said(requests.issue(acting_user(args.actor), args.number, args.invoice, day))
    return 0


def cmd_sent(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    _said(requests.mark_sent(acting_user(args.actor), args.number))
    return 0


def cmd_cancel(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    _said(requests.cancel(acting_user(args.actor), args.number, args.reason))
    return 0


def cmd_tax_code(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    requests.set_tax_code(acting_user(args.actor), args.category, args.code)
    print(_("Category {category}: tax classification code {code}").format(
        category=args.category.upper(), code=args.code))
    return 0
