"""Migrations: a database made at the first version upgrades in place and keeps its data."""

from __future__ import annotations

from decimal import Decimal

from store import bootstrap
from store.core import schema
from store.core.db import connect, database
from store.models import Barcode, Product, StockLevel
from store.stock import inventory


def test_upgrade_from_the_first_migration_keeps_data(engine: str, tmp_path) -> None:
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import create_pg_database

        url = create_pg_database("zg_migr")
    connect(url)
    first = schema.status()[0].name
    assert schema.upgrade(first) == [first]
    assert [m.name for m in schema.status() if m.applied_at is None] == schema.pending()
    assert len(schema.pending()) >= 1
    # Fill the old schema the way version 1 would have: plain SQL on its tables.
    db = database.obj
    p = "?" if engine == "sqlite" else "%s"
    db.execute_sql(f'INSERT INTO "tax_rate" (code, name, name_en, rate_bp) VALUES ({p},{p},{p},{p})',
                   ("VAT13", "增值税13%", "VAT 13%", 1300))
    db.execute_sql(f'INSERT INTO "unit" (code, name, name_en, decimals) VALUES ({p},{p},{p},{p})',
                   ("pcs", "个", "pc", 0))
    db.execute_sql(
        'INSERT INTO "product" (sku, name, name_en, pinyin, initials, unit_id, price, tax_rate_id,'
        ' cost, stock_tracked, sold_by_weight, active, created_at, updated_at) VALUES '
        f"({p},{p},{p},{p},{p},1,{p},1,{p},{p},{p},{p},CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)",
        ("P1", "可口可乐", "Coke", "kekoukele", "kkkl", 350, 2000, True, False, True))
    db.execute_sql(f'INSERT INTO "barcode" (code, product_id, pack_qty) VALUES ({p},1,{p})',
                   ("6901234567892", 1000))
    applied = schema.upgrade()
    assert applied and schema.pending() == []
    product = Product.get(Product.sku == "P1")
    assert product.price == Decimal("3.50") and product.name == "可口可乐"
    assert Barcode.get(Barcode.product == product).code == "6901234567892"
    # ... and the new version's tables work with the old rows.
    from store.shops import org

    org.create_warehouse("STORE", "门店", "Shop floor")
    inventory.post_opening_stock("P1", "STORE", Decimal("5"))
    assert StockLevel.get(StockLevel.product == product).on_hand == Decimal("5")
    bootstrap.close_store()


def test_upgrade_twice_is_a_no_op(db) -> None:
    assert schema.upgrade() == []
    assert schema.head() == schema.status()[-1].name


def test_the_migrated_tables_are_the_models(db) -> None:
    """Every model's columns exist in the migrated database, and no table has a column the
    model does not know: a model changed without a migration fails here."""
    from store.models import ALL

    tables = set(database.obj.get_tables())
    for model in ALL:
        table = model._meta.table_name
        assert table in tables, table
        have = {c.name for c in database.obj.get_columns(table)}
        want = {f.column_name for f in model._meta.sorted_fields}
        assert have == want, (table, have ^ want)


def test_stock_made_before_costing_gets_its_value_on_upgrade(engine: str, tmp_path) -> None:
    """Migration 0010 values stock that existed before moving-average costing: qty (in
    thousandths) × cost (in ten-thousandths), to the cent."""
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import create_pg_database

        url = create_pg_database("zg_migr")
    connect(url)
    schema.upgrade("0009_login_lockout")
    db = database.obj
    p = "?" if engine == "sqlite" else "%s"
    db.execute_sql(f'INSERT INTO "tax_rate" (code, name, name_en, rate_bp) VALUES ({p},{p},{p},{p})',
                   ("VAT13", "增值税13%", "VAT 13%", 1300))
    db.execute_sql(f'INSERT INTO "unit" (code, name, name_en, decimals) VALUES ({p},{p},{p},{p})',
                   ("pcs", "个", "pc", 0))
    db.execute_sql(
        'INSERT INTO "product" (sku, name, name_en, pinyin, initials, unit_id, price, tax_rate_id,'
        ' cost, stock_tracked, sold_by_weight, active, created_at, updated_at) VALUES '
        f"({p},{p},{p},{p},{p},1,{p},1,{p},{p},{p},{p},CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)",
        ("P1", "可口可乐", "Coke", "kekoukele", "kkkl", 350, 205500, True, False, True))
    db.execute_sql(f'INSERT INTO "warehouse" (code, name, name_en, active, allow_negative) '
                   f'VALUES ({p},{p},{p},{p},{p})', ("STORE", "门店", "Shop", True, True))
    db.execute_sql(f'INSERT INTO "stock_level" (product_id, warehouse_id, on_hand) '
                   f'VALUES (1, 1, {p})', (48000,))
    db.execute_sql(
        'INSERT INTO "stock_move" (uuid, product_id, warehouse_id, qty, unit_cost, reason, '
        f'reference, created_at) VALUES ({p}, 1, 1, {p}, {p}, {p}, {p}, CURRENT_TIMESTAMP)',
        ("5f0c1e2a-0000-4000-8000-000000000001", 48000, 205500, "opening", "OLD"))
    schema.upgrade()
    from store.models import StockMove, StockValue

    assert StockValue.get().value == Decimal("986.40")  # 48 × 20.55
    assert StockMove.get().value == Decimal("986.40")
    bootstrap.close_store()
