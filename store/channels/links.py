"""Online shops connected by their APIs (issue 17.1): added, listed, removed by a user allowed
to, with the credentials sealed by the shop's data key — a list shows that a link has them,
never what they are — and each change in the audit chain."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from urllib.parse import urlsplit

from store.channels.base import SyncReport
from store.channels.shipments import Told
from store.channels.stock_push import Pushed
from store.channels.top import SessionExpired
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _
from store.models import ChannelLink, utcnow
from store.security import audit, crypto, permissions
from store.security.auth import SessionUser
from store.shops import org

STATUSES = {"new": N_("new"), "ok": N_("ok"), "syncing": N_("syncing"),
            "retrying": N_("retrying"),
            "stopped": N_("stopped")}  # a link's status, as `channels list` shows it
LEASE = dt.timedelta(minutes=15)  # a sync not heard of for this long was killed
KINDS = ("taobao", "tmall", "shopify", "kuaidi100")  # built in; couriers may be plug-ins too
NEEDS = {"taobao": ("app_key", "app_secret", "session"),
         "tmall": ("app_key", "app_secret", "session"), "shopify": ("token",),
         "kuaidi100": ("customer", "key")}


@dataclass(frozen=True)
class LinkView:
    name: str
    kind: str
    url: str
    warehouse: str
    cursor: str
    status: str
    message: str
    synced_at: dt.datetime | None
    active: bool


def view(link: ChannelLink) -> LinkView:
    return LinkView(link.name, link.kind, link.url, link.warehouse, link.cursor, link.status,
                    link.message, link.synced_at, link.active)


@unit_of_work
def add_link(actor: SessionUser, kind: str, *, name: str = "", url: str, secrets: dict[str, str],
             warehouse: str = "STORE") -> LinkView:
    """Connect an online shop: needs `change_settings`; every credential the kind needs, each
    one line of printable text; an http(s) URL; a warehouse that exists."""
    permissions.check(actor, "change_settings", reference=kind[:64])
    kind = kind.strip().lower()
    needs = needs_of(kind)
    if needs is None:
        raise ValidationError(_("channel: '{value}' is not one this version connects to (it "
                                "knows {kinds})").format(value=kind[:40], kinds=", ".join(KINDS)),
                              field="kind", value=kind[:40])
    name = text.code(name or kind, field="name").lower()
    old = ChannelLink.get_or_none(ChannelLink.name == name)
    if old is not None and old.active:
        raise ValidationError(_("channel: '{value}' is connected already").format(value=name),
                              field="name", value=name)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("url: '{value}' is not an http(s) address").format(
            value=url[:80]), field="url", value=url[:80])
    clean: dict[str, str] = {}
    for key in needs:
        value = text.clean(secrets.get(key, ""), field=key)
        if not value or len(value) > 500:
            raise ValidationError(_("{field}: missing or longer than 500 characters").format(
                field=key), field=key, value="")
        clean[key] = value
    org.get_warehouse(warehouse)  # NotFound names it
    values = {"kind": kind, "url": url.strip(), "secrets": crypto.seal(json.dumps(clean)),
              "warehouse": warehouse.strip().upper()}
    if old is None:
        link = ChannelLink.create(name=name, **values)
    else:  # connected again after a removal: where its syncs stopped is kept for the same kind
        ChannelLink.update(active=True, status="new", message="",
                           cursor=old.cursor if old.kind == kind else "",
                           **values).where(ChannelLink.id == old.id).execute()
        link = ChannelLink.get_by_id(old.id)
    audit.record("channel_added", {"name": name, "kind": kind, "url": link.url,
                                   "warehouse": link.warehouse}, user_id=actor.id,
                 reference=name)
    return view(link)


def needs_of(kind: str) -> tuple[str, ...] | None:
    """The credentials a kind needs; None for a kind nobody provides. A courier plug-in
    (entry-point group `zhanggui.couriers`) names its own in its factory's NEEDS."""
    if kind in NEEDS:
        return NEEDS[kind]
    for ep in entry_points(group="zhanggui.couriers"):
        if ep.name == kind:
            return tuple(str(n) for n in getattr(ep.load(), "NEEDS", ()))
    return None


def links(*, all_: bool = False) -> list[LinkView]:
    query = ChannelLink.select().order_by(ChannelLink.name)
    if not all_:
        query = query.where(ChannelLink.active)
    return [view(link) for link in query]


