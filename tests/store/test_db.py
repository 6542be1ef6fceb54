"""The database layer: engine settings, the unit of work, retries, connection errors."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

import pytest
from peewee import SqliteDatabase

from store import bootstrap
from store.catalog import products
from store.core.db import connect, database, is_retryable, mask_url, sqlite_path, unit_of_work
from store.core.errors import DatabaseUnavailable, StoreError, ValidationError
from store.models import Product, TaxRate


def test_sqlite_settings(tmp_path) -> None:
    db = bootstrap.open_store(f"sqlite:///{tmp_path / 'pragmas.db'}", upgrade=True)
    assert isinstance(db, SqliteDatabase)
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    assert db._lock_type == "IMMEDIATE"
    bootstrap.close_store()


def test_unit_of_work_rolls_back_everything(shop) -> None:
    @unit_of_work
    def two_products_then_fail() -> None:
        for sku in ("A1", "A2"):
            products.create_product(products.ProductInput(sku=sku, name=sku, price="1",
                                                        tax_rate="13%"))
        raise ValidationError("boom", field="x", value=None)

    with pytest.raises(ValidationError):
        two_products_then_fail()
    assert Product.select().count() == 0


def test_nested_units_join_the_outer_transaction(shop) -> None:
    @unit_of_work
    def outer() -> None:
        products.create_product(products.ProductInput(sku="B1", name="b", price="1",
                                                    tax_rate="13%"))
        assert database.obj.transaction_depth() == 1
        raise ValidationError("after the inner unit committed?", field="x", value=None)

    with pytest.raises(ValidationError):
        outer()
    assert not Product.select().where(Product.sku == "B1").exists()


def test_deadlock_is_retried(shop, engine: str) -> None:
    """Two threads lock two rows in opposite order: PostgreSQL kills one (40P01) and the
    unit of work retries it, so both actions complete. On SQLite writers serialize."""
    ids = [t.id for t in TaxRate.select().order_by(TaxRate.id).limit(2)]
    barrier = threading.Barrier(2, timeout=10)
    attempts = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def make(name: str, first: int, second: int):
        @unit_of_work
        def action() -> None:
            attempts[name] += 1
            TaxRate.update(name=TaxRate.name.concat("")).where(TaxRate.id == first).execute()
            if attempts[name] == 1:
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
            TaxRate.update(name=TaxRate.name.concat("")).where(TaxRate.id == second).execute()

        def run() -> None:
            try:
                action()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                database.obj.close()

        return run

    if engine == "sqlite":
        barrier = threading.Barrier(1)  # IMMEDIATE writers cannot interleave: no deadlock
    threads = [threading.Thread(target=make("a", ids[0], ids[1])),
               threading.Thread(target=make("b", ids[1], ids[0]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not [t for t in threads if t.is_alive()]  # a hung writer is a failure, not a pass
    assert errors == []
    if engine == "postgresql":
        assert attempts["a"] + attempts["b"] >= 3  # one of them was retried


def test_retryable_detection() -> None:
    class FakePg(Exception):
        sqlstate = "40001"

    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = FakePg()
    assert is_retryable(wrapped)
    assert not is_retryable(RuntimeError("other"))


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        connect("postgresql://nobody:secret@127.0.0.1:1/nowhere?connect_timeout=2")
    text = str(err.value)
    assert "127.0.0.1:1" in text and "secret" not in text and "***" in text


def test_unsupported_url() -> None:
    with pytest.raises(DatabaseUnavailable, match="mysql"):
        connect("mysql://localhost/x")


def test_outdated_schema_is_refused(tmp_path) -> None:
    from store.core import schema
    from store.core.db import connect

    url = f"sqlite:///{tmp_path / 'old.db'}"
    connect(url)
    schema.upgrade(schema.status()[0].name)  # a shop made by the first version
    bootstrap.close_store()
    with pytest.raises(StoreError, match="zhanggui db upgrade"):
        bootstrap.open_store(url)
    bootstrap.open_store(url, upgrade=True)  # and upgrading fixes it
    bootstrap.close_store()


def test_url_helpers() -> None:
    assert sqlite_path("sqlite:////abs/x.db") == "/abs/x.db"
    assert sqlite_path("sqlite:///rel.db") == "rel.db"
    assert mask_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


def test_sums_in_sql_come_back_as_decimal(shop) -> None:
    from store.core.fields import from_scaled, scaled_sum

    for sku, price in (("S1", "1.10"), ("S2", "2.20"), ("S3", "0.05")):
        products.create_product(products.ProductInput(sku=sku, name=sku, price=price,
                                                    tax_rate="13%"))
    raw = Product.select(scaled_sum(Product.price)).scalar()
    total = from_scaled(Product.price, raw)
    assert total == Decimal("3.35") and isinstance(total, Decimal)


@pytest.mark.pg_only
def test_postgresql_plans_each_query_for_its_own_values(db) -> None:
    """A prepared name search planned once for "any text" scans every name of a big catalog
    instead of taking the trigram index (docs/BENCHMARKS.md): each execution is planned for
    its values (SQLite always does)."""
    from store.core.db import database

    assert database.obj.execute_sql("SHOW plan_cache_mode").fetchone()[0] == (
        "force_custom_plan")
