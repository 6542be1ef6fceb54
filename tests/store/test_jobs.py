"""The shop's scheduled jobs (issue 17.6): due when their schedule says, held by one worker at a
time (two at once, a killed one), every run and its result kept, a failing job said in words
and retried later, an owner's schedule checked and audited — and the jobs themselves: channel
syncs against the TOP router, the nightly backup, the low-stock digest."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from store.common import clock
from store.core.errors import NotFound, PermissionDenied, ValidationError
from store.jobs import schedule, tasks
from store.jobs.tasks import Context, Outcome
from store.models import AuditEvent, Job, JobRun, WorkerBeat, utcnow
from store.security import auth
from store.stock import inventory
from tests.store.stock_helpers import stock_shop

T0 = dt.datetime(2026, 12, 4, 1, 0)  # 09:00 in Beijing


@pytest.fixture
def ctx(shop, db_url, tmp_path):
    stock_shop()
    clock.set_shop_zone("Asia/Shanghai")
    boss = auth.authenticate("boss", "8888")
    return Context(actor=boss, db_url=db_url, backup_dir=tmp_path / "backups",
                   holder="test-host:1")


def at(moment: dt.datetime):
    return lambda: moment


def test_every_job_is_due_at_first_and_then_by_its_schedule(ctx) -> None:
    assert schedule.due(at(T0)) == ["channels", "tracking", "backup", "low_stock", "vouchers",
                                    "points"]
    done = schedule.run_due(ctx, now=at(T0))
    assert done["channels"] == Outcome(True, "no channel connected")
    assert done["tracking"] == Outcome(True, "no courier API connected")
    assert done["backup"].ok and "zhanggui-" in done["backup"].message
    assert done["low_stock"].ok
    assert done["vouchers"] == Outcome(True, "no gift voucher expired")
    assert done["points"] == Outcome(True, "no points lapsed")
    assert len(list(ctx.backup_dir.glob("zhanggui-*.zgbak"))) == 1
    jobs = {j.name: j for j in schedule.jobs(at(T0))}
    assert jobs["channels"].next_run == T0 + dt.timedelta(minutes=10)
    # daily at 02:30 shop time: after 09:00 in Beijing, tomorrow's 02:30 = 18:30 UTC today
    assert jobs["backup"].next_run == dt.datetime(2026, 12, 4, 18, 30)
    assert jobs["low_stock"].next_run == dt.datetime(2026, 12, 4, 23, 0)
    assert jobs["vouchers"].next_run == dt.datetime(2026, 12, 4, 16, 15)  # 00:15 tomorrow in Beijing
    assert jobs["points"].next_run == dt.datetime(2026, 12, 4, 16, 20)
    assert all(j.last_status == "ok" and not j.running for j in jobs.values())
    assert schedule.due(at(T0 + dt.timedelta(minutes=9))) == []
    assert schedule.due(at(T0 + dt.timedelta(minutes=10))) == ["channels"]
    assert schedule.due(at(T0 + dt.timedelta(minutes=60))) == ["channels", "tracking"]
    assert [r.status for r in schedule.history("backup")] == ["ok"]
    assert schedule.history("backup")[0].by == "boss"


def test_two_workers_never_run_the_same_job_and_a_killed_one_frees_it(ctx, monkeypatch
                                                                      ) -> None:
    started = threading.Event()
    release = threading.Event()
    ran: list[str] = []

    def slow(c: Context) -> Outcome:
        ran.append(c.holder)
        started.set()
        release.wait(10)
        return Outcome(True, "done")

    monkeypatch.setitem(tasks.TASKS, "low_stock", slow)
    first = Context(ctx.actor, ctx.db_url, ctx.backup_dir, "worker-a:1")
    second = Context(ctx.actor, ctx.db_url, ctx.backup_dir, "worker-b:2")
    results: dict[str, Outcome | None] = {}
    thread = threading.Thread(target=lambda: results.update(
        a=schedule.run("low_stock", first)))
    thread.start()
    assert started.wait(10)
    assert schedule.run("low_stock", second) is None  # held: not due for the other worker
    assert schedule.run("low_stock", second, force=True) is None  # nor for "run now"
    assert "low_stock" not in schedule.due()
    view = schedule.get("low_stock")
    assert view.running and view.holder == "worker-a:1"
    release.set()
    thread.join(10)
    assert results["a"] == Outcome(True, "done") and ran == ["worker-a:1"]
    # A worker killed mid-job: its lease ends, and then the job is anyone's again.
    later = utcnow() + dt.timedelta(hours=1)
    Job.update(holder="worker-dead:9", lease_until=later, next_run=utcnow()).where(
        Job.name == "low_stock").execute()
    assert schedule.run("low_stock", second) is None
    after = later + dt.timedelta(seconds=1)
    assert "low_stock" in schedule.due(at(after))
    assert schedule.run("low_stock", second, now=at(after)) == Outcome(True, "done")
    assert ran == ["worker-a:1", "worker-b:2"]


def test_a_failing_job_is_said_in_words_retried_later_and_the_worker_goes_on(ctx, monkeypatch
                                                                             ) -> None:
    def broken(c: Context) -> Outcome:
        raise KeyError("tid")

    monkeypatch.setitem(tasks.TASKS, "channels", broken)
    outcome = schedule.run("channels", ctx, now=at(T0))
    assert outcome == Outcome(False, "KeyError: 'tid'")
    job = schedule.get("channels")
    assert (job.last_status, job.failures, job.running) == ("failed", 1, False)
    assert job.next_run == T0 + dt.timedelta(minutes=10)
    assert [j.name for j in schedule.failing()] == ["channels"]
    schedule.run("channels", ctx, now=at(T0 + dt.timedelta(minutes=10)))
    schedule.run("channels", ctx, now=at(T0 + dt.timedelta(minutes=30)))
    job = schedule.get("channels")
    assert job.failures == 3 and job.next_run == T0 + dt.timedelta(minutes=30 + 40)
    monkeypatch.setitem(tasks.TASKS, "channels", lambda c: Outcome(True, "fine"))
    schedule.run("channels", ctx, force=True, now=at(T0 + dt.timedelta(minutes=31)))
    job = schedule.get("channels")
    assert (job.last_status, job.failures) == ("ok", 0) and schedule.failing() == []
    assert [r.status for r in schedule.history("channels")] == ["ok", "failed", "failed",
                                                                "failed"]


def test_a_failed_daily_job_is_tried_again_within_the_hour(ctx, monkeypatch) -> None:
    def disk_full(c: Context) -> Outcome:
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(tasks.TASKS, "backup", disk_full)
    outcome = schedule.run("backup", ctx, now=at(T0))
    assert outcome is not None and "No space left on device" in outcome.message
    assert schedule.get("backup").next_run == T0 + dt.timedelta(hours=1)
    schedule.run("backup", ctx, now=at(T0 + dt.timedelta(hours=1)))
    assert schedule.get("backup").next_run == T0 + dt.timedelta(hours=3)
    monkeypatch.setitem(tasks.TASKS, "backup", lambda c: Outcome(True, "saved"))
    schedule.run("backup", ctx, now=at(T0 + dt.timedelta(hours=3)))
    assert schedule.get("backup").next_run == dt.datetime(2026, 12, 4, 18, 30)  # tonight


def test_the_history_keeps_the_newest_runs(ctx, monkeypatch) -> None:
    monkeypatch.setattr(schedule, "RUNS_KEPT", 3)
    monkeypatch.setitem(tasks.TASKS, "tracking", lambda c: Outcome(True, f"{time.time()}"))
    for _ in range(5):
        schedule.run("tracking", ctx, force=True)
    assert JobRun.select().where(JobRun.job == "tracking").count() == 3
    assert [r.started for r in schedule.history("tracking")] == sorted(
        (r.started for r in schedule.history("tracking")), reverse=True)


def test_an_owner_changes_a_schedule_checked_and_audited(ctx) -> None:
    cashier = auth.create_user("c1", "cashier", pin="1357")
    with pytest.raises(PermissionDenied):
        schedule.change(cashier, "channels", every=5)
    with pytest.raises(ValidationError, match="between 1 and 1440"):
        schedule.change(ctx.actor, "channels", every=0)
    with pytest.raises(ValidationError, match="HH:MM"):
        schedule.change(ctx.actor, "backup", at="25:00")
    with pytest.raises(NotFound, match="No job 'nope'"):
        schedule.change(ctx.actor, "nope", every=5)
    view = schedule.change(ctx.actor, "backup", at="23:15")
    assert (view.every, view.at) == (0, "23:15")
    view = schedule.change(ctx.actor, "channels", every=5, enabled=False)
    assert (view.every, view.enabled) == (5, False)
    assert "channels" not in schedule.due()
    assert schedule.run("channels", ctx) is None  # off: never due
    assert schedule.run("channels", ctx, force=True) == Outcome(True, "no channel connected")
    changed = [e for e in AuditEvent.select() if e.kind == "job_changed"]
    assert [e.reference for e in changed] == ["backup", "channels"]


def test_the_nightly_backup_keeps_its_last_fourteen(ctx, monkeypatch) -> None:
    ctx.backup_dir.mkdir(parents=True)
    for day in range(1, 17):
        (ctx.backup_dir / f"zhanggui-202611{day:02d}-023000.zgbak").write_bytes(b"old")
    (ctx.backup_dir / "keep-me.zgbak").write_bytes(b"mine")
    outcome = schedule.run("backup", ctx, force=True)
    assert outcome is not None and outcome.ok
    left = sorted(p.name for p in ctx.backup_dir.iterdir())
    assert len([n for n in left if n.startswith("zhanggui-")]) == 14
    assert "keep-me.zgbak" in left and "zhanggui-20261101-023000.zgbak" not in left


def test_the_low_stock_digest_names_what_to_reorder(ctx) -> None:
    from store.models import Product, ReorderRule, Warehouse

    ReorderRule.get_or_create(product=Product.get(Product.sku == "TEA"),
                              warehouse=Warehouse.get(Warehouse.code == "STORE"),
                              defaults={"min_qty": 5, "max_qty": 30})
    outcome = schedule.run("low_stock", ctx, force=True)
    assert outcome is not None and outcome.ok
    assert outcome.message == "1 product(s) to reorder: 绿茶 (0 left)"


def test_the_worker_beats_runs_what_is_due_and_stops_cleanly(ctx) -> None:
    every = sorted(tasks.PLANS)
    stop = threading.Event()
    ran: list[str] = []
    thread = threading.Thread(target=schedule.serve, args=(ctx, stop),
                              kwargs={"poll": 0.05, "on_run": lambda n, o: ran.append(n)})
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(ran) < len(every) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(ran) == every
        assert [h for h, _s, _seen in schedule.workers()] == ["test-host:1"]
    finally:  # a worker left running (a pg_dump under way) would block the next test's TRUNCATE
        stop.set()
        thread.join(30)
    assert not thread.is_alive() and WorkerBeat.select().count() == 0
    assert sorted(ran) == every  # nothing twice


def test_the_channels_job_syncs_each_channel_and_says_which_failed(ctx) -> None:
    from sims.top_router import TopRouter, error
    from store.channels import links
    from tests.store.test_channel_top import NOW, trades

    inventory.post_opening_stock("COKE", "STORE", "500")
    with TopRouter() as good, TopRouter(app_key="87654321") as bad:
        trades(good, 0, 3, hours_ago=2)
        for r, name in ((good, "taobao"), (bad, "tmall")):
            links.add_link(ctx.actor, name, url=r.url, secrets={
                "app_key": r.app_key, "app_secret": r.secret, "session": r.session})
        from store.models import ChannelLink

        ChannelLink.update(cursor=(NOW - dt.timedelta(hours=3)).isoformat()).execute()
        bad.refuse = [error(27, "Invalid session", "invalid-sessionkey")]
        outcome = schedule.run("channels", ctx, force=True)
        assert outcome is not None and not outcome.ok
        assert "taobao: 3 new, 0 changed, 0 refused" in outcome.message
        assert "tmall: Taobao refused taobao.trades.sold.increment.get: invalid-sessionkey" in outcome.message
        assert links.get("tmall").status == "stopped"
        again = schedule.run("channels", ctx, force=True)
        assert again is not None and "tmall: stopped" in again.message
        assert len(bad.calls) == 1  # a stopped channel is not asked again until renewed


def test_jobs_are_kept_in_the_database_not_in_the_worker(ctx, tmp_path: Path) -> None:
    schedule.ensure()
    Job.update(every=30).where(Job.name == "channels").execute()
    schedule.ensure()  # a new version's defaults never undo an owner's change
    assert schedule.get("channels").every == 30
    assert Job.select().count() == len(tasks.PLANS)