def get(name: str) -> ChannelLink:
    link = ChannelLink.get_or_none(ChannelLink.name == name.strip().lower())
    if link is None or not link.active:
        raise NotFound(_("No connected channel '{name}'").format(name=name[:40]))
    return link


def secrets_of(link: ChannelLink) -> dict[str, str]:
    """The credentials, opened only to make a call; never returned to a screen or printed."""
    return dict(json.loads(crypto.unseal(link.secrets)))


@unit_of_work
def remove_link(actor: SessionUser, name: str) -> LinkView:
    """Disconnect: the link is kept, its credentials wiped (its orders stay as they are)."""
    permissions.check(actor, "change_settings", reference=name[:64])
    link = get(name)
    ChannelLink.update(active=False, secrets=crypto.seal("{}"), status="stopped",
                       message="removed").where(ChannelLink.id == link.id).execute()
    audit.record("channel_removed", {"name": link.name}, user_id=actor.id, reference=link.name)
    return view(ChannelLink.get_by_id(link.id))


class SyncRunning(StoreError):
    """Another sync of the same channel holds it."""


@unit_of_work
def claim(link_id: int) -> None:
    """Take the channel for one sync: two started at once (cron and a hand, two machines)
    would fetch the same windows and race to insert the same orders, so the second is told
    the first is running. One UPDATE decides, atomically on either engine; a sync killed
    mid-way frees the channel after LEASE."""
    now = utcnow()
    taken = (ChannelLink.update(status="syncing", synced_at=now)
             .where((ChannelLink.id == link_id)
                    & ((ChannelLink.status != "syncing") | ChannelLink.synced_at.is_null()
                       | (ChannelLink.synced_at < now - LEASE)))
             .execute())
    if not taken:
        link = ChannelLink.get_by_id(link_id)
        raise SyncRunning(_("{name}: a sync has been running since {at} (UTC); this one "
                            "stops here").format(name=link.name, at=f"{link.synced_at:%H:%M}"))


@contextlib.contextmanager
def running(link: ChannelLink) -> Iterator[dt.datetime | None]:
    """One sync of a channel, whatever its API: the channel taken (`claim`), where it last
    stopped handed over (None before its first sync), and whatever stops the sync said on
    the channel — an expired session `stopped`, anything else `retrying` — then raised."""
    claim(link.id)
    try:
        yield _moment(get(link.name).cursor)
    except SessionExpired as err:
        note(link.id, status="stopped", message=str(err))
        raise
    except StoreError as err:
        note(link.id, status="retrying", message=str(err))
        raise
    except Exception as err:  # the channel is freed and says why, whatever went wrong
        note(link.id, status="retrying", message=f"{type(err).__name__}: {err}")
        raise


def _moment(cursor: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(cursor) if cursor else None
    except ValueError:
        return None


@unit_of_work
def note(link_id: int, *, status: str, message: str = "", cursor: str | None = None) -> None:
    """How a sync went, and where the next one starts: in a transaction of its own, after
    the orders it fetched were committed."""
    values: dict[object, object] = {ChannelLink.status: status,
                                    ChannelLink.message: message[:300],
                                    ChannelLink.synced_at: utcnow()}
    if cursor is not None:
        values[ChannelLink.cursor] = cursor
    ChannelLink.update(values).where(ChannelLink.id == link_id).execute()


def told_back(link_id: int, report: SyncReport, told: Told, pushed: Pushed) -> None:
    """What went back to the channel after a sync's orders: on the report and the link."""
    report.told, report.not_told = told.done, told.failed
    report.pushed, report.not_pushed = pushed.done, pushed.failed
    if told.done or told.failed or pushed.done or pushed.failed:
        note(link_id, status="ok", message=_(
            "{count} order(s); {told} shipment(s) told, {pushed} stock level(s) sent, "
            "{failed} to try again").format(
                count=report.total, told=told.done, pushed=pushed.done,
                failed=len(told.failed) + len(pushed.failed))
            + (_("; {held} held, {refused} refused").format(
                held=len(report.held), refused=len(report.rejected))
               if report.held or report.rejected else ""))


def so_far(report: SyncReport, end: str) -> str:
    """A sync's progress as the channel's message: the orders so far and, so that they are
    seen without the command's output, how many a person must look at."""
    said = _("{count} order(s) to {end}").format(count=report.total, end=end)
    if report.held or report.rejected:
        said += _("; {held} held, {refused} refused (the first: {why})").format(
            held=len(report.held), refused=len(report.rejected),
            why=(report.held or report.rejected)[0][1][:120])
    return said
