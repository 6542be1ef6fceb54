"""`zhanggui variants add|add-value|list|show`: styles sold in sizes, colours or flavours,
each combination a product of its own (see store/catalog/variants.py)."""

from __future__ import annotations

import argparse
import dataclasses

from store.catalog import variants
from store.catalog.products import ProductInput
from store.catalog.variants import ValueInput
from store.core.config import Config
from store.core.i18n import _
from store.core.money import ZERO, format_money, format_qty

from .common import acting_user, add_actor, open_db, print_json, print_table
from .products import _fields


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    v = sub.add_parser("variants", help=_("styles sold in sizes, colours or flavours"))
    vsub = v.add_subparsers(dest="variants_command", metavar=_("COMMAND"), required=True)
    va = vsub.add_parser("add", help=_("a style and all its variants, one product each"))
    va.add_argument("code", help=_("the style's code: the variants' SKUs start with it"))
    va.add_argument("name")
    va.add_argument("--attribute", action="append", required=True,
                    metavar="NAME=CODE[:NAME],…",
                    help=_("an attribute and its values: 尺码=S,M,L or 颜色=RED:红,WHITE:白 "
                           "(1 to 3 of them)"))
    va.add_argument("--price", required=True, help=_("every variant's shelf price (change "
                                                     "one with `products set SKU --price`)"))
    va.add_argument("--tax", required=True, metavar="RATE",
                    help=_("tax rate: its code or a percentage (13%%)"))
    _fields(va)
    add_actor(va)
    va.set_defaults(func=cmd_add)
    vv = vsub.add_parser("add-value", help=_("a new value of an attribute, and its variants"))
    vv.add_argument("code")
    vv.add_argument("attribute")
    vv.add_argument("value", metavar="CODE[:NAME]")
    add_actor(vv)
    vv.set_defaults(func=cmd_add_value)
    vl = vsub.add_parser("list", help=_("the styles and how many variants each has"))
    vl.add_argument("--json", action="store_true", help=_("print JSON"))
    vl.set_defaults(func=cmd_list)
    vs = vsub.add_parser("show", help=_("one style's variants: SKU, price and stock"))
    vs.add_argument("code")
    vs.add_argument("--json", action="store_true", help=_("print JSON"))
    vs.set_defaults(func=cmd_show)


def _print(view: variants.TemplateView) -> None:
    print(f"{view.code} {view.name}: " + "; ".join(
        f"{name} " + ",".join(label for _code, label in values)
        for name, values in view.attributes))
    print_table([_("SKU"), *[name for name, _v in view.attributes], _("Price"), _("On hand")],
                [(v.sku, *v.values, format_money(v.price), format_qty(v.on_hand or ZERO))
                 for v in view.variants],
                right={len(view.attributes) + 1, len(view.attributes) + 2})


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    attributes = [variants.parse_attribute(a) for a in args.attribute]
    base = ProductInput(sku="", name="", price=args.price, tax_rate=args.tax,
                        unit=args.unit or "pcs", category=args.category or None,
                        cost=args.cost or "0", stock_tracked=args.stock_tracked is not False)
    view = variants.create_template(acting_user(args.actor), args.code, args.name, attributes,
                                    base, name_en=args.name_en or "")
    print(_("{code}: {n} variants added").format(code=view.code, n=len(view.variants)))
    _print(view)
    return 0


def cmd_add_value(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    code, _sep, name = args.value.partition(":")
    before = len(variants.view(args.code).variants)
    view = variants.add_value(acting_user(args.actor), args.code, args.attribute,
                              ValueInput(code, name))
    print(_("{code}: {n} variants added").format(code=view.code,
                                                 n=len(view.variants) - before))
    _print(view)
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = variants.templates()
    if args.json:
        print_json([{"code": c, "name": n, "variants": k} for c, n, k in rows])
        return 0
    print_table([_("Code"), _("Name"), _("Variants")], rows, right={2})
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    view = variants.view(args.code)
    if args.json:
        print_json(dataclasses.asdict(view))
        return 0
    _print(view)
    return 0
