"""Product import and export as CSV, the format merchants keep their catalog in a spreadsheet."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import JOIN

from store.catalog.products import BarcodeInput, ProductInput, create_product, find_product, update_product
from store.core import files
from store.core.csvfile import read_rows
from store.core.db import database, unit_of_work
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _, field_label
from store.core.money import QTY_PLACES, format_qty, parse_decimal
from store.models import Barcode, Category, Product, TaxRate, Unit

COLUMNS = ("sku", "name", "name_en", "category", "unit", "price", "tax_rate", "cost",
           "barcodes", "stock_tracked", "active")

ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商家编码", "编码", "货号"),
    "name": ("name", "名称", "商品名称", "品名"),
    "name_en": ("name_en", "english name", "英文名称", "英文名"),
    "category": ("category", "分类", "类别"),
    "unit": ("unit", "单位"),
    "price": ("price", "售价", "零售价", "价格"),
    "tax_rate": ("tax_rate", "tax", "税率"),
    "cost": ("cost", "成本", "进价"),
    "barcodes": ("barcodes", "barcode", "条码", "条形码"),
    "stock_tracked": ("stock_tracked", "管理库存"),
    "active": ("active", "启用"),
}
REQUIRED = ("sku", "name", "price", "tax_rate")

_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f"}


@dataclass
class RowError:
    line: int
    field: str | None
    value: object
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    encoding: str = ""
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False


class ImportRejected(StoreError):
    """A file with bad rows, imported without --skip-bad: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("{count} bad row(s); nothing was imported (use --skip-bad to import "
                           "the good rows)").format(count=len(report.errors)))
        self.report = report


def _flag(value: str, name: str, line: int, default: bool) -> bool:
    v = value.strip().lower()
    if not v:
        return default
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValidationError(_("{field}: '{value}' is not yes/no").format(field=field_label(name), value=value),
                          field=name, value=value, row=line)


def _barcodes(text: str, line: int) -> list[BarcodeInput]:
    """'6901234567892|16901234567899*12': codes separated by |, a pack quantity after *."""
    out = []
    for part in (p.strip() for p in text.replace(";", "|").split("|")):
        if not part:
            continue
        code, _sep, pack = part.partition("*")
        qty = parse_decimal(pack, field="barcodes", places=QTY_PLACES, row=line) if pack \
            else Decimal(1)
        out.append(BarcodeInput(code.strip().lstrip("'"), qty))
    return out


def row_to_input(values: dict[str, str], line: int) -> ProductInput:
    return ProductInput(
        sku=values.get("sku", "").lstrip("'"), name=values.get("name", ""),
        name_en=values.get("name_en", ""), category=values.get("category") or None,
        unit=values.get("unit") or "pcs", price=values.get("price", ""),
        tax_rate=values.get("tax_rate", ""), cost=values.get("cost") or "0",
        barcodes=_barcodes(values.get("barcodes", ""), line),
        stock_tracked=_flag(values.get("stock_tracked", ""), "stock_tracked", line, True),
        active=_flag(values.get("active", ""), "active", line, True))


def import_products(path: Path, *, skip_bad: bool = False, dry_run: bool = False
                    ) -> ImportReport:
    """Create or update the products in a CSV file, all or nothing.

    Every row is validated; a file with any bad row writes nothing (ImportRejected lists
    every bad row with its line number) unless skip_bad, which imports the good rows and
    reports the others. Existing SKUs are updated.
    """
    rows, encoding = read_rows(Path(path), ALIASES, REQUIRED)
    report = ImportReport(encoding=encoding, dry_run=dry_run)
    _import_rows(rows, report, skip_bad=skip_bad, dry_run=dry_run)
    return report


class _DryRun(Exception):
    pass


def _import_rows(rows: list[tuple[int, dict[str, str]]], report: ImportReport, *,
                 skip_bad: bool, dry_run: bool) -> None:
    with contextlib.suppress(_DryRun):  # raised to roll the dry run back
        _apply_rows(rows, report, skip_bad=skip_bad, dry_run=dry_run)


@unit_of_work
def _apply_rows(rows: list[tuple[int, dict[str, str]]], report: ImportReport, *,
                skip_bad: bool, dry_run: bool) -> None:
    first_line: dict[str, int] = {}
    for line, values in rows:
        try:
            sku = values.get("sku", "").strip().lstrip("'")
            if sku in first_line:
                raise ValidationError(
                    _("sku: '{value}' appears again (first on line {line})").format(
                        value=sku, line=first_line[sku]), field="sku", value=sku, row=line)
            first_line[sku] = line
            data = row_to_input(values, line)
            with database.atomic():  # a savepoint: a bad row leaves no trace
                if find_product(data.sku):
                    update_product(data.sku, data, row=line)
                    report.updated += 1
                else:
                    create_product(data, row=line)
                    report.created += 1
        except ValidationError as err:
            report.errors.append(RowError(line, err.field, err.value, err.message))
            report.skipped += 1
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    if dry_run:
        raise _DryRun


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
        codes: dict[int, list[str]] = {}
        for b in (Barcode.select().where(Barcode.product.in_([p.id for p in products]))
                  .order_by(Barcode.id)):
            text = b.code if b.pack_qty == 1 else f"{b.code}*{format_qty(b.pack_qty)}"
            codes.setdefault(b.product_id, []).append(text)
        for p in products:
            yield {
                "sku": p.sku, "name": p.name, "name_en": p.name_en,
                "category": p.category.code if p.category is not None else "",
                "unit": p.unit.code, "price": f"{p.price:.2f}", "tax_rate": p.tax_rate.code,
                "cost": f"{p.cost.normalize():f}" if p.cost else "0",
                "barcodes": "|".join(codes.get(p.id, [])),
                "stock_tracked": "1" if p.stock_tracked else "0",
                "active": "1" if p.active else "0",
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
