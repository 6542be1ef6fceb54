"""The shop's scheduled jobs (issue 17.6): what is due, which worker runs it, how it went.

Why not APScheduler: its 3.x job stores must not be shared by schedulers in several processes
(a till's back office and a server's `zhanggui worker` would both fire a job), and 4.x, which
shares them, is a pre-release its authors say not to use in production. What a shop needs is
small and is kept here in the shop's own database, on either engine:

- a `job` row per job: how often (every N minutes, or daily at HH:MM shop time), when next;
- a worker takes a due job with one UPDATE that only succeeds while nobody holds it (`holder`,
  `lease_until`): two workers — two machines, or a worker and a "run now" — never run the
  same job at once, and a worker killed mid-job frees it when its lease ends;
- every run is a `job_run` row (started, finished, ok/failed, the result in words), the job
  row keeps the last one and how many failed in a row, and a failing job waits longer each
  time (up to BACKOFF_CAP) so a platform that is down is not hammered;
- a running worker says so every poll (`worker_beat`), so the Jobs screen can say none runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from store.channels import links
from store.common import clock
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _
from store.jobs.tasks import PLANS, TASKS, Context, Outcome
from store.models import Job, JobRun, WorkerBeat, utcnow
from store.security import audit, permissions
from store.security.auth import SessionUser

log = logging.getLogger(__name__)
RESULTS = {"ok": N_("ok"), "failed": N_("failed"), "running": N_("running")}  # a run's status
RUNS_KEPT = 200  # a job's history the screen can show
BEAT_STALE = dt.timedelta(minutes=3)  # a worker not heard of for this long is gone
BACKOFF_CAP = dt.timedelta(hours=6)
Now = Callable[[], dt.datetime]


@dataclass(frozen=True)
class JobView:
    name: str
    label: str
    every: int
    at: str
    enabled: bool
    next_run: dt.datetime | None
    running: bool
    holder: str
    last_started: dt.datetime | None
    last_finished: dt.datetime | None
    last_status: str
    last_message: str
    failures: int


@dataclass(frozen=True)
class RunView:
    job: str
    started: dt.datetime
    finished: dt.datetime | None
    status: str
    message: str
    by: str


def describe(every: int, at: str) -> str:
    """A schedule in words: "every 10 min", "daily 02:30"."""
    return _("every {n} min").format(n=every) if every else _("daily {at}").format(at=at)


def holder_name() -> str:
    """This process, as the Jobs screen names the worker running a job."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{threading.get_ident() % 10000}"


@unit_of_work
def ensure() -> None:
    """The shop's jobs exist, with their default schedules (a new job in a new version
    appears by itself; an owner's changes to an existing one are kept)."""
    have = {str(job.name) for job in Job.select(Job.name)}
    for name, plan in PLANS.items():
        if name not in have:
            (Job.insert(name=name, every=plan.every, at=plan.at, enabled=plan.enabled)
             .on_conflict_ignore().execute())


def jobs(now: Now = utcnow) -> list[JobView]:
    ensure()
    at = now()
    return [_view(j, at) for j in Job.select().order_by(Job.id) if j.name in PLANS]


def _view(j: Job, at: dt.datetime) -> JobView:
    running = bool(j.holder) and j.lease_until is not None and j.lease_until > at
    return JobView(j.name, _(PLANS[j.name].label), j.every, j.at, j.enabled, j.next_run, running,
                   j.holder if running else "", j.last_started, j.last_finished, j.last_status,
                   j.last_message, j.failures)


def get(name: str) -> JobView:
    for view in jobs():
        if view.name == name.strip().lower():
            return view
    raise NotFound(_("No job '{name}' (there are: {names})").format(
        name=name[:30], names=", ".join(PLANS)))


def history(name: str, *, limit: int = 20) -> list[RunView]:
    return [RunView(r.job, r.started, r.finished, r.status, r.message, r.by)
            for r in JobRun.select().where(JobRun.job == name)
            .order_by(JobRun.id.desc()).limit(limit)]


