"""The print queue's use cases: record a job after the sale commits, hand the oldest to the
terminal's worker, mark it printed or failed, reprint. Jobs survive a restart."""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass

from store.core.db import unit_of_work
from store.core.errors import NotFound
from store.core.i18n import _
from store.models import PrintJob, utcnow


@dataclass(frozen=True)
class QueuedJob:
    id: int
    kind: str
    payload: str
    reference: str
    attempts: int


@dataclass(frozen=True)
class QueueState:
    queued: int
    last_error: str


@unit_of_work
def enqueue(terminal: str, kind: str, payload: str, *, reference: str = "",
            job_uuid: uuidlib.UUID | None = None) -> int:
    """Record a job. Call it after the business transaction commits (or inside it, so the job
    commits with the sale); a retried call with the same uuid does not queue it twice."""
    key = job_uuid or uuidlib.uuid4()
    existing = PrintJob.get_or_none(PrintJob.uuid == key)
    if existing:
        return existing.id
    return PrintJob.create(uuid=key, terminal=terminal, kind=kind, payload=payload,
                           reference=reference).id


def enqueue_lines(terminal: str, title: str, rows: list[tuple[str, str]], *,
                  footer: str = "", reference: str = "") -> int:
    """A "lines" job: a title, label/figure rows (("-", "") is a rule) and a footer; an X/Z
    report, a card top-up's slip."""
    payload = json.dumps({"title": title, "rows": rows, "footer": footer}, ensure_ascii=False)
    return enqueue(terminal, "lines", payload, reference=reference or title)


def next_job(terminal: str) -> QueuedJob | None:
    """The oldest job still queued for this terminal: jobs print in the order they were made."""
    job = (PrintJob.select().where((PrintJob.terminal == terminal)
                                   & (PrintJob.status == "queued"))
           .order_by(PrintJob.id).first())
    if job is None:
        return None
    return QueuedJob(job.id, job.kind, job.payload, job.reference, job.attempts)


@unit_of_work
def mark_printed(job_id: int) -> None:
    (PrintJob.update(status="printed", printed_at=utcnow(), attempts=PrintJob.attempts + 1)
     .where((PrintJob.id == job_id) & (PrintJob.status == "queued")).execute())


@unit_of_work
def mark_failed(job_id: int, error: str) -> None:
    (PrintJob.update(attempts=PrintJob.attempts + 1, last_error=error[:500])
     .where(PrintJob.id == job_id).execute())


@unit_of_work
def cancel(job_id: int) -> None:
    PrintJob.update(status="cancelled").where(PrintJob.id == job_id).execute()


@unit_of_work
def reprint(job_id: int, payload: str | None = None) -> int:
    """Queue a printed (or any) job again, optionally with a changed payload (marked reprint)."""
    job = PrintJob.get_or_none(PrintJob.id == job_id)
    if job is None:
        raise NotFound(_("No print job {id}").format(id=job_id))
    return enqueue(job.terminal, job.kind, payload if payload is not None else job.payload,
                   reference=job.reference)


def state(terminal: str) -> QueueState:
    queued = (PrintJob.select().where((PrintJob.terminal == terminal)
                                      & (PrintJob.status == "queued")))
    oldest = queued.order_by(PrintJob.id).first()
    return QueueState(queued.count(), oldest.last_error if oldest else "")


def printed_references(terminal: str, limit: int = 100) -> list[str]:
    """The references of printed jobs, oldest first (tests and the reprint list read this)."""
    rows = (PrintJob.select(PrintJob.reference).where((PrintJob.terminal == terminal)
                                                      & (PrintJob.status == "printed"))
            .order_by(PrintJob.printed_at, PrintJob.id).limit(limit))
    return [r.reference for r in rows]
