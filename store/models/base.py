"""The model base class, bound to the database proxy that `store.core.db.connect` initialises."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar

from peewee import AutoField, Model

from store.core.db import database

# Set by store.common.clock.at(): the demo's history and tests of past days record facts as of then,
# in one thread. FROZEN_NOW (store.common.clock.freeze) stops the clock for every thread: for tests
# of screens whose workers read the time.
FIXED_NOW: ContextVar[dt.datetime | None] = ContextVar("zhanggui_fixed_now", default=None)
FROZEN_NOW: list[dt.datetime | None] = [None]


def utcnow() -> dt.datetime:
    """Naive UTC: the same instant on every terminal, whatever its time zone setting."""
    fixed = FIXED_NOW.get() or FROZEN_NOW[0]
    return fixed if fixed is not None else dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(Model):
    # The key peewee would add anyway, declared so type checkers see it (the `<fk>_id`
    # columns are annotated on the models that read them).
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False
