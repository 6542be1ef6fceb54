"""Customers with sealed phones, found by phone; price lists re-pricing the basket; the sale
keeps the customer and refuses a price the list does not give."""

from __future__ import annotations

import os
import stat
from decimal import Decimal

import pytest

from store.catalog import search
from store.core.db import database
from store.core.errors import ConfigError, PermissionDenied, ValidationError
from store.customers import lookup, parties
from store.models import Customer, PriceList
from store.pricing import price_lists
from store.security import audit, auth, crypto
from store.selling import parking, sales
from tests.store.test_returns_overrides import cash, sell
from tests.store.test_sales import basket_of, till  # noqa: F401  (the fixture)

D = Decimal


@pytest.fixture
def member(till):  # noqa: F811
    boss = auth.authenticate("boss", "8888")
    parties.create_price_list(boss, "VIP", "贵宾价", "VIP")
    price_lists.set_product_price(boss, "VIP", "COKE", "3.20")
    price_lists.set_product_price(boss, "VIP", "COKE", "3.00", min_qty="12")
    parties.create_customer_group("VIPS", "贵宾", "VIPs", "VIP")
    parties.create_customer("M0001", "王芳", group="VIPS", phone="+86 138-0013-8000")
    return lookup.find("13800138000")[0]


def test_the_phone_is_sealed_and_still_finds_the_customer(member) -> None:
    row = Customer.get(Customer.code == "M0001")
    assert "13800138000" not in row.phone_enc and row.phone_enc.startswith("enc1:")
    assert member.name == "王芳" and member.phone_hint == "…8000"
    assert [c.code for c in lookup.find("M0001")] == ["M0001"]
    assert [c.code for c in lookup.find("王")] == ["M0001"]
    assert lookup.find("13900000000") == []
    # Nothing in the database's own bytes gives the number away.
    database.obj.execute_sql("SELECT 1")
    dump = " ".join(str(v) for r in database.obj.execute_sql(
        "SELECT * FROM customer").fetchall() for v in r)
    assert "13800138000" not in dump and "138-0013" not in dump
    with pytest.raises(ValidationError, match="letters"):
        parties.create_customer("M0002", "李", phone="138abc")


def test_a_customers_list_reprices_the_basket_with_quantity_breaks(member) -> None:
    b = basket_of(("6901234567892", "2"), ("APPLE", "1.000"))
    assert b.total == D("7.00") + D("12.80")
    b.attach(member, price_lists.rules_for(member.price_list_id))
    assert [ln.unit_price for ln in b.lines] == [D("3.20"), D("12.80")]
    b.set_qty(0, D(12))
    assert b.lines[0].unit_price == D("3.00")  # the break at 12
    b.add(search.lookup_code("6901234567892"))  # merges into 13, still 3.00
    assert (b.lines[0].qty, b.lines[0].unit_price) == (D(13), D("3.00"))


def test_the_sale_keeps_the_customer_and_checks_the_price(member, till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "2"))
    b.attach(member, price_lists.rules_for(member.price_list_id))
    view = sell(b, cash("6.40"), till)
    assert view.customer_code == "M0001" and view.total == D("6.40")
    assert sales.seal(view)["customer"] == "M0001"
    # A basket claiming a list price without the customer is an override: refused.
    forged = basket_of(("6901234567892", "2"))
    forged.lines[0].unit_price = D("3.20")
    with pytest.raises(PermissionDenied) as err:
        sell(forged, cash("6.40"), till)
    assert err.value.permission == "price_override"


def test_a_parked_basket_comes_back_with_its_customer(member, till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "2"))
    b.attach(member, price_lists.rules_for(member.price_list_id))
    b.discount_line(0, percent=D(5), reason="birthday")
    parking.park(b, terminal="T1", user_id=till.id)
    back = parking.recall(b.uuid, prices_include_tax=True)
    assert back.customer == member and back.lines[0].unit_price == D("3.20")
    assert back.lines[0].discount == D("0.32") and back.lines[0].note == "birthday"
    back.add(search.lookup_code("6901234567892"))
    assert back.lines[0].unit_price == D("3.20")  # the list still applies


