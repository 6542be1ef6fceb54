"""The till's basket: quantities, packs, merging, and totals by the one rounding module."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog.search import ProductHit
from store.core.errors import ValidationError
from store.selling.basket import Basket, parse_entry

D = Decimal


def hit(pid: int = 1, price: str = "3.50", rate: str = "0.13", pack: str = "1",
        weighed: bool = False) -> ProductHit:
    return ProductHit(id=pid, sku=f"P{pid}", name=f"商品{pid}", name_en="", price=D(price),
                      unit="个", unit_en="pc", tax_rate=D(rate), sold_by_weight=weighed,
                      active=True, matched="barcode", pack_qty=D(pack))


@pytest.mark.parametrize(("text", "qty", "code"), [
    ("3*6901234567892", D(3), "6901234567892"), ("3 * P1", D(3), "P1"), ("2x96385074", D(2),
                                                                          "96385074"),
    ("0.5*10001", D("0.5"), "10001"), ("6901234567892", None, "6901234567892"),
    ("  P1 ", None, "P1"),
])
def test_parse_entry(text: str, qty: Decimal | None, code: str) -> None:
    assert parse_entry(text) == (qty, code)


def test_scanning_again_adds_to_the_line_and_packs_count_their_quantity() -> None:
    b = Basket()
    b.add(hit())
    b.add(hit())
    b.add(hit(pack="12"))  # the case barcode of the same product
    b.add(hit(), D(3))  # 3* then a scan
    assert len(b.lines) == 1 and b.lines[0].qty == D(17)
    assert b.total == D("59.50") and b.items == D(17)


def test_totals_and_tax_per_line_inclusive_and_exclusive() -> None:
    b = Basket()
    b.add(hit(1, "3.50", "0.13"), D(3))
    b.add(hit(2, "12.80", "0.09", weighed=True), D("0.835"))
    assert [ln.amount for ln in b.lines] == [D("10.50"), D("10.69")]
    assert b.total == D("21.19")
    assert b.tax == D("1.21") + D("0.88")  # 10.50×13/113 and 10.69×9/109, each to the cent
    assert b.items == D(4)  # three pieces and one weighed line
    ex = Basket(prices_include_tax=False)
    ex.add(hit(1, "100.00"))
    assert (ex.tax, ex.total) == (D("13.00"), D("113.00"))


@pytest.mark.parametrize(("qty", "words"), [(D(0), "greater than zero"), (D(-1), "greater"),
                                            (D(10000), "more than"), (D("1.5"), "whole")])
def test_bad_quantities(qty: Decimal, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Basket().add(hit(), qty)


def test_change_and_remove() -> None:
    b = Basket()
    b.add(hit(1))
    b.add(hit(2, "5.00"))
    b.set_qty(1, D(4))
    assert b.total == D("23.50")
    b.remove(0)
    assert b.total == D("20.00") and bool(b)
    b.remove(0)
    assert not b


def test_the_till_settings_merge_and_maximum() -> None:
    from store.selling.basket import Basket

    b = Basket(merge_same=False, max_qty=D(50))
    b.add(hit(1, "2.00"))
    b.add(hit(1, "2.00"))
    assert [ln.qty for ln in b.lines] == [D(1), D(1)]  # each scan its own line
    with pytest.raises(ValidationError, match="more than 50"):
        b.add(hit(1, "2.00"), D(51))
    with pytest.raises(ValidationError, match="more than 50"):
        b.set_qty(0, D(60))