def next_after(job: Job | JobView, finished: dt.datetime, *, failures: int = 0) -> dt.datetime:
    """When the job is next due after a run that ended then (naive UTC)."""
    if job.every > 0:
        wait = dt.timedelta(minutes=job.every)
        if failures > 1:  # failing again: wait longer each time, up to the cap
            wait = min(wait * 2 ** min(failures - 1, 10), max(wait, BACKOFF_CAP))
        return finished + wait
    hour, minute = (int(x) for x in (job.at or "02:30").split(":"))
    zone = clock.shop_zone()
    local = clock.to_local(finished, zone)
    day = local.date() if (local.hour, local.minute) < (hour, minute) else (
        local.date() + dt.timedelta(days=1))
    daily = clock.local_moment(day, dt.time(hour, minute), zone)
    if failures > 0:  # a failed nightly backup is tried again within the hour, not tomorrow
        return min(daily, finished + dt.timedelta(hours=1) * 2 ** min(failures - 1, 4))
    return daily


def due(now: Now = utcnow) -> list[str]:
    """The enabled jobs whose time has come and that nobody holds."""
    ensure()
    at = now()
    return [str(job.name) for job in Job.select(Job.name)
            .where(Job.enabled & (Job.next_run.is_null() | (Job.next_run <= at))
                   & (Job.lease_until.is_null() | (Job.lease_until <= at)))
            .order_by(Job.id) if job.name in PLANS]


@unit_of_work
def _claim(name: str, holder: str, at: dt.datetime, *, force: bool) -> bool:
    lease = PLANS[name].lease
    cond = (Job.name == name) & (Job.lease_until.is_null() | (Job.lease_until <= at))
    if not force:
        cond &= Job.enabled & (Job.next_run.is_null() | (Job.next_run <= at))
    return bool(Job.update(holder=holder[:80], lease_until=at + lease, last_started=at)
                .where(cond).execute())


@unit_of_work
def _started(name: str, holder: str, by: str, at: dt.datetime) -> int:
    return int(JobRun.insert(job=name, started=at, holder=holder[:80], by=by[:40]).execute())


@unit_of_work
def _finish(name: str, run_id: int, holder: str, outcome: Outcome, at: dt.datetime) -> None:
    job = Job.get(Job.name == name)
    failures = 0 if outcome.ok else job.failures + 1
    status = "ok" if outcome.ok else "failed"
    JobRun.update(finished=at, status=status, message=outcome.message).where(
        JobRun.id == run_id).execute()
    (Job.update(holder="", lease_until=None, last_finished=at, last_status=status,
                last_message=outcome.message[:500], failures=failures,
                next_run=next_after(job, at, failures=failures))
     .where((Job.name == name) & (Job.holder == holder[:80])).execute())
    old = (JobRun.select(JobRun.id).where(JobRun.job == name).order_by(JobRun.id.desc())
           .offset(RUNS_KEPT).limit(1).scalar())
    if old is not None:
        JobRun.delete().where((JobRun.job == name) & (JobRun.id <= old)).execute()


def run(name: str, ctx: Context, *, now: Now = utcnow, force: bool = False) -> Outcome | None:
    """Run one job if it is due (or, `force`, now — "run now"), unless another worker holds
    it: then None. Whatever the job does, its run is recorded and the job freed; a job's
    failure is its outcome, never an exception out of here."""
    if name not in PLANS:
        raise NotFound(_("No job '{name}' (there are: {names})").format(
            name=name[:30], names=", ".join(PLANS)))
    ensure()
    if not _claim(name, ctx.holder, now(), force=force):
        return None
    run_id = _started(name, ctx.holder, ctx.actor.username, now())
    outcome = Outcome(False, _("interrupted"))
    try:
        outcome = TASKS[name](ctx)
    except StoreError as err:
        outcome = Outcome(False, str(err))
    except Exception as err:  # a job's bug is its failure, said on the screen; the worker goes on
        log.exception("job %s failed", name)
        outcome = Outcome(False, f"{type(err).__name__}: {err}"[:500])
    finally:
        _finish(name, run_id, ctx.holder, outcome, now())
    return outcome


def run_due(ctx: Context, *, now: Now = utcnow) -> dict[str, Outcome]:
    """Every job due now, one after another (each claimed as it starts)."""
    done: dict[str, Outcome] = {}
    for name in due(now):
        outcome = run(name, ctx, now=now)
        if outcome is not None:
            done[name] = outcome
    return done


