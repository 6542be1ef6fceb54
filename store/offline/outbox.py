"""A till's outbox (issue 18.2): the sales it made while the database could not be reached,
in a local SQLite file written with synchronous=FULL — committed before the receipt prints,
so a power cut after the customer has a receipt loses nothing. Each sale is numbered on from
the till's own series (the last number it knows the database gave it). A sale stays until
the database has it (`posted`), or refused it (`held`, with the reason, for a person)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from store.models.base import utcnow
from store.security.approvals import OfflineApproval
from store.selling.basket import Basket
from store.selling.sales import OfflineFacts, PaymentInput

from . import payload
from .localfile import LocalFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    posted_at TEXT,
    posted_number TEXT,
    held TEXT
);
CREATE TABLE IF NOT EXISTS series (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    posted_at TEXT
);
CREATE TABLE IF NOT EXISTS print_job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    printed_at TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class Waiting:
    seq: int
    uuid: str
    number: str
    payload: str
    created_at: str


@dataclass(frozen=True)
class Depth:
    waiting: int  # not yet in the database
    held: int  # refused by it: a person must look
    oldest: str | None  # when the oldest waiting sale was made (UTC)


class Outbox(LocalFile):
    """One till's outbox file. Safe to share between the till's threads and with another
    process (a second sync): SQLite's own locking, each write one transaction, committed
    with synchronous=FULL — the receipt prints after the commit."""

    def __init__(self, path: Path | str, terminal: str) -> None:
        super().__init__(path, SCHEMA, synchronous="FULL")
        self.terminal = terminal
        self._lock = threading.Lock()
        self._voids_into_events()

    def _voids_into_events(self) -> None:
        """An outbox made before its events had a table of its own for voids: those not yet
        posted join the events, in their order, and the table goes."""
        with self._lock, self._db() as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'void_line'").fetchone():
                db.execute("INSERT INTO event (kind, payload, created_at) SELECT 'void', "
                           "payload, created_at FROM void_line WHERE posted_at IS NULL "
                           "ORDER BY id")
                db.execute("DROP TABLE void_line")

    def know_number(self, number: str) -> None:
        """The database gave this till `number` (T1-000123): offline sales go on from it."""
        prefix, _sep, digits = number.rpartition("-")
        if prefix != self.terminal or not digits.isdigit():
            return
        with self._lock, self._db() as db:
            db.execute("INSERT INTO series (name, value) VALUES ('sale', ?) ON CONFLICT(name) "
                       "DO UPDATE SET value = MAX(value, excluded.value)", (int(digits),))

    def add(self, basket: Basket, payments: list[PaymentInput], *, cashier_id: int,
            shift_id: int, sold_at: dt.datetime | None = None,
            approvals: tuple[OfflineApproval, ...] = ()) -> OfflineFacts:
        """Commit a sale made offline; returns its facts (the number for the receipt). The
        same basket again (a retry) gives the facts it already has."""
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT payload FROM outbox WHERE uuid = ?",
                                 (str(basket.uuid),)).fetchone()
                if row is not None:
                    db.execute("ROLLBACK")
                    return payload.loads_facts(row[0])
                db.execute("INSERT INTO series (name, value) VALUES ('sale', 1) ON "
                           "CONFLICT(name) DO UPDATE SET value = value + 1")
                seq = db.execute("SELECT value FROM series WHERE name = 'sale'").fetchone()[0]
                facts = OfflineFacts(f"{self.terminal}-{seq:06d}", sold_at or utcnow(),
                                     shift_id, approvals)
                text = payload.dumps(basket, payments, facts, terminal=self.terminal,
                                     cashier_id=cashier_id)
                db.execute("INSERT INTO outbox (uuid, number, payload, created_at) "
                           "VALUES (?, ?, ?, ?)", (str(basket.uuid), facts.number, text,
                                                   facts.sold_at.isoformat()))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return facts

    def on_account(self, customer_id: int, tenders: set[str], since: str | None) -> Decimal:
        """What this till sold the customer on account (by `tenders`) that the copy's figure
        of what they owe cannot hold yet: sales not in the database, or posted after the
        copy was refreshed (`since`, UTC ISO). Held ones count: the goods left the shop."""
        total = Decimal(0)
        with self._db() as db:
            rows = db.execute("SELECT payload FROM outbox WHERE posted_at IS NULL OR "
                              "posted_at > ?", (since or "",)).fetchall()
        for (text,) in rows:
            data = json.loads(text)
            if data.get("customer") == customer_id:
                total += sum((Decimal(p[1]) for p in data.get("payments", ())
                              if p[0] in tenders), Decimal(0))
        return total

    def waiting(self) -> list[Waiting]:
        """The sales the database does not have yet, oldest first."""
        with self._db() as db:
            rows = db.execute("SELECT seq, uuid, number, payload, created_at FROM outbox "
                              "WHERE posted_at IS NULL AND held IS NULL ORDER BY seq")
            return [Waiting(*r) for r in rows.fetchall()]

    def posted(self, uuid: str, number: str) -> None:
        with self._lock, self._db() as db:
            db.execute("UPDATE outbox SET posted_at = ?, posted_number = ?, held = NULL "
                       "WHERE uuid = ? AND posted_at IS NULL",
                       (utcnow().isoformat(), number, uuid))

    def hold(self, uuid: str, reason: str) -> None:
        """The database refused it: kept, with why, until a person sees to it."""
        with self._lock, self._db() as db:
            db.execute("UPDATE outbox SET held = ? WHERE uuid = ? AND posted_at IS NULL",
                       (reason[:500], uuid))

    def release(self, uuid: str) -> None:
        """A held sale tried again (after a person put right what was refused)."""
        with self._lock, self._db() as db:
            db.execute("UPDATE outbox SET held = NULL WHERE uuid = ?", (uuid,))

    def held(self) -> list[tuple[str, str, str]]:
        """(number, created_at, reason) of each sale the database refused."""
        with self._db() as db:
            return list(db.execute("SELECT number, created_at, held FROM outbox WHERE held "
                                   "IS NOT NULL AND posted_at IS NULL ORDER BY seq"))

    # -- what else the database must know of the outage, in order: lines taken out of
    # -- baskets ("void"), logins, failed and locked PINs --------------------------------
    def add_event(self, kind: str, data: dict[str, object]) -> None:
        """An event for the database, kept until it answers (with its time)."""
        with self._lock, self._db() as db:
            db.execute("INSERT INTO event (kind, payload, created_at) VALUES (?, ?, ?)",
                       (kind, json.dumps(data), utcnow().isoformat()))

    def events_waiting(self) -> list[tuple[int, str, str, str]]:
        """(id, kind, payload, created_at) of the events not recorded yet, oldest first."""
        with self._db() as db:
            return list(db.execute("SELECT id, kind, payload, created_at FROM event "
                                   "WHERE posted_at IS NULL ORDER BY id"))

    def event_posted(self, event_id: int) -> None:
        with self._lock, self._db() as db:
            db.execute("UPDATE event SET posted_at = ? WHERE id = ?",
                       (utcnow().isoformat(), event_id))

    # -- the till's own print queue: receipts of sales the database does not have yet -----
    def enqueue_print(self, kind: str, payload: str, reference: str = "") -> int:
        with self._lock, self._db() as db:
            cur = db.execute("INSERT INTO print_job (kind, payload, reference, created_at) "
                             "VALUES (?, ?, ?, ?)", (kind, payload, reference,
                                                     utcnow().isoformat()))
            return int(cur.lastrowid or 0)

    def next_print(self) -> tuple[int, str, str] | None:
        """(id, kind, payload) of the oldest job not printed."""
        with self._db() as db:
            row = db.execute("SELECT id, kind, payload FROM print_job WHERE printed_at IS NULL "
                             "AND cancelled = 0 ORDER BY id LIMIT 1").fetchone()
        return (int(row[0]), str(row[1]), str(row[2])) if row else None

    def print_done(self, job_id: int, *, error: str = "", cancel: bool = False) -> None:
        with self._lock, self._db() as db:
            if error:
                db.execute("UPDATE print_job SET last_error = ?, cancelled = ? WHERE id = ?",
                           (error[:500], int(cancel), job_id))
            else:
                db.execute("UPDATE print_job SET printed_at = ? WHERE id = ?",
                           (utcnow().isoformat(), job_id))

    def prints_waiting(self) -> int:
        with self._db() as db:
            return int(db.execute("SELECT COUNT(*) FROM print_job WHERE printed_at IS NULL "
                                  "AND cancelled = 0").fetchone()[0])

    def depth(self) -> Depth:
        with self._db() as db:
            waiting, oldest = db.execute(
                "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE posted_at IS NULL AND "
                "held IS NULL").fetchone()
            held = db.execute("SELECT COUNT(*) FROM outbox WHERE held IS NOT NULL AND "
                              "posted_at IS NULL").fetchone()[0]
        return Depth(int(waiting), int(held), oldest)
