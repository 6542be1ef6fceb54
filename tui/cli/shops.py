"""`zhanggui shops add|list|prices`: the shops (门店) of a chain (issue 18.1). Each warehouse
belongs to one (`warehouses add … --shop S`), each till to its warehouse's shop; a shop may
charge its own prices for some products (`shops prices set S SKU PRICE`)."""

from __future__ import annotations

import argparse

from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_money
from store.pricing import shop_prices
from store.shops import branches

from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("shops", help=_("the shops of a chain and their warehouses and tills"))
    ssub = s.add_subparsers(dest="shops_command", metavar=_("COMMAND"), required=True)
    add = ssub.add_parser("add", help=_("add a shop (门店)"))
    add.add_argument("code", metavar="CODE")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--name-en", default="", metavar="NAME", help=_("its English name"))
    add.add_argument("--timezone", default="", metavar="TZ",
                     help=_("its time zone, e.g. Asia/Urumqi (default: the company's)"))
    add_actor(add)
    add.set_defaults(func=cmd_add)
    ls = ssub.add_parser("list", help=_("the shops, with their warehouses and tills"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    pr = ssub.add_parser("prices", help=_("a shop's own prices over the chain's"))
    prsub = pr.add_subparsers(dest="prices_command", metavar=_("COMMAND"), required=True)
    pl = prsub.add_parser("list", help=_("the products a shop prices its own way"))
    pl.add_argument("shop", metavar="SHOP")
    pl.add_argument("--json", action="store_true", help=_("print JSON"))
    pl.set_defaults(func=cmd_prices)
    ps = prsub.add_parser("set", help=_("the shop's own price for a product"))
    ps.add_argument("shop", metavar="SHOP")
    ps.add_argument("sku", metavar="SKU")
    ps.add_argument("price", metavar="PRICE")
    add_actor(ps)
    ps.set_defaults(func=cmd_set_price)
    rm = prsub.add_parser("remove", help=_("the shop charges the chain's price again"))
    rm.add_argument("shop", metavar="SHOP")
    rm.add_argument("sku", metavar="SKU")
    add_actor(rm)
    rm.set_defaults(func=cmd_remove_price)


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = branches.add_shop(acting_user(args.actor), args.code, args.name, name_en=args.name_en,
                          timezone=args.timezone)
    print(_("Shop {code} {name} added; give it warehouses with `zhanggui warehouses add CODE "
            "NAME --shop {code}`").format(code=v.code, name=v.name))
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = branches.shops()
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    print_table([_("Code"), _("Name"), _("Time zone"), _("Warehouses"), _("Tills")],
                [(r.code, r.name, r.timezone or _("the company's"), " ".join(r.warehouses),
                  " ".join(r.terminals)) for r in rows])
    return 0


def cmd_prices(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = shop_prices.prices(args.shop)
    if args.json:
        print_json([{**r.__dict__, "chain_price": str(r.chain_price), "price": str(r.price)}
                    for r in rows])
        return 0
    print_table([_("SKU"), _("Name"), _("Chain price"), _("Shop price")],
                [(r.sku, r.name, format_money(r.chain_price), format_money(r.price))
                 for r in rows])
    return 0


def cmd_set_price(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    r = shop_prices.set_price(acting_user(args.actor), args.shop, args.sku, args.price)
    print(_("{shop} sells {sku} at {price} (the chain: {chain})").format(
        shop=r.shop, sku=r.sku, price=format_money(r.price), chain=format_money(r.chain_price)))
    return 0


def cmd_remove_price(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    shop_prices.remove_price(acting_user(args.actor), args.shop, args.sku)
    print(_("{shop} sells {sku} at the chain's price again").format(
        shop=args.shop.upper(), sku=args.sku))
    return 0
