"""The shop's clock: facts are stored in naive UTC; days, receipts and reports use local time.

The zone is the shop's `timezone` setting (an IANA name such as Asia/Shanghai), else the
machine's. A shift opened at 07:30 in Beijing is 23:30 UTC the day before: days must be
counted in the shop's zone, never in UTC.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ValidationError
from .i18n import _
from .models import Setting, utcnow


def shop_zone() -> dt.tzinfo:
    row = Setting.get_or_none(Setting.key == "timezone")
    if row is not None:
        return ZoneInfo(json.loads(row.value))
    local = dt.datetime.now().astimezone().tzinfo
    return local if local is not None else dt.UTC


def set_shop_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("timezone: unknown time zone '{value}'").format(value=name),
                              field="timezone", value=name) from exc
    value = json.dumps(name)
    (Setting.insert(key="timezone", value=value)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())


def to_local(stamp: dt.datetime, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A stored (naive UTC) time in the shop's zone."""
    return stamp.replace(tzinfo=dt.UTC).astimezone(zone or shop_zone())


def local_date(stamp: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    return to_local(stamp, zone).date()


def local_today(zone: dt.tzinfo | None = None) -> dt.date:
    return local_date(utcnow(), zone)


def day_bounds(day: dt.date, zone: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The shop's local day as [start, end) in naive UTC, for queries on stored times."""
    z = zone or shop_zone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=z)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=z)
    return (start.astimezone(dt.UTC).replace(tzinfo=None),
            end.astimezone(dt.UTC).replace(tzinfo=None))
