"""`zhanggui products`: import, export and list the catalog."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from store.catalog import product_io, search
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import format_money, format_qty

from .common import open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """products import|export|list"""
    prod = sub.add_parser("products", help=_("the product catalog"))
    psub = prod.add_subparsers(dest="products_command", metavar=_("COMMAND"), required=True)
    pi = psub.add_parser("import", help=_("import products from a CSV file"))
    pi.add_argument("file")
    pi.add_argument("--skip-bad", action="store_true",
                    help=_("import the good rows even if some rows are bad"))
    pi.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    pi.add_argument("--json", action="store_true", help=_("print JSON"))
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


def cmd_products_import(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    report = product_io.import_products(Path(args.file), skip_bad=args.skip_bad,
                                        dry_run=args.dry_run)
    if args.json:
        print_json(dataclasses.asdict(report))
    else:
        for e in report.errors:
            print(_("line {line}: {message}").format(line=e.line, message=e.message),
                  file=sys.stderr)
        msg = _("{created} created, {updated} updated, {skipped} skipped ({encoding})").format(
            created=report.created, updated=report.updated, skipped=report.skipped,
            encoding=report.encoding)
        print(_("Dry run, nothing written: {summary}").format(summary=msg) if args.dry_run
              else msg)
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


