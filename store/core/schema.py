"""Versioned migrations: what is applied, what is pending, and `upgrade` to bring a database to head."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from playhouse.migrations import Runner

from store.core.db import SCHEMA_CACHES, database
from store.core.errors import StoreError
from store.core.i18n import _

MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"  # store/migrations
HISTORY_TABLE = "schema_migration"


@dataclass(frozen=True)
class MigrationState:
    name: str
    applied_at: dt.datetime | None


def _runner() -> Runner:
    return Runner(database.obj, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def status() -> list[MigrationState]:
    return [MigrationState(m.name, m.applied) for m in _runner().status()]


def pending() -> list[str]:
    return [m.name for m in status() if m.applied_at is None]


def upgrade(target: str | None = None) -> list[str]:
    """Apply pending migrations in order (each in its own transaction); returns their names."""
    done = list(_runner().up(target))
    for forget in SCHEMA_CACHES:  # what was learnt of the old schema (a table's triggers)
        forget()
    return done


def head() -> str:
    return _runner().migrations()[-1].name


def require_current() -> None:
    """Refuse to run business code on a database that needs `zhanggui db upgrade`."""
    states = status()
    todo = [s.name for s in states if s.applied_at is None]
    if todo and len(todo) == len(states):  # nothing applied: a new, empty database
        raise StoreError(_("This database is empty: 'zhanggui init' sets up a shop in it "
                           "('zhanggui init --demo' a demo shop)"))
    if todo:
        raise StoreError(
            _("The database needs upgrading ({count} migrations pending): run 'zhanggui db upgrade'")
            .format(count=len(todo)))
