"""Variants (issue 19.7) on both engines: a style in sizes and colours becomes one product per
combination, a new colour adds its variants, sales add up per style, and a bad value, a taken
SKU or too many combinations are refused with nothing written."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.catalog import products, search, variants
from store.catalog.product_io import export_products
from store.catalog.products import BarcodeInput, ProductInput
from store.catalog.variants import AttributeInput, ValueInput
from store.common import clock
from store.core.errors import NotFound, PermissionDenied, ValidationError
from store.models import AttributeValue, Product, ProductTemplate
from store.onboarding import imports
from store.reporting import reports
from store.security import auth
from store.stock import inventory
from tests.store.stock_helpers import sell

D = Decimal
SIZES = AttributeInput("尺码", [ValueInput("S"), ValueInput("M"), ValueInput("L"),
                               ValueInput("XL")], name_en="Size")
COLOURS = variants.parse_attribute("颜色=RED:红,WHITE:白,black:黑")
BASE = ProductInput(sku="", name="", price="59", tax_rate="13%", cost="21.50",
                    category=None)


@pytest.fixture
def owner(shop):
    return auth.authenticate("boss", "8888")


def test_a_style_in_sizes_and_colours(owner) -> None:
    view = variants.create_template(owner, "tshirt", "T恤", [SIZES, COLOURS], BASE,
                                    name_en="T-shirt")
    assert view.code == "TSHIRT" and len(view.variants) == 12
    assert view.attributes[1] == ("颜色", [("RED", "红"), ("WHITE", "白"), ("BLACK", "黑")])
    first, last = view.variants[0], view.variants[-1]
    assert (first.sku, first.values, first.price) == ("TSHIRT-S-RED", ("S", "红"), D("59.00"))
    assert last.sku == "TSHIRT-XL-BLACK" and last.on_hand == 0
    product = Product.get(Product.sku == "TSHIRT-M-WHITE")
    assert (product.name, product.name_en) == ("T恤 M 白", "T-shirt M 白")
    assert product.cost == D("21.50") and product.template.code == "TSHIRT"
    # Each variant is a product like any other: its own price, barcode and stock.
    products.update_product("TSHIRT-M-WHITE", ProductInput(
        "TSHIRT-M-WHITE", "T恤 M 白", "65", "13%", barcodes=[BarcodeInput("6901234567991")]))
    inventory.post_opening_stock("TSHIRT-M-WHITE", "STORE", "8")
    shown = {v.sku: v for v in variants.view("TSHIRT").variants}
    assert shown["TSHIRT-M-WHITE"].price == D("65.00")
    assert shown["TSHIRT-M-WHITE"].on_hand == 8
    assert variants.templates() == [("TSHIRT", "T恤", 12)]
    assert [v.sku for v in variants.variants_of("tshirt")][:2] == ["TSHIRT-S-RED",
                                                                   "TSHIRT-S-WHITE"]
    assert variants.variants_of("NOPE") == []


def test_the_search_groups_a_styles_variants(owner) -> None:
    """F2's search: the style's code typed gives its variants together, in the order they
    were made, an inactive one left out; its name finds them as any name does."""
    variants.create_template(owner, "tshirt", "T恤", [SIZES, COLOURS], BASE)
    products.create_product(ProductInput("TSHIRTBAG", "T恤袋", "1", "13%"))
    products.update_product("TSHIRT-S-WHITE", ProductInput(
        "TSHIRT-S-WHITE", "T恤 S 白", "59", "13%", active=False))
    skus = [h.sku for h in search.search("tshirt", limit=30)]
    assert skus[:3] == ["TSHIRT-S-RED", "TSHIRT-S-BLACK", "TSHIRT-M-RED"]
    assert len(skus) == 11 and "TSHIRT-S-WHITE" not in skus
    assert {h.matched for h in search.search("TSHIRT", limit=30)} == {"style"}
    assert "TSHIRT-S-WHITE" in [h.sku for h in search.search("tshirt", limit=30,
                                                               include_inactive=True)]
    assert {h.sku for h in search.search("T恤", limit=30)} >= set(skus) | {"TSHIRTBAG"}
    assert search.search("TSHIRT%") == [] and search.search("tshirtbag")[0].sku == "TSHIRTBAG"


def test_a_new_colour_adds_its_variants(owner) -> None:
    variants.create_template(owner, "SOCKS", "袜子", [SIZES, COLOURS], BASE)
    view = variants.add_value(owner, "socks", "颜色", ValueInput("blue", "蓝"))
    assert len(view.variants) == 16
    assert [v.sku for v in view.variants if v.values[1] == "蓝"] == [
        "SOCKS-S-BLUE", "SOCKS-M-BLUE", "SOCKS-L-BLUE", "SOCKS-XL-BLUE"]
    assert variants.add_value(owner, "SOCKS", "Size", ValueInput("XXL")).variants[-1].sku == \
        "SOCKS-XXL-BLUE"  # the English name finds the attribute too
    with pytest.raises(ValidationError, match="'BLUE' is given twice"):
        variants.add_value(owner, "SOCKS", "颜色", ValueInput("Blue"))
    with pytest.raises(ValidationError, match="no attribute '口味'"):
        variants.add_value(owner, "SOCKS", "口味", ValueInput("X"))
    with pytest.raises(NotFound):
        variants.add_value(owner, "HAT", "颜色", ValueInput("X"))


def test_sales_add_up_per_style(owner, shop) -> None:
    from tests.store.stock_helpers import stock_shop

    people = stock_shop()  # COKE and TEA, no style
    variants.create_template(owner, "TSHIRT", "T恤", [SIZES, COLOURS], BASE)
    sell(people["cashier"], "TSHIRT-S-RED", 2)
    sell(people["cashier"], "TSHIRT-L-BLACK", 1)
    sell(people["cashier"], "COKE", 3)
    today = clock.local_today()
    rows = {r.key: r for r in reports.sales_by("template", today, today)}
    assert set(rows) == {"TSHIRT", "COKE"}
    assert rows["TSHIRT"].label == "T恤" and rows["TSHIRT"].sales == 2
    assert rows["TSHIRT"].figures.net == D("177.00")  # 3 × 59
    assert rows["COKE"].figures.net == D("10.50")
    by_product = {r.key for r in reports.sales_by("product", today, today)}
    assert {"TSHIRT-S-RED", "TSHIRT-L-BLACK"} <= by_product


def test_refusals_write_nothing(owner) -> None:
    products.create_product(ProductInput("CAP-M-RED", "帽子", "20", "13%"))
    before = Product.select().count()
    cases = [
        (("CAP", "帽子", [AttributeInput("颜色", [ValueInput("红")])]), "value code '红'"),
        (("CAP", "帽子", [AttributeInput("颜色", [ValueInput("R"), ValueInput("r")])]),
         "'R' is given twice"),
        (("CAP", "帽子", []), "1 to 3 attributes"),
        (("CAP", "帽子", [SIZES, SIZES]), "given twice"),
        (("CA P", "帽子", [SIZES]), "code: 'CA P'"),
        (("CAP", "  ", [SIZES]), "needs a name"),
        (("CAP", "帽子", [AttributeInput("尺码", [ValueInput("M")]),
                        AttributeInput("颜色", [ValueInput("RED")])]), "CAP-M-RED"),
        (("BIG", "大", [AttributeInput(n, [ValueInput(f"V{i}") for i in range(10)])
                       for n in ("A", "B", "C")]), "1000 variants is more than 300"),
    ]
    for (code, name, attributes), words in cases:
        with pytest.raises(ValidationError, match=words):
            variants.create_template(owner, code, name, attributes, BASE)
    with pytest.raises(ValidationError, match="tax_rate"):
        variants.create_template(owner, "CAP", "帽子", [SIZES],
                                 ProductInput("", "", "20", "77%"))
    with pytest.raises(PermissionDenied):
        variants.create_template(auth.create_user("xiaowang", "cashier", pin="1234"), "CAP",
                                 "帽子", [SIZES], BASE)
    assert Product.select().count() == before
    assert ProductTemplate.select().count() == 0 and AttributeValue.select().count() == 0
    for spec in ("颜色", "=RED", "颜色=", "颜色"):
        with pytest.raises(ValidationError, match="NAME=VALUE"):
            variants.parse_attribute(spec)


values = st.lists(st.sampled_from(["S", "M", "L", "XL", "RED", "B2", "X9", "Q"]), min_size=1,
                  max_size=4, unique=True)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(shape=st.lists(values, min_size=1, max_size=3), added=st.sampled_from(["NEW", "Z1"]),
       n=st.integers(0, 10 ** 6))
def test_a_style_is_every_combination_once_and_a_file_keeps_it(owner, tmp_path_factory,
                                                               shape, added, n) -> None:
    """Any 1-3 attributes of any values: one variant per combination, each SKU and place
    once, in the values' order; a value added makes exactly the combinations it is in; the
    product file writes the style out and reads it back unchanged."""
    code = f"ST{n}"
    if ProductTemplate.select().where(ProductTemplate.code == code).exists():
        return  # (hypothesis drew the same number twice in one database)
    attrs = [AttributeInput(f"A{i}", [ValueInput(v) for v in vs]) for i, vs in enumerate(shape)]
    view = variants.create_template(owner, code, "款", attrs, BASE)
    combos = list(itertools.product(*shape))
    assert [v.sku for v in view.variants] == [f"{code}-" + "-".join(c) for c in combos]
    variants.add_value(owner, code, "A0", ValueInput(added))
    after = variants.view(code).variants
    assert len(after) == len(combos) + len(combos) // len(shape[0])
    assert len({v.sku for v in after}) == len(after)
    assert [v.sku for v in after][-(len(combos) // len(shape[0])):] == [
        f"{code}-{added}" + "".join(f"-{x}" for x in rest)
        for rest in itertools.product(*shape[1:])]
    path = tmp_path_factory.mktemp("file") / "p.csv"
    export_products(path)
    report = imports.run_import("products", path, owner)
    assert report.created == report.updated == 0
    assert [v.sku for v in variants.view(code).variants] == [v.sku for v in after]
