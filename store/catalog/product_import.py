"""Importing a product file: every row checked against the catalog read once, then written in
bulk, all or nothing, by a user allowed to, with each price change in the price history.

A row for a product that exists changes only what the file says: a column the file does not
have, or a cell left empty, keeps the product's value (a file of `sku,price` is a price list,
not an order to empty every English name and reset every cost to 0)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from store.catalog import style_columns
from store.catalog.barcodes import normalize as normalize_code
from store.catalog.products import (
    BarcodeInput,
    ProductInput,
    References,
    ValidProduct,
    audit_payload,
    parse_barcodes,
    split_barcodes,
    validate_product,
)
from store.core import text
from store.core.db import (
    among,
    bulk_insert,
    bulk_update,
    lean_cache,
    prefer_indexes,
    reading_by_index,
    unit_of_work,
)
from store.core.errors import ValidationError
from store.core.i18n import _, field_label
from store.core.importing import (
    CHUNK,
    FirstLines,
    ImportRejected,
    ImportReport,
    Progress,
    chunks,
)
from store.core.sheetfile import Table, open_table
from store.models import Barcode, PriceChange, Product, ProductTemplate, utcnow
from store.security import audit, permissions
from store.security.auth import SessionUser

ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商家编码", "编码", "货号", "商品编码"),
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
    "tracks_lots": ("tracks_lots", "管理批次", "批次管理"),
    "style": ("style", "款号", "款式编码"),
    "variant": ("variant", "规格", "款式规格"),
    "style_name": ("style_name", "款名", "款式名称"),
}
# A change of an existing product's "tracks lots" is the stock's to make (its stock goes
# into lots or out of them): the caller that may touch stock hands it in, as `relot`.
Relot = Callable[[Sequence[tuple[int, bool]]], None]
NEW_NEEDS = ("name", "price", "tax_rate")  # what a row must give to create a product





@dataclass(slots=True)
class _Row:
    line: int
    valid: ValidProduct
    before: Product | None  # the product as it is, for a row that changes one
    new_barcodes: bool  # the row gives barcodes, replacing the product's
    lots: bool | None  # whether it tracks lots, as the row says (None: it does not say)
    placed: style_columns.Placed | None  # its place in a style, as the row says


def import_products(path: Path, actor: SessionUser, *, skip_bad: bool = False,
                    dry_run: bool = False, progress: Progress | None = None,
                    relot: Relot | None = None) -> ImportReport:
    """Create or update the products in a CSV file or a spreadsheet, all or nothing.

    Every row is validated; a file with any bad row writes nothing (ImportRejected lists
    every bad row with its line, field and value) unless skip_bad, which imports the good
    rows and reports the others. Needs `manage_catalog`, and `manage_prices` when a row
    changes the price of a product that exists.

    The file is read once, CHUNK rows at a time, each chunk checked against the catalog as
    it is and — unless this is a dry run — written in the same transaction, which is rolled
    back whole at the end if any row was bad. Memory stays flat whatever the file's length;
    a dry run reads without taking the write lock, so the tills sell on meanwhile.

    A row that changes whether a product that exists tracks lots needs `relot` (given by
    store.onboarding.imports, which the shell and the back office call).
    """
    path = Path(path)
    permissions.check_apart(actor, "manage_catalog", reference=path.name[:64])
    table = open_table(path, ALIASES, ("sku",))
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    with lean_cache():
        if dry_run:
            _check_all(table, report, progress, relot is not None)
        else:
            _import(table, actor, path.name, report, skip_bad=skip_bad, progress=progress,
                    relot=relot)
    if dry_run and report.price_changes:
        permissions.check_apart(actor, "manage_prices", reference=path.name[:64])
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    return report


def _check_all(table: Table, report: ImportReport, progress: Progress | None,
               relots: bool) -> None:
    with reading_by_index(), contextlib.closing(_Checker(relots)) as checker:
        for chunk in chunks(table):
            checker.check(chunk, report)
            if progress:
                progress("check", chunk[-1][0], table.lines)


@unit_of_work
def _import(table: Table, actor: SessionUser, source: str, report: ImportReport, *,
            skip_bad: bool, progress: Progress | None, relot: Relot | None) -> None:
    """Every chunk checked and its good rows written, in one transaction; after a bad row
    (without skip_bad) the rest is only checked, to name every bad row, and all of it is
    rolled back. Then one audit event for the import itself."""
    prefer_indexes()
    with contextlib.closing(_Checker(relot is not None)) as checker:
        for chunk in chunks(table):
            rows = checker.check(chunk, report)
            if skip_bad or not report.errors:
                _write_chunk(rows, actor, source, relot)
            if progress:
                progress("write", chunk[-1][0], table.lines)
    if report.price_changes:
        permissions.check(actor, "manage_prices", reference=source[:64])
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    audit.record("products_imported", {
        "file": source[:200], "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "skipped": report.skipped,
        "price_changes": report.price_changes}, user_id=actor.id, reference=source[:64])


class _Checker:
    """Checks rows chunk by chunk, remembering across chunks only each SKU's and barcode's
    first line (a duplicate further down the file is named with the line it repeats)."""

    def __init__(self, relots: bool) -> None:
        self.refs = References()
        self.seen = FirstLines()
        self.styles = style_columns.Styles()
        self.relots = relots
        self.style_codes: dict[int, str] = {}  # a template's code by id

    def check(self, rows: list[tuple[int, dict[str, str]]], report: ImportReport
              ) -> list[_Row]:
        """The rows to write; counts and errors go into `report`."""
        skus: dict[int, str | ValidationError] = {}
        for line, values in rows:  # the SKU as it will be compared (NFKC: ＰＯ１ is PO1)
            try:
                skus[line] = text.clean(values.get("sku", "").lstrip("'"), field="sku",
                                        row=line)
            except ValidationError as err:
                skus[line] = err
        given = [s for s in skus.values() if isinstance(s, str)]
        codes = [code for _line, values in rows for code in _codes_in(values.get("barcodes", ""))]
        existing = _existing_products(given)
        owners = _barcode_owners(codes)
        current_codes = _barcodes_of(p.id for p in existing.values())
        self.seen.look_ahead([_SKU + text.sku_key(s) for s in given] + codes)
        out: list[_Row] = []
        for line, values in rows:
            try:
                valid, before = self._row(line, values, skus[line], existing, owners,
                                          current_codes)
                lots, placed = self._more(line, values, before)
            except ValidationError as err:
                report.refuse(line, err)
                continue
            if before is None:
                report.created += 1
            elif (_same(valid, before, current_codes.get(before.id, []))
                  and lots in (None, before.tracks_lots) and not self._moved(before, placed)):
                report.unchanged += 1
                continue
            else:
                report.updated += 1
                report.price_changes += valid.price != before.price
            out.append(_Row(line, valid, before, bool(values.get("barcodes", "").strip()),
                            lots, placed))
        return out

    def close(self) -> None:
        self.seen.close()

    def _more(self, line: int, values: dict[str, str], before: Product | None
              ) -> tuple[bool | None, style_columns.Placed | None]:
        """The row's lots flag and place in a style, checked."""
        lots = (text.yes_no(values["tracks_lots"], field="tracks_lots", row=line)
                if values.get("tracks_lots", "").strip() else None)
        if (lots is not None and before is not None and lots != before.tracks_lots
                and not self.relots):
            raise ValidationError(_("tracks_lots: change it for a product that exists with "
                                    "zhanggui lots track"), field="tracks_lots",
                                  value=values["tracks_lots"], row=line)
        placed = style_columns.parse(values.get("style", ""), values.get("variant", ""),
                                     values.get("style_name", ""), row=line)
        if placed is not None:
            self.styles.check(placed, before.id if before else None, line)
        return lots, placed

    def _moved(self, before: Product, placed: style_columns.Placed | None) -> bool:
        """Whether the row puts the product somewhere else than the style place it has."""
        if placed is None:
            return False
        if before.template_id is None:
            return True
        if before.template_id not in self.style_codes:
            self.style_codes[before.template_id] = ProductTemplate.get_by_id(
                before.template_id).code
        return (self.style_codes[before.template_id], before.variant_key) != (
            placed.style, placed.key)

    def _row(self, line: int, values: dict[str, str], sku: str | ValidationError,
             existing: dict[str, Product], owners: dict[str, int],
             current_codes: dict[int, list[tuple[str, Decimal]]]
             ) -> tuple[ValidProduct, Product | None]:
        if isinstance(sku, ValidationError):
            raise sku
        key = text.sku_key(sku)
        first = self.seen.claim(_SKU + key, line)
        if first != line:
            raise ValidationError(
                _("sku: '{value}' appears again (first on line {line})").format(
                    value=sku, line=first), field="sku", value=sku, row=line)
        before = existing.get(key)
        data = (_merged(values, before, self.refs, current_codes.get(before.id, []), line)
                if before else _new(values, sku, line))
        valid = validate_product(data, row=line, refs=self.refs)
        if before is not None:  # found in any letter case: it keeps its spelling
            valid = dataclasses.replace(valid, sku=before.sku)
        for code, _pack in valid.barcodes:
            # The file first: a code given twice is named by its first line, even when that
            # line's product was written by an earlier chunk of this (uncommitted) import.
            first = self.seen.claim(code, line)
            if first != line:
                raise ValidationError(
                    _("barcode: '{value}' is also on line {line}").format(
                        value=code, line=first),
                    field="barcode", value=code, row=line)
            owner = owners.get(code)
            if owner and (before is None or owner != before.id):
                other = Product.get_by_id(owner)
                raise ValidationError(
                    _("barcode: '{value}' already belongs to {sku} {name}").format(
                        value=code, sku=other.sku, name=other.name),
                    field="barcode", value=code, row=line)
        return valid, before


