"""Recognising data that must never be stored in clear: card numbers (PANs)."""

from __future__ import annotations

import re

from stdnum import luhn

# A run of 13 to 19 digits not part of a longer run (a 28-digit WeChat Pay transaction number
# is not a card), or 16 digits in groups of 4 split by the same space or dash. Only whole
# groups: dates and times written side by side ("…18.353784" "2026-12-02") are not cards.
_RUN = re.compile(r"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4})"
                  r"(?![0-9])")
# Issuers' first digits: Visa 4, Mastercard 51–55 and 22–27, American Express 34/37,
# UnionPay 62, JCB 35, Discover 6011/65, Diners 36.
_ISSUERS = re.compile(r"^(4|5[1-5]|2[2-7]|3[4-7]|62|6011|65)")


def card_numbers(text: str) -> list[str]:
    """The card numbers (Luhn-valid, with an issuer's prefix) that appear in `text`."""
    found = []
    for match in _RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(0))
        if 13 <= len(digits) <= 19 and _ISSUERS.match(digits) and luhn.is_valid(digits):
            found.append(digits)
    return found


def has_card_number(text: str) -> bool:
    return bool(card_numbers(text))
