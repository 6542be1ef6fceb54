"""The shop's scheduled jobs (issue 17.6): what runs when, who runs it now, how it went."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, IntegerField, TextField

from store.models.base import BaseModel, utcnow


class Job(BaseModel):
    """One scheduled job. The worker that takes it holds it until `lease_until` (a worker
    killed mid-job frees it then); `next_run` is when it is next due (None: now)."""

    name = CharField(max_length=20, unique=True)
    every = IntegerField(default=0)  # minutes between runs; 0: once a day at `at`
    at = CharField(max_length=5, default="")  # HH:MM in the shop's time zone (daily jobs)
    enabled = BooleanField(default=True)
    next_run = DateTimeField(null=True)  # naive UTC
    holder = CharField(max_length=80, default="")  # the worker running it now (host:pid)
    lease_until = DateTimeField(null=True)
    last_started = DateTimeField(null=True)
    last_finished = DateTimeField(null=True)
    last_status = CharField(max_length=10, default="")  # "", ok, failed
    last_message = CharField(max_length=500, default="")
    failures = IntegerField(default=0)  # runs failed in a row


class JobRun(BaseModel):
    """One run of a job, kept for the Jobs screen's history (the newest RUNS_KEPT a job)."""

    job = CharField(max_length=20, index=True)
    started = DateTimeField(default=utcnow)
    finished = DateTimeField(null=True)
    status = CharField(max_length=10, default="running")  # running, ok, failed
    message = TextField(default="")
    holder = CharField(max_length=80, default="")
    by = CharField(max_length=40, default="")  # the user the worker acts as, or who said "run now"


class WorkerBeat(BaseModel):
    """A worker says it is alive: the Jobs screen shows whether one runs, and since when."""

    holder = CharField(max_length=80, unique=True)
    started = DateTimeField(default=utcnow)
    seen = DateTimeField(default=utcnow)
