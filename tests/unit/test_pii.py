"""Recognising card numbers without flagging barcodes, dates or long transaction numbers."""

from __future__ import annotations

import pytest

from store.security.pii import card_numbers


@pytest.mark.parametrize("text", ["4111111111111111", "4111 1111 1111 1111",
                                  "card 4111-1111-1111-1111 ok", "5500005555555559",
                                  "6212345678901232", "378282246310005"])
def test_card_numbers_are_found(text: str) -> None:
    assert card_numbers(text)


@pytest.mark.parametrize("text", [
    "6901234567892",  # an EAN-13 barcode
    "16901234567899",  # a GTIN-14 case code
    "4200001234567890123456789012",  # a WeChat Pay transaction number (28 digits)
    "4111111111111112",  # a card's shape, a wrong check digit
    "1234567812345670",  # Luhn-valid, no issuer starts so
    "2026-12-02 05:07:18.3537842026-12-02",  # timestamps side by side in a database page
    "4111 1111-1111 1111",  # mixed separators: not a card as people write them
])
def test_other_numbers_are_not(text: str) -> None:
    assert card_numbers(text) == []
