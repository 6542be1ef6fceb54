"""`[database] read_url`: reports read from a real streaming replica (issue 18.3).

The test runs its own primary and a hot standby of it (tests/pgcluster.py): the shared test
server takes no replication connections. The replica's replay is paused to make it lag, and
the replica is stopped to make it go away — what an administrator would see.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from store import bootstrap
from store.catalog import products, search
from store.catalog.products import ProductInput
from store.common import clock
from store.core import reader
from store.core.db import database
from store.models import Sale
from store.reporting import export, reports
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops.setup import setup_shop
from store.stock import inventory
from tests import pgcluster
from tests.pgcluster import wait_until

D = Decimal
DAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[pgcluster.Cluster, pgcluster.Cluster]]:
    if pgcluster.bin_dir() is None:
        why = "the PostgreSQL server programs (initdb, pg_basebackup) are not installed"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {why} — the replica test must run", pytrace=False)
        pytest.skip(why)
    with pgcluster.primary_and_replica() as clusters:
        primary, _ = clusters
        with psycopg.connect(primary.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE shop")
        yield clusters


def _on(cluster: pgcluster.Cluster) -> str:
    return cluster.url.rsplit("/", 1)[0] + "/shop"


def _replica_sql(replica: pgcluster.Cluster, sql: str) -> object:
    with psycopg.connect(_on(replica), autocommit=True) as conn:
        return conn.execute(sql).fetchone()


@pytest.fixture(scope="module")
def chain(pair) -> Iterator[tuple[pgcluster.Cluster, pgcluster.Cluster, int]]:
    """A shop on the primary with one till and one product; the cashier's id."""
    primary, replica = pair
    bootstrap.open_store(_on(primary), upgrade=True)
    setup_shop("测试商店", name_en="Test Shop", owner="boss", owner_pin="8888")
    products.create_product(ProductInput("COKE", "可口可乐 330ml", "3.50", "13%", cost="2.10"))
    inventory.post_opening_stock("COKE", "STORE", "1000")
    cashier = auth.create_user("ann", "cashier", pin="1234")
    with clock.at(clock.local_moment(DAY, dt.time(9))):
        sales.open_shift("T1", cashier.id, "200.00")
    bootstrap.close_store()
    yield primary, replica, cashier.id


@pytest.fixture
def on_chain(chain) -> Iterator[tuple[pgcluster.Cluster, pgcluster.Cluster, int]]:
    """The chain's store opened for this test (others in this process open their own)."""
    bootstrap.open_store(_on(chain[0]))
    yield chain
    reader.use_replica("")
    bootstrap.close_store()


def _sell(cashier: int, qty: str = "1") -> str:
    b = Basket()
    b.add(search.lookup_code("COKE"), D(qty))
    with clock.at(clock.local_moment(DAY, dt.time(10))):
        return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                               cashier_id=cashier).number


def _caught_up(replica: pgcluster.Cluster, receipts: int) -> bool:
    return _replica_sql(replica, "SELECT count(*) FROM sale")[0] == receipts  # type: ignore[index]


def test_reports_read_the_replica_say_when_it_lags_and_fall_back_when_it_stops(on_chain) -> None:
    _, replica, cashier = on_chain
    reader.use_replica(_on(replica), max_lag_s=1)
    _sell(cashier)
    wait_until(lambda: _caught_up(replica, 1))

    # Caught up: the report comes from the replica and has nothing to say about it.
    assert reports.daily(DAY).sales == 1
    assert reader.last_read() == reader.ReadFrom(True) and reader.note() == ""

    # The replica stops replaying (as under a long query or a slow disk): the report still
    # comes from it — without the sale made since — and says how far behind it is.
    _replica_sql(replica, "SELECT pg_wal_replay_pause()")
    try:
        threading.Event().wait(1.3)  # past the 1 s bound
        _sell(cashier, "2")
        assert Sale.select().count() == 2  # the till writes to the primary
        r = reports.daily(DAY)
        assert r.sales == 1, "read from the replica, which has not replayed the second sale"
        seen = reader.last_read()
        assert seen is not None and seen.replica and seen.stale and seen.behind_s >= 1.3
        assert "behind the primary" in reader.note()
        table = export.table("daily", export.Params(DAY, DAY))
        assert reader.last_read().stale and table.rows  # exports read there too
    finally:
        _replica_sql(replica, "SELECT pg_wal_replay_resume()")
    wait_until(lambda: _caught_up(replica, 2))
    assert reports.daily(DAY).sales == 2 and reader.note() == ""

    # The replica goes away: the report is read from the primary and says why.
    replica.stop()
    try:
        r = reports.daily(DAY)
        assert r.sales == 2
        seen = reader.last_read()
        assert seen is not None and not seen.replica and seen.passed_over
        assert "did not answer" in reader.note()
        assert "port" not in reader.note() and len(reader.note()) < 120  # fits a status line
        # Passed over for a while: the next report does not wait on it again.
        assert reports.dashboard(DAY).today.sales == 2 and not reader.last_read().replica
    finally:
        replica.start()


