"""Scale labels (GS1 prefixes 20–29): layouts, decoding, and how they enter the basket."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog.barcodes import with_check_digit
from store.catalog.scale import DEFAULT_LAYOUTS, ScaleLayout, decode
from store.core.errors import ValidationError
from store.selling.basket import Basket
from tests.unit.test_basket import hit

D = Decimal
RULES = [ScaleLayout.parse(t) for t in DEFAULT_LAYOUTS]


def label(body: str) -> str:
    return with_check_digit(body)


@pytest.mark.parametrize(("body", "kind", "plu", "value"), [
    ("211000101069", "price", "10001", D("10.69")),
    ("221000200835", "weight", "10002", D("0.835")),
    ("210000700050", "price", "7", D("0.50")),
])
def test_decode(body: str, kind: str, plu: str, value: Decimal) -> None:
    read = decode(label(body), RULES)
    assert read is not None and (read.kind, read.plu, read.value) == (kind, plu, value)


def test_not_a_scale_label() -> None:
    assert decode("6901234567892", RULES) is None
    assert decode(label("231000101069"), RULES) is None  # prefix 23 has no layout here


def test_a_misread_check_digit_is_refused() -> None:
    good = label("211000101069")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="check digit"):
        decode(bad, RULES)


@pytest.mark.parametrize("text", ["21CCCCCPPPPP", "31CCCCCPPPPPK", "21CCCCCXXXXXK", "21PPPPPCCCCCK"])
def test_bad_layouts(text: str) -> None:
    with pytest.raises(ValidationError, match="13 characters"):
        ScaleLayout.parse(text)


def test_labels_in_the_basket() -> None:
    apples = hit(5, "12.80", "0.09", weighed=True)
    b = Basket()
    b.add_scale_label(apples, decode(label("221000500835"), RULES))  # 0.835 kg
    b.add_scale_label(apples, decode(label("211000501069"), RULES))  # printed ￥10.69
    assert [(ln.qty, ln.amount) for ln in b.lines] == [(D("0.835"), D("10.69")),
                                                       (D("0.835"), D("10.69"))]
    pork = hit(6, "29.80", "0.09", weighed=True)
    b.add_scale_label(pork, decode(label("211000601000"), RULES))  # printed ￥10.00
    assert b.lines[2].amount == D("10.00")  # the label's price, not 0.336 × 29.80 = 10.01
    assert b.lines[2].qty == D("0.336")
    assert b.total == D("31.38")