_SKU = "\x00"  # SKU keys and barcodes share one table: a NUL, which neither may hold, parts them


def _codes_in(cell: str) -> list[str]:
    """A cell's barcodes as they will be stored (ａ full-width 6901… is 6901…)."""
    return [normalize_code(code) for code, _pack in split_barcodes(cell)]


def _flag(value: str, name: str, line: int, default: bool) -> bool:
    return text.yes_no(value, field=name, row=line) if value.strip() else default


def _new(values: dict[str, str], sku: str, line: int) -> ProductInput:
    missing = [n for n in NEW_NEEDS if not values.get(n, "").strip()]
    if missing:
        raise ValidationError(
            _("{sku} is a new product and needs {fields}, which this row does not give").format(
                sku=sku, fields=", ".join(field_label(n) for n in missing)),
            field=missing[0], value="", row=line)
    return ProductInput(
        sku=sku, name=values["name"], name_en=values.get("name_en", ""),
        category=values.get("category") or None, unit=values.get("unit") or "pcs",
        price=values["price"], tax_rate=values["tax_rate"], cost=values.get("cost") or "0",
        barcodes=parse_barcodes(values.get("barcodes", ""), row=line),
        stock_tracked=_flag(values.get("stock_tracked", ""), "stock_tracked", line, True),
        active=_flag(values.get("active", ""), "active", line, True))


