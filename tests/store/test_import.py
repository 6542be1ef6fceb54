"""Product CSV import/export: encodings, headers by name, bad rows by line, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from store.catalog.product_io import ImportRejected, export_products, import_products
from store.core.errors import ValidationError
from store.models import Barcode, Product

GOOD = (
    "商家编码,名称,英文名称,分类,单位,售价,税率,成本,条码\n"
    "COKE330,可口可乐 330ml,Coca-Cola 330ml,饮料,瓶,3.50,13%,2.10,6901234567892|16901234567899*12\n"
    "WATER,农夫山泉 550ml,Nongfu Spring,DRINK,bottle,￥2.00,VAT13,1.2,96385074\n"
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_import_in_each_encoding(shop, tmp_path: Path, encoding: str) -> None:
    report = import_products(write(tmp_path, GOOD, encoding))
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    coke = Product.get(Product.sku == "COKE330")
    assert coke.price == Decimal("3.50") and coke.name == "可口可乐 330ml"
    assert {b.code: b.pack_qty for b in coke.barcodes}["16901234567899"] == Decimal(12)


def test_headers_match_by_name_not_position(shop, tmp_path: Path) -> None:
    text = (" Tax ,price,NAME,sku ,extra column\n"
            "13%,5.00,雪碧,SPRITE,ignored\n")
    report = import_products(write(tmp_path, text))
    assert report.created == 1 and Product.get(Product.sku == "SPRITE").price == Decimal("5.00")


def test_a_bad_row_imports_nothing_and_names_every_bad_line(shop, tmp_path: Path) -> None:
    text = GOOD + (
        "BAD1,坏价格,,DRINK,pcs,abc,13%,,\n"
        "BAD2,坏条码,,DRINK,pcs,1.00,13%,,6901234567893\n"
        "BAD3,坏税率,,DRINK,pcs,1.00,15%,,\n"
        "COKE330,重复,,DRINK,pcs,1.00,13%,,\n"
    )
    with pytest.raises(ImportRejected) as err:
        import_products(write(tmp_path, text))
    lines = {(e.line, e.field) for e in err.value.report.errors}
    assert lines == {(4, "price"), (5, "barcode"), (6, "tax_rate"), (7, "sku")}
    assert Product.select().count() == 0 and Barcode.select().count() == 0


def test_skip_bad_imports_the_good_rows(shop, tmp_path: Path) -> None:
    text = GOOD + "BAD1,坏价格,,DRINK,pcs,-1,13%,,\n"
    report = import_products(write(tmp_path, text), skip_bad=True)
    assert (report.created, report.skipped) == (2, 1)
    assert report.errors[0].line == 4 and "negative" in report.errors[0].message
    assert not Product.select().where(Product.sku == "BAD1").exists()


def test_dry_run_writes_nothing(shop, tmp_path: Path) -> None:
    report = import_products(write(tmp_path, GOOD), dry_run=True)
    assert report.created == 2 and Product.select().count() == 0


def test_reimport_updates(shop, tmp_path: Path) -> None:
    import_products(write(tmp_path, GOOD))
    report = import_products(write(tmp_path, GOOD.replace("3.50", "3.80"), name="q.csv"))
    assert (report.created, report.updated) == (0, 2)
    assert Product.get(Product.sku == "COKE330").price == Decimal("3.80")


def test_utf16_is_refused_clearly(shop, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="UTF-16"):
        import_products(write(tmp_path, GOOD, "utf-16"))


def test_missing_required_column(shop, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        import_products(write(tmp_path, "sku,name\nA,b\n"))
    assert "price" in str(err.value) and "tax_rate" in str(err.value)


def test_latin1_garbage_header_is_reported(shop, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xe9\xe8\xff\xfe\xfd,\xc0\n")
    with pytest.raises(ValidationError):
        import_products(path)


def test_export_then_import_round_trips(shop, tmp_path: Path) -> None:
    import_products(write(tmp_path, GOOD))
    out = tmp_path / "out.csv"
    assert export_products(out) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads Chinese
    gb = tmp_path / "gb.csv"
    export_products(gb, encoding="gb18030")
    Barcode.delete().execute()
    Product.delete().execute()
    report = import_products(gb)
    assert report.created == 2
    assert {b.code for b in Product.get(Product.sku == "COKE330").barcodes} == {
        "6901234567892", "16901234567899"}
