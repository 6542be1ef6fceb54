"""Fixtures: a fresh migrated database on each engine, the demo shop, the language, Decimal traps.

Store tests take `db` (or `shop`, `demo`) and run once on SQLite and once on PostgreSQL. The
PostgreSQL URL comes from ZHANGGUI_TEST_PG_URL, else a local server at 127.0.0.1:5432 if one
answers; without one the PostgreSQL cases are skipped with the reason shown by `-ra`.
"""

from __future__ import annotations

import decimal
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from store import bootstrap
from store.core import i18n, schema
from store.core.db import connect, database

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"

# Customers' personal data is sealed with a key file; the tests use one of their own, made on
# first use (mode 0600) in a directory that lives as long as the run.
if not os.environ.get("ZHANGGUI_KEY_FILE"):
    import tempfile

    os.environ["ZHANGGUI_KEY_FILE"] = str(Path(tempfile.mkdtemp(prefix="zg-keys-")) / "test.key")
# And the user data directory (an offline till's copy and outbox live there): never the
# real one of whoever runs the tests.
if not os.environ.get("ZHANGGUI_DATA_DIR"):
    import tempfile

    os.environ["ZHANGGUI_DATA_DIR"] = tempfile.mkdtemp(prefix="zg-data-")
# The shop's days are the machine's zone's unless a test sets one. The run takes a zone in
# which it is now about noon: one started at 23:56 UTC must not cross the shop's midnight
# mid-test (a shift opened before it is "from an earlier day" after it, and refuses sales).
# ZHANGGUI_TEST_TZ=Etc/GMT-14 runs the tests in that zone instead (xdist's workers inherit it).
_ZONE = os.environ.get("ZHANGGUI_TEST_TZ")
if not _ZONE:
    import datetime as _dt

    _offset = (12 - _dt.datetime.now(_dt.UTC).hour) % 24
    _offset -= 24 if _offset > 14 else 0
    _ZONE = f"Etc/GMT{-_offset:+d}"  # Etc/GMT-8 is UTC+8
os.environ["ZHANGGUI_TEST_TZ"] = os.environ["TZ"] = _ZONE
time.tzset()
ENGINES = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _strict_decimal_and_language() -> Iterator[None]:
    """Trap any float mixed into Decimal arithmetic, and start every test in English."""
    ctx = decimal.getcontext()
    old = ctx.traps[decimal.FloatOperation]
    ctx.traps[decimal.FloatOperation] = True
    decimal.DefaultContext.traps[decimal.FloatOperation] = True  # worker threads too
    i18n.set_language("en")
    yield
    ctx.traps[decimal.FloatOperation] = old
    i18n.set_language("en")


def _pg_admin_url() -> tuple[str | None, str]:
    url = os.environ.get("ZHANGGUI_TEST_PG_URL") or DEFAULT_PG
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means: no PostgreSQL here
        source = "ZHANGGUI_TEST_PG_URL" if os.environ.get("ZHANGGUI_TEST_PG_URL") else DEFAULT_PG
        return None, f"PostgreSQL not reachable ({source}): {str(exc).splitlines()[0]}"
    return url, ""


_PG_STATE: dict[str, object] = {}


def pg_admin() -> tuple[str | None, str]:
    if "url" not in _PG_STATE:
        _PG_STATE["url"], _PG_STATE["why"] = _pg_admin_url()
    return _PG_STATE["url"], _PG_STATE["why"]  # type: ignore[return-value]


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def create_pg_database(prefix: str = "zg_test") -> str:
    """A new empty PostgreSQL database; dropped at the end of the session."""
    import psycopg

    admin, why = pg_admin()
    if admin is None:
        _no_pg(why)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _PG_STATE.setdefault("created", []).append(name)  # type: ignore[union-attr]
    return _with_dbname(admin, name)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _PG_SKIPPED and _pg_required():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    created = _PG_STATE.get("created") or []
    if not created:
        return
    import psycopg

    bootstrap.close_store()
    with psycopg.connect(str(_PG_STATE["url"]), autocommit=True) as conn:
        for name in created:  # type: ignore[union-attr]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    connect(f"sqlite:///{path}")
    schema.upgrade()
    database.obj.close()
    return path


