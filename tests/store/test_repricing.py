"""A bulk price change (issue 16.3): a category with its subcategories or a supplier's
products, by % or amount, rounded, previewed, applied by someone allowed to, with the price
history and the audit chain."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.buying import suppliers
from store.catalog import editor, products
from store.catalog.products import ProductInput
from store.core.errors import NotFound, PermissionDenied, ValidationError
from store.customers import parties
from store.models import PriceChange, Product
from store.pricing import repricing
from store.pricing.repricing import Rule
from store.security import accounts, audit, auth, permissions


@pytest.fixture
def catalog(shop):
    boss = auth.authenticate("boss", "8888")
    products.create_category("SODA", "汽水", parent="DRINK")
    products.create_category("SNACK", "零食")
    for sku, cat, price in (("COLA", "SODA", "3.00"), ("WATER", "DRINK", "1.99"),
                            ("CHIPS", "SNACK", "6.50"), ("OLD", "DRINK", "5.00")):
        products.create_product(ProductInput(sku, sku.lower(), price, "13%", category=cat))
    editor.change_product(boss, "OLD", editor.Changes(active=False))
    parties.add_supplier(boss, "S1", "饮料批发")
    suppliers.set_product(boss, "S1", "COLA")
    suppliers.set_product(boss, "S1", "CHIPS")
    return boss


def prices() -> dict[str, Decimal]:
    return {p.sku: p.price for p in Product.select()}


def test_preview_writes_nothing_and_apply_writes_what_it_showed(catalog) -> None:
    rule = Rule(category="饮料", percent="5", round_to="0.10")
    shown = repricing.preview(rule)
    # the subcategory's cola too; the deactivated product is left alone
    assert [(c.sku, c.old_price, c.new_price) for c in shown] == [
        ("COLA", Decimal("3.00"), Decimal("3.20")),  # 3.15 rounds half up to 3.20
        ("WATER", Decimal("1.99"), Decimal("2.10"))]  # 2.0895 → 2.10
    assert prices()["COLA"] == Decimal("3.00")
    applied = repricing.apply(catalog, rule)
    assert applied == shown
    assert prices() == {"COLA": Decimal("3.20"), "WATER": Decimal("2.10"),
                        "CHIPS": Decimal("6.50"), "OLD": Decimal("5.00")}
    (last, *_rest) = editor.price_history("COLA")
    assert (last.old_price, last.new_price, last.source, last.user) == (
        Decimal("3.00"), Decimal("3.20"), "bulk", "boss")
    assert last.note == "饮料 +5% →0.10"
    assert [e.kind for e in audit.events(reference="COLA")][-1] == "price_changed"
    assert audit.verify_chain()[1] is None
    assert repricing.apply(catalog, rule)[0].new_price == Decimal("3.40")  # again: again


def test_by_supplier_and_by_amount(catalog) -> None:
    changed = repricing.apply(catalog, Rule(supplier="s1", amount="-￥0.50"))
    assert editor.price_history("COLA")[0].note == "s1 -0.50"
    assert {c.sku: c.new_price for c in changed} == {"COLA": Decimal("2.50"),
                                                     "CHIPS": Decimal("6.00")}


@pytest.mark.parametrize(("rule", "words"), [
    (Rule(percent="5"), "category or a supplier"),
    (Rule(category="DRINK", supplier="S1", percent="5"), "category or a supplier"),
    (Rule(category="DRINK"), "percentage or an amount"),
    (Rule(category="DRINK", percent="-100"), "above -100"),
    (Rule(category="DRINK", percent="5", round_to="0"), "more than zero"),
    (Rule(category="DRINK", amount="-2.00"), "zero or less"),
    (Rule(category="DRINK", percent="3,5"), "point"),
    (Rule(category="DRINK", amount="1e13"), "too large"),
    (Rule(category="DRINK", amount="9999999"), "COLA: .* the most a unit may cost"),
])
def test_bad_rules_are_refused_in_words_and_write_nothing(catalog, rule, words) -> None:
    before = prices()
    with pytest.raises(ValidationError, match=words):
        repricing.apply(catalog, rule)
    assert prices() == before


def test_unknown_scope_and_who_may(catalog) -> None:
    with pytest.raises(ValidationError, match="unknown category"):
        repricing.preview(Rule(category="NOPE", percent="5"))
    with pytest.raises(NotFound, match="supplier"):
        repricing.preview(Rule(supplier="NOPE", percent="5"))
    accounts.add_user(catalog, "ann", "cashier", pin="1111")
    ann = auth.authenticate("ann", "1111")
    with pytest.raises(PermissionDenied):
        repricing.apply(ann, Rule(category="DRINK", percent="5"))
    permissions.set_permission(catalog, "cashier", "manage_prices", True)
    assert len(repricing.apply(ann, Rule(category="DRINK", percent="5"))) == 2
    assert PriceChange.select().where(PriceChange.source == "bulk").count() == 2
