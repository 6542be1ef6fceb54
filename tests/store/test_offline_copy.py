"""A till's local copy (issue 18.2): a scan in it answers what the database answers — the
product, its pack, its shop's price — and after a refresh it knows what changed: a new price,
a new barcode, a shop's own price, a product retired. It holds the shop's promotions, tenders,
receipt settings, role rules, and only the users who may work at this till."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from decimal import Decimal

import pytest

from store.catalog import editor, products, search, variants
from store.catalog.products import BarcodeInput, ProductInput
from store.common import clock
from store.models import Product
from store.offline.local_copy import LocalCopy
from store.pricing import promotions, shop_prices
from store.pricing.promotions import PromotionInput
from store.security import auth, permissions
from store.selling import sales
from store.shops import branches, org
from tests.store.stock_helpers import stock_shop

D = Decimal


@pytest.fixture
def copied(shop, tmp_path):
    users = stock_shop()
    boss = users["owner"]
    branches.add_shop(boss, "BJ", "北京店")
    org.add_warehouse(boss, "BJ1", "北京店门店", shop="BJ")
    org.add_terminal(boss, "BJT1", "BJ1")
    return users, LocalCopy(tmp_path / "copy-T1.db", "T1")


def test_a_scan_in_the_copy_answers_as_the_database_does(copied) -> None:
    users, copy = copied
    shop_prices.set_price(users["owner"], "MAIN", "TEA", "4.40")
    main = branches.shop_of("T1")
    done = copy.refresh()
    assert done.full and done.products == 2
    assert stat.S_IMODE(os.stat(copy.path).st_mode) == 0o600
    for code in ("6901234567892", "16901234567899", "COKE", "coke", "6901234567908", "TEA",
                 "６９０１２３４５６７８９２", " COKE\x1d"):
        assert copy.lookup_code(code) == search.lookup_code(code, shop=main), code
    assert copy.lookup_code("TEA").price == D("4.40")  # MAIN's own price
    assert copy.lookup_code("16901234567899").pack_qty == D(12)
    assert copy.lookup_code("NOPE") is None and copy.lookup_code("") is None
    assert [h.sku for h in copy.search("可口")] == ["COKE"]
    assert [h.sku for h in copy.search("lc")] == ["TEA"]  # 绿茶 by its initials
    assert copy.search("%") == [] and copy.search("_") == []


def test_a_refresh_takes_what_changed(copied) -> None:
    users, copy = copied
    boss = users["owner"]
    copy.refresh()
    editor.change_product(boss, "COKE", editor.Changes(price="3.90"))
    products.add_barcode("TEA", "6901234567915")
    shop_prices.set_price(boss, "MAIN", "TEA", "4.20")
    shop_prices.set_price(boss, "BJ", "COKE", "9.99")  # another shop's: not this till's
    done = copy.refresh()
    assert not done.full and done.products == 2
    assert copy.lookup_code("COKE").price == D("3.90")
    assert copy.lookup_code("6901234567915").sku == "TEA"
    assert copy.lookup_code("TEA").price == D("4.20")
    shop_prices.remove_price(boss, "MAIN", "TEA")
    editor.change_product(boss, "COKE", editor.Changes(
        active=False, barcodes=[BarcodeInput("6901234567892")]))
    copy.refresh()
    assert copy.lookup_code("TEA").price == D("4.00")
    assert copy.lookup_code("16901234567899") is None  # its case barcode was taken off
    assert copy.lookup_code("COKE").active is False and copy.search("可口") == []
    # A product saved by a transaction that committed after the last refresh began: its
    # updated_at is before the mark, and the margin still takes it.
    Product.update(price=D("5.00"), updated_at=copy.refreshed_at - dt.timedelta(minutes=2)
                   ).where(Product.sku == "TEA").execute()
    copy.refresh()
    assert copy.lookup_code("TEA").price == D("5.00")


def test_the_copy_holds_what_selling_needs_at_this_till(copied) -> None:
    users, copy = copied
    boss = users["owner"]
    clock.set_shop_zone("Asia/Shanghai")
    promotions.create(boss, PromotionInput("ALL", "全店", "percent", "10", skus=["TEA"]))
    promotions.create(boss, PromotionInput("BJ", "北京", "percent", "20", skus=["TEA"],
                                           shops=["BJ"]))
    promotions.create(boss, PromotionInput("WKND", "周末", "buy_get", buy=2, get=1,
                                           categories=["DRINK"], weekdays="67", hours=(9, 21),
                                           starts_on=dt.date(2026, 1, 1), members_only=True))
    auth.create_user("bjc", "cashier", pin="9753")
    branches.assign(boss, "bjc", ["BJ"])
    shift = sales.open_shift("T1", users["cashier"].id, "0")
    copy.refresh()
    running, rule = copy.promotions()
    assert rule == "best"
    assert running == promotions.at_shop(promotions.current(fresh=True), branches.shop_of("T1"))
    assert {p.code for p in running} == {"ALL", "WKND"}
    assert [t.code for t in copy.tenders()] == [t.code for t in org.tender_types()]
    assert copy.settings() == org.settings()
    assert copy.zone_name() == "Asia/Shanghai"
    names = {u.username for u in copy.users()}
    assert {"cashier", "supervisor", "boss"} <= names and "bjc" not in names
    assert all(u.pin_hash.startswith("$argon2") for u in copy.users())
    assert copy.policy() == permissions.policy()
    assert copy.shift_id() == shift.id and copy.last_number() == ""


def test_a_style_offers_its_variants_in_the_copy_as_online(copied) -> None:
    users, copy = copied
    boss = users["owner"]
    variants.create_template(boss, "TSHIRT", "T恤",
                             [variants.parse_attribute("尺码=S,M,L"),
                              variants.parse_attribute("颜色=WHITE:白,RED:红")],
                             ProductInput("", "", "59", "13%"))
    copy.refresh()

    def seen(code: str) -> list[tuple[str, str, Decimal, bool]]:
        return [(v.sku, v.name, v.price, v.active) for v in copy.variants_of(code)]

    online = [(v.sku, v.name, v.price, v.active) for v in variants.variants_of("TSHIRT")]
    assert seen("tshirt") == online and len(online) == 6
    assert seen("TSHIRT")[1][1] == "T恤 S 红"  # in the order of the values, as online
    assert all(v.on_hand is None for v in copy.variants_of("TSHIRT"))  # no stock here
    assert seen("COKE") == [] and seen("") == [] and seen("%") == []
    assert [h.sku for h in copy.search("tshirt")] == [h.sku for h in search.search("tshirt")]
    variants.add_value(boss, "TSHIRT", "尺码", variants.ValueInput("XS"))
    editor.change_product(boss, "TSHIRT-M-RED", editor.Changes(active=False))
    assert copy.refresh().full is False  # what changed, by its mark
    online = [(v.sku, v.name, v.price, v.active) for v in variants.variants_of("TSHIRT")]
    assert seen("TSHIRT") == online and len(online) == 8
    assert ("TSHIRT-M-RED", "T恤 M 红", D("59.00"), False) in online


def test_a_copy_an_older_till_wrote_takes_the_new_columns(shop, tmp_path) -> None:
    """A till upgraded with its copy on disk: the copy still sells (the new columns are
    added, empty), and the next refresh is a full one that fills them."""
    stock_shop()
    path = tmp_path / "copy-T1.db"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE product (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, sku_key TEXT NOT NULL,
            name TEXT NOT NULL, name_en TEXT NOT NULL, price INTEGER NOT NULL,
            unit TEXT NOT NULL, unit_en TEXT NOT NULL, rate_bp INTEGER NOT NULL,
            weighed INTEGER NOT NULL, active INTEGER NOT NULL, category_id INTEGER,
            pinyin TEXT NOT NULL, initials TEXT NOT NULL);
        INSERT INTO product VALUES (7, 'OLD', 'old', '旧', '', 100, '个', 'pcs', 1300, 0, 1,
            NULL, 'jiu', 'j');
        CREATE TABLE customer (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,
            grp TEXT NOT NULL, price_list_id INTEGER, phone_hash TEXT NOT NULL,
            phone_hint TEXT NOT NULL, credit_limit INTEGER NOT NULL, owed INTEGER NOT NULL);
        INSERT INTO customer VALUES (3, 'M9', '王五', '', NULL, '', '', 0, 0);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('mark', '2026-12-01T00:00:00'),
                                ('full_at', '2026-12-01T00:00:00');
    """)
    old.commit()
    old.close()
    copy = LocalCopy(path, "T1")
    hit = copy.lookup_code("OLD")
    assert hit is not None and hit.price == D("1.00") and copy.variants_of("OLD") == []
    assert [(c.code, c.points, c.tier) for c in copy.customers("M9")] == [("M9", 0, "")]
    assert copy.refresh().full  # the new columns are filled by a full refresh
    assert copy.lookup_code("OLD") is None and copy.lookup_code("COKE") is not None
