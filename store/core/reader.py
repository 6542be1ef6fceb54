"""Reports read from a streaming replica when one is configured (`[database] read_url`).

A chain's reports, dashboards and exports sum months of sales; on the primary they compete
with the tills' writes. With a read replica they run there instead — never a write: a
function marked `@from_replica` runs with this thread's queries routed to the replica
(db.RoutedProxy), other threads untouched. Before each such read the replica is asked how
far behind the primary it is; beyond `read_max_lag_s` the read still comes from it, and says
how stale it is (`last_read()`). A replica that does not answer, or stops answering mid-read,
is passed over for a while and the read runs on the primary: a report is never refused for
want of a replica.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from peewee import Database

from store.core.db import (
    DATABASE_FAULTS,
    database,
    drop_dead_connection,
    engine_of,
    is_postgres,
    mask_url,
    open_database,
    sqlstate,
)
from store.core.errors import StoreError, first_line
from store.core.i18n import _

log = logging.getLogger(__name__)

RETRY_AFTER_S = 30.0  # a replica that failed is not asked again for this long
CATCH_UP_WAIT_S = 0.2  # a replica a few milliseconds behind gets this long to catch up
READ_ONLY = "25006"  # read_only_sql_transaction: a write sent to the replica is a bug


@dataclass(frozen=True)
class ReadFrom:
    """Where the last report of this thread was read."""

    replica: bool
    behind_s: float | None = None  # how old the replica's data was (None: caught up)
    stale: bool = False  # behind by more than the configured bound
    passed_over: str = ""  # why the replica was not used

    def note(self) -> str:
        """One line for the user, or "" when there is nothing to say."""
        if self.stale:
            return _("Read from the replica, {seconds} s behind the primary: the latest "
                     "sales may be missing").format(seconds=round(self.behind_s or 0))
        if self.passed_over:
            return _("The read replica did not answer ({reason}): read from the primary"
                     ).format(reason=self.passed_over)
        return ""


class Reader:
    def __init__(self, url: str, max_lag_s: float) -> None:
        self.url = url
        self.max_lag_s = max_lag_s
        self.db: Database = open_database(url if "connect_timeout" in url else
                                          url + ("&" if "?" in url else "?") + "connect_timeout=2")
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.why_down = ""

    def fail(self, exc: BaseException) -> str:
        full = first_line(exc)
        # The driver's line names the host and port before its reason ('connection failed:
        # connection to server at "10.0.0.6", port 5432 failed: Connection refused'): the
        # reason is what fits a status line; the log keeps the whole.
        why = full if isinstance(exc, StoreError) else full.rsplit(": ", 1)[-1][:60]
        with self.lock:
            self.down_until = time.monotonic() + RETRY_AFTER_S
            self.why_down = why
        log.info("read replica %s passed over for %d s: %s", mask_url(self.url),
                 RETRY_AFTER_S, full)
        return why

    def freshness(self) -> ReadFrom:
        """How far behind the primary the replica is, asked of both (this thread)."""
        if time.monotonic() < self.down_until:
            return ReadFrom(False, passed_over=self.why_down)
        try:
            lsn = database.primary.execute_sql("SELECT pg_current_wal_lsn()").fetchone()[0]
            deadline = time.monotonic() + CATCH_UP_WAIT_S
            while True:
                standby, gap, age = self.db.execute_sql(
                    "SELECT pg_is_in_recovery(),"
                    " pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()),"
                    " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())",
                    (str(lsn),)).fetchone()
                if not standby:  # promoted, or never a replica: its data may have parted
                    return ReadFrom(False, passed_over=self.fail(StoreError(
                        _("{url} is not a replica").format(url=mask_url(self.url)))))
                if gap is not None and gap <= 0:
                    return ReadFrom(True)
                if time.monotonic() > deadline:
                    behind = float(age) if age is not None else None
                    return ReadFrom(True, behind, behind is None or behind > self.max_lag_s)
                time.sleep(0.02)
        except DATABASE_FAULTS as exc:
            return ReadFrom(False, passed_over=self.fail(exc))


_reader: Reader | None = None
_here = threading.local()


def use_replica(url: str, *, max_lag_s: float = 30.0) -> None:
    """Send the reports of this process to the replica at `url` (PostgreSQL only); "" stops."""
    global _reader
    if _reader is not None and not _reader.db.is_closed():
        _reader.db.close()
    if not url:
        _reader = None
        return
    if engine_of(url) != "postgresql" or not is_postgres(database.primary):
        raise StoreError(_("A read replica ({url}) needs PostgreSQL for both the database and "
                           "the replica").format(url=mask_url(url)))
    _reader = Reader(url, max_lag_s)


def last_read() -> ReadFrom | None:
    """Where this thread's last report was read (None: no replica configured)."""
    return getattr(_here, "last", None)


P = ParamSpec("P")
R = TypeVar("R")


def from_replica(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a read-only report on the replica when there is one (see the module's text)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        reader = _reader
        if database.routed():  # within a read on the replica: the outer read says where
            return fn(*args, **kwargs)
        # Inside a transaction of the primary a read must see that transaction's own rows.
        if reader is None or database.obj.transaction_depth() > 0:
            _here.last = None
            return fn(*args, **kwargs)
        seen = reader.freshness()
        if seen.replica:
            database.route(reader.db)
            try:
                result = fn(*args, **kwargs)
                _here.last = seen
                return result
            except DATABASE_FAULTS as exc:
                if sqlstate(exc) == READ_ONLY:
                    raise
                drop_dead_connection(reader.db)
                seen = ReadFrom(False, passed_over=reader.fail(exc))
            finally:
                database.route(None)
        _here.last = seen
        return fn(*args, **kwargs)

    return wrapper


def note() -> str:
    """The last read's line for the user ("" when it came fresh)."""
    seen = last_read()
    return seen.note() if seen is not None else ""
