"""Cleaning the cells of channels' exports: Excel-protected order numbers (="…"), phones with
a leading quote, amounts with ￥ or 元, dates in the channels' formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from store.common import bounds
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import parse_decimal
from store.core.text import scrub


def text(value: str) -> str:
    """="123" and '138… as the text inside; surrounding spaces and tabs gone; no control,
    invisible or bidi character kept (buyers type what they like)."""
    v = scrub(value).strip()
    if v.startswith('="') and v.endswith('"'):
        v = v[2:-1]
    return v.lstrip("'").strip()


# Beyond the shop's own limits an order is held for a person to look at (`doubts`); beyond
# these nothing is real and nothing is stored (a line's amount stays far inside BIGINT 分).
HARD_QTY = Decimal(1_000_000)
HARD_PRICE = Decimal(100_000_000)


def amount(value: str, *, field: str, row: int, doubts: list[str] | None = None) -> Decimal:
    v = text(value)
    if not v:
        return Decimal("0.00")
    price = parse_decimal(v, field=field, row=row, allow_negative=False)
    return _within(price, HARD_PRICE, bounds.check_price, field=field, row=row, doubts=doubts)


def qty(value: str, *, field: str, row: int, doubts: list[str] | None = None) -> Decimal:
    v = text(value) or "1"
    q = parse_decimal(v, field=field, places=3, row=row)
    if q <= 0:
        raise ValidationError(_("{field}: '{value}' must be greater than zero").format(
            field=field, value=v), field=field, value=v, row=row)
    return _within(q, HARD_QTY, bounds.check_qty, field=field, row=row, doubts=doubts)


def _within(value: Decimal, hard: Decimal, check: Any, *, field: str, row: int,
            doubts: list[str] | None) -> Decimal:
    """The shop's limit checked; past it, with `doubts` given and under the hard limit, the
    value is kept and the reason added (the order is held), else refused."""
    if doubts is None or value > hard:
        checked: Decimal = check(value, field=field, row=row)
        return checked
    try:
        checked = check(value, field=field, row=row)
    except ValidationError as err:
        doubts.append(str(err))
        return value
    return checked


def phone(value: str, *, row: int) -> str:
    """A recipient's phone as given ('138-0013-8000', masked 138****8000); letters are an
    error — they mean a shifted column or a typo, and a courier cannot call them."""
    v = text(value)
    if any(c.isalpha() for c in v):
        raise ValidationError(_("phone: '{value}' has letters in it").format(value=v),
                              field="phone", value=v, row=row)
    return v


def short(values: dict[str, str]) -> str | None:
    """Why a row that is shorter than the header is refused, or None when it is whole."""
    from store.core.csvfile import SHORT

    if SHORT not in values:
        return None
    have, want = values[SHORT].split("/")
    return _("the row has {have} of {want} columns; the file looks cut off").format(
        have=have, want=want)


FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
           "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S %z")


def moment(value: str) -> dt.datetime | None:
    """A channel's local time (or one with its offset) as naive UTC; None if blank."""
    from store.common import clock

    v = text(value)
    if not v or v in ("-", "null"):
        return None
    for fmt in FORMATS:
        try:
            parsed = dt.datetime.strptime(v, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=clock.shop_zone())
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)
    raise ValidationError(_("'{value}' is not a date and time").format(value=v), field="time",
                          value=v)
