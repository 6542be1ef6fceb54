"""Shop set-up, tenders, warehouses, terminals, customers, groups, price lists and suppliers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.core.errors import NotFound, ValidationError
from store.customers import parties
from store.models import Company, Customer, TaxRate, Unit
from store.security import auth
from store.shops import org
from store.shops.setup import setup_shop


def test_setup_creates_what_a_shop_needs(shop) -> None:
    settings = org.settings()
    assert (settings.name, settings.currency, settings.prices_include_tax) == ("测试商店", "CNY",
                                                                                True)
    assert {t.rate_bp for t in TaxRate.select()} == {1300, 900, 600, 0}
    assert Unit.get(Unit.code == "kg").decimals == 3
    tenders = {t.code: t for t in org.tender_types()}
    assert list(tenders) == ["CASH", "CARD", "WECHAT", "ALIPAY", "CREDIT", "VOUCHER", "ACCOUNT"]
    assert tenders["CASH"].opens_drawer and not tenders["CARD"].opens_drawer
    assert tenders["WECHAT"].needs_reference and tenders["WECHAT"].name == "微信支付"
    assert [w.code for w in org.warehouses()] == ["STORE", "WH"]
    assert not org.get_warehouse("WH").allow_negative  # the till's floor may; the back store not
    assert org.get_terminal("T1").warehouse.code == "STORE"


def test_setup_is_all_or_nothing(db) -> None:
    with pytest.raises(ValidationError, match="PIN"):
        setup_shop("坏店", owner="boss", owner_pin="12")  # the last step fails ...
    assert not Company.select().exists() and not TaxRate.select().exists()  # ... nothing stays


def test_company_settings_validation(shop) -> None:
    with pytest.raises(ValidationError, match="ISO 4217"):
        org.set_company("店", currency="RMB1")
    org.set_company("新名字", cash_rounding=Decimal("0.10"))
    assert org.settings().cash_rounding == Decimal("0.10") and Company.select().count() == 1


def test_duplicates_and_unknowns(shop) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        org.create_warehouse("STORE", "又一个")
    with pytest.raises(ValidationError, match="already exists"):
        org.create_terminal("T1", "又一个", "STORE")
    with pytest.raises(NotFound, match="NOPE"):
        org.create_terminal("T9", "九号", "NOPE")
    with pytest.raises(ValidationError, match="tender kind"):
        org.create_tender_type("BTC", "比特币", "crypto")


def test_customers_take_their_groups_price_list(shop) -> None:
    boss = auth.authenticate("boss", "8888")
    parties.create_price_list(boss, "MEMBER", "会员价", "Member")
    parties.create_customer_group("VIP", "会员", "Members", "MEMBER")
    c = parties.create_customer("M000001", "王芳", group="VIP", credit_limit="500")
    c = Customer.get_by_id(c.id)
    assert c.price_list.code == "MEMBER" and c.credit_limit == Decimal("500.00")
    with pytest.raises(ValidationError, match="unknown customer group"):
        parties.create_customer("M000002", "李强", group="NOPE")
    with pytest.raises(ValidationError, match="already exists"):
        parties.create_customer("M000001", "重复")
    with pytest.raises(ValidationError, match="unknown price list"):
        parties.create_customer_group("X", "x", price_list="NOPE")
    with pytest.raises(ValidationError, match="not a number"):
        parties.create_customer("M000003", "张伟", credit_limit="lots")
    assert [x.code for x in parties.customers()] == ["M000001"]


def test_suppliers(shop) -> None:
    parties.create_supplier("S1", "可口可乐装瓶厂", contact="陈小姐", lead_time_days=2)
    with pytest.raises(ValidationError, match="negative"):
        parties.create_supplier("S2", "x", lead_time_days=-1)
    with pytest.raises(ValidationError, match="must not be empty"):
        parties.create_supplier("S3", " ")
    assert [s.name for s in parties.suppliers()] == ["可口可乐装瓶厂"]


def test_a_receipt_footer_and_address_keep_chinese_punctuation(shop) -> None:
    """Typed "谢谢惠顾，欢迎再来！": printed so, not folded to ASCII "," and "!" as codes are;
    a control character in it is still refused."""
    boss = auth.authenticate("boss", "8888")
    org.change_shop(boss, receipt_footer="谢谢惠顾，欢迎再来！", address="上海市长宁区（天山路）８号")
    shop_now = org.settings()
    assert shop_now.receipt_footer == "谢谢惠顾，欢迎再来！"
    assert shop_now.address == "上海市长宁区（天山路）８号"
    with pytest.raises(ValidationError) as err:
        org.change_shop(boss, receipt_footer="谢谢\x1b[2J惠顾")
    assert err.value.field == "receipt_footer" and "U+001B" in str(err.value)
    assert org.settings().receipt_footer == "谢谢惠顾，欢迎再来！"
