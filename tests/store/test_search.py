"""Product search: exact codes first, pinyin initials, names; a fixed number of queries a scan."""

from __future__ import annotations

import random
from decimal import Decimal

from playhouse.test_utils import count_queries

from store.catalog import search
from store.catalog.search import lookup_code
from store.core.db import database
from store.demo.shop import _catalog as add_demo_products
from store.demo.shop import build_demo


def test_ranking_and_kinds(demo) -> None:
    hits = search.search("kkkl", 10)
    assert hits and all(h.matched == "pinyin" for h in hits)
    assert all(h.name.startswith("可口可乐") for h in hits)
    assert search.search("可口可乐 330ml", 5)[0].name == "可口可乐 330ml"
    assert search.search("cola", 5)[0].name_en.lower().count("cola")
    assert search.search("nfsq")[0].name.startswith("农夫山泉")
    assert search.search("P0000005")[0].matched == "sku"
    assert search.search("zzzzzz") == []
    assert search.search("   ") == []


def test_scan_of_a_case_barcode_sells_the_pack(demo) -> None:
    hit = search.search("P0000001")[0]
    case = next(c for c, q in search.barcodes_of(hit.id) if q == 12)
    found = lookup_code(case)
    assert found and found.id == hit.id and found.pack_qty == Decimal(12)
    assert found.matched == "barcode"


def test_exact_code_ranks_first(demo) -> None:
    hit = search.search("P0000001")[0]
    ean = search.barcodes_of(hit.id)[0][0]
    results = search.search(ean)
    assert results[0].id == hit.id and results[0].matched == "barcode"


def test_percent_in_a_query_is_not_a_wildcard(demo) -> None:
    assert search.search("%") == []


def test_scan_costs_the_same_queries_whatever_the_catalog(db) -> None:
    build_demo(50, history_days=0)
    code = search.barcodes_of(search.search("P0000001")[0].id)[0][0]
    with count_queries() as small:
        assert lookup_code(code)
    with count_queries() as small_sku:
        assert lookup_code("P0000002")
    with database.obj.atomic():  # grow the catalog 60-fold
        add_demo_products(3000, random.Random(1), lambda *a: None)
    with count_queries() as large:
        assert lookup_code(code)
    with count_queries() as large_sku:
        assert lookup_code("P0000002")
    assert small.count == large.count == 1  # a barcode: one join query
    assert small_sku.count == large_sku.count == 2  # a SKU: barcode miss, then the SKU


def test_search_query_count_is_bounded(demo) -> None:
    search.search("warm")  # once per database: which name index it has (migration 0031)
    with count_queries() as counter:
        search.search("kkkl", 20)
    assert counter.count <= 6


def test_whole_words_then_what_sells_rank_first(shop) -> None:
    """Issue 14.10: `kkkl` listed nine 1.25L variants before the 330 ml everyone buys."""
    from store.catalog import products
    from store.catalog.products import ProductInput
    from store.security import auth
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    products.create_product(ProductInput("K0", "可口可乐果汁", "4.00", "13%"))  # kkkl… only starts
    for i, kind in enumerate(("家庭装", "礼盒装", "旅行装", "限定款", "组合装", "特惠装")):
        products.create_product(ProductInput(f"K1{i}", f"可口可乐 1.25L {kind}", "6.00", "13%"))
    products.create_product(ProductInput("K2", "可口可乐 330ml", "3.00", "13%",
                                         name_en="Coca-Cola 330ml"))
    boss = auth.authenticate("boss", "8888")
    sales.open_shift("T1", boss.id, "0")
    basket = Basket()
    basket.add(lookup_code("K2"), Decimal(5))
    basket.add(lookup_code("K0"), Decimal(9))  # sells most, but `kkkl` is not its first word
    sales.post_sale(basket, [PaymentInput("CASH", Decimal(100))], terminal="T1",
                    cashier_id=boss.id)
    for query in ("kkkl", "kekoukele", "可口可乐", "coca-cola"):
        assert search.search(query, 5)[0].sku == "K2", query
    assert search.search("kkkl", 10)[-1].sku == "K0"  # whole words first, then sales
    assert search.search("kkklg", 5)[0].sku == "K0"
    assert search.search("K13")[0].sku == "K13"  # an exact code still comes first
