"""A day as people and spreadsheets write it: 2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日,
or a spreadsheet's date cell (2026-11-30T00:00:00). Anything else — 11/30/2026, 30.11.2026, a
day that does not exist — is refused naming the field and the value, never guessed."""

from __future__ import annotations

import datetime as dt
import re

from store.core.errors import ValidationError
from store.core.i18n import _

_DAY = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
                  r"(?:[T ]00:00(?::00)?)?")


def parse_day(value: str, *, field: str, row: int | None = None) -> dt.date:
    text = value.strip()
    match = _DAY.fullmatch(text)
    if match is None:
        raise ValidationError(_("{field}: '{value}' is not a date (YYYY-MM-DD)").format(
            field=field, value=text), field=field, value=text, row=row)
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2026-02-30: the shape is right, the day does not exist
        raise ValidationError(_("{field}: there is no date {value}").format(
            field=field, value=text), field=field, value=text, row=row) from None