def _merged(values: dict[str, str], p: Product, refs: References,
            codes: list[tuple[str, Decimal]], line: int) -> ProductInput:
    """The product as it is, with what the row gives on top; empty cells keep the value."""
    def given(name: str, current: str) -> str:
        return values.get(name, "").strip() or current

    category = refs.category_by_id.get(p.category_id) if p.category_id else None
    return ProductInput(
        sku=p.sku, name=given("name", p.name), name_en=given("name_en", p.name_en),
        category=given("category", category.code if category else "") or None,
        unit=given("unit", refs.unit_by_id[p.unit_id].code),
        price=given("price", f"{p.price}"),
        tax_rate=given("tax_rate", refs.tax_by_id[p.tax_rate_id].code),
        cost=given("cost", f"{p.cost}"),
        barcodes=(parse_barcodes(values["barcodes"], row=line) if values.get("barcodes", "").strip()
                  else [BarcodeInput(c, q) for c, q in codes]),
        stock_tracked=_flag(values.get("stock_tracked", ""), "stock_tracked", line,
                            p.stock_tracked),
        sold_by_weight=p.sold_by_weight,
        active=_flag(values.get("active", ""), "active", line, p.active))


def _same(valid: ValidProduct, p: Product, codes: list[tuple[str, Decimal]]) -> bool:
    return ((valid.name, valid.name_en, valid.category_id, valid.unit_id, valid.price,
             valid.tax_rate_id, valid.cost, valid.stock_tracked, valid.sold_by_weight,
             valid.active, sorted(valid.barcodes))
            == (p.name, p.name_en, p.category_id, p.unit_id, p.price, p.tax_rate_id, p.cost,
                p.stock_tracked, p.sold_by_weight, p.active, sorted(codes)))


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = list(dict.fromkeys(values))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _existing_products(skus: Iterable[str]) -> dict[str, Product]:
    """The products the file's (cleaned) SKUs name, by SKU key (any letter case); where a
    shop holds two SKUs differing only in case, the one spelled as in the file."""
    typed = {text.sku_key(s): s for s in skus}
    found: dict[str, Product] = {}
    for chunk in _chunks(typed):
        for p in Product.select().where(among('LOWER("t1"."sku")', chunk)):
            key = text.sku_key(p.sku)
            if key not in found or p.sku == typed.get(key):
                found[key] = p
    return found


