"""Product CSV import/export: encodings, headers by name, bad rows by line, all or nothing;
a user allowed to, partial files that change only what they say, the price history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from store.catalog import editor
from store.catalog.product_import import ImportRejected
from store.catalog.product_import import import_products as _import
from store.catalog.product_io import export_products
from store.core.errors import PermissionDenied, ValidationError
from store.models import AuditEvent, Barcode, PriceChange, Product
from store.security import accounts, audit, auth, permissions

GOOD = (
    "商家编码,名称,英文名称,分类,单位,售价,税率,成本,条码\n"
    "COKE330,可口可乐 330ml,Coca-Cola 330ml,饮料,瓶,3.50,13%,2.10,6901234567892|16901234567899*12\n"
    "WATER,农夫山泉 550ml,Nongfu Spring,DRINK,bottle,￥2.00,VAT13,1.2,96385074\n"
)


def import_products(path: Path, **kw):
    return _import(path, auth.authenticate("boss", "8888"), **kw)


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
    assert {e.value for e in err.value.report.errors if e.line == 4} == {"abc"}
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
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Product.get(Product.sku == "COKE330").price == Decimal("3.80")


def test_utf16_is_refused_clearly(shop, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="UTF-16"):
        import_products(write(tmp_path, GOOD, "utf-16"))


def test_missing_required_column(shop, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        import_products(write(tmp_path, "name,price\nb,1\n"))
    assert "sku" in str(err.value) and "商家编码" in str(err.value)
    with pytest.raises(ImportRejected) as rejected:  # a new product needs a price and a tax
        import_products(write(tmp_path, "sku,name\nA,b\n"))
    (e,) = rejected.value.report.errors
    assert e.field == "price" and "price" in e.message.lower() and "tax" in e.message.lower()


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
    PriceChange.delete().execute()
    Product.delete().execute()
    report = import_products(gb)
    assert report.created == 2
    assert {b.code for b in Product.get(Product.sku == "COKE330").barcodes} == {
        "6901234567892", "16901234567899"}


def test_a_partial_file_changes_only_what_it_says(shop, tmp_path: Path) -> None:
    """Issue 16: a file with only sku,name,price,tax_rate emptied the English name and the
    category, reset the unit to pcs and the cost to 0."""
    import_products(write(tmp_path, GOOD))
    report = import_products(write(tmp_path, "sku,name,price,tax_rate\n"
                                   "COKE330,可口可乐 330毫升,3.80,13%\n", name="q.csv"))
    assert (report.updated, report.price_changes) == (1, 1)
    coke = Product.get(Product.sku == "COKE330")
    assert (coke.name, coke.name_en, coke.category.code, coke.unit.code, coke.cost,
            coke.price) == ("可口可乐 330毫升", "Coca-Cola 330ml", "DRINK", "bottle",
                            Decimal("2.1"), Decimal("3.80"))
    assert {b.code for b in coke.barcodes} == {"6901234567892", "16901234567899"}
    # an empty cell keeps the value too; the water row is not touched at all
    report = import_products(write(tmp_path, "sku,name_en,cost,price\nCOKE330,,,3.90\n"
                                   "WATER,,,\n", name="r.csv"))
    assert (report.updated, report.unchanged) == (1, 1)
    coke = Product.get(Product.sku == "COKE330")
    assert (coke.name_en, coke.cost, coke.price) == ("Coca-Cola 330ml", Decimal("2.1"),
                                                     Decimal("3.90"))


def test_a_price_list_file_needs_only_sku_and_price(shop, tmp_path: Path) -> None:
    import_products(write(tmp_path, GOOD))
    report = import_products(write(tmp_path, "商家编码,售价\ncoke330,4.00\nNEW1,1.00\n",
                                   name="q.csv"), skip_bad=True)
    assert (report.updated, report.created, report.skipped) == (1, 0, 1)
    assert report.errors[0].line == 3 and report.errors[0].field == "name"
    coke = Product.get(Product.sku == "COKE330")  # found in lower case, not renamed
    assert coke.price == Decimal("4.00")


@pytest.mark.parametrize("price", ["3,00", "3,5", "1,2,3"])
def test_a_decimal_comma_is_refused_not_read_as_hundreds(shop, tmp_path: Path,
                                                         price: str) -> None:
    """Issue 16: '3,00' was stored as ¥300.00."""
    with pytest.raises(ImportRejected) as err:
        import_products(write(tmp_path, f'sku,name,price,tax_rate\nA1,茶,"{price}",13%\n'))
    (e,) = err.value.report.errors
    assert (e.line, e.field, e.value) == (2, "price", price) and "point" in e.message
    assert Product.select().count() == 0


def test_thousands_separators_still_read(shop, tmp_path: Path) -> None:
    import_products(write(tmp_path, 'sku,name,price,tax_rate\nTV,电视,"1,299.00",13%\n'))
    assert Product.get(Product.sku == "TV").price == Decimal("1299.00")


def test_a_file_mixing_utf8_and_gbk_lines_reads_each_line_right(shop, tmp_path: Path) -> None:
    """Issue 16: a file pasted together from two systems imported as mojibake."""
    head = "sku,name,unit,price,tax_rate\nA1,可口可乐,瓶,3.00,13%\n".encode()
    tail = "B2,雪碧,瓶,3.00,13%\nC3,农夫山泉,瓶,2.00,13%\n".encode("gb18030")
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + tail)
    report = import_products(path)
    assert report.encoding == "utf-8+gb18030" and report.created == 3
    assert {p.sku: p.name for p in Product.select()} == {"A1": "可口可乐", "B2": "雪碧",
                                                        "C3": "农夫山泉"}
    assert {p.unit.code for p in Product.select()} == {"bottle"}


def test_import_needs_a_user_allowed_to(shop, tmp_path: Path) -> None:
    boss = auth.authenticate("boss", "8888")
    accounts.add_user(boss, "ann", "cashier", pin="1111")
    accounts.add_user(boss, "sam", "supervisor", pin="2222")
    with pytest.raises(PermissionDenied):
        _import(write(tmp_path, GOOD), auth.authenticate("ann", "1111"))
    assert Product.select().count() == 0
    denied = list(audit.events(kind="permission_denied"))
    assert denied and denied[-1].data["permission"] == "manage_catalog"
    # a supervisor without manage_prices may add products but not change a shelf price
    permissions.set_permission(boss, "supervisor", "manage_prices", False)
    sam = auth.authenticate("sam", "2222")
    assert _import(write(tmp_path, GOOD), sam).created == 2
    with pytest.raises(PermissionDenied):
        _import(write(tmp_path, GOOD.replace("3.50", "3.80"), name="q.csv"), sam)
    assert Product.get(Product.sku == "COKE330").price == Decimal("3.50")
    assert _import(write(tmp_path, GOOD.replace("Nongfu Spring", "Nongfu"), name="r.csv"),
                   sam).updated == 1


def test_price_history_and_audit_after_imports(shop, tmp_path: Path) -> None:
    import_products(write(tmp_path, GOOD))
    import_products(write(tmp_path, GOOD.replace("3.50", "3.80"), name="q.csv"))
    again = import_products(write(tmp_path, GOOD.replace("3.50", "3.80"), name="r.csv"))
    assert (again.updated, again.unchanged, again.price_changes) == (0, 2, 0)
    history = editor.price_history("COKE330")
    assert [(h.old_price, h.new_price, h.user, h.source, h.note) for h in history] == [
        (Decimal("3.50"), Decimal("3.80"), "boss", "import", "q.csv"),
        (None, Decimal("3.50"), "boss", "import", "p.csv")]
    assert PriceChange.select().count() == 3  # the water's price never changed
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.reference == "COKE330")]
    assert kinds == ["product_created", "product_changed"]
    assert audit.verify_chain()[1] is None


def _sheet(path: Path, rows: list[list[object]], first_row: int = 0) -> Path:
    import xlsxwriter
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("商品资料")
    for i, row in enumerate(rows):
        sheet.write_row(first_row + i, 0, row)
    book.close()
    return path


def test_a_spreadsheet_imports_like_its_csv(shop, tmp_path: Path) -> None:
    """Issue 16.4: shops keep their catalog in Excel. Numbers arrive as the spreadsheet's
    floats and are read by the digits it shows: 3.5 is ¥3.50, a barcode typed as a number
    keeps every digit, an integer SKU has no '.0'."""
    path = _sheet(tmp_path / "products.xlsx", [
        ["商品资料 2026-12-01"], [],
        ["商家编码", "商品名称", "零售价", "税率", "进价", "条码", "单位"],
        ["COKE330", "可口可乐 330ml", 3.5, "13%", 2.1, 6901234567892, "瓶"],
        [10086, "散装花生", 12, 0.13 * 100, 7.25, "", "kg"],
    ], first_row=1)  # a title and a blank row above the table, as shops often leave
    report = import_products(path)
    assert (report.created, report.encoding) == (2, "xlsx")
    coke = Product.get(Product.sku == "COKE330")
    assert (coke.price, coke.cost, coke.unit.code) == (Decimal("3.50"), Decimal("2.1"),
                                                       "bottle")
    assert [b.code for b in coke.barcodes] == ["6901234567892"]
    nuts = Product.get(Product.sku == "10086")
    assert (nuts.price, nuts.tax_rate.rate_bp, nuts.sold_by_weight) == (Decimal("12.00"),
                                                                       1300, True)


def test_a_spreadsheet_names_bad_cells_by_the_row_excel_shows(shop, tmp_path: Path) -> None:
    path = _sheet(tmp_path / "bad.xlsx", [
        ["sku", "name", "price", "tax_rate"],
        ["A1", "茶", 3.456, "13%"],  # a computed price, never rounded by us
        ["A2", "水", "三块", "13%"],
    ], first_row=4)
    with pytest.raises(ImportRejected) as err:
        import_products(path)
    assert [(e.line, e.field) for e in err.value.report.errors] == [(6, "price"), (7, "price")]
    assert "3.456" in err.value.report.errors[0].message
    assert Product.select().count() == 0


def test_a_file_called_xlsx_that_is_not_one_is_refused_in_words(shop, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, name="products.xlsx")
    with pytest.raises(ValidationError, match="spreadsheet"):
        import_products(path)
