"""`zhanggui cards open|top-up|show|list|close|bonus`: stored-value cards (储值卡, see
store/selling/cards.py); at the till a card's number is the stored-value tender's reference."""

from __future__ import annotations

import argparse
import sys

from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.selling import cards

from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("cards", help=_("stored-value cards: top up, pay with the balance"))
    csub = c.add_subparsers(dest="cards_command", metavar=_("COMMAND"), required=True)
    co = csub.add_parser("open", help=_("a new card (a member's, or without a name)"))
    co.add_argument("--customer", default="", help=_("the member's number or phone"))
    co.add_argument("--number", default="", help=_("a pre-printed card's number (default: a "
                                                   "new one)"))
    add_actor(co)
    co.set_defaults(func=cmd_open)
    ct = csub.add_parser("top-up", help=_("money onto a card at a till with an open shift"))
    ct.add_argument("number")
    ct.add_argument("amount")
    ct.add_argument("--tender", default="CASH", help=_("what paid for it (CASH, CARD, WECHAT, "
                                                       "ALIPAY)"))
    ct.add_argument("--reference", default="", help=_("a bank card's last 4 digits, or the "
                                                      "transaction number"))
    ct.add_argument("--terminal", required=True)
    add_actor(ct)
    ct.set_defaults(func=cmd_top_up)
    cs = csub.add_parser("show", help=_("a card's balance and every movement"))
    cs.add_argument("number")
    cs.add_argument("--json", action="store_true", help=_("print JSON"))
    cs.set_defaults(func=cmd_show)
    cl = csub.add_parser("list", help=_("the cards, newest first"))
    cl.add_argument("--customer", default="")
    cl.add_argument("--status", choices=["active", "closed"], default=None)
    cl.add_argument("--json", action="store_true", help=_("print JSON"))
    cl.set_defaults(func=cmd_list)
    cc = csub.add_parser("close", help=_("close a card and give back what was paid onto it "
                                         "(its bonus lapses)"))
    cc.add_argument("number")
    cc.add_argument("--tender", default="CASH")
    cc.add_argument("--terminal", required=True)
    cc.add_argument("--reason", required=True)
    add_actor(cc)
    cc.set_defaults(func=cmd_close)
    cb = csub.add_parser("bonus", help=_("top-up bonuses (充100送10): list them, or set one "
                                         "(a bonus of 0 removes it)"))
    cb.add_argument("min_amount", nargs="?", metavar="TOP_UP")
    cb.add_argument("bonus", nargs="?", metavar="BONUS")
    cb.add_argument("--as", dest="actor", metavar="USER", help=_("who does it (asks the PIN)"))
    cb.set_defaults(func=cmd_bonus)


def cmd_open(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    card = cards.open_card(acting_user(args.actor), customer=args.customer,
                           number=args.number)
    print(_("Card {number} opened").format(number=card.number)
          + (f" ({card.customer_name}, {card.customer})" if card.customer else ""))
    return 0


def cmd_top_up(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    done = cards.top_up(acting_user(args.actor), args.number, args.amount, args.tender,
                        terminal=args.terminal, reference=args.reference)
    print(_("{number}: {amount} onto card {card}, bonus {bonus}; balance {balance}").format(
        number=done.number, amount=format_money(done.amount), card=done.card.number,
        bonus=format_money(done.bonus), balance=format_money(done.card.balance)))
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    card = cards.view(args.number)
    moves = cards.statement(card.number)
    if args.json:
        print_json({**card.__dict__, "balance": card.balance,
                    "moves": [m.__dict__ for m in moves]})
        return 0
    status = _("closed") if card.status == "closed" else _("active")
    print(_("Card {number} ({status}): balance {balance} = paid {paid} + bonus {bonus}")
          .format(number=card.number, status=status, balance=format_money(card.balance),
                  paid=format_money(card.paid), bonus=format_money(card.bonus)))
    if card.customer:
        print(_("Member: {name} ({code})").format(name=card.customer_name, code=card.customer))
    print_table([_("When"), _("What"), _("Document"), _("Paid"), _("Bonus"), _("Balance"),
                 _("Tender"), _("By")],
                [(m.at.strftime("%Y-%m-%d %H:%M"), _(cards.KINDS[m.kind]), m.number,
                  format_money(m.paid), format_money(m.bonus), format_money(m.balance),
                  m.tender, m.user) for m in moves], right={3, 4, 5})
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = cards.cards(customer=args.customer, status=args.status or "")
    if args.json:
        print_json([{**c.__dict__, "balance": c.balance} for c in rows])
        return 0
    print_table([_("Card"), _("Member"), _("Balance"), _("Paid"), _("Bonus"), _("Status")],
                [(c.number, c.customer_name or "-", format_money(c.balance),
                  format_money(c.paid), format_money(c.bonus),
                  _("closed") if c.status == "closed" else _("active")) for c in rows],
                right={2, 3, 4})
    print(_("Owed to card holders (220301): {amount}").format(
        amount=format_money(cards.owed())))
    return 0


def cmd_close(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    back, lapsed = cards.cash_out(acting_user(args.actor), args.number, args.tender,
                                  terminal=args.terminal, reason=args.reason)
    print(_("Card closed: {back} given back, bonus {lapsed} lapsed").format(
        back=format_money(back), lapsed=format_money(lapsed)))
    return 0


def cmd_bonus(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.min_amount is not None:
        if args.bonus is None or not args.actor:
            print(_("Give the top-up, its bonus and who sets it: zhanggui cards bonus 100 10 "
                    "--as USER"), file=sys.stderr)
            return 2
        cards.set_bonus(acting_user(args.actor), args.min_amount, args.bonus)
    print_table([_("Top-up of at least"), _("Bonus")],
                [(format_money(least), format_money(extra)) for least, extra in
                 cards.bonuses()], right={0, 1})
    return 0
