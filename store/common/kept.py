"""A value read from the database and kept for moments: rules every sale reads (which
products track lots, the points rules) but that change rarely. A change made on this terminal
is seen at once (`forget`); one made on another terminal within `seconds`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from store.core.db import database

T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, load: Callable[[], T], seconds: float = 2.0) -> None:
        self.load, self.seconds = load, seconds
        self._db: object = None
        self._until = 0.0
        self._value: T | None = None

    def get(self) -> T:
        now = time.monotonic()
        if self._db is not database.obj or self._until < now or self._value is None:
            self._value = self.load()  # another database opened (tests, a new URL), or stale
            self._db, self._until = database.obj, now + self.seconds
        return self._value

    def forget(self) -> None:
        self._until = 0.0
