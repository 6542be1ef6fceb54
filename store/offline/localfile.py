"""A till's own SQLite file (its local copy, its outbox): made owner-only before anything is
written to it, registered so no export can be pointed at it, and read through one connection
per thread — opening a connection costs more than a scan."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from store.core import files


class LocalFile:
    def __init__(self, path: Path | str, schema: str, *, synchronous: str = "NORMAL",
                 later: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                 after: str = "") -> None:
        """`schema` makes what is missing; `later` names the columns added to a table since
        the first version ({table: [(column, declaration with its default)]}): a file an
        older version wrote gets them (`self.upgraded`), then `after` runs (the indexes
        that may use them)."""
        self.path = Path(path)
        self._synchronous = synchronous
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # sales, prices and PIN hashes: owner-only from the start
            with contextlib.suppress(FileExistsError):
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        files.protect_database(self.path)
        db = self._db()
        db.executescript(schema)
        self.upgraded = False
        for table, columns in (later or {}).items():
            have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for name, declaration in columns:
                if name not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
                    self.upgraded = True
        db.executescript(after)

    def _db(self) -> sqlite3.Connection:
        """This thread's connection, in autocommit: a write is its own transaction unless
        the caller begins one (`with db:` commits or rolls back nothing it did not begin)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={self._synchronous}")
            self._local.db = db
        return db


def contains(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for text anywhere: % and _ typed are characters."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
