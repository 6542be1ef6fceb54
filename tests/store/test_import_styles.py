"""A product file's styles and lots columns (issue 19.5 and 19.7): one row per variant comes in
grouped into its style (款号, 规格, 款名), goes out the same way and back in unchanged; a
style's attributes are kept, a place is taken once; "tracks lots" is set on new products and
changed on products that exist through the stock (their stock into the unknown lot)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from store.catalog import style_columns, variants
from store.catalog.product_import import ImportRejected, import_products
from store.catalog.product_io import export_products
from store.catalog.products import ProductInput
from store.models import AttributeValue, Product, ProductTemplate, StockLot
from store.onboarding import imports
from store.stock import lots
from tests.store.stock_helpers import stock_shop
from tests.store.test_import import write

D = Decimal
STYLED = (
    "商家编码,名称,售价,税率,款号,规格,款名,管理批次\n"
    "POLO-M-NAVY,Polo衫 M 藏青,129,13%,polo,尺码=M;颜色=NAVY:藏青,Polo衫,\n"
    "POLO-L-NAVY,Polo衫 L 藏青,129,13%,POLO,尺码=L；颜色=NAVY,,\n"
    "POLO-M-WHITE,Polo衫 M 白,119,13%,POLO,尺码=M;颜色=WHITE:白,,\n"
    "MILK,鲜牛奶 1L,12.80,9%,,,,是\n"
)


def test_a_file_of_variants_makes_its_styles_and_comes_back_unchanged(shop, tmp_path: Path
                                                                       ) -> None:
    users = stock_shop()
    boss = users["owner"]
    report = imports.run_import("products", write(tmp_path, STYLED), boss)
    assert (report.created, report.errors) == (4, [])
    view = variants.view("POLO")
    assert view.name == "Polo衫"
    assert view.attributes == [("尺码", [("M", "M"), ("L", "L")]),
                               ("颜色", [("NAVY", "藏青"), ("WHITE", "白")])]
    assert [v.sku for v in view.variants] == ["POLO-M-NAVY", "POLO-M-WHITE", "POLO-L-NAVY"]
    assert Product.get(Product.sku == "MILK").tracks_lots
    assert not Product.get(Product.sku == "POLO-M-NAVY").tracks_lots
    # The till's picker has them; a value added by hand later is a variant like the others.
    variants.add_value(boss, "POLO", "颜色", variants.ValueInput("RED", "红"))
    assert len(variants.variants_of("polo")) == 5
    out = tmp_path / "out.csv"
    export_products(out)
    text = out.read_text("utf-8-sig")
    assert "POLO-L-RED,Polo衫 L 红," in text
    assert ",POLO,尺码=L;颜色=RED:红,Polo衫" in text and ",1,,,\n" in text  # MILK's lots
    again = imports.run_import("products", out, boss)
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.unchanged)
    assert again.unchanged == Product.select().count()
    # A merchant's other shop starts from that file: the same styles, the same places.
    rows = {r["sku"]: r for r in _rows(out)}
    assert rows["POLO-M-WHITE"]["variant"] == "尺码=M;颜色=WHITE:白"
    assert rows["COKE"]["style"] == "" and rows["MILK"]["tracks_lots"] == "1"


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_product_goes_into_a_style_that_exists(shop, tmp_path: Path) -> None:
    users = stock_shop()
    variants.create_template(users["owner"], "CAP", "帽子",
                             [variants.parse_attribute("颜色=BLUE:蓝,RED:红")],
                             ProductInput("", "", "25", "13%"))
    text = ("sku,name,price,tax_rate,style,variant\n"
            "CAPG,帽子 绿,25,13%,CAP,颜色=GREEN:绿\n")
    assert imports.run_import("products", write(tmp_path, text), users["owner"]).created == 1
    assert [v.sku for v in variants.variants_of("CAP")] == ["CAP-BLUE", "CAP-RED", "CAPG"]
    assert AttributeValue.get(AttributeValue.code == "GREEN").name == "绿"
    # An existing product moved into its place by a file that says only that.
    text = "sku,style,variant\nTEA,CAP,颜色=WHITE\n"
    report = imports.run_import("products", write(tmp_path, text, name="b.csv"), users["owner"])
    assert report.updated == 1 and Product.get(Product.sku == "TEA").variant_key == "WHITE"


@pytest.mark.parametrize(("rows", "field", "words"), [
    ("CAPX,帽子,25,13%,CAP,尺码=M", "variant", "has the attributes 颜色; this row gives 尺码"),
    ("CAPX,帽子,25,13%,CAP,颜色=RED", "variant", "CAP RED is CAP-RED already"),
    ("CAPX,帽子,25,13%,CAP,颜色=RED-2", "variant", "must be 1 to 12 letters or digits"),
    ("CAPX,帽子,25,13%,CAP,颜色", "variant", "is not NAME=VALUE"),
    ("CAPX,帽子,25,13%,,颜色=RED", "style", "a variant belongs to a style"),
    ("CAPX,帽子,25,13%,CAP,颜色=PINK;颜色=RED", "variant", "given twice"),
    ("CAPX,帽子,25,13%,NEW,尺码=S\nCAPY,帽子,25,13%,NEW,尺码=S", "variant",
     "NEW S is also on line 2"),
    ("CAPX,帽子,25,13%,NEW,尺码=S\nCAPY,帽子,25,13%,NEW,颜色=S", "variant",
     "NEW has the attributes 尺码"),
    ("CAPX,帽子,25,13%,A-B,尺码=S", "style", "1 to 40 letters or digits"),
])
def test_a_bad_style_cell_is_named_and_nothing_is_written(shop, tmp_path: Path, rows: str,
                                                          field: str, words: str) -> None:
    users = stock_shop()
    variants.create_template(users["owner"], "CAP", "帽子",
                             [variants.parse_attribute("颜色=BLUE:蓝,RED:红")],
                             ProductInput("", "", "25", "13%"))
    before = (Product.select().count(), ProductTemplate.select().count(),
              AttributeValue.select().count())
    path = write(tmp_path, "sku,name,price,tax_rate,style,variant\n" + rows + "\n")
    with pytest.raises(ImportRejected) as err:
        imports.run_import("products", path, users["owner"])
    bad = err.value.report.errors[-1]
    assert bad.field == field and words in bad.message, bad.message
    assert (Product.select().count(), ProductTemplate.select().count(),
            AttributeValue.select().count()) == before


def test_tracking_lots_from_a_file_puts_the_stock_into_the_unknown_lot(shop, tmp_path: Path
                                                                      ) -> None:
    users = stock_shop()  # COKE: 10 in WH
    path = write(tmp_path, "sku,tracks_lots\nCOKE,1\nTEA,0\n")
    dry = imports.run_import("products", path, users["owner"], dry_run=True)
    assert (dry.updated, dry.unchanged) == (1, 1) and not Product.get(
        Product.sku == "COKE").tracks_lots
    imports.run_import("products", path, users["owner"])
    coke = Product.get(Product.sku == "COKE")
    assert coke.tracks_lots
    assert [(s.number, s.qty) for s in StockLot.select().where(StockLot.product == coke.id)] == [
        (lots.UNKNOWN, D(10))]
    # Without the stock's hand (the catalog alone) it is refused, never half done.
    with pytest.raises(ImportRejected) as err:
        import_products(write(tmp_path, "sku,tracks_lots\nCOKE,否\n", name="b.csv"),
                        users["owner"])
    assert err.value.report.errors[0].field == "tracks_lots"
    assert Product.get(Product.sku == "COKE").tracks_lots
    imports.run_import("products", write(tmp_path, "sku,管理批次\nCOKE,否\n", name="c.csv"),
                       users["owner"])
    assert not Product.get(Product.sku == "COKE").tracks_lots
    assert StockLot.select().where(StockLot.product == coke.id).count() == 0


def test_the_cells_parse_as_the_file_writes_them() -> None:
    placed = style_columns.parse(" polo ", "尺码=M ; 颜色=NAVY:藏青", "Polo衫", row=2)
    assert placed is not None and placed.style == "POLO" and placed.key == "M-NAVY"
    assert [(a, v.code, v.name) for a, v in placed.values] == [("尺码", "M", "M"),
                                                               ("颜色", "NAVY", "藏青")]
    assert style_columns.parse("", "", "x", row=2) is None
