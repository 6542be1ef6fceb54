"""The composition root: open the database a configuration names, upgraded or checked current.

The CLI, the Textual app and the tests all start here, so they run the same code.
"""

from __future__ import annotations

from pathlib import Path

from peewee import Database

from store.core import files, reader, schema
from store.core.db import connect, database, engine_of, is_postgres, sqlite_path
from store.core.errors import StoreError
from store.core.i18n import _
from store.demo.history import DEFAULT_DAYS
from store.demo.shop import DEFAULT_PRODUCTS, Progress, build_demo
from store.security import crypto
from store.shops.setup import is_set_up


def open_store(url: str, *, upgrade: bool = False, read_url: str = "",
               read_max_lag_s: float = 30.0) -> Database:
    """Connect to `url`; apply pending migrations when asked, else refuse an outdated schema.
    A key file that others can read is refused before anything opens. With `read_url` (a
    streaming replica) the reports read there (store/core/reader.py)."""
    files.protect(crypto.key_path(), "key")
    if crypto.key_path().exists():
        crypto.check_permissions(crypto.key_path())
    if not upgrade and engine_of(url) == "sqlite":
        path = sqlite_path(url)
        # A mistyped path must not leave an empty database behind it.
        if path != ":memory:" and not Path(path).expanduser().exists():
            raise StoreError(_("No database at {path}: 'zhanggui init' makes a new shop there, "
                               "'zhanggui demo' a demo shop").format(path=path))
    db = connect(url)
    if upgrade:
        schema.upgrade()
    else:
        schema.require_current()
    reader.use_replica(read_url, max_lag_s=read_max_lag_s)
    return db


def close_store() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def reset_database(url: str) -> None:
    """Remove everything: the SQLite file, or every table of the PostgreSQL schema."""
    if engine_of(url) == "sqlite":
        close_store()
        path = sqlite_path(url)
        if path != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).expanduser().unlink(missing_ok=True)
        return
    db = connect(url)
    with db.atomic():
        for table in db.get_tables():
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')


def ensure_demo(url: str, *, products: int = DEFAULT_PRODUCTS, reset: bool = False,
                progress: Progress | None = None, history_days: int = DEFAULT_DAYS) -> bool:
    """Open the demo database, building it first if it is new (or `reset`) with `history_days`
    days of past work; True if built."""
    if reset:
        reset_database(url)
    open_store(url, upgrade=True)
    if is_set_up():
        return False
    build_demo(products, progress=progress or (lambda *a: None), history_days=history_days)
    return True


__all__ = ["close_store", "ensure_demo", "is_postgres", "open_store", "reset_database"]
