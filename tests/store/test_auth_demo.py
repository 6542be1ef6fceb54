"""Users and credentials, and the demo shop's promises: logins, stock as moves, valid codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from argon2 import PasswordHasher
from peewee import fn
from stdnum import ean

from store.core.errors import AuthError, ValidationError
from store.demo.shop import DEMO_USERS
from store.models import (
    Barcode,
    Category,
    Customer,
    Product,
    StockLevel,
    StockMove,
    Supplier,
    User,
    Warehouse,
)
from store.security import auth


def test_pins_are_argon2id_with_owasp_parameters(shop) -> None:
    auth.create_user("ann", "cashier", pin="4321")
    stored = User.get(User.username == "ann").pin_hash
    assert stored.startswith("$argon2id$") and "m=19456,t=2,p=1" in stored and "4321" not in stored
    other = auth.create_user("bob", "cashier", pin="4321")
    assert User.get_by_id(other.id).pin_hash != stored  # unique salts


def test_authenticate(shop) -> None:
    auth.create_user("ann", "cashier", pin="4321", display_name="Ann")
    assert auth.authenticate("ann", "4321").role == "cashier"
    for user, pin in (("ann", "0000"), ("nobody", "4321"), ("ann", "")):
        with pytest.raises(AuthError, match="Wrong user name or PIN"):
            auth.authenticate(user, pin)


def test_weak_hash_is_upgraded_at_login(shop) -> None:
    auth.create_user("old", "owner", pin="1111")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("1111")
    User.update(pin_hash=weak).where(User.username == "old").execute()
    auth.authenticate("old", "1111")
    assert "m=19456,t=2" in User.get(User.username == "old").pin_hash


def test_password_login_for_owners(shop) -> None:
    auth.set_password("boss", "correct horse")
    assert auth.authenticate("boss", "correct horse").role == "owner"
    assert auth.authenticate("boss", "8888").role == "owner"


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(username="x", role="king", pin="1234"), "role"),
    (dict(username="x", role="cashier", pin="12"), "pin"),
    (dict(username="x", role="cashier", pin="abcd"), "pin"),
    (dict(username="a b", role="cashier", pin="1234"), "username"),
    (dict(username="boss", role="cashier", pin="1234"), "username"),
    (dict(username="x", role="cashier", password="short"), "password"),
])
def test_bad_users_are_refused(shop, kwargs, field) -> None:
    with pytest.raises(ValidationError) as err:
        auth.create_user(**kwargs)
    assert err.value.field == field


def test_demo_logins(demo) -> None:
    for username, role, pin, _name in DEMO_USERS:
        assert auth.authenticate(username, pin).role == role


def test_demo_shop_contents(demo) -> None:
    assert {w.code for w in Warehouse.select()} >= {"STORE", "WH"}
    names = {c.name for c in Category.select()}
    assert {"饮料", "零食", "粮油", "日用品", "生鲜"} <= names
    assert Product.select().count() == 400
    assert Supplier.select().count() >= 5 and Customer.select().count() >= 20
    assert Product.select().where(Product.sold_by_weight == True).exists()  # noqa: E712
    assert Product.select().where(Product.name_en == "").count() == 0


def test_demo_barcodes_are_valid_chinese_ean13_and_cases(demo) -> None:
    codes = [(b.code, b.pack_qty) for b in Barcode.select()]
    singles = [c for c, q in codes if q == 1]
    assert singles and all(len(c) == 13 and ean.is_valid(c) and "690" <= c[:3] <= "699"
                           for c in singles)
    cases = [(c, q) for c, q in codes if q > 1]
    assert cases and all(ean.is_valid(c) and len(c) == 14 for c, _q in cases)


def test_demo_stock_levels_equal_the_sum_of_their_moves(demo) -> None:
    sums = {(r.product_id, r.warehouse_id): r.total for r in
            StockMove.select(StockMove.product, StockMove.warehouse,
                             fn.SUM(StockMove.qty).alias("total"))
            .group_by(StockMove.product, StockMove.warehouse)}
    levels = {(lv.product_id, lv.warehouse_id): lv.on_hand for lv in StockLevel.select()}
    assert levels and len(sums) == len(levels)
    for key, level in levels.items():
        assert Decimal(int(sums[key])) / 1000 == level
    assert all(m.reason == "opening" for m in StockMove.select().limit(50))


def test_the_demo_is_a_believable_mini_market(demo) -> None:
    """Issue 14.22: "土豆 无糖", "福临门食用油 5L 无糖", "Coca-Cola 1.25L Low fat", and
    ￥4.66M of stock. Each variant word belongs to its product's category; a case costs
    more than a bottle; stock is a shelf of each product and a back room for the fast movers."""
    from store.demo.data import EDITIONS, PACKS, variants
    from store.models import StockValue

    words = {cat: {w for pair in (*EDITIONS[cat], *PACKS[cat]) for w in pair[:2] if w}
             for cat in EDITIONS}
    every_word = set().union(*words.values())
    checked = 0
    for p in Product.select(Product, Category).join(Category):
        found = {w for w in every_word if f" {w} " in f" {p.name} "}  # a variant's own word
        assert found <= words[p.category.code], (p.sku, p.name, p.name_en)
        assert not {"无糖", "低脂", "Sugar-free", "Low fat"} & set(
            f"{p.name} {p.name_en}".split()) or p.category.code in ("DRINK", "DAIRY")
        checked += bool(found)
    assert checked > 100  # the demo's 400 products go past the real combinations
    pack = Product.get(Product.name.endswith(" 六连包") & Product.name.startswith("可口可乐"))
    bottle = Product.get(Product.name == pack.name.removesuffix(" 六连包"))
    assert 5 * bottle.price < pack.price < 6 * bottle.price
    assert all(len(variants(cat)) >= 18 for cat in EDITIONS)  # 3,000 products, no numbering
    value = StockValue.select(fn.SUM(StockValue.value)).scalar()
    assert Decimal(value) / 100 / Product.select().count() < 300  # ¥/product at cost
