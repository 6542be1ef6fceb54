"""`zhanggui customers …`, `zhanggui pricelists …` and `zhanggui keys rotate`: customers with
sealed phones, price-list rules, and the data-encryption key."""

from __future__ import annotations

import argparse
import dataclasses

from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.customers import lookup, parties, records
from store.pricing import price_lists
from store.security import keys

from . import master
from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("customers", help=_("customers and their price lists"))
    csub = c.add_subparsers(dest="customers_command", metavar=_("COMMAND"), required=True)
    ca = csub.add_parser("add", help=_("add a customer (the phone is stored encrypted)"))
    ca.add_argument("code", help=_("member number"))
    ca.add_argument("name")
    ca.add_argument("--phone", default="")
    ca.add_argument("--group", help=_("customer group code"))
    ca.add_argument("--price-list", dest="price_list", help=_("price list code"))
    ca.add_argument("--address", default="")
    ca.add_argument("--email", default="")
    ca.add_argument("--id-number", dest="id_number", default="",
                    help=_("resident ID number (stored encrypted, shown masked)"))
    add_actor(ca)
    ca.set_defaults(func=cmd_add)
    cs = csub.add_parser("show", help=_("one customer's details, personal data opened "
                                        "(recorded)"))
    cs.add_argument("code")
    cs.add_argument("--json", action="store_true", help=_("print JSON"))
    cs.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who looks (asks for the PIN or password)"))
    cs.set_defaults(func=cmd_show)
    ce = csub.add_parser("set", help=_("change a customer's details"))
    ce.add_argument("code")
    for flag in ("--name", "--phone", "--address", "--email", "--group", "--price-list",
                 "--credit-limit"):
        ce.add_argument(flag, dest=flag[2:].replace("-", "_"), default=None)
    ce.add_argument("--id-number", dest="id_number", default=None)
    ce.add_argument("--payment-days", dest="payment_days", type=int, default=None)
    ce.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who does it (asks for the PIN or password)"))
    ce.set_defaults(func=cmd_set)
    cf = csub.add_parser("find", help=_("find customers by phone, member number or name"))
    cf.add_argument("text")
    cf.add_argument("--json", action="store_true", help=_("print JSON"))
    cf.set_defaults(func=cmd_find)

    master.add_group_parsers(csub)

    p = sub.add_parser("pricelists", help=_("price-list rules"))
    psub = p.add_subparsers(dest="pricelists_command", metavar=_("COMMAND"), required=True)
    ps = psub.add_parser("set", help=_("a product's price on a list (from a quantity on), or a "
                                       "percentage off a category"))
    ps.add_argument("price_list")
    ps.add_argument("--sku")
    ps.add_argument("--price")
    ps.add_argument("--min-qty", dest="min_qty", default="1")
    ps.add_argument("--category")
    ps.add_argument("--percent")
    ps.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who does it (asks for the PIN or password)"))
    ps.set_defaults(func=cmd_price)
    pa = psub.add_parser("add", help=_("a new price list"))
    pa.add_argument("code")
    pa.add_argument("name")
    pa.add_argument("--name-en", dest="name_en", default="")
    pa.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who does it (asks for the PIN or password)"))
    pa.set_defaults(func=cmd_price_list_add)
    pr = psub.add_parser("remove", help=_("take a product's price (at one break) or a "
                                          "category's percentage off a list"))
    pr.add_argument("price_list")
    pr.add_argument("target", metavar="SKU|[CATEGORY]")
    pr.add_argument("--min-qty", dest="min_qty", default="1")
    pr.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who does it (asks for the PIN or password)"))
    pr.set_defaults(func=cmd_price_remove)
    pl = psub.add_parser("list", help=_("the price lists, or one list's rules"))
    pl.add_argument("price_list", nargs="?")
    pl.add_argument("--json", action="store_true", help=_("print JSON"))
    pl.set_defaults(func=cmd_price_lists)

    k = sub.add_parser("keys", help=_("the key that encrypts personal data"))
    ksub = k.add_subparsers(dest="keys_command", metavar=_("COMMAND"), required=True)
    kr = ksub.add_parser("rotate", help=_("make a new key and re-encrypt every protected field"))
    kr.set_defaults(func=cmd_rotate)


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    c = parties.add_customer(acting_user(args.actor), args.code, args.name, phone=args.phone,
                             group=args.group, price_list=args.price_list,
                             address=args.address, email=args.email, id_number=args.id_number)
    print(_("Customer {code} added").format(code=c.code))
    return 0


def cmd_find(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = lookup.find(args.text)
    if args.json:
        print_json([dataclasses.asdict(c) for c in rows])
        return 0
    print_table([_("Code"), _("Name"), _("Group"), _("Phone")],
                [(c.code, c.name, c.group, c.phone_hint) for c in rows])
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    d = records.details(acting_user(args.actor), args.code)
    if args.json:
        print_json(dataclasses.asdict(d))
        return 0
    for label, value in ((_("Member no."), d.code), (_("Name"), d.name),
                         (_("Phone"), d.phone), (_("Address"), d.address),
                         (_("E-mail"), d.email), (_("ID number"), d.id_number),
                         (_("Group"), d.group), (_("Price list"), d.price_list),
                         (_("Credit limit"), f"{d.credit_limit:.2f}"),
                         (_("Payment days"), str(d.payment_days))):
        print(f"{label}: {value}")
    return 0


def cmd_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    records.update(
        acting_user(args.actor), args.code, name=args.name, phone=args.phone, address=args.address,
        email=args.email, id_number=args.id_number, group=args.group,
        price_list=args.price_list, credit_limit=args.credit_limit,
        payment_days=args.payment_days)
    print(_("Customer {code} changed").format(code=args.code))
    return 0


def cmd_price(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if not ((args.sku and args.price) or (args.category and args.percent)):
        raise ValidationError(_("Give --sku and --price, or --category and --percent"),
                              field="price", value=None)
    user = acting_user(args.actor)
    if args.sku:
        price_lists.set_product_price(user, args.price_list, args.sku, args.price, args.min_qty)
    else:
        price_lists.set_category_discount(user, args.price_list, args.category, args.percent)
    print(_("Price list {code} updated").format(code=args.price_list))
    return 0


def cmd_price_list_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    parties.create_price_list(acting_user(args.actor), args.code, args.name, args.name_en)
    print(_("Price list {code} added").format(code=args.code))
    return 0


def cmd_price_remove(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    price_lists.remove_rule(acting_user(args.actor), args.price_list, args.target, args.min_qty)
    print(_("Price list {code} updated").format(code=args.price_list))
    return 0


def cmd_price_lists(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows: list = (price_lists.rules_of(args.price_list) if args.price_list
                  else price_lists.price_lists())
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        if isinstance(r, price_lists.ListRow):
            print(_("{code}  {name}: {rules} rules, {customers} customers").format(
                code=r.code, name=r.name, rules=r.rules, customers=r.customers))
        elif r.percent_off is not None:
            print(_("{target}  {name}: {percent}% off").format(
                target=r.target, name=r.name, percent=f"{r.percent_off:f}"))
        else:
            print(_("{target}  {name}: {price} from {qty}").format(
                target=r.target, name=r.name, price=f"{r.price:.2f}", qty=f"{r.min_qty:f}"))
    return 0


def cmd_rotate(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    r = keys.rotate()
    print(_("New key {key}: {count} protected values re-encrypted").format(
        key=r.key, count=r.resealed))
    return 0