def test_a_category_percentage(till) -> None:  # noqa: F811
    from store.catalog import products
    from store.catalog.products import ProductInput

    products.create_category("TEAS", "茶饮", "Teas")
    products.create_product(ProductInput("TEA", "绿茶", "4.00", "13%", category="TEAS"))
    boss = auth.authenticate("boss", "8888")
    parties.create_price_list(boss, "STAFF", "员工价")
    price_lists.set_category_discount(boss, "STAFF", "TEAS", "12.5")
    rules = price_lists.rules_for(PriceList.get(PriceList.code == "STAFF").id)
    assert rules.price(search.lookup_code("TEA"), D(1)) == D("3.50")
    assert rules.price(search.lookup_code("COKE"), D(1)) == D("3.50")  # no rule: shelf price
    with pytest.raises(ValidationError):
        price_lists.set_category_discount(boss, "STAFF", "TEAS", "0")
    # Prices are the owner's (and supervisors') to change; a cashier is refused, and recorded.
    with pytest.raises(PermissionDenied):
        price_lists.set_category_discount(till, "STAFF", "TEAS", "50")
    with pytest.raises(PermissionDenied):
        price_lists.remove_rule(till, "STAFF", "[TEAS]")
    assert rules.price(search.lookup_code("TEA"), D(1)) == D("3.50")
    assert price_lists.rules_for(PriceList.get(PriceList.code == "STAFF").id).category_off != {}
    kinds = [e.kind for e in audit.events()]
    assert kinds.count("price_list_changed") >= 1 and "permission_denied" in kinds


def test_the_key_file_must_be_private(tmp_path, monkeypatch) -> None:
    from store import bootstrap
    from store.core.db import database

    bootstrap.close_store()
    database.initialize(None)  # no shop: a shop's recorded key would be asked for
    path = tmp_path / "k.key"
    monkeypatch.setenv(crypto.KEY_ENV, str(path))
    crypto.forget()
    token = crypto.seal("13800138000")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert crypto.unseal(token) == "13800138000"
    name = crypto.add_data_key()
    assert name == "data-2" and crypto.unseal(token) == "13800138000"  # old values open
    assert crypto.key_of(crypto.seal("x")) == "data-2"
    os.chmod(path, 0o644)
    crypto.forget()
    with pytest.raises(ConfigError, match="chmod 600"):
        crypto.seal("x")
    crypto.forget()


def test_a_customers_details_open_only_for_those_allowed_and_are_recorded(member) -> None:
    from store.customers import records
    from store.models import AuditEvent
    from store.security import auth

    clerk = auth.authenticate("ann", "1234")
    boss = auth.authenticate("boss", "8888")
    records.update(boss, "M0001", address="上海市浦东新区世纪大道 100 号",
                            email="Wang.Fang@Example.com", id_number="11010519491231002X")
    row = Customer.get(Customer.code == "M0001")
    assert "世纪大道" not in row.address_enc and "11010519491231002X" not in row.id_number_enc
    with pytest.raises(PermissionDenied):
        records.details(clerk, "M0001")
    seen = AuditEvent.select().where(AuditEvent.kind == "customer_data_viewed").count()
    d = records.details(boss, "M0001")
    assert (d.phone, d.address, d.email) == ("13800138000", "上海市浦东新区世纪大道 100 号",
                                             "Wang.Fang@Example.com")
    assert d.id_number == "1101**********002X" and (d.group, d.price_list) == ("VIPS", "VIP")
    event = AuditEvent.select().order_by(AuditEvent.seq.desc()).get()
    assert (event.kind, event.reference, event.user_id) == ("customer_data_viewed", "M0001",
                                                            boss.id)
    assert "13800138000" not in event.payload and AuditEvent.select().where(
        AuditEvent.kind == "customer_data_viewed").count() == seen + 1
    # A bad value refuses the whole change: the good ones given with it are not kept.
    with pytest.raises(ValidationError, match="NOPE"):
        records.update(boss, "M0001", name="王芳芳", group="NOPE")
    with pytest.raises(ValidationError, match="id_number"):
        records.update(boss, "M0001", name="王芳芳", id_number="110105194912310021")
    assert Customer.get(Customer.code == "M0001").name == "王芳"
    assert [r.phone_hint for r in records.customer_list("王")] == ["…8000"]
