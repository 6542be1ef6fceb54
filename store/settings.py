"""Shop-wide settings: JSON values by key in the `setting` table, shared by every terminal."""

from __future__ import annotations

import json
from typing import Any

from .models import Setting


def read(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row is not None else default


def write(key: str, value: Any) -> None:
    """Set a value inside the caller's transaction (one upsert: no read-then-write race)."""
    text = json.dumps(value, sort_keys=True)
    (Setting.insert(key=key, value=text)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: text}).execute())
