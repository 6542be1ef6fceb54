"""Aging: what is owed, by how long it has been overdue on a day, summed in SQL. Shared by
accounts payable (supplier bills) and accounts receivable (sales on account)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, Cast, Value, fn

from store.core.db import is_postgres
from store.core.fields import from_scaled
from store.core.money import ZERO

BUCKETS = ((0, 0), (1, 30), (31, 60), (61, 90), (91, None))  # days overdue; 0: not yet due


@dataclass(frozen=True)
class AgingRow:
    code: str
    name: str
    buckets: tuple[Decimal, ...]  # not yet due, 1–30, 31–60, 61–90, over 90 days overdue

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


def days_between(column: Any, day: dt.date) -> Any:
    """day − column in days, in SQL on either engine."""
    if is_postgres():
        return Cast(Value(day.isoformat()), "DATE") - column  # date − date: days, an integer
    return fn.julianday(day.isoformat()) - fn.julianday(column)


def aging(document: Any, party: Any, *, amount: Any, dated: Any, due: Any, allocation: Any,
          allocated_to: Any, day: dt.date) -> list[AgingRow]:
    """Per party (code, name): documents dated by `day` less what was allocated to them by
    `day`, in buckets by days overdue. `document`/`party` are models; the rest their fields."""
    paid = (allocation.select(allocated_to, fn.SUM(allocation.amount).alias("amount"))
            .where(allocation.date <= day).group_by(allocated_to).alias("paid"))
    open_amount = amount - fn.COALESCE(paid.c.amount, 0)
    overdue = days_between(due, day)
    columns = []
    for lo, hi in BUCKETS:
        cond = (overdue <= 0) if hi == 0 else (
            (overdue >= lo) if hi is None else ((overdue >= lo) & (overdue <= hi)))
        columns.append(fn.SUM(Case(None, [(cond, open_amount)], 0)))
    rows: Any = (document.select(party.code, party.name, *columns)
                 .join(party).switch(document)
                 .join(paid, JOIN.LEFT_OUTER,
                       on=(getattr(paid.c, allocated_to.column_name) == document.id))
                 .where((dated <= day) & (open_amount != 0))
                 .group_by(party.code, party.name).order_by(party.code).tuples())
    out = [AgingRow(code, name, tuple(from_scaled(amount, v) for v in values))
           for code, name, *values in rows]
    return [r for r in out if r.total]
