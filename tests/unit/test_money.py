"""Money and tax rounding: exact integers in the database, half-up to the cent, no floats."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.core.errors import ValidationError
from store.core.fields import MoneyField, QtyField
from store.core.money import (
    cash_round,
    format_money,
    format_qty,
    from_minor,
    line_tax,
    parse_decimal,
    round_money,
    tax_included,
    to_minor,
)

cents = st.integers(min_value=-10**12, max_value=10**12)
amounts = cents.map(lambda c: Decimal(c).scaleb(-2))
rates = st.sampled_from([Decimal("0.13"), Decimal("0.09"), Decimal("0.06"), Decimal("0")])


@given(cents)
def test_minor_units_round_trip(c: int) -> None:
    assert to_minor(from_minor(c)) == c


@given(amounts)
def test_money_field_round_trip(a: Decimal) -> None:
    f = MoneyField()
    assert f.python_value(f.db_value(a)) == a


def test_half_up_not_bankers() -> None:
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("0.135")) == Decimal("0.14")
    assert round_money(Decimal("-0.125")) == Decimal("-0.13")
    assert round_money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


def test_to_minor_refuses_to_round_silently() -> None:
    with pytest.raises(ValueError):
        to_minor(Decimal("1.005"))
    with pytest.raises(TypeError):
        to_minor(1.5)  # type: ignore[arg-type]


def test_fields_refuse_floats() -> None:
    with pytest.raises(TypeError):
        MoneyField().db_value(1.1)
    assert QtyField().db_value(Decimal("1.250")) == 1250


def test_float_operation_is_trapped() -> None:
    with pytest.raises(decimal.FloatOperation):
        Decimal(1.1)  # noqa: RUF032 (the float is the point)
    with pytest.raises(decimal.FloatOperation):
        assert Decimal("1.10") < 1.2  # type: ignore[operator]


@given(amounts.filter(lambda a: a >= 0), rates)
def test_included_tax_never_exceeds_amount_and_net_plus_tax_is_amount(a: Decimal, r: Decimal
                                                                       ) -> None:
    tax = tax_included(a, r)
    assert Decimal(0) <= tax <= a
    assert tax == tax.quantize(Decimal("0.01"))
    net = a - tax
    # the tax is the correctly rounded share of the amount: within half a cent of exact
    assert abs(tax - a * r / (1 + r)) <= Decimal("0.005")
    assert net + tax == a


@given(st.lists(amounts.filter(lambda a: a >= 0), min_size=1, max_size=30), rates)
def test_receipt_tax_is_the_sum_of_line_taxes(lines: list[Decimal], r: Decimal) -> None:
    per_line = [line_tax(a, r, True) for a in lines]
    # What the receipt prints and the ledger posts is this sum, derived line by line.
    assert sum(per_line, Decimal(0)) == sum((tax_included(a, r) for a in lines), Decimal(0))
    assert all(t == round_money(t) for t in per_line)


def test_tax_exclusive_adds_on_top() -> None:
    assert line_tax(Decimal("100.00"), Decimal("0.13"), False) == Decimal("13.00")
    assert line_tax(Decimal("113.00"), Decimal("0.13"), True) == Decimal("13.00")


@given(amounts)
def test_cash_rounding_to_ten_fen(a: Decimal) -> None:
    r = cash_round(a, Decimal("0.10"))
    assert r == r.quantize(Decimal("0.1"))
    assert abs(r - a) <= Decimal("0.05")


def test_cash_rounding_examples() -> None:
    assert cash_round(Decimal("12.34"), Decimal("0.10")) == Decimal("12.30")
    assert cash_round(Decimal("12.35"), Decimal("0.10")) == Decimal("12.40")
    assert cash_round(Decimal("12.35"), None) == Decimal("12.35")


@pytest.mark.parametrize(("text", "value"), [("12.5", "12.50"), ("￥12.50", "12.50"),
                                             ("12.50元", "12.50"), ("1,200", "1200.00"),
                                             (" 3 ", "3.00")])
def test_parse_decimal_accepts_what_merchants_type(text: str, value: str) -> None:
    assert parse_decimal(text, field="price") == Decimal(value)


@pytest.mark.parametrize(("text", "words"), [("abc", "not a number"), ("-1", "negative"),
                                             ("1.234", "decimal places"), ("NaN", "not a number"),
                                             ("", "not a number"), ("1E100", "too large"),
                                             ("-1E100", "negative"),
                                             ("1e11", "powers of ten"),
                                             ("1.23457E+11", "write it in full")])
def test_parse_decimal_names_field_and_value(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_decimal(text, field="price", row=7)
    assert words in str(err.value) and "price" in str(err.value)
    assert err.value.row == 7 and err.value.field == "price"


def test_formatting() -> None:
    assert format_money(Decimal("1234.5")) == "￥1,234.50"
    assert format_money(Decimal("-3")) == "-￥3.00"
    assert format_qty(Decimal("3.000")) == "3"
    assert format_qty(Decimal("0.250")) == "0.25"