def serve(ctx: Context, stop: threading.Event, *, poll: float = 20.0,
          on_run: Callable[[str, Outcome], None] = lambda n, o: None) -> None:
    """The worker: beat, run what is due, wait `poll` seconds or until `stop`; a database
    that is away is waited for, never the end of the worker."""
    try:
        while not stop.is_set():
            try:
                beat(ctx.holder)
                for name, outcome in run_due(ctx).items():
                    on_run(name, outcome)
            except Exception:  # the database away (a restart, the network): try again later
                log.exception("the worker could not reach the database; trying again")
            stop.wait(poll)
    finally:
        try:
            gone(ctx.holder)
        except Exception:
            log.exception("could not say the worker stopped")


@unit_of_work
def beat(holder: str) -> None:
    now = utcnow()
    if not WorkerBeat.update(seen=now).where(WorkerBeat.holder == holder[:80]).execute():
        WorkerBeat.insert(holder=holder[:80], started=now, seen=now).on_conflict_ignore().execute()
    WorkerBeat.delete().where(WorkerBeat.seen < now - BEAT_STALE * 10).execute()


@unit_of_work
def gone(holder: str) -> None:
    WorkerBeat.delete().where(WorkerBeat.holder == holder[:80]).execute()


def workers(now: Now = utcnow) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The workers heard of lately: (holder, started, last seen)."""
    at = now()
    return [(b.holder, b.started, b.seen) for b in
            WorkerBeat.select().where(WorkerBeat.seen > at - BEAT_STALE).order_by(WorkerBeat.id)]


def failing() -> list[JobView]:
    return [j for j in jobs() if j.enabled and j.last_status == "failed"]


@unit_of_work
def change(actor: SessionUser, name: str, *, every: int | None = None, at: str | None = None,
           enabled: bool | None = None) -> JobView:
    """An owner's schedule for a job: every N minutes (1–1440), or daily at HH:MM; on or off.
    The next run is worked out again from now."""
    permissions.check(actor, "change_settings", reference=name[:64])
    ensure()
    job = Job.get_or_none(Job.name == name.strip().lower())
    if job is None or job.name not in PLANS:
        raise NotFound(_("No job '{name}' (there are: {names})").format(
            name=name[:30], names=", ".join(PLANS)))
    values: dict[object, object] = {}
    if every is not None:
        if not 1 <= every <= 1440:
            raise ValidationError(_("every: {value} minutes is not between 1 and 1440").format(
                value=every), field="every", value=str(every))
        values[Job.every] = every
        values[Job.at] = ""
    if at is not None:
        values[Job.at] = _hhmm(at)
        values[Job.every] = 0
    if enabled is not None:
        values[Job.enabled] = enabled
    if values:
        Job.update(values).where(Job.id == job.id).execute()
        job = Job.get_by_id(job.id)
        Job.update(next_run=next_after(job, utcnow()) if job.every == 0 else None).where(
            Job.id == job.id).execute()
        audit.record("job_changed", {"job": job.name, "every": job.every, "at": job.at,
                                     "enabled": job.enabled}, user_id=actor.id,
                     reference=job.name)
    return get(job.name)


def _hhmm(text: str) -> str:
    try:
        moment = dt.datetime.strptime(text.strip(), "%H:%M")
    except ValueError:
        raise ValidationError(_("at: '{value}' is not a time of day (HH:MM)").format(
            value=text[:20]), field="at", value=text[:20]) from None
    return f"{moment:%H:%M}"


def attention(now: Now = utcnow) -> list[str]:
    """What the owner should know on the dashboard: no worker while channels wait on one, a
    channel that stopped or keeps failing, a job whose last run failed."""
    said: list[str] = []
    connected = links.links()
    if connected and not workers(now):
        said.append(_("No worker is running: online orders are not fetched (zhanggui worker)"))
    for v in connected:
        if v.status in ("retrying", "stopped"):
            said.append(_("{name}: {status} — {message}").format(
                name=v.name, status=_(links.STATUSES[v.status]), message=v.message))
    for j in failing():
        if j.name != "channels" or not said:  # the channels' own lines say it better
            said.append(_("{job} failed: {message}").format(job=j.label,
                                                            message=j.last_message))
    return said
