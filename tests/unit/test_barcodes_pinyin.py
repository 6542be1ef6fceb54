"""Barcode check digits and reserved prefixes; pinyin keys for search."""

from __future__ import annotations

import pytest

from store.catalog import barcodes, pinyin
from store.core.errors import ValidationError


@pytest.mark.parametrize("code", ["6901234567892", "96385074", "036000291452", "16901234567899",
                                  "SHELF-0001"])
def test_valid_codes(code: str) -> None:
    assert barcodes.validate(code) == code


def test_bad_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(ValidationError) as err:
        barcodes.validate("6901234567893", row=4)
    assert "6901234567893" in str(err.value) and "expected 2" in str(err.value)
    assert err.value.row == 4


def test_in_store_prefixes_are_reserved() -> None:
    code = barcodes.with_check_digit("210012300150")
    with pytest.raises(ValidationError, match="20–29"):
        barcodes.validate(code)


@pytest.mark.parametrize("code", ["", "ab", "有中文", "a b c"])
def test_garbage_is_rejected(code: str) -> None:
    with pytest.raises(ValidationError):
        barcodes.validate(code)


def test_pinyin_keys() -> None:
    assert pinyin.keys("可口可乐 330ml") == ("kekoukele330ml", "kkkl330ml")
    assert pinyin.keys("Coca-Cola") == ("cocacola", "cocacola")
    assert pinyin.query_key("KKKL ") == "kkkl"
