"""The one database: opened by URL, SQLite or PostgreSQL, and the unit of work around each action."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from peewee import (
    SQL,
    Database,
    DatabaseProxy,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)
from peewee import (
    DatabaseError as PeeweeDatabaseError,
)
from playhouse.shortcuts import ReconnectMixin

from store.core import files
from store.core.errors import DatabaseUnavailable, StoreError, ValidationError
from store.core.i18n import _

log = logging.getLogger(__name__)


class _RedactParameters(logging.Filter):
    """peewee logs every query with its parameters at DEBUG: a phone typed into a search, a
    card reference. Keep the SQL, drop the values, whoever turns the level up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            record.msg = (sql, ["…"] * len(params or ()))
        return True


logging.getLogger("peewee").addFilter(_RedactParameters())


class RoutedProxy(DatabaseProxy):
    """The models' database: the primary, or — for one thread reading a report — the read
    replica (store/core/reader.py). Thread by thread, because the till's writes on another
    thread of the same process must never be sent to a read-only server."""

    __slots__ = ("_here", "_primary")

    def __init__(self) -> None:
        object.__setattr__(self, "_here", threading.local())
        super().__init__()

    def __setattr__(self, attr: str, value: Any) -> None:
        object.__setattr__(self, "_primary" if attr == "obj" else attr, value)

    @property  # type: ignore[override]
    def obj(self) -> Any:
        routed = getattr(self._here, "db", None)
        return self._primary if routed is None else routed

    @property
    def primary(self) -> Any:
        return self._primary

    def route(self, db: Database | None) -> None:
        """Send this thread's queries to `db` (None: back to the primary)."""
        self._here.db = db

    def routed(self) -> bool:
        return getattr(self._here, "db", None) is not None


database = RoutedProxy()

# A power cut after the customer got a receipt must not lose the sale: synchronous=FULL.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -64000,  # 64 MB page cache; scans of a 1M catalog fit
    "temp_store": "memory",
}

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
MAX_ATTEMPTS = 5


def mask_url(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def engine_of(url: str) -> str:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    raise DatabaseUnavailable(
        _("Unsupported database URL '{url}': use sqlite:///PATH or postgresql://USER@HOST/DB").format(
            url=mask_url(url)))


def sqlite_path(url: str) -> str:
    """sqlite:///relative.db → relative.db; sqlite:////abs/x.db → /abs/x.db; :memory: kept."""
    rest = url.split(":", 1)[1]
    if not rest.startswith("//"):
        raise DatabaseUnavailable(
            _("Malformed SQLite URL '{url}': expected sqlite:///PATH").format(url=url))
    path = unquote(rest[3:] if rest.startswith("///") else rest[2:])
    return path.split("?", 1)[0] or ":memory:"


def open_database(url: str) -> Database:
    """Build (not connect) the peewee Database for a URL; connection errors surface on first use."""
    engine = engine_of(url)
    if engine == "sqlite":
        path = sqlite_path(url)
        if path != ":memory:":
            file = Path(path).expanduser()
            file.parent.mkdir(parents=True, exist_ok=True)
            if not file.exists():
                # Customers' data lives here: owner-only from the start. SQLite gives its WAL
                # and SHM files the database file's mode.
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            files.protect_database(file)
            path = str(file)
        # Writers begin IMMEDIATE so two tills never both read then fail to upgrade their lock.
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE",
                              check_same_thread=False)
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    params: dict[str, Any] = {
        "host": parts.hostname or None,
        "port": parts.port or None,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "connect_timeout": int(query.pop("connect_timeout", 5)),
        # psycopg prepares a statement run five times; PostgreSQL may then plan it once for
        # any parameters. A name search planned for "any text" reads every name of a 1M
        # catalog (1.3 s) where the text's own plan takes the trigram index (8 ms,
        # docs/BENCHMARKS.md): plan each execution for its values.
        "options": query.pop("options", "-c plan_cache_mode=force_custom_plan"),
        **query,
    }
    name = unquote(parts.path.lstrip("/")) or "zhanggui"
    # One connection per thread of this process (peewee is thread-local); the TUI runs a few
    # worker threads, so a pool would save little and hide leaks.
    return ShopPostgres(name, prefer_psycopg3=True,
                        **{k: v for k, v in params.items() if v is not None})


