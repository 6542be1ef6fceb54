"""`zhanggui products`: the catalog from the shell — import, export, list, and the product
editor's add, set, barcodes, deactivate/activate and price history."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from store.catalog import editor, product_io, search
from store.catalog.products import PRICE_SOURCES, ProductInput, parse_barcodes
from store.core.config import Config
from store.core.errors import ValidationError, nothing_to_change
from store.core.i18n import _
from store.core.money import format_money, format_qty
from store.onboarding import imports
from store.pricing import repricing

from .common import acting_user, add_actor, add_import_options, open_db, print_json, print_table
from .import_report import print_report, progress


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """products import|export|list|add|set|barcodes|deactivate|activate|reprice|prices"""
    prod = sub.add_parser("products", help=_("the product catalog"))
    psub = prod.add_subparsers(dest="products_command", metavar=_("COMMAND"), required=True)
    pi = psub.add_parser("import", help=_("import products from a CSV file"))
    pi.add_argument("file")
    add_import_options(pi)
    pi.set_defaults(func=cmd_products_import)
    pe = psub.add_parser("export", help=_("export all products to a CSV file"))
    pe.add_argument("file")
    pe.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    pe.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"],
                    help=_("file encoding (UTF-8 is written with a BOM for Excel)"))
    pe.set_defaults(func=cmd_products_export)
    pl = psub.add_parser("list", help=_("list or search products"))
    pl.add_argument("--search", default="", metavar="Q",
                    help=_("barcode, SKU, name or pinyin initials"))
    pl.add_argument("--limit", type=int, default=50, metavar="N", help=_("at most N products"))
    pl.add_argument("--json", action="store_true", help=_("print JSON"))
    pl.set_defaults(func=cmd_products_list)

    pa = psub.add_parser("add", help=_("add a product"))
    pa.add_argument("sku")
    pa.add_argument("name")
    pa.add_argument("--price", required=True, help=_("shelf price"))
    pa.add_argument("--tax", required=True, metavar="RATE",
                    help=_("tax rate: its code or a percentage (13%%)"))
    _fields(pa)
    pa.add_argument("--barcode", action="append", default=[], metavar="CODE[*N]",
                    help=_("a barcode; *N for a pack of N (may be repeated)"))
    add_actor(pa)
    pa.set_defaults(func=cmd_products_add)
    ps = psub.add_parser("set", help=_("change a product (the fields given, nothing else)"))
    ps.add_argument("sku")
    ps.add_argument("--name")
    ps.add_argument("--price", help=_("shelf price (recorded in the price history)"))
    ps.add_argument("--tax", metavar="RATE", help=_("tax rate: its code or a percentage (13%%)"))
    _fields(ps)
    add_actor(ps)
    ps.set_defaults(func=cmd_products_set)
    pb = psub.add_parser("barcodes", help=_("replace a product's barcodes"))
    pb.add_argument("sku")
    pb.add_argument("codes", nargs="*", metavar="CODE[*N]",
                    help=_("the barcodes it keeps; *N for a pack of N; none removes them all"))
    add_actor(pb)
    pb.set_defaults(func=cmd_products_barcodes)
    for name, active, text in (("deactivate", False, _("stop selling a product (history keeps "
                                                        "it)")),
                               ("activate", True, _("sell a deactivated product again"))):
        pd = psub.add_parser(name, help=text)
        pd.add_argument("sku")
        add_actor(pd)
        pd.set_defaults(func=cmd_products_active, active=active)
    pr = psub.add_parser("reprice", help=_("change the prices of a category or a supplier's "
                                           "products by a percentage or an amount; shows "
                                           "the new prices, writes them with --apply"))
    scope = pr.add_mutually_exclusive_group(required=True)
    scope.add_argument("--category", help=_("category code or name (with its subcategories)"))
    scope.add_argument("--supplier", help=_("supplier code"))
    change = pr.add_mutually_exclusive_group(required=True)
    change.add_argument("--percent", metavar="P", help=_("+5 raises by 5%%, -10 lowers by 10%%"))
    change.add_argument("--amount", metavar="A", help=_("+0.50 or -0.50 on every price"))
    pr.add_argument("--round-to", default="0.01", metavar="STEP",
                    help=_("round each new price to this step (0.10 = 1 角)"))
    pr.add_argument("--apply", action="store_true", help=_("write the new prices"))
    pr.add_argument("--json", action="store_true", help=_("print JSON"))
    pr.add_argument("--as", dest="actor", metavar="USER",
                    help=_("who makes the change (needed with --apply)"))
    pr.set_defaults(func=cmd_products_reprice)
    pp = psub.add_parser("prices", help=_("a product's price history"))
    pp.add_argument("sku")
    pp.add_argument("--json", action="store_true", help=_("print JSON"))
    pp.set_defaults(func=cmd_products_prices)


def _fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name-en", metavar="NAME", help=_("English name"))
    p.add_argument("--category", help=_("category code or name ('' for none)"))
    p.add_argument("--unit", help=_("unit code or name (pcs, kg, 个)"))
    p.add_argument("--cost", help=_("unit cost"))
    p.add_argument("--untracked", dest="stock_tracked", action="store_false", default=None,
                   help=_("do not keep stock of it (a service, a bag fee)"))


def cmd_products_import(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    actor = acting_user(args.actor)
    report = imports.run_import("products", Path(args.file), actor, skip_bad=args.skip_bad,
                                dry_run=args.dry_run, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print_report(report, args.json)
    return 0


def cmd_products_export(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    encoding = "utf-8-sig" if args.encoding == "utf-8" else "gb18030"
    count = product_io.export_products(Path(args.file), encoding=encoding, force=args.force)
    print(_("Exported {count} products to {file}").format(count=count, file=args.file))
    return 0


def cmd_products_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.limit <= 0:
        raise ValidationError(_("--limit: must be a positive number"), field="limit",
                              value=args.limit)
    hits = search.search(args.search, args.limit) if args.search else search.first_products(args.limit)
    if args.json:
        print_json([{**dataclasses.asdict(h), "barcodes": [
            {"code": c, "pack_qty": q} for c, q in search.barcodes_of(h.id)]} for h in hits])
        return 0
    print_table([_("SKU"), _("Price"), _("Unit"), _("Name")],
                [(h.sku, format_money(h.price), h.unit, h.local_name
                  + (f"  ×{format_qty(h.pack_qty)}" if h.pack_qty != 1 else "")) for h in hits],
                right={1})
    if not hits:
        print(_("No products found."), file=sys.stderr)
    return 0


def cmd_products_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    barcodes = parse_barcodes("|".join(args.barcode))
    data = ProductInput(
        sku=args.sku, name=args.name, price=args.price, tax_rate=args.tax,
        unit=args.unit or "pcs", name_en=args.name_en or "", category=args.category or None,
        cost=args.cost or "0", barcodes=barcodes,
        stock_tracked=args.stock_tracked is not False)
    p = editor.add_product(acting_user(args.actor), data)
    print(_("Product {sku} {name} added at {price}").format(
        sku=p.sku, name=p.name, price=format_money(p.price)))
    return 0


def cmd_products_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    changes = editor.Changes(
        name=args.name, name_en=args.name_en, category=args.category, unit=args.unit,
        price=args.price, tax_rate=args.tax, cost=args.cost, stock_tracked=args.stock_tracked)
    if changes.is_empty():
        raise nothing_to_change()
    p = editor.change_product(acting_user(args.actor), args.sku, changes)
    print(_("Product {sku} {name} changed; price {price}").format(
        sku=p.sku, name=p.name, price=format_money(p.price)))
    return 0


def cmd_products_barcodes(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    barcodes = parse_barcodes("|".join(args.codes))
    p = editor.set_barcodes(acting_user(args.actor), args.sku, barcodes)
    print(_("Product {sku} has {count} barcode(s)").format(sku=p.sku, count=len(barcodes)))
    return 0


def cmd_products_active(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    p = editor.change_product(acting_user(args.actor), args.sku,
                              editor.Changes(active=args.active))
    print((_("Product {sku} {name} is sold again") if p.active
           else _("Product {sku} {name} is no longer sold")).format(sku=p.sku, name=p.name))
    return 0


def cmd_products_prices(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = editor.price_history(args.sku)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("When"), _("Old price"), _("New price"), _("By"), _("From")],
                [(r.at.strftime("%Y-%m-%d %H:%M"),
                  format_money(r.old_price) if r.old_price is not None else "-",
                  format_money(r.new_price), r.user or "-",
                  " ".join(filter(None, [_(PRICE_SOURCES.get(r.source, r.source)), r.note])))
                 for r in rows], right={1, 2})
    return 0


def cmd_products_reprice(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rule = repricing.Rule(category=args.category, supplier=args.supplier, percent=args.percent,
                          amount=args.amount, round_to=args.round_to)
    if args.apply:
        if not args.actor:
            raise ValidationError(_("--apply: say who makes the change with --as USER"),
                                  field="as", value="")
        changes = repricing.apply(acting_user(args.actor), rule)
    else:
        changes = repricing.preview(rule)
    if args.json:
        print_json({"applied": args.apply, "products": [dataclasses.asdict(c) for c in changes]})
        return 0
    print_table([_("SKU"), _("Old price"), _("New price"), _("Change"), _("Name")],
                [(c.sku, format_money(c.old_price), format_money(c.new_price),
                  f"{c.new_price - c.old_price:+.2f}", c.name) for c in changes],
                right={1, 2, 3})
    print((_("{count} prices changed") if args.apply
           else _("{count} prices would change; nothing written (add --apply to write "
                  "them)")).format(count=len(changes)))
    return 0
