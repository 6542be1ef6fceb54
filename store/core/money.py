"""Money and quantities: Decimal in Python, integer minor units in the database, one rounding rule.

Every amount on a receipt, in the ledger and in a report is rounded here, so they cannot disagree.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from store.core.errors import ValidationError
from store.core.i18n import _, field_label

CENT = Decimal("0.01")
MONEY_PLACES = 2
QTY_PLACES = 3
COST_PLACES = 4  # unit cost keeps 4 places so a moving average does not drift by a cent per move
QTY_STEP = Decimal("0.001")
ZERO = Decimal("0")

_CURRENCY_NOISE = re.compile(r"[\s￥¥$元]|CNY|RMB", re.IGNORECASE)
# Commas are thousands separators only where they group three digits: '1,200.50'. Elsewhere
# ('3,00', '3,5') a comma is a decimal comma from another locale, which dropping would turn
# into ¥300.00, so it is refused.
_PLAIN = re.compile(r"[0-9]{1,12}(\.[0-9]{1,6})?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def quantize(value: Decimal, step: Decimal = CENT) -> Decimal:
    """Round half up to `step` (0.01 by default; 0.1 or 1 for cash rounding)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"money must be Decimal, got {type(value).__name__}")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    return quantize(value, CENT)


# The smallest coins a shop may round cash to: 1 分 (none), 1 角, 5 角, 1 元.
CASH_STEPS = (Decimal("0.01"), Decimal("0.1"), Decimal("0.5"), Decimal("1"))


def cash_round(value: Decimal, step: Decimal | None) -> Decimal:
    """Round a cash amount to the shop's smallest coin (e.g. 0.10 元); None means to the cent."""
    if step is None or step == CENT:
        return round_money(value)
    return quantize(value / step, Decimal(1)) * step


def to_minor(value: Decimal, places: int = MONEY_PLACES) -> int:
    """Exact conversion to integer minor units; refuses to round silently."""
    if isinstance(value, float) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal, got {type(value).__name__}")
    scaled = Decimal(value).scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


def from_minor(value: int, places: int = MONEY_PLACES) -> Decimal:
    return Decimal(int(value)).scaleb(-places)


LARGEST_AMOUNT = Decimal(10) ** 12


def parse_decimal(text: str | Decimal | int, *, field: str, places: int = MONEY_PLACES,
                  allow_negative: bool = False, row: int | None = None) -> Decimal:
    """Parse user text such as '12.5', '￥12.50', '12.50元', '1,200' into a Decimal.

    Raises ValidationError naming the field and the value when it is not a number, is
    negative (unless allowed) or has more decimal places than the field stores.
    """
    if isinstance(text, float):
        raise TypeError("floats never carry money")
    raw = text
    if isinstance(text, str) and _PLAIN.fullmatch(text):  # '3.50': most cells of a file
        value = Decimal(text)
    elif isinstance(text, str):
        cleaned = _CURRENCY_NOISE.sub("", text.strip().lstrip("'"))
        if "," in cleaned:
            if not _GROUPED.fullmatch(cleaned):
                raise ValidationError(
                    _("{field}: '{value}' has a comma that does not group thousands; write "
                      "decimals with a point ({example})").format(
                        field=field_label(field), value=raw,
                        example=cleaned.replace(",", ".", 1) if cleaned.count(",") == 1
                        else "1,200.50"),
                    field=field, value=raw, row=row)
            cleaned = cleaned.replace(",", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = Decimal("NaN")
    else:
        value = Decimal(text)
    if not value.is_finite():
        raise ValidationError(
            _("{field}: '{value}' is not a number").format(field=field_label(field), value=raw),
            field=field, value=raw, row=row)
    if value < 0 and not allow_negative:
        raise ValidationError(
            _("{field}: '{value}' must not be negative").format(field=field_label(field), value=raw),
            field=field, value=raw, row=row)
    # A 64-bit column holds about 9.2e16 yuan in 分; anything near that is a typo or an attack,
    # and quantizing '1E100' would overflow the decimal context.
    if abs(value) >= LARGEST_AMOUNT:
        raise ValidationError(
            _("{field}: '{value}' is too large").format(field=field_label(field), value=raw),
            field=field, value=raw, row=row)
    # Excel saves a long number as '1.23457E+11' in a CSV: the digits after the sixth are
    # gone, so a power of ten is refused, never read as the number it no longer holds.
    if isinstance(raw, str) and "E" in raw.upper():
        raise ValidationError(
            _("{field}: '{value}' is a number in powers of ten; write it in full (a "
              "spreadsheet that shows 1.23457E+11 has cut its digits)").format(
                field=field_label(field), value=raw),
            field=field, value=raw, row=row)
    if value != value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise ValidationError(
            _("{field}: '{value}' has more than {places} decimal places").format(
                field=field_label(field), value=raw, places=places),
            field=field, value=raw, row=row)
    return value.quantize(Decimal(1).scaleb(-places))


def parse_cash_step(text: str, *, field: str = "cash_rounding") -> Decimal:
    """The smallest coin cash is rounded to: 0.01 (to the fen: no rounding), 0.1, 0.5 or 1;
    empty is 0.01."""
    step = parse_decimal(text.strip() or "0.01", field=field)
    if step not in CASH_STEPS:
        raise ValidationError(_("{field}: '{value}' must be 0.01, 0.1, 0.5 or 1").format(
            field=field_label(field), value=text.strip()), field=field, value=text.strip())
    return step


def tax_included(amount: Decimal, rate: Decimal) -> Decimal:
    """Tax contained in a tax-inclusive line amount: amount × rate / (1 + rate), to the cent."""
    return round_money(amount * rate / (1 + rate))


def tax_added(amount: Decimal, rate: Decimal) -> Decimal:
    """Tax on top of a tax-exclusive line amount, to the cent."""
    return round_money(amount * rate)


def line_tax(amount: Decimal, rate: Decimal, prices_include_tax: bool) -> Decimal:
    """Tax of one line, derived per line so that Σ line taxes is what the receipt and ledger show."""
    return tax_included(amount, rate) if prices_include_tax else tax_added(amount, rate)


def format_money(value: Decimal, symbol: str = "￥") -> str:
    """'￥1,234.50': the full-width yuan sign (U+FFE5) that receipts and screens use."""
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(round_money(value)):,.2f}"


def format_qty(value: Decimal) -> str:
    """Quantities without trailing zeros: 3, 0.25, 1.125."""
    q = value.quantize(QTY_STEP)
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
