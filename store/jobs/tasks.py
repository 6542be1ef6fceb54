"""What the shop's scheduled jobs do: each a plain function of the worker's context, returning
how it went in words (the Jobs screen's "last result"). A job that partly fails (one channel
of three) says which and is a failure, after doing the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.assurance import backup
from store.buying import reorder
from store.channels import links, syncing, tracking
from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.core.money import format_money
from store.security.auth import SessionUser
from store.selling import points, vouchers

BACKUPS_KEPT = 14  # the nightly backup keeps this many of its own files


@dataclass(frozen=True)
class Context:
    """Who the worker acts as (its jobs need that user's permissions), where the database
    is (a backup copies it), where backups go, and which worker this is."""

    actor: SessionUser
    db_url: str
    backup_dir: Path
    holder: str
    passphrase: str | None = None  # backups encrypted with it when given


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


@dataclass(frozen=True)
class Plan:
    label: str  # N_(): translated where shown
    every: int  # minutes; 0: daily at `at`
    at: str
    lease: dt.timedelta  # longest a run may take before another worker may take the job
    enabled: bool = True


PLANS: dict[str, Plan] = {
    "channels": Plan(N_("Online orders (channel syncs)"), 10, "", dt.timedelta(minutes=30)),
    "tracking": Plan(N_("Couriers' tracking"), 60, "", dt.timedelta(minutes=30)),
    "backup": Plan(N_("Nightly backup"), 0, "02:30", dt.timedelta(hours=3)),
    "low_stock": Plan(N_("Low-stock digest"), 0, "07:00", dt.timedelta(minutes=10)),
    "vouchers": Plan(N_("Expired gift vouchers"), 0, "00:15", dt.timedelta(minutes=10)),
    "points": Plan(N_("Lapsed members' points"), 0, "00:20", dt.timedelta(minutes=10)),
}


def channels(ctx: Context) -> Outcome:
    """Sync every connected channel that is not stopped; one failing does not stop the rest."""
    said, failed = [], 0
    for view in links.links():
        if tracking.is_courier(view.kind):
            continue
        if view.status == "stopped":
            failed += 1
            said.append(_("{name}: stopped ({message})").format(name=view.name,
                                                               message=view.message))
            continue
        try:
            report = syncing.sync(ctx.actor, links.get(view.name))
        except StoreError as err:  # TopError, SyncRunning, a refused permission
            failed += 1
            said.append(_("{name}: {message}").format(name=view.name, message=err))
            continue
        line = _("{name}: {created} new, {updated} changed, {rejected} refused").format(
            name=view.name, created=report.created, updated=report.updated,
            rejected=len(report.rejected))
        if report.told or report.not_told or report.pushed or report.not_pushed:
            line += _(", {told} shipment(s) told, {pushed} stock level(s) sent, {failed} to "
                      "try again").format(told=report.told, pushed=report.pushed,
                                          failed=len(report.not_told) + len(report.not_pushed))
        said.append(line)
    if not said:
        return Outcome(True, _("no channel connected"))
    return Outcome(failed == 0, "; ".join(said))


def tracking_refresh(ctx: Context) -> Outcome:
    done = tracking.refresh()
    if done is None:
        return Outcome(True, _("no courier API connected"))
    message = _("{asked} tracked, {delivered} delivered").format(asked=done.asked,
                                                                  delivered=done.delivered)
    if done.failed:
        message += "; " + "; ".join(f"{n}: {why}" for n, why in done.failed[:5])
    return Outcome(not done.failed, message)


def nightly_backup(ctx: Context) -> Outcome:
    ctx.backup_dir.mkdir(parents=True, exist_ok=True)
    info = backup.backup(ctx.db_url, ctx.backup_dir, passphrase=ctx.passphrase)
    mine = sorted(ctx.backup_dir.glob("zhanggui-*.zgbak"))
    for old in mine[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return Outcome(True, _("{path} ({size:,} bytes{encrypted})").format(
        path=info.path, size=info.size, encrypted=_(", encrypted") if info.encrypted else ""))


def low_stock(ctx: Context) -> Outcome:
    found = reorder.suggestions()
    if not found:
        return Outcome(True, _("nothing to reorder"))
    shown = ", ".join(_("{name} ({qty} left)").format(name=s.name, qty=s.on_hand.normalize())
                      for s in found[:8])
    more = len(found) - 8
    return Outcome(True, _("{count} product(s) to reorder: {names}").format(
        count=len(found), names=shown) + (_(" … and {more} more").format(more=more)
                                          if more > 0 else ""))


def expired_vouchers(ctx: Context) -> Outcome:
    count, total = vouchers.expire(ctx.actor.id)
    if not count:
        return Outcome(True, _("no gift voucher expired"))
    return Outcome(True, _("{count} gift voucher(s) expired, {amount} no longer owed").format(
        count=count, amount=format_money(total)))


def lapsed_points(ctx: Context) -> Outcome:
    members, lapsed = points.expire(ctx.actor.id)
    if not lapsed:
        return Outcome(True, _("no points lapsed"))
    return Outcome(True, _("{points} points of {members} member(s) lapsed").format(
        points=f"{lapsed:,}", members=members))


TASKS: dict[str, Callable[[Context], Outcome]] = {
    "channels": channels, "tracking": tracking_refresh, "backup": nightly_backup,
    "low_stock": low_stock, "vouchers": expired_vouchers, "points": lapsed_points,
}
