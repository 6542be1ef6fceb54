"""`zhanggui receivables …`: customers' accounts — who owes what, aging, a customer's
statement, and taking a payment."""

from __future__ import annotations

import argparse
import dataclasses

from store.common import clock
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.customers import receivables

from .common import acting_user, open_db, parse_date, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser("receivables", help=_("what customers owe on account"))
    rsub = r.add_subparsers(dest="receivables_command", metavar=_("COMMAND"), required=True)
    ra = rsub.add_parser("accounts", help=_("customers with a balance: limit, owed, overdue"))
    ra.add_argument("--json", action="store_true", help=_("print JSON"))
    ra.set_defaults(func=cmd_accounts)
    ag = rsub.add_parser("aging", help=_("owed per customer by days overdue"))
    ag.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    ag.add_argument("--json", action="store_true", help=_("print JSON"))
    ag.set_defaults(func=cmd_aging)
    st = rsub.add_parser("statement", help=_("a customer's sales on account and payments"))
    st.add_argument("customer", help=_("member number"))
    st.add_argument("--json", action="store_true", help=_("print JSON"))
    st.set_defaults(func=cmd_statement)
    pay = rsub.add_parser("pay", help=_("a customer pays what they owe"))
    pay.add_argument("customer", help=_("member number"))
    pay.add_argument("amount")
    pay.add_argument("--account", default="1001", help=_("received into: 1001 cash, 1002 bank, "
                                                         "1012 WeChat/Alipay"))
    pay.add_argument("--sale", action="append", default=[], metavar="NUMBER",
                     help=_("these sales (default: the oldest due first)"))
    pay.add_argument("--reference", default="")
    pay.add_argument("--date", metavar="YYYY-MM-DD")
    pay.add_argument("--as", dest="actor", required=True, metavar="USER",
                     help=_("who does it (asks for the PIN or password)"))
    pay.set_defaults(func=cmd_pay)


def cmd_accounts(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = receivables.accounts()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("Code"), _("Owed"), _("Overdue"), _("Credit limit"), _("Name")],
                [(r.code, format_money(r.owed), format_money(r.overdue),
                  format_money(r.credit_limit), r.name) for r in rows], right={1, 2, 3})
    return 0


def cmd_aging(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.as_of, "--as-of", clock.local_today())
    rows = receivables.aging(day)
    if args.json:
        print_json({"as_of": day, "customers": [
            {"code": r.code, "name": r.name, "not_due": r.buckets[0], "1_30": r.buckets[1],
             "31_60": r.buckets[2], "61_90": r.buckets[3], "over_90": r.buckets[4],
             "total": r.total} for r in rows]})
        return 0
    print_table([_("Code"), _("Not due"), "1–30", "31–60", "61–90", "90+", _("Name")],
                [(r.code, *(format_money(b) for b in r.buckets), r.name) for r in rows],
                right={1, 2, 3, 4, 5})
    return 0


def cmd_statement(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    lines = receivables.statement(args.customer)
    if args.json:
        print_json([dataclasses.asdict(ln) for ln in lines])
        return 0
    print_table([_("Date"), _("Document"), _("Charge"), _("Payment"), _("Balance")],
                [(ln.date, ln.document, format_money(ln.charge) if ln.charge else "",
                  format_money(ln.payment) if ln.payment else "", format_money(ln.balance))
                 for ln in lines], right={2, 3, 4})
    return 0


def cmd_pay(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    v = receivables.receive_payment(user, args.customer, args.amount, account=args.account,
                                    day=parse_date(args.date, "--date", clock.local_today()),
                                    reference=args.reference, sales=args.sale)
    print(_("{number}: {amount} from {customer}").format(
        number=v.number, amount=format_money(v.amount), customer=v.customer_code))
    for sale, amount in v.allocations:
        print(f"  {sale:14} {format_money(amount):>12}")
    return 0
