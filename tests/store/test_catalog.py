"""Products and barcodes: every bad input is refused with its field and value, nothing half-written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import products
from store.catalog.products import BarcodeInput, ProductInput
from store.core.errors import NotFound, ValidationError
from store.models import Barcode, Product, StockLevel, StockMove
from store.stock import costing, inventory


def coke(**over) -> ProductInput:
    data = dict(sku="COKE330", name="可口可乐 330ml", name_en="Coca-Cola 330ml", price="3.50",
                tax_rate="13%", unit="瓶", category="饮料", cost="2.1",
                barcodes=[BarcodeInput("6901234567892"), BarcodeInput("16901234567899",
                                                                      Decimal(12))])
    data.update(over)
    return ProductInput(**data)


def test_create_product_computes_pinyin_and_keeps_exact_money(shop) -> None:
    p = products.create_product(coke())
    p = Product.get_by_id(p.id)
    assert (p.price, p.cost) == (Decimal("3.50"), Decimal("2.1000"))
    assert (p.pinyin, p.initials) == ("kekoukele330ml", "kkkl330ml")
    assert p.unit.code == "bottle" and p.category.code == "DRINK"
    packs = {b.code: b.pack_qty for b in p.barcodes}
    assert packs == {"6901234567892": Decimal(1), "16901234567899": Decimal(12)}


@pytest.mark.parametrize(("over", "field", "words"), [
    ({"price": "-1"}, "price", "negative"),
    ({"price": "abc"}, "price", "not a number"),
    ({"price": "1.234"}, "price", "decimal places"),
    ({"tax_rate": "15%"}, "tax_rate", "unknown tax rate"),
    ({"unit": "桶"}, "unit", "unknown unit"),
    ({"category": "玩具"}, "category", "unknown category"),
    ({"sku": ""}, "sku", "empty"),
    ({"sku": "A B"}, "sku", "without spaces"),
    ({"name": "  "}, "name", "empty"),
    ({"barcodes": [BarcodeInput("6901234567893")]}, "barcode", "check digit"),
    ({"barcodes": [BarcodeInput("2100123001507")]}, "barcode", "20–29"),
    ({"barcodes": [BarcodeInput("6901234567892"), BarcodeInput("6901234567892")]}, "barcode",
     "twice"),
    ({"barcodes": [BarcodeInput("6901234567892", Decimal(0))]}, "pack_qty", "greater than zero"),
])
def test_bad_input_is_named_and_nothing_is_written(shop, over, field, words) -> None:
    with pytest.raises(ValidationError) as err:
        products.create_product(coke(**over))
    assert err.value.field == field and words in str(err.value)
    assert Product.select().count() == 0 and Barcode.select().count() == 0


def test_duplicates_are_refused(shop) -> None:
    products.create_product(coke())
    with pytest.raises(ValidationError, match="'COKE330' already exists"):
        products.create_product(coke(barcodes=[]))
    with pytest.raises(ValidationError, match="already belongs to COKE330"):
        products.create_product(coke(sku="OTHER", barcodes=[BarcodeInput("6901234567892")]))
    with pytest.raises(ValidationError, match="already exists"):
        products.add_barcode("COKE330", "16901234567899")
    assert Product.select().count() == 1 and Barcode.select().count() == 2


def test_update_product_replaces_fields_and_barcodes(shop) -> None:
    products.create_product(coke())
    products.update_product("COKE330", coke(price="3.80", barcodes=[BarcodeInput("96385074")]))
    p = products.get_product("COKE330")
    assert p.price == Decimal("3.80") and [b.code for b in p.barcodes] == ["96385074"]


def test_get_missing_product(shop) -> None:
    with pytest.raises(NotFound, match="NOPE"):
        products.get_product("NOPE")


def test_tax_rate_by_code_or_percent(shop) -> None:
    assert products.find_tax_rate("VAT9").rate_bp == 900
    assert products.find_tax_rate("9%").code == "VAT9"
    assert products.find_tax_rate("0").code == "VAT0"


def test_stock_level_is_the_sum_of_moves(shop) -> None:
    p = products.create_product(coke())
    inventory.post_opening_stock("COKE330", "STORE", "24")
    costing.stock_out(p.id, 1, Decimal("3.5"), reason="sale")
    costing.stock_in(p.id, 1, Decimal("1"), None, reason="return")
    moves = sum((m.qty for m in StockMove.select().where(StockMove.product == p.id)), Decimal(0))
    level = StockLevel.get(StockLevel.product == p.id).on_hand
    assert level == moves == Decimal("21.5")
    with pytest.raises(ValidationError, match="must be greater than zero"):
        costing.stock_out(p.id, 1, Decimal(0), reason="sale")


def test_reorder_rules_per_warehouse(shop) -> None:
    p = products.create_product(coke())
    inventory.set_reorder_rule("COKE330", "STORE", "12", "48")
    inventory.set_reorder_rule("COKE330", "WH", "0", "240")
    inventory.set_reorder_rule("COKE330", "STORE", "24", "96")  # changes, does not duplicate
    assert inventory.reorder_rules(p.id) == [
        inventory.ReorderRow("STORE", Decimal(24), Decimal(96)),
        inventory.ReorderRow("WH", Decimal(0), Decimal(240))]
    with pytest.raises(ValidationError, match="below the minimum"):
        inventory.set_reorder_rule("COKE330", "STORE", "10", "5")
    with pytest.raises(ValidationError, match="negative"):
        inventory.set_reorder_rule("COKE330", "STORE", "-1", "5")
    with pytest.raises(NotFound, match="NOPE"):
        inventory.set_reorder_rule("COKE330", "NOPE", "1", "5")
