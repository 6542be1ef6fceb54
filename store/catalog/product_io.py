"""Product export as CSV, the format merchants keep their catalog in a spreadsheet; the import
that reads it back is store/catalog/product_import.py."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import JOIN

from store.catalog import style_columns
from store.catalog.products import format_barcodes
from store.core import files
from store.models import Barcode, Category, Product, TaxRate, Unit

COLUMNS = ("sku", "name", "name_en", "category", "unit", "price", "tax_rate", "cost",
           "barcodes", "stock_tracked", "active", "tracks_lots", "style", "variant",
           "style_name")

NO_STYLE = {"style": "", "variant": "", "style_name": ""}


def iter_export_rows(batch: int = 5000) -> Iterator[dict[str, str]]:
    """Every product as a CSV row, read in id-ordered batches so memory stays flat."""
    last = 0
    while True:
        products = list(
            Product.select(Product, Unit, TaxRate, Category)
            .join(Unit).switch(Product).join(TaxRate).switch(Product)
            .join(Category, on=(Product.category == Category.id), join_type=JOIN.LEFT_OUTER)
            .where(Product.id > last).order_by(Product.id).limit(batch))
        if not products:
            return
        styled = style_columns.cells([p.id for p in products if p.template_id is not None])
        codes: dict[int, list[tuple[str, Decimal]]] = {}
        for b in (Barcode.select().where(Barcode.product.in_([p.id for p in products]))
                  .order_by(Barcode.id)):
            codes.setdefault(b.product_id, []).append((b.code, b.pack_qty))
        for p in products:
            yield {
                "sku": p.sku, "name": p.name, "name_en": p.name_en,
                "category": p.category.code if p.category is not None else "",
                "unit": p.unit.code, "price": f"{p.price:.2f}", "tax_rate": p.tax_rate.code,
                "cost": f"{p.cost.normalize():f}" if p.cost else "0",
                "barcodes": format_barcodes(codes.get(p.id, [])),
                "stock_tracked": "1" if p.stock_tracked else "0",
                "active": "1" if p.active else "0",
                "tracks_lots": "1" if p.tracks_lots else "0",
                **styled.get(p.id, NO_STYLE),
            }
        last = products[-1].id


def export_products(path: Path, *, encoding: str = "utf-8-sig", force: bool = False) -> int:
    """Write every product to a CSV file (UTF-8 with BOM by default, for Excel); returns rows.
    Never over an existing file unless `force` (store.core.files); a name a spreadsheet would
    run as a formula is escaped, and the importer reads it back as it was."""
    count = 0

    def fill(fh: TextIO) -> None:
        nonlocal count
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in iter_export_rows():
            writer.writerow({k: files.csv_safe(v) for k, v in row.items()})
            count += 1

    files.write_text(path, fill, encoding=encoding, force=force)
    return count
