"""Scale-label layouts set by the owner (issue 16.2: "scale-label layouts (with a preview that
decodes a sample label)"): a sample label is read back as the till will read it, and a layout
that would read it as no product is refused, nothing saved; each change is recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import products, scale
from store.catalog.barcodes import with_check_digit
from store.catalog.products import ProductInput
from store.core.errors import PermissionDenied, ValidationError
from store.models import AuditEvent
from store.security import accounts, auth


@pytest.fixture
def boss(shop):
    products.create_product(ProductInput("10002", "香蕉", "6.98", "9%", unit="kg",
                                         name_en="Bananas", sold_by_weight=True))
    return auth.authenticate("boss", "8888")


def test_a_sample_label_is_read_back_before_new_layouts_are_saved(boss) -> None:
    weighed = with_check_digit("221000201500")  # 22 · 10002 · 1.500 kg
    seen = scale.preview(weighed)
    assert (seen.sku, seen.read.kind, seen.read.value) == ("10002", "weight", Decimal("1.5"))
    assert "10002" in seen.said() and "1.5 kg" in seen.said()
    # A scale that prints a 4-digit code and a 6-digit price (23 · CCCC · PPPPPP · K):
    label = with_check_digit("230002001234")  # code 2 — the shop has no product 2
    with pytest.raises(ValidationError) as err:
        scale.change_layouts(boss, ["21CCCCCPPPPPK", "23CCCCPPPPPPK"], sample=label)
    assert err.value.field == "sample" and "no product has code 2" in str(err.value)
    assert [r.text for r in scale.layouts()] == list(scale.DEFAULT_LAYOUTS)  # nothing saved
    # The same scale set to a 5-digit code and a 5-digit price: 23 · 10002 · ¥9.90.
    _rules, seen = scale.change_layouts(boss, ["21CCCCCPPPPPK", "23CCCCCPPPPPK"],
                                        sample=with_check_digit("231000200990"))
    assert seen is not None and (seen.sku, seen.read.value) == ("10002", Decimal("9.90"))
    assert [r.text for r in scale.layouts()] == ["21CCCCCPPPPPK", "23CCCCCPPPPPK"]
    assert scale.decode(weighed) is None  # the 22 layout is gone
    (event,) = AuditEvent.select().where(AuditEvent.kind == "setting_change")
    assert "23CCCCCPPPPPK" in event.payload
    for bad, words in ((["21CCCCCPPPPPK", "21CCCCCWWWWWK"], "once"),
                       (["19CCCCCPPPPPK"], "prefix 20–29"), (["21CCCCPPPPPK"], "13")):
        with pytest.raises(ValidationError, match=words):
            scale.change_layouts(boss, bad)
    with pytest.raises(ValidationError, match="wrong check digit"):
        scale.preview("2310002009901")
    cashier = accounts.add_user(boss, "ann", "cashier", pin="4321")
    with pytest.raises(PermissionDenied):
        scale.change_layouts(cashier, list(scale.DEFAULT_LAYOUTS))
