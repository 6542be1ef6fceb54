"""Barcode rules: EAN/UPC check digits, the GS1 in-store prefixes 20–29, internal codes."""

from __future__ import annotations

import re
import unicodedata

from stdnum import ean

from store.core.errors import ValidationError
from store.core.i18n import _, field_label

_INTERNAL = re.compile(r"^[A-Za-z0-9\-_.]{3,64}$")
GTIN_LENGTHS = (8, 12, 13, 14)


def is_in_store(code: str) -> bool:
    """GS1 prefixes 20–29 on EAN-13 are the shop's own weighed or priced codes."""
    return len(code) == 13 and code.isdigit() and code[0] == "2"


def normalize(code: str) -> str:
    """Full-width digits and letters (an input method's) as ASCII; whatever else is left that
    is not a barcode character is refused by `validate`."""
    return unicodedata.normalize("NFKC", code).strip()


def validate(code: str, *, field: str = "barcode", row: int | None = None) -> str:
    """Return the normalized code, or raise ValidationError saying what is wrong with it.

    Digit codes of GTIN length must carry a valid check digit; 13-digit codes under the in-store
    prefixes 20–29 are reserved for weighed/priced labels and cannot be a product's barcode;
    other codes (Code 128 shelf labels) may be 3–64 letters, digits, '-', '_' or '.'.
    """
    code = normalize(code)
    if not code:
        raise ValidationError(_("{field}: empty barcode").format(field=field_label(field)),
                              field=field, value=code, row=row)
    if code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS:
        # the check digit compared directly: ean.is_valid first cleans and re-checks the
        # code, 10 µs of 12 for each of an import's 100,000 barcodes
        if ean.calc_check_digit(code[:-1]) != code[-1]:
            raise ValidationError(
                _("{field}: '{value}' has an invalid check digit (expected {digit})").format(
                    field=field_label(field), value=code, digit=ean.calc_check_digit(code[:-1])),
                field=field, value=code, row=row)
        if is_in_store(code):
            raise ValidationError(
                _("{field}: '{value}' starts with 20–29, reserved for in-store weighed/priced "
                  "labels").format(field=field_label(field), value=code),
                field=field, value=code, row=row)
        return code
    if not _INTERNAL.match(code):
        raise ValidationError(
            _("{field}: '{value}' is not a valid barcode").format(field=field_label(field), value=code),
            field=field, value=code, row=row)
    return code


def with_check_digit(body: str) -> str:
    """Append the GS1 check digit to 7, 11, 12 or 13 digits."""
    return body + ean.calc_check_digit(body)
