"""What every import shares: the report (counts and every bad row by line, field and value),
the refusal that writes nothing, and a row-by-row runner for the files of a shop's size
(customers, suppliers, opening stock): each row in a savepoint, all in one transaction, rolled
back whole when a row is bad (unless skip_bad) or when it is a dry run."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from store.core.db import database, unit_of_work
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _

Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class RowError:
    line: int
    field: str | None
    value: object
    message: str


LISTED = 1000  # bad rows kept with line, field and value; past that they are only counted


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    price_changes: int = 0
    encoding: str = ""
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    totals: dict[str, Decimal] = field(default_factory=dict)  # what was posted, by name
    bad: int = 0  # every bad row; `errors` lists the first LISTED of them

    @property
    def unlisted(self) -> int:
        return self.bad - len(self.errors)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def refuse(self, line: int, err: ValidationError) -> None:
        """A bad row. A million of them (the wrong file) are counted, not all kept."""
        if len(self.errors) < LISTED:
            self.errors.append(RowError(line, err.field, err.value, err.message))
        self.bad += 1
        self.skipped += 1


CHUNK = 500  # rows checked and written at a time: values per IN (…) query and per insert
Rows = list[tuple[int, dict[str, str]]]
Progress = Callable[[str, int, int], None]  # (stage, line reached, lines in the file)


def chunks(rows: Iterable[tuple[int, dict[str, str]]], size: int = CHUNK) -> Iterator[Rows]:
    """A file's rows CHUNK at a time, so a million-row file is never held whole."""
    chunk: Rows = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class FirstLines:
    """The line on which each key of a file (a SKU, a barcode) was first seen, to name it when
    it comes again. Kept in a private temporary SQLite file (removed on close), not a dict: a
    million-row file's keys would hold a quarter of a gigabyte as Python strings.

    Chunk by chunk: `look_ahead` with the keys a chunk may claim (one query), then `claim`
    row by row; what the chunk claimed is written at the next look-ahead."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a private on-disk file, deleted on close
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")
        self._before: dict[str, int] = {}
        self._now: dict[str, int] = {}

    def look_ahead(self, keys: Iterable[str]) -> None:
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", self._now.items())
        self._before, self._now = {}, {}
        wanted = list(set(keys))
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start:start + CHUNK]
            self._before.update(self._db.execute(
                f"SELECT key, line FROM seen WHERE key IN ({', '.join('?' * len(part))})", part))

    def claim(self, key: str, line: int) -> int:
        """The line `key` was first seen on: `line` itself when this is the first time."""
        return self._before.get(key) or self._now.setdefault(key, line)

    def close(self) -> None:
        self._db.close()


class ImportRejected(StoreError):
    """A file with bad rows, imported without --skip-bad: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("{count} bad row(s); nothing was imported (use --skip-bad to import "
                           "the good rows)").format(count=report.bad))
        self.report = report


class _DryRun(Exception):
    """Raised to roll a dry run back after every row was tried for real."""


def run_rows(rows: Iterable[tuple[int, dict[str, str]]], apply: Callable[[int, dict[str, str]],
             Outcome], report: ImportReport, *, skip_bad: bool, dry_run: bool,
             finish: Callable[[], None] | None = None) -> ImportReport:
    """Apply each row in its own savepoint; a bad row (ValidationError) is reported and leaves
    no trace. Then `finish` (a summary posting, an audit event), and the whole is committed
    only if no row was bad (or skip_bad) and it is not a dry run: a dry run does every write
    and rolls it back, so what it reports is what the import would do."""
    with contextlib.suppress(_DryRun):
        _run(rows, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)
    return report


@unit_of_work
def _run(rows: Iterable[tuple[int, dict[str, str]]], apply: Callable[[int, dict[str, str]],
         Outcome], report: ImportReport, *, skip_bad: bool, dry_run: bool,
         finish: Callable[[], None] | None) -> None:
    for line, values in rows:
        try:
            with database.atomic():
                report.count(apply(line, values))
        except ValidationError as err:
            if err.row is None:
                err.row = line
            report.refuse(line, err)
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    if finish is not None:
        finish()
    if dry_run:
        raise _DryRun
