"""Shop-wide settings: JSON values by key in the `setting` table, shared by every terminal.

Reads are cached for a moment: a sale reads the time zone, the permission matrix and the
period lock several times, and each read was a query (9 a sale, 14 % of a sale's time). A
change made on this terminal is seen at once; one made on another terminal within
CACHE_SECONDS."""

from __future__ import annotations

import json
import time
from typing import Any

from store.core.db import database
from store.models import Setting

CACHE_SECONDS = 2.0
_cache: dict[str, tuple[float, Any]] = {}
_cached_db: list[object] = [None]


def _fresh() -> dict[str, tuple[float, Any]]:
    if _cached_db[0] is not database.obj:  # another database opened (tests, a new URL)
        _cache.clear()
        _cached_db[0] = database.obj
    return _cache


def read(key: str, default: Any = None) -> Any:
    cache = _fresh()
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        value = hit[1]
    else:
        row = Setting.get_or_none(Setting.key == key)
        value = json.loads(row.value) if row is not None else None
        cache[key] = (now + CACHE_SECONDS, value)
    return default if value is None else json.loads(json.dumps(value))


def write(key: str, value: Any) -> None:
    """Set a value inside the caller's transaction (one upsert: no read-then-write race)."""
    text = json.dumps(value, sort_keys=True)
    (Setting.insert(key=key, value=text)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: text}).execute())
    # Forgotten, not stored: if the transaction rolls back, the next read asks the database.
    _fresh().pop(key, None)