@pytest.fixture(scope="session")
def _pg_migrated() -> str:
    url = create_pg_database()
    connect(url)
    schema.upgrade()
    database.obj.close()
    return url


def _empty_all() -> None:
    """Every table empty and every sequence back at 1, as a new database has them: the few
    tables the last test filled (found in one query) emptied by DELETE with the foreign keys'
    triggers off (replica role), not a TRUNCATE of all ~90 tables, which cost 0.2 s a test."""
    db = database.obj
    tables = [t for t in db.get_tables() if t != schema.HISTORY_TABLE]
    full = [row[0] for row in db.execute_sql(" UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)).fetchall()]
    if full:
        db.execute_sql("SET session_replication_role = replica")
        try:
            for table in full:
                db.execute_sql(f'DELETE FROM "{table}"')
        finally:
            db.execute_sql("SET session_replication_role = DEFAULT")
    used = [row[0] for row in db.execute_sql(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
        "WHERE last_value IS NOT NULL AND sequencename NOT LIKE %s",
        (f"{schema.HISTORY_TABLE}%",)).fetchall()]
    if used:
        db.execute_sql("SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in used))


def _pg_required() -> bool:
    """In CI (`CI` set, as .ci/run does) a PostgreSQL case that does not run is a failure:
    a green run must mean both engines were tested."""
    return bool(os.environ.get("CI"))


def _no_pg(why: str) -> None:
    if _pg_required():
        pytest.fail(f"CI: {why} — every PostgreSQL case must run", pytrace=False)
    pytest.skip(why)


_PG_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "[postgresql" in report.nodeid:
        _PG_SKIPPED.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _PG_SKIPPED and _pg_required():
        terminalreporter.section("PostgreSQL cases skipped in CI: a failure", red=True)
        for nodeid in _PG_SKIPPED:
            terminalreporter.write_line(nodeid)


def _engine_of(item: pytest.Item) -> str | None:
    spec = getattr(item, "callspec", None)
    return spec.params.get("engine") if spec is not None else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Which engines a test runs on. Store tests: both. A test marked pg_only: PostgreSQL
    only (it tests what only a server does). Screen tests (tests/tui): SQLite, plus
    PostgreSQL for those marked both_engines — a screen calls the same store code on either
    engine, and the store tests already prove that code on both."""
    def keep(item: pytest.Item) -> bool:
        engine = _engine_of(item)
        if engine is None:
            return True
        if item.get_closest_marker("pg_only"):
            return engine == "postgresql"
        if item.get_closest_marker("sqlite_only"):
            return engine == "sqlite"
        if engine == "postgresql" and "/tests/tui/" in str(item.path).replace("\\", "/"):
            return item.get_closest_marker("both_engines") is not None
        return True

    items[:] = [item for item in items if keep(item)]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        admin, why = pg_admin()
        if admin is None:
            _no_pg(why)
    return request.param


@pytest.fixture
def db_url(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database at the head migration, on this test's engine."""
    if engine == "sqlite":
        template = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "store.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("_pg_migrated")
        connect(url)
        _empty_all()
        yield url
    bootstrap.close_store()


@pytest.fixture
def db(db_url: str):
    """An open, empty, migrated store on the test's engine."""
    return bootstrap.open_store(db_url)


@pytest.fixture
def shop(db):
    """A set-up shop with no products: tax rates, units, warehouses, tenders and an owner."""
    from store.shops.setup import setup_shop

    setup_shop("测试商店", name_en="Test Shop", owner="boss", owner_pin="8888")
    from store.catalog import products

    products.create_category("DRINK", "饮料", "Beverages")
    return db


DEMO_PRODUCTS = 400


@pytest.fixture(scope="session")
def _demo_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"}


@pytest.fixture
def demo(engine: str, _demo_urls: dict[str, str]) -> Iterator[str]:
    """The demo shop (400 products), built once per engine and session. Read it, don't change it."""
    if engine not in _demo_urls:
        _demo_urls[engine] = create_pg_database("zg_demo")
    url = _demo_urls[engine]
    bootstrap.ensure_demo(url, products=DEMO_PRODUCTS, history_days=0)
    yield url
    bootstrap.close_store()