class ShopPostgres(ReconnectMixin, PostgresqlDatabase):  # type: ignore[misc]
    """Reconnects when the server went away between statements (a restart, a dropped
    network): the till's next scan just works. Never inside a transaction: that one fails
    whole, and the user's retry (idempotent for a sale) runs it again on a fresh connection."""

    reconnect_errors = (
        (OperationalError, "terminating connection"),
        (OperationalError, "the connection is closed"),
        (OperationalError, "server closed the connection"),
        (OperationalError, "consuming input failed"),
        (InterfaceError, "connection already closed"),
        (InterfaceError, "the connection is closed"),
    )

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        # PostgreSQL refuses a NUL in any text, even one only looked up ("\x00" typed into
        # a code box): said as bad input, as SQLite's answer (nothing found) would be, never
        # a DataError from the driver.
        for value in params or ():
            if isinstance(value, str) and "\x00" in value:
                shown = value.replace("\x00", "\\0")[:40]  # the value as the message says it
                raise ValidationError(_("'{value}' holds a NUL character (U+0000)").format(
                    value=shown), field=None, value=shown)
        return super().execute_sql(sql, params, *args, **kwargs)


def connect(url: str) -> Database:
    """Open the database for `url`, bind the models to it and check that it answers."""
    db = open_database(url)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
    except (OperationalError, InterfaceError, PeeweeDatabaseError, OSError) as exc:
        raise DatabaseUnavailable(
            _("Cannot connect to the database {url}: {reason}").format(
                url=mask_url(url), reason=str(exc).strip().splitlines()[0] if str(exc) else exc)
        ) from exc
    return db


def is_postgres(db: Database | None = None) -> bool:
    target = db if db is not None else database.obj
    return isinstance(target, PostgresqlDatabase)


def sqlstate(exc: BaseException) -> str | None:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        state = getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)
        if state:
            return str(state)
        stack.extend([e.__cause__, e.__context__])
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
    return None


def is_retryable(exc: BaseException) -> bool:
    """A serialization failure or deadlock (PostgreSQL), or a locked SQLite database."""
    if sqlstate(exc) in RETRYABLE_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


# What a database that stops answering raises, for the screens that must catch it.
DATABASE_FAULTS: tuple[type[Exception], ...] = (PeeweeDatabaseError, InterfaceError,
                                                OperationalError, DatabaseUnavailable, OSError)


def drop_dead_connection(db: Database) -> None:
    """A server restart or a dropped network leaves this thread holding a dead connection;
    close it, so the user's next try opens a fresh one instead of failing forever."""
    if not isinstance(db, PostgresqlDatabase) or db.is_closed():
        return
    if not db.is_connection_usable():
        try:
            db.close()
        except (OperationalError, InterfaceError, PeeweeDatabaseError):
            db._state.reset()  # type: ignore[attr-defined]  # the socket is gone: forget it


P = ParamSpec("P")
R = TypeVar("R")


def _before_failed_rollback(exc: BaseException) -> BaseException:
    """SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error);
    the rollback that follows then fails with "no transaction is active" and would hide the
    reason. The reason is the error that came first."""
    if "no transaction is active" not in str(exc):
        return exc
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if "no transaction is active" not in str(e):
            return e
        e = e.__cause__ or e.__context__
    return exc


