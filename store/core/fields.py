"""Peewee fields that keep money and quantities as exact integers in the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import BigIntegerField, fn

from store.core.money import COST_PLACES, MONEY_PLACES, QTY_PLACES, from_minor, to_minor


class ScaledDecimalField(BigIntegerField):
    """A Decimal with a fixed number of places, stored as an integer (12.34 with 2 places → 1234)."""

    places = MONEY_PLACES

    def __init__(self, *args: Any, places: int | None = None, **kwargs: Any) -> None:
        if places is not None:
            self.places = places
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError(f"{getattr(self, 'name', 'field')}: floats never carry money or quantities")
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        return to_minor(value, self.places)

    def python_value(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        return from_minor(int(value), self.places)


class MoneyField(ScaledDecimalField):
    """An amount in 分 (or the currency's minor unit)."""

    places = MONEY_PLACES


class CostField(ScaledDecimalField):
    """A unit cost with 4 places, so moving-average costing stays exact to the cent in total."""

    places = COST_PLACES


class QtyField(ScaledDecimalField):
    """A quantity with 3 places (kilograms to the gram), stored in thousandths."""

    places = QTY_PLACES


def scaled_sum(field: ScaledDecimalField) -> Any:
    """SUM of a scaled field as an SQL expression; read the result back with `from_scaled`."""
    return fn.COALESCE(fn.SUM(field), 0)


def from_scaled(field: ScaledDecimalField, raw: Any) -> Decimal:
    """Convert a raw SUM (int on SQLite, Decimal on PostgreSQL) back to an exact Decimal."""
    return from_minor(int(raw or 0), field.places)
