"""Issue 15.6: names with terminal escapes and bidi overrides were stored and printed raw;
`OWNER`, `ＯＷＮＥＲ` and `owner` were three users; `P0000001` + a zero-width space was a new
SKU. Text is NFKC-normalised, identities case-folded, invisible characters refused."""

from __future__ import annotations

import pytest

from store.catalog import products
from store.catalog.products import BarcodeInput, ProductInput
from store.core.errors import AuthError, ValidationError
from store.customers import parties
from store.models import Customer, Product, User
from store.security import auth

HOSTILE = {
    "escape": "可乐\x1b[2J",
    "osc title": "可乐\x1b]0;pwned\x07",
    "zero-width space": "P0000001\u200b",
    "bidi override": "\u202etxt.exe",
    "bell": "可乐\x07",
    "line separator": "可乐\u2028x",
}


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_invisible_and_control_characters_are_refused_by_field(shop, what) -> None:
    before = (Product.select().count(), Customer.select().count())
    bad = HOSTILE[what]
    code = f"U+{ord(next(c for c in bad if not c.isalnum() and c not in '可乐.')):04X}"
    with pytest.raises(ValidationError, match="name: contains an invisible or control") as err:
        products.create_product(ProductInput("OK1", bad, "1.00", "13%"))
    assert code in str(err.value) and "\x1b" not in str(err.value)
    with pytest.raises(ValidationError, match="sku: contains an invisible"):
        products.create_product(ProductInput(bad.replace("可乐", "P1"), "可乐", "1.00", "13%"))
    with pytest.raises(ValidationError, match="invisible or control"):
        parties.create_customer("M1", bad)
    assert (Product.select().count(), Customer.select().count()) == before  # nothing written


def test_a_full_width_sku_and_barcode_are_the_plain_ones(shop) -> None:
    p = products.create_product(ProductInput("ＳＫＵ１", "可乐", "1.00", "13%",
                                             barcodes=[BarcodeInput("６９０１２３４５６７８９２")]))
    assert p.sku == "SKU1"
    assert products.get_product("SKU1").barcodes[0].code == "6901234567892"
    with pytest.raises(ValidationError, match="already exists"):
        products.create_product(ProductInput("SKU1", "雪碧", "1.00", "13%"))


def test_owner_and_its_look_alikes_are_one_user(shop) -> None:
    auth.create_user("OWNER", "cashier", pin="1111")
    assert User.get(User.role == "cashier").username == "owner"
    for look_alike in ("owner", "ＯＷＮＥＲ", "Owner"):
        with pytest.raises(ValidationError, match="already exists"):
            auth.create_user(look_alike, "cashier", pin="2222")
        assert auth.authenticate(look_alike, "1111").username == "owner"
    with pytest.raises(AuthError, match="Wrong user name or PIN"):
        auth.authenticate("owner\u200b", "1111")  # not the same name, and not an error either
    with pytest.raises(ValidationError, match="invisible or control"):
        auth.create_user("eve\u202e", "cashier", pin="1111")


def test_channel_text_is_scrubbed_not_refused() -> None:
    """A buyer's name from a web shop cannot be sent back to be retyped: what cannot be shown
    safely is dropped, the rest kept."""
    from store.channels import parsing

    assert parsing.text("王\x1b[2J芳\u202e\u200b") == "王[2J芳"
    assert parsing.text('="1990000000000000101"') == "1990000000000000101"
    assert parsing.text("上海\n长宁区\t1号") == "上海 长宁区 1号"