def unit_of_work(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a use case as one transaction: commit on return, roll back on error.

    On PostgreSQL serialization failures and deadlocks the whole action is retried (at most
    MAX_ATTEMPTS, with jittered backoff). Called inside another unit of work, it joins it, so
    actions compose into one transaction. Nothing with side effects belongs inside.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        db = database.obj
        if db.transaction_depth() > 0:
            return fn(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with db.atomic():
                    return fn(*args, **kwargs)
            except StoreError as exc:
                if exc.after_rollback is not None:
                    try:
                        exc.after_rollback()
                    except Exception:  # the refusal stands even if its record cannot be kept
                        log.exception("could not record %s after the rollback", type(exc).__name__)
                raise
            except (OperationalError, InterfaceError, PeeweeDatabaseError) as exc:
                drop_dead_connection(db)
                cause = _before_failed_rollback(exc)
                if cause is not exc:
                    raise cause from None
                if attempt == MAX_ATTEMPTS or not is_retryable(exc):
                    raise
                delay = min(0.5, 0.01 * 2**attempt) * (0.5 + random.random())
                log.info("retrying %s after %s (attempt %d)", fn.__name__, exc, attempt)
                time.sleep(delay)
        raise AssertionError("unreachable")

    return wrapper


def bulk_insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows (all with the same fields, by field name) with one prepared statement run
    by the driver's executemany, in the caller's transaction. peewee's insert_many writes the
    SQL text value by value (~10 µs each), which dominates imports of tens of thousands of
    rows; the values here still go through each field's db_value (cents, scaled quantities)."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.fields[n] for n in names]
    defaults = [f for f in model._meta.sorted_fields
                if f.name not in names and f.default is not None]
    fields += defaults  # what insert_many would fill in: the fields' defaults
    given = [(f.db_value, n) for f, n in zip(fields, names, strict=False)]

    def filled() -> list[Any]:  # per row: a callable default (a UUID) differs row by row
        return [f.db_value(f.default() if callable(f.default) else f.default)
                for f in defaults]

    params = [tuple([*[convert(r[n]) for convert, n in given], *filled()]) for r in rows]
    insert_rows(model._meta.table_name, [f.column_name for f in fields], params)


FEW_ROWS = 50  # on PostgreSQL, fewer rows than this go in by one INSERT rather than COPY


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Raw rows (database values) into a table, in the caller's transaction: by COPY on
    PostgreSQL — one stream instead of a statement per row: 425,000 rows of a 100,000-product
    import went in 26 s by executemany (docs/BENCHMARKS.md) — and by executemany on SQLite,
    or for a table with triggers in one INSERT … SELECT from a temporary table (_staged)."""
    if not rows:
        return
    db = database.obj
    cols = ", ".join(f'"{c}"' for c in columns)
    if is_postgres() and len(rows) <= FEW_ROWS:
        # COPY takes two round trips before its first row; a sale's few stock moves and
        # seals go in one statement instead.
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        db.cursor().execute(f'INSERT INTO "{table}" ({cols}) VALUES '
                            + ", ".join([one] * len(rows)), [v for row in rows for v in row])
        return
    if is_postgres():
        with db.cursor().copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    if _has_triggers(table):
        _staged(table, cols, rows, f'INSERT INTO "{{table}}" ({cols}) SELECT {cols} FROM {{stage}}')
        return
    marks = ", ".join(["?"] * len(columns))
    db.cursor().executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


def _has_triggers(table: str) -> bool:
    """Whether a SQLite table has triggers (the product names' FTS5 index, migration 0031)."""
    db = database.obj
    known = _triggers.setdefault(db, {})
    if table not in known:
        known[table] = bool(db.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,)).fetchone())
    return known[table]


# Per database object (never its id, which the next database may be given).
_triggers: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()
SCHEMA_CACHES: list[Callable[[], None]] = [_triggers.clear]  # emptied by a migration


def _staged(table: str, columns: str, params: Sequence[tuple[Any, ...]], apply: str) -> None:
    """Rows written to a table with triggers in one statement from a temporary table. Row by
    row, each statement fires the triggers in a statement transaction of its own, and FTS5
    writes its index at every one: 100,000 products took 10 s instead of 0.8."""
    db = database.obj
    stage = f'temp."stage_{table}"'
    db.execute_sql(f"DROP TABLE IF EXISTS {stage}")
    db.execute_sql(f'CREATE TEMP TABLE "stage_{table}" AS SELECT {columns} FROM "{table}" '
                   "WHERE 0")
    marks = ", ".join(["?"] * len(params[0]))
    db.cursor().executemany(f"INSERT INTO {stage} VALUES ({marks})", params)
    db.execute_sql(apply.format(table=table, stage=stage))
    db.execute_sql(f"DROP TABLE {stage}")


def update_one(model: Any, changes: dict[Any, Any], where: Any, *fields: Any
               ) -> tuple[Any, ...] | None:
    """Update one row and read `fields` of it back: in one round trip on PostgreSQL (UPDATE …
    RETURNING), the UPDATE then a SELECT on SQLite (RETURNING needs SQLite 3.35). None: no
    such row. The UPDATE locks the row to the end of the caller's transaction."""
    query = model.update(changes).where(where)
    if is_postgres():
        rows = list(query.returning(*fields).tuples().execute())
        return rows[0] if rows else None
    if not query.execute():
        return None
    return model.select(*fields).where(where).tuples().first()


def among(column: str, values: Sequence[object]) -> SQL:
    """`column IN (…)` as one SQL node holding its values: peewee builds an IN list node by
    node (~6 µs a value), a tenth of a 100,000-row import spent writing 500-value lookups.
    `column` is SQL text the caller writes ('LOWER("sku")'), never user input."""
    marks = ", ".join([database.obj.param] * len(values))
    return SQL(f"{column} IN ({marks})", list(values))


def bulk_update(model: Any, rows: list[dict[str, Any]]) -> None:
    """Update rows by id (each dict holds "id" and the same other fields) with one prepared
    statement run by executemany, in the caller's transaction: an import changing 100,000
    prices spends its time in the database, not building 100,000 queries in Python."""
    if not rows:
        return
    names = [n for n in rows[0] if n != "id"]
    fields = [model._meta.fields[n] for n in names]
    db = database.obj
    assignments = ", ".join(f'"{f.column_name}" = {db.param}' for f in fields)
    sql = f'UPDATE "{model._meta.table_name}" SET {assignments} WHERE "id" = {db.param}'
    params = [tuple([*(f.db_value(r[n]) for f, n in zip(fields, names, strict=True)), r["id"]])
              for r in rows]
    table = model._meta.table_name
    if not is_postgres() and _has_triggers(table):
        columns = ", ".join([*(f'"{f.column_name}"' for f in fields), '"id"'])
        sets = ", ".join(f'"{f.column_name}" = s."{f.column_name}"' for f in fields)
        _staged(table, columns, params, f'UPDATE "{{table}}" SET {sets} FROM {{stage}} AS s '
                f'WHERE "{{table}}"."id" = s."id"')
        return
    db.cursor().executemany(sql, params)


def prefer_indexes() -> None:
    """For the rest of this transaction, on PostgreSQL, look rows up by index. A bulk import
    asks for 500 SKUs at a time by LOWER(sku); until the table is analyzed (a new shop, or the
    rows this very import inserted), the planner has no statistics for that expression, guesses
    that the 500 values match most of the table and scans all of it — 100,000 products took
    100 s to import instead of 15 (docs/BENCHMARKS.md). SQLite plans by index anyway."""
    if is_postgres() and database.obj.in_transaction():
        database.obj.execute_sql("SET LOCAL enable_seqscan = off")


@contextlib.contextmanager
def lean_cache(megabytes: int = 8) -> Iterator[None]:
    """A bulk import's connection with a small page cache, on SQLite. An import touches each
    page once; the 64 MB cache the tills' lookups want only filled with pages it never reads
    again (100,000 products: 200 MB resident, 136 MB with 8 MB). The size comes back after,
    on this connection (each thread has its own)."""
    if is_postgres():
        yield
        return
    database.obj.execute_sql(f"PRAGMA cache_size = {-1000 * megabytes}")
    try:
        yield
    finally:
        database.obj.execute_sql(f"PRAGMA cache_size = {SQLITE_PRAGMAS['cache_size']}")


@contextlib.contextmanager
def reading_by_index() -> Iterator[None]:
    """A long read that should look rows up by index (see prefer_indexes): a transaction of
    its own on PostgreSQL; nothing on SQLite, where a transaction would take the write lock
    (writers begin IMMEDIATE) and hold the tills for the whole read."""
    if not is_postgres():
        yield
        return
    with database.obj.atomic():
        prefer_indexes()
        yield
