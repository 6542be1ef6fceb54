"""The shop's clock: facts are stored in naive UTC; days, receipts and reports use local time.

The zone is the shop's `timezone` setting (an IANA name such as Asia/Shanghai), else the
machine's. A shift opened at 07:30 in Beijing is 23:30 UTC the day before: days must be
counted in the shop's zone, never in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.common import settings
from store.core.errors import ValidationError
from store.core.i18n import _
from store.models import utcnow
from store.models.base import FIXED_NOW, FROZEN_NOW


def shop_zone() -> dt.tzinfo:
    name = settings.read("timezone")
    if name is not None:
        return ZoneInfo(name)
    local = dt.datetime.now().astimezone().tzinfo
    return local if local is not None else dt.UTC


def shop_zone_name() -> str:
    """The shop's time zone as set (Asia/Shanghai), or "" for the machine's own."""
    return str(settings.read("timezone") or "")


def set_shop_zone(name: str) -> None:
    """An IANA zone for the shop's days; "" for the machine's own."""
    if not name:
        settings.write("timezone", None)
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("timezone: unknown time zone '{value}'").format(value=name),
                              field="timezone", value=name) from exc
    settings.write("timezone", name)


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Record facts as of `moment` (naive UTC, or aware) in this thread: for building the
    demo's history and for tests of past days. Never used by the till."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    token = FIXED_NOW.set(moment)
    try:
        yield
    finally:
        FIXED_NOW.reset(token)


@contextmanager
def freeze(moment: dt.datetime) -> Iterator[None]:
    """Stop the clock at `moment` for every thread (tests of screens and their workers)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    before = FROZEN_NOW[0]
    FROZEN_NOW[0] = moment
    try:
        yield
    finally:
        FROZEN_NOW[0] = before


def local_moment(day: dt.date, time: dt.time, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A local time of the shop's day as naive UTC."""
    aware = dt.datetime.combine(day, time, tzinfo=zone or shop_zone())
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(stamp: dt.datetime, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A stored (naive UTC) time in the shop's zone."""
    return stamp.replace(tzinfo=dt.UTC).astimezone(zone or shop_zone())


def local_date(stamp: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    return to_local(stamp, zone).date()


def local_now(zone: dt.tzinfo | None = None) -> dt.datetime:
    return to_local(utcnow(), zone)


def local_today(zone: dt.tzinfo | None = None) -> dt.date:
    return local_date(utcnow(), zone)


def short(stamp: object) -> str:
    """A stored time as lists show it: 12-04 15:30 in the shop's zone ("" for none)."""
    return f"{to_local(stamp):%m-%d %H:%M}" if isinstance(stamp, dt.datetime) else ""


def day_bounds(day: dt.date, zone: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The shop's local day as [start, end) in naive UTC, for queries on stored times."""
    z = zone or shop_zone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=z)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=z)
    return (start.astimezone(dt.UTC).replace(tzinfo=None),
            end.astimezone(dt.UTC).replace(tzinfo=None))