def test_only_the_reading_thread_is_routed_and_a_write_there_is_an_error(on_chain) -> None:
    _, replica, cashier = on_chain
    reader.use_replica(_on(replica), max_lag_s=30)
    seen: dict[str, object] = {}
    inside = threading.Event()
    go_on = threading.Event()

    def standby() -> bool:
        return bool(database.obj.execute_sql("SELECT pg_is_in_recovery()").fetchone()[0])

    @reader.from_replica
    def slow_report() -> bool:
        inside.set()
        go_on.wait(10)  # the till sells while this thread is routed to the replica
        return standby()

    worker = threading.Thread(target=lambda: seen.update(report_on_standby=slow_report()))
    worker.start()
    assert inside.wait(10)
    seen["till_on_standby"] = standby()
    seen["sale"] = _sell(cashier)  # this thread: the primary, or the write would fail
    go_on.set()
    worker.join(10)
    assert seen["report_on_standby"] is True and seen["till_on_standby"] is False
    assert str(seen["sale"]).startswith("T1-")
    assert not database.routed()

    @reader.from_replica
    def writes() -> None:
        Sale.update(number=Sale.number).execute()

    with pytest.raises(Exception, match="read-only"):
        writes()  # never silently run again on the primary: a write here is a bug
    assert reader.last_read() is not None


def test_a_report_inside_a_transaction_reads_the_primary(on_chain) -> None:
    _, replica, cashier = on_chain
    reader.use_replica(_on(replica), max_lag_s=30)
    with database.atomic():
        number = _sell(cashier)
        # The sale is not committed: only the primary's own transaction sees it.
        assert reports.daily(DAY).sales == Sale.select().count()
        assert Sale.get(Sale.number == number)


def test_a_replica_needs_postgresql(tmp_path: Path) -> None:
    from store.core.errors import StoreError

    bootstrap.open_store(f"sqlite:///{tmp_path / 'x.db'}", upgrade=True)
    try:
        with pytest.raises(StoreError, match="needs PostgreSQL"):
            reader.use_replica("postgresql://postgres@127.0.0.1:1/x")
    finally:
        bootstrap.close_store()


def test_the_cli_says_how_stale_a_report_is(on_chain, tmp_path: Path, capsys) -> None:
    from tui.cli.main import main

    primary, replica, cashier = on_chain
    cfg = tmp_path / "zhanggui.toml"
    cfg.write_text(f'[database]\nurl = "{_on(primary)}"\nread_url = "{_on(replica)}"\n'
                   'read_max_lag_s = 1\n')
    receipts = Sale.select().count()
    wait_until(lambda: _caught_up(replica, receipts))
    _replica_sql(replica, "SELECT pg_wal_replay_pause()")
    try:
        threading.Event().wait(1.3)
        _sell(cashier)
        assert main(["--config", str(cfg), "report", "daily", "--date", DAY.isoformat(),
                     "--json"]) == 0
        out = capsys.readouterr()
        assert f'"sales": {receipts}' in out.out  # the replica's figures, without the last sale
        assert "behind the primary" in out.err
    finally:
        _replica_sql(replica, "SELECT pg_wal_replay_resume()")
    wait_until(lambda: _caught_up(replica, receipts + 1))
    assert main(["--config", str(cfg), "report", "daily", "--date", DAY.isoformat()]) == 0
    assert capsys.readouterr().err == ""


def test_the_configuration_takes_a_postgresql_replica_only() -> None:
    from store.core import config
    from store.core.errors import ConfigError

    cfg = config.parse({"database": {"read_url": "postgresql://r@10.0.0.6/shop",
                                     "read_max_lag_s": 5}}, "t.toml")
    assert cfg.database.read_url.endswith("/shop") and cfg.database.read_max_lag_s == 5
    with pytest.raises(ConfigError, match="read_url"):
        config.parse({"database": {"read_url": "sqlite:///x.db"}}, "t.toml")
    with pytest.raises(ConfigError, match="read_max_lag_s"):
        config.parse({"database": {"read_max_lag_s": 0}}, "t.toml")
