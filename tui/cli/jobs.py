"""`zhanggui worker` runs the shop's scheduled jobs; `zhanggui jobs list|run|set|history` shows
and changes them (issue 17.6). Under systemd: docs/JOBS.md has a unit file."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from types import FrameType

from store.common import clock
from store.core import config
from store.core.config import Config
from store.core.i18n import _
from store.jobs import schedule
from store.jobs.tasks import Context, Outcome

from .backup import PASSPHRASE_ENV
from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    w = sub.add_parser("worker", help=_("run the shop's scheduled jobs (channel syncs, "
                                        "tracking, the nightly backup, the low-stock digest)"))
    w.add_argument("--once", action="store_true",
                   help=_("run what is due now, then stop (for cron)"))
    w.add_argument("--poll", type=float, default=20.0, metavar="SECONDS",
                   help=_("how often to look for due jobs (default 20)"))
    add_actor(w, _("the user the jobs act as (its PIN or password is read from stdin when "
                   "piped: systemd's StandardInput=file:…)"))
    w.set_defaults(func=cmd_worker)
    j = sub.add_parser("jobs", help=_("the scheduled jobs: when they run and how they went"))
    jsub = j.add_subparsers(dest="jobs_command", metavar=_("COMMAND"), required=True)
    ls = jsub.add_parser("list", help=_("every job, its schedule, next run and last result"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    rn = jsub.add_parser("run", help=_("run a job now, whatever its schedule"))
    rn.add_argument("name")
    add_actor(rn)
    rn.set_defaults(func=cmd_run)
    st = jsub.add_parser("set", help=_("change a job's schedule, or turn it on or off"))
    st.add_argument("name")
    when = st.add_mutually_exclusive_group()
    when.add_argument("--every", type=int, metavar="MINUTES", help=_("every N minutes"))
    when.add_argument("--at", metavar="HH:MM", help=_("daily at this time (shop time)"))
    on = st.add_mutually_exclusive_group()
    on.add_argument("--on", dest="enabled", action="store_const", const=True, default=None,
                    help=_("turn it on"))
    on.add_argument("--off", dest="enabled", action="store_const", const=False,
                    help=_("turn it off"))
    add_actor(st)
    st.set_defaults(func=cmd_set)
    hs = jsub.add_parser("history", help=_("a job's last runs"))
    hs.add_argument("name")
    hs.add_argument("--json", action="store_true", help=_("print JSON"))
    hs.set_defaults(func=cmd_history)


def _context(args: argparse.Namespace, cfg: Config) -> Context:
    return Context(actor=acting_user(args.actor), db_url=cfg.db_url,
                   backup_dir=config.data_dir() / "backups", holder=schedule.holder_name(),
                   passphrase=os.environ.get(PASSPHRASE_ENV) or None)


def _said(name: str, outcome: Outcome) -> None:
    print(_("{job}: {status} — {message}").format(
        job=name, status=_("ok") if outcome.ok else _("failed"), message=outcome.message),
        flush=True)


def cmd_worker(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    ctx = _context(args, cfg)
    if args.once:
        schedule.beat(ctx.holder)
        try:
            done = schedule.run_due(ctx)
        finally:
            schedule.gone(ctx.holder)
        for name, outcome in done.items():
            _said(name, outcome)
        if not done:
            print(_("nothing due"))
        return 0 if all(o.ok for o in done.values()) else 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(_("worker {holder} running as {user}; Ctrl+C or SIGTERM stops it").format(
        holder=ctx.holder, user=ctx.actor.username), flush=True)
    schedule.serve(ctx, stop, poll=max(1.0, args.poll), on_run=_said)
    print(_("worker stopped"), flush=True)
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = schedule.jobs()
    if args.json:
        print_json([r.__dict__ for r in rows] + [{"workers": [
            {"holder": h, "started": s, "seen": seen} for h, s, seen in schedule.workers()]}])
        return 0
    print_table([_("Job"), _("Name"), _("Schedule"), _("On"), _("Next run"), _("Last run"),
                 _("Result"), _("Message")],
                [(r.name, r.label, schedule.describe(r.every, r.at), _("yes") if r.enabled
                  else _("no"), _("running") if r.running else clock.short(r.next_run) or _("now"),
                  clock.short(r.last_started),
                  _(schedule.RESULTS[r.last_status]) if r.last_status else "",
                  r.last_message) for r in rows])
    beats = schedule.workers()
    print(_("workers: {list}").format(list=", ".join(h for h, _s, _seen in beats))
          if beats else _("no worker is running: start `zhanggui worker --as USER`"))
    return 0


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    name = schedule.get(args.name).name  # a wrong name is said before the PIN is asked
    outcome = schedule.run(name, _context(args, cfg), force=True)
    if outcome is None:
        print(_("{job}: another worker is running it now").format(job=args.name))
        return 1
    _said(args.name, outcome)
    return 0 if outcome.ok else 1


def cmd_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = schedule.change(acting_user(args.actor), args.name, every=args.every, at=args.at,
                        enabled=args.enabled)
    print(_("{job}: {schedule}, {state}").format(
        job=v.name, schedule=schedule.describe(v.every, v.at),
        state=_("on") if v.enabled else _("off")))
    return 0


def cmd_history(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    runs = schedule.history(schedule.get(args.name).name)
    if args.json:
        print_json([r.__dict__ for r in runs])
        return 0
    print_table([_("Started"), _("Finished"), _("Result"), _("By"), _("Message")],
                [(clock.short(r.started), clock.short(r.finished),
                  _(schedule.RESULTS.get(r.status, r.status)), r.by, r.message)
                 for r in runs])
    return 0
