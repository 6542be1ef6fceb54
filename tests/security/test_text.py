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


def test_a_sku_in_another_letter_case_is_the_same_sku(shop) -> None:
    """`p0000001` was a second product beside `P0000001`; typed or scanned it found nothing."""
    from store.catalog import search
    from store.core.db import database, is_postgres

    products.create_product(ProductInput("P0000001", "可乐", "3.00", "13%"))
    with pytest.raises(ValidationError, match=r"P0000001 .*other letter case"):
        products.create_product(ProductInput("p0000001", "雪碧", "3.00", "13%"))
    assert Product.select().count() == 1
    for typed in ("p0000001", "P0000001", "Ｐ００００００１", " p0000001 "):
        hit = search.lookup_code(typed)
        assert hit is not None and hit.sku == "P0000001", typed
        assert products.get_product(typed).sku == "P0000001"
    # the lookup in another case is served by the index of migration 0018, not a scan
    db = database.obj
    if is_postgres():
        db.execute_sql("SET enable_seqscan = off")
        plan = db.execute_sql("EXPLAIN SELECT id FROM product WHERE LOWER(sku) = 'p0000001'"
                              ).fetchall()
        db.execute_sql("RESET enable_seqscan")
    else:
        plan = db.execute_sql("EXPLAIN QUERY PLAN SELECT id FROM product AS t1 "
                              "WHERE LOWER(t1.sku) = ?", ("p0000001",)).fetchall()
    assert "product_sku_lower" in str(plan)


def test_skus_that_differ_in_case_from_before_the_rule_both_stay_reachable(shop) -> None:
    """A shop that held `A1` and `a1` before migration 0018 keeps both: each exact SKU finds
    its own product, and neither blocks the upgrade."""
    products.create_product(ProductInput("A1", "可乐", "3.00", "13%"))
    other = Product.get(Product.sku == "A1")
    Product.insert(sku="a1", name="雪碧", unit=other.unit, price=other.price,
                   tax_rate=other.tax_rate).execute()  # as an old shop could hold them
    assert products.get_product("A1").name == "可乐"
    assert products.get_product("a1").name == "雪碧"


def test_free_text_an_accountant_or_a_clerk_types_is_held_to_the_same_rules(shop) -> None:
    """Descriptions, references and reasons carried escapes into the books and the screens."""
    import datetime as dt

    from store.books import ledger
    from store.customers import receivables
    from store.models import JournalEntry

    boss = auth.authenticate("boss", "8888")
    before = JournalEntry.select().count()
    with pytest.raises(ValidationError, match=r"description.*U\+001B"):
        ledger.post_manual(boss, dt.date.today(), "房租\x1b[2J", [
            ledger.ManualLine("6602", "10", ""), ledger.ManualLine("1001", "", "10")])
    parties.create_customer("M1", "王芳")
    with pytest.raises(ValidationError, match=r"U\+202E"):
        receivables.receive_payment(boss, "M1", "10", reference="\u202eRCPT")
    assert JournalEntry.select().count() == before
    entry = ledger.post_manual(boss, dt.date.today(), "  ＲＥＮＴ 房租 ", [
        ledger.ManualLine("6602", "10", ""), ledger.ManualLine("1001", "", "10")])
    assert JournalEntry.get_by_id(entry.id).description == "RENT 房租"  # NFKC, trimmed
