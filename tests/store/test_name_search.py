"""Name search through the trigram index (migration 0031: FTS5 on SQLite, pg_trgm on
PostgreSQL) finds what the scan of every name finds, and stays right as products are
created, renamed, retired and imported in bulk."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.catalog import editor, products, search
from store.catalog.product_import import import_products
from store.catalog.products import ProductInput
from store.core.db import database
from store.models import PriceChange, Product
from store.security import auth


def _scan(text: str, *, include_inactive: bool = False) -> list[str]:
    """What the names hold, asked of the table itself (the scan the index replaces)."""
    q = Product.select(Product.sku).where(Product.name.contains(text)
                                          | Product.name_en.contains(text))
    if not include_inactive:
        q = q.where(Product.active == True)  # noqa: E712
    return sorted(p.sku for p in q)


def _found(text: str, *, include_inactive: bool = False) -> list[str]:
    hits = search.search(text, 1000, include_inactive=include_inactive)
    return sorted(h.sku for h in hits if h.matched == "name")


def test_the_index_exists_on_both_engines(shop, engine: str) -> None:
    assert search.name_index() == {"sqlite": "fts5", "postgresql": "pg_trgm"}[engine]


def test_the_index_finds_what_the_scan_finds(demo) -> None:
    names = [p.name for p in Product.select(Product.name).limit(60)]
    english = [p.name_en for p in Product.select(Product.name_en).limit(60) if p.name_en]
    queries = {"330ml", "Cola", "COLA", "xyzzy", "矿泉水", "牛奶 2", '"x"', "%_%", "100%"}
    queries |= {n[1:4] for n in names} | {n[2:7].lower() for n in english}
    for text in sorted(q for q in queries if len(q) >= search.TRIGRAM):
        assert _found(text) == [s for s in _scan(text) if s not in _pinyin_or_exact(text)], text


def _pinyin_or_exact(text: str) -> set[str]:
    """Products the search found by another tier (a code or pinyin) before the names."""
    return {h.sku for h in search.search(text, 1000) if h.matched != "name"}


def test_renamed_retired_and_removed_products_are_found_as_they_are(shop) -> None:
    boss = auth.authenticate("boss", "8888")
    products.create_product(ProductInput("A1", "可口可乐 330ml", "3.50", "13%",
                                         name_en="Coca-Cola"))
    products.create_product(ProductInput("A2", "百事可乐 330ml", "3.50", "13%"))
    assert _found("可口可") == ["A1"] and _found("coca-c") == ["A1"]
    editor.change_product(boss, "A1", editor.Changes(name="零度可乐 330ml", name_en="Coke Zero"))
    assert _found("可口可") == [] and _found("零度可") == ["A1"] and _found("coca") == []
    assert _found("ke zero") == ["A1"]
    editor.change_product(boss, "A2", editor.Changes(active=False))
    assert _found("百事可") == [] and _found("百事可", include_inactive=True) == ["A2"]
    gone = Product.get(Product.sku == "A2").id  # never done by the program; the index follows
    PriceChange.delete().where(PriceChange.product == gone).execute()
    Product.delete().where(Product.id == gone).execute()
    assert _found("百事可", include_inactive=True) == []


def test_a_bulk_import_and_its_renames_are_in_the_index(shop, tmp_path: Path) -> None:
    boss = auth.authenticate("boss", "8888")
    rows = "".join(f"B{i:04d},绿茶饮料{i:04d}号,Green tea {i:04d},3.00,13%\n" for i in range(300))
    path = tmp_path / "p.csv"
    path.write_text("sku,name,name_en,price,tax_rate\n" + rows, encoding="utf-8")
    assert import_products(path, boss).created == 300
    assert _found("茶饮料0123号") == ["B0123"] and len(_found("green tea")) == 300
    renamed = "".join(f"B{i:04d},红茶饮料{i:04d}号,Black tea {i:04d},3.00,13%\n"
                      for i in range(0, 300, 2))
    path.write_text("sku,name,name_en,price,tax_rate\n" + renamed, encoding="utf-8")
    import_products(path, boss)
    assert _found("茶饮料0124号") == ["B0124"] and _found("绿茶饮料0124") == []
    assert len(_found("black tea")) == 150 and len(_found("green tea")) == 150
    assert _found("green tea") == _scan("green tea")


def test_short_text_still_scans(shop) -> None:
    products.create_product(ProductInput("C1", "可乐", "3.00", "13%"))
    assert _found("可乐") == ["C1"] and _found("乐") == ["C1"]
    if search.name_index() == "fts5":  # the phrase of two characters has no trigram
        assert database.obj.execute_sql(
            "SELECT count(*) FROM product_name_fts WHERE product_name_fts MATCH '\"可乐\"'"
        ).fetchone()[0] == 0


@pytest.mark.parametrize("text", ['"', '""', "a\"b", "AND", "OR NOT", "*", "^abc", "a:b", "(x"])
def test_fts_syntax_in_the_query_is_text(shop, text: str) -> None:
    products.create_product(ProductInput("D1", f"特殊{text}商品", "3.00", "13%"))
    query = f"特殊{text}"
    assert _found(query) == _scan(query) == ["D1"]