def _barcode_owners(codes: Iterable[str]) -> dict[str, int]:
    """The product id owning each code that exists. No join: names are read only for a
    refusal (a join here let PostgreSQL walk the whole product index per chunk)."""
    owners: dict[str, int] = {}
    for chunk in _chunks(codes):
        query: Any = (Barcode.select(Barcode.code, Barcode.product)
                      .where(among('"t1"."code"', chunk)).tuples())
        owners.update(list(query))
    return owners


def _barcodes_of(ids: Iterable[int]) -> dict[int, list[tuple[str, Decimal]]]:
    out: dict[int, list[tuple[str, Decimal]]] = {}
    id_list = list(ids)
    for start in range(0, len(id_list), CHUNK):
        query: Any = (Barcode.select(Barcode.product, Barcode.code, Barcode.pack_qty)
                      .where(among('"t1"."product_id"', id_list[start:start + CHUNK]))
                      .tuples())
        for pid, code, qty in list(query):
            out.setdefault(pid, []).append((code, qty))
    return out


def _write_chunk(rows: list[_Row], actor: SessionUser, source: str,
                 relot: Relot | None) -> None:
    """New products and their barcodes inserted in bulk, changed ones updated in bulk, every
    price into the price history and every product into the audit chain; then the styles
    the rows name, and the lots flags of products that exist (by `relot`)."""
    now = utcnow()
    new = [r for r in rows if r.before is None]
    bulk_insert(Product, [_product_values(r.valid, now) | {
        "sku": r.valid.sku, "created_at": now, "tracks_lots": bool(r.lots)} for r in new])
    ids: dict[str, int] = {}
    if new:
        query: Any = (Product.select(Product.id, Product.sku)
                      .where(among('"t1"."sku"', [r.valid.sku for r in new])).tuples())
        ids.update((sku, pid) for pid, sku in list(query))
    bulk_update(Product, [_product_values(r.valid, now) | {"id": r.before.id}
                          for r in rows if r.before is not None])
    replaced = [r.before.id for r in rows if r.new_barcodes and r.before is not None]
    if replaced:
        Barcode.delete().where(Barcode.product.in_(replaced)).execute()

    def product_id(r: _Row) -> int:
        return ids[r.valid.sku] if r.before is None else r.before.id

    bulk_insert(Barcode, [{"code": code, "product": product_id(r), "pack_qty": pack}
                          for r in rows if r.before is None or r.new_barcodes
                          for code, pack in r.valid.barcodes])
    bulk_insert(PriceChange, [
        {"product": product_id(r), "old_price": None if r.before is None else r.before.price,
         "new_price": r.valid.price, "user": actor.id, "source": "import",
         "note": source[:200], "created_at": now}
        for r in rows if r.before is None or r.valid.price != r.before.price])
    audit.record_many([("product_created" if r.before is None else "product_changed",
                        audit_payload(r.valid, r.before) | _more_payload(r), r.valid.sku)
                       for r in rows], user_id=actor.id)
    style_columns.place((product_id(r), r.placed) for r in rows if r.placed is not None)
    flipped = [(r.before.id, r.lots) for r in rows if r.before is not None
               and r.lots is not None and r.lots != r.before.tracks_lots]
    if flipped and relot is not None:  # (the check refused them without it)
        relot(flipped)


def _more_payload(r: _Row) -> dict[str, object]:
    out: dict[str, object] = {}
    if r.lots is not None:
        out["tracks_lots"] = int(r.lots)
    if r.placed is not None:
        out["style"] = f"{r.placed.style} {r.placed.key}"
    return out


def _product_values(v: ValidProduct, now: object) -> dict[str, object]:
    return {"name": v.name, "name_en": v.name_en, "pinyin": v.pinyin, "initials": v.initials,
            "category": v.category_id, "unit": v.unit_id, "price": v.price,
            "tax_rate": v.tax_rate_id, "cost": v.cost, "stock_tracked": v.stock_tracked,
            "sold_by_weight": v.sold_by_weight, "active": v.active, "updated_at": now}

