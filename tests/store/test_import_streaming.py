"""Files read a line at a time, not whole: line endings and encodings as before, duplicates
named however far apart they are, keys compared as they will be stored, and a file of bad
rows counted without keeping every message."""

from __future__ import annotations

import io
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from store.catalog.product_import import import_products as _import
from store.core.csvfile import CsvTable
from store.core.errors import ValidationError
from store.core.importing import CHUNK, LISTED, ImportRejected
from store.models import Barcode, Product
from store.security import auth
from tests.test_cli import env, run  # noqa: F401  (the fixture)

HEAD = "sku,name,price,tax_rate,barcodes\n"


def import_products(path: Path, **kw):
    return _import(path, auth.authenticate("boss", "8888"), **kw)


def rows(n: int, start: int = 0) -> str:
    return "".join(f"P{i:05d},商品{i},1.00,13%,\n" for i in range(start, start + n))


def test_duplicates_are_named_by_their_first_line_across_chunks(shop, tmp_path: Path) -> None:
    far = CHUNK + 200  # the first and the repeat are read in different chunks
    text = (HEAD + "A1,可乐,3.00,13%,6901234567892\n" + rows(far)
            + "a1,又一个,3.00,13%,\n"  # the same SKU in another letter case
            + "B2,雪碧,3.00,13%,６９０１２３４５６７８９２\n")  # the same barcode, full-width
    path = tmp_path / "dups.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        import_products(path)
    by_line = {e.line: e for e in err.value.report.errors}
    assert set(by_line) == {far + 3, far + 4}
    assert by_line[far + 3].field == "sku" and "first on line 2" in by_line[far + 3].message
    assert by_line[far + 4].field == "barcode" and "also on line 2" in by_line[far + 4].message
    assert Product.select().count() == 0


def test_a_full_width_sku_or_barcode_is_the_one_it_normalises_to(shop, tmp_path: Path) -> None:
    """An input method's full-width ＰＯ１ is PO1: the existing product is changed (it was
    taken for a new one, and the insert broke on the unique index)."""
    first = tmp_path / "a.csv"
    first.write_text(HEAD + "PO1,可乐,3.00,13%,6901234567892\nPO2,雪碧,3.00,13%,\n",
                     encoding="utf-8")
    assert import_products(first).created == 2
    again = tmp_path / "b.csv"
    again.write_text(HEAD + "ＰＯ１,可乐,3.20,13%,\n", encoding="utf-8")
    report = import_products(again)
    assert (report.created, report.updated) == (0, 1)
    assert Product.get(Product.sku == "PO1").price == Decimal("3.20")
    taken = tmp_path / "c.csv"
    taken.write_text(HEAD + "PO2,雪碧,3.00,13%,６９０１２３４５６７８９２\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        import_products(taken)
    (e,) = err.value.report.errors
    assert e.field == "barcode" and "already belongs to PO1" in e.message
    assert Barcode.get(Barcode.code == "6901234567892").product.sku == "PO1"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_of_every_kind_in_a_mixed_encoding_file(shop, tmp_path: Path,
                                                             newline: str) -> None:
    utf8 = ("\ufeffsku,name,price,tax_rate,note" + newline + "A1,可口可乐,3.00,13%" + newline
            + 'B2,"雪碧, 330ml",3.00,13%,"two' + newline + 'lines"' + newline).encode()
    gbk = ("C3,农夫山泉,2.00,13%" + newline + "D4,旺仔,x,13%" + newline).encode("gb18030")
    path = tmp_path / "mixed.csv"
    path.write_bytes(utf8 + gbk)
    table = CsvTable(path, {"sku": ("sku",), "name": ("name",)}, ("sku",))
    assert table.encoding == "utf-8+gb18030" and table.lines == 6
    assert [(line, v["name"]) for line, v in table] == [
        (2, "可口可乐"), (4, "雪碧, 330ml"), (5, "农夫山泉"), (6, "旺仔")]
    with pytest.raises(ImportRejected) as err:  # the bad price named by its own line
        import_products(path)
    assert [(e.line, e.field, e.value) for e in err.value.report.errors] == [(6, "price", "x")]


def test_a_file_cut_off_in_a_character_is_refused_whichever_encoding(tmp_path: Path) -> None:
    for name, data in (("u.csv", "sku\n可乐\n".encode()[:-2]),
                       ("g.csv", "sku\n可乐,雪碧\n".encode("gb18030")[:-2])):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ValidationError, match="cut off"):
            CsvTable(path, {"sku": ("sku",)}, ("sku",))


def test_reading_a_file_does_not_hold_it(tmp_path: Path) -> None:
    """The file is read a line at a time: going through 40,000 rows (about 4 MB of GBK)
    allocates a small fraction of the file's size at any moment."""
    path = tmp_path / "big.csv"
    line = "P{:06d},可口可乐雪碧农夫山泉康师傅红烧牛肉面旺旺仙贝奥利奥饼干,3.00,13%\n"
    path.write_bytes(("sku,name,price,tax_rate\n"
                      + "".join(line.format(i) for i in range(40_000))).encode("gb18030"))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        table = CsvTable(path, {"sku": ("sku",), "name": ("name",)}, ("sku",))
        count = sum(1 for _row in table)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 40_000 and table.lines == 40_001
    assert peak < size / 4, (peak, size)


def test_a_file_of_bad_rows_is_counted_and_only_the_first_listed(
        shop, db_url, env, tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: F811
    bad = LISTED + 150
    path = tmp_path / "wrong.csv"
    path.write_text(HEAD + "".join(f"X{i},坏,abc,13%,\n" for i in range(bad)), encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        import_products(path, dry_run=True)
    report = err.value.report
    assert (report.bad, len(report.errors), report.unlisted) == (bad, LISTED, 150)
    assert f"{bad} bad row(s)" in str(err.value)
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    code, _out, said = run(capsys, "--db", db_url, "--lang", "en", "products", "import",
                           str(path), "--as", "boss")
    assert code == 1
    assert f"{bad} bad row(s)" in said and "line 2: " in said
    assert "… and 150 more bad row(s), not listed" in said
    assert f"line {LISTED + 2}:" not in said
