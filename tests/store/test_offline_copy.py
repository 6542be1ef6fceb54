"""A till's local copy (issue 18.2): a scan in it answers what the database answers — the
product, its pack, its shop's price — and after a refresh it knows what changed: a new price,
a new barcode, a shop's own price, a product retired. It holds the shop's promotions, tenders,
receipt settings, role rules, and only the users who may work at this till."""

from __future__ import annotations

import datetime as dt
import os
import stat
from decimal import Decimal

import pytest

from store.catalog import editor, products, search
from store.catalog.products import BarcodeInput
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
