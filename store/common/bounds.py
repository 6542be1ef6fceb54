"""Sane bounds on what enters the shop: a line of 99,999 units or a price of ¥10,000,000 is a
typo, a shifted column or an attack (a channel file's quantity of 99999999999 drove on-hand
to minus a hundred billion). Beyond a bound the input is refused by row and field. The owner
can move a bound with `settings` keys `max_line_qty` / `max_price`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from store.common import settings
from store.core.errors import ValidationError
from store.core.i18n import _, field_label
from store.core.money import format_money, format_qty

MAX_LINE_QTY = Decimal(99_999)  # units (or kg) on one line, move or order line
MAX_PRICE = Decimal(10_000_000)  # yuan for one unit


def line_qty_limit() -> Decimal:
    return Decimal(str(settings.read("max_line_qty", MAX_LINE_QTY)))


def price_limit() -> Decimal:
    return Decimal(str(settings.read("max_price", MAX_PRICE)))


def _check(value: Decimal, limit: Decimal, message: str, shown: Callable[[Decimal], str],
           field: str, row: int | None) -> Decimal:
    if abs(value) > limit:
        raise ValidationError(message.format(field=field_label(field), value=shown(value),
                                             limit=shown(limit)),
                              field=field, value=value, row=row)
    return value


def check_qty(qty: Decimal, *, field: str = "qty", row: int | None = None) -> Decimal:
    return _check(qty, line_qty_limit(), _("{field}: '{value}' is more than {limit}, the most "
                                           "one line may carry"), format_qty, field, row)


def check_price(price: Decimal, *, field: str = "price", row: int | None = None) -> Decimal:
    return _check(price, price_limit(), _("{field}: '{value}' is more than {limit}, the most "
                                          "a unit may cost"), format_money, field, row)
