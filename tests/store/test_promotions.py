"""Promotions on both engines: created with their checks, applied at the till and on a sales
order alike, kept per sale line and named on the receipt; the books and the reports see the
discount; a basket that claims more than the promotions give is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from devices.document import Text
from devices.layout import layout_receipt
from store.books import ledger
from store.catalog import search
from store.common import clock
from store.core import i18n
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.customers import orders, parties
from store.models import SaleLinePromotion
from store.pricing import promotions
from store.pricing.promotions import PromotionInput
from store.reporting import reports
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.stock_helpers import stock_shop
from tui.receipts import build_receipt

D = Decimal


@pytest.fixture
def promo_shop(shop):
    users = stock_shop()
    parties.create_customer("M1", "王会员", phone="13800138001")
    boss = users["owner"]
    promotions.create(boss, PromotionInput("COLA3", "可乐3瓶10元", "bundle", "10",
                                           bundle_qty=3, skus=["COKE"], name_en="3 Cokes 10"))
    promotions.create(boss, PromotionInput("TEA20", "会员绿茶8折", "percent", "20",
                                           skus=["TEA"], members_only=True))
    return users


def basket() -> Basket:
    running, rule = promotions.for_basket()
    return Basket(promotions=running, promotion_rule=rule)


def sell(user, b: Basket) -> sales.SaleView:
    if sales.current_shift("T1") is None:
        sales.open_shift("T1", user.id, "0")
    return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                           cashier_id=user.id)


def test_a_bundle_and_a_members_price_at_the_till(promo_shop) -> None:
    i18n.set_language("zh_CN")  # the names as the shop gave them (English ones exist too)
    cashier = promo_shop["cashier"]
    b = basket()
    for _ in range(4):
        b.add(search.lookup_code("6901234567892"))
    b.add(search.lookup_code("TEA"))
    assert b.total == D("17.50")  # 3 for 10 + 3.50 + tea 4.00 (not a member)
    from store.customers import lookup

    b.attach(lookup.find("13800138001")[0], b.rules)
    assert b.total == D("16.70")  # the member's tea: 20% off 4.00
    view = sell(cashier, b)
    coke, tea = view.lines
    assert coke.promotions == (("可乐3瓶10元", D("0.50")),) and coke.discount == D("0.50")
    assert tea.promotions == (("会员绿茶8折", D("0.80")),)
    assert SaleLinePromotion.select().count() == 2
    receipt = build_receipt(view)
    text = "\n".join(b.text for b in layout_receipt(receipt, 32) if isinstance(b, Text))
    assert "可乐3瓶10元" in text and "-0.50" in text and "会员绿茶8折" in text
    day = reports.daily(clock.local_today())
    assert day.figures.discounts == D("1.30") and day.figures.net == D("16.70")
    assert ledger.balance(ledger.CASH) == D("16.70")
    i18n.set_language("en")
    assert sales.get_sale(view.number).lines[0].promotions == (("3 Cokes 10", D("0.50")),)


def test_a_sales_order_gets_the_same_promotions(promo_shop) -> None:
    boss = promo_shop["owner"]
    o = orders.create(boss, [orders.LineInput("COKE", "4"), orders.LineInput("TEA", "1")],
                      customer_code="M1")
    b = basket()
    b.add(search.lookup_code("COKE"), D(4))
    b.add(search.lookup_code("TEA"))
    from store.customers import lookup

    b.attach(lookup.find("M1")[0], b.rules)
    assert o.total == b.total == D("16.70")
    assert [ln.discount for ln in o.lines] == [D("0.50"), D("0.80")]
    assert all(ln.promotions for ln in o.lines)
    agreed = orders.create(boss, [orders.LineInput("COKE", "3", "3.00")])
    assert agreed.total == D("9.00")  # a price agreed by hand takes no promotion


def test_a_basket_claiming_more_than_the_promotions_give_is_refused(promo_shop) -> None:
    cashier = promo_shop["cashier"]
    b = basket()
    b.add(search.lookup_code("COKE"), D(3))
    promotions.set_active(promo_shop["owner"], "COLA3", False)  # ended while it was open
    with pytest.raises(StoreError, match="promotions changed"):
        sell(cashier, b)
    assert b.total == D("10.50")  # re-priced for the till to show
    assert sell(cashier, b).total == D("10.50")


def test_creating_promotions_checks_every_field(promo_shop) -> None:
    boss, cashier = promo_shop["owner"], promo_shop["cashier"]
    ok = dict(code="X", name="x", kind="percent", value="10", skus=["COKE"])
    for change, field in ((dict(kind="free"), "kind"), (dict(value="120"), "percent"),
                          (dict(code=""), "code"), (dict(skus=[]), "items"),
                          (dict(kind="buy_get"), "buy"), (dict(kind="bundle"), "bundle_qty"),
                          (dict(weekdays="89"), "weekdays"), (dict(hours=(14, 9)), "hours"),
                          (dict(starts_on=dt.date(2026, 12, 9), ends_on=dt.date(2026, 12, 1)),
                           "ends_on"), (dict(code="COLA3"), "code")):
        with pytest.raises(ValidationError) as err:
            promotions.create(boss, PromotionInput(**{**ok, **change}))
        assert err.value.field == field
    with pytest.raises(PermissionDenied):
        promotions.create(cashier, PromotionInput(**ok))
    row = promotions.create(boss, PromotionInput(
        "LUNCH", "午市买2送1", "buy_get", buy=2, get=1, categories=["DRINK"], weekdays="12345",
        hours=(11, 14)))
    assert (row.terms, row.scope, row.window) == ("buy 2 get 1", "[DRINK]",
                                                  "days 12345 11-14h")
    assert [r.code for r in promotions.promotions()] == ["COLA3", "LUNCH", "TEA20"]
    manager = auth.authenticate("supervisor", "1357")
    promotions.set_active(manager, "LUNCH", False)
    assert [r.code for r in promotions.promotions() if r.active] == ["COLA3", "TEA20"]


def test_the_shop_may_put_priority_before_amount(promo_shop) -> None:
    boss = promo_shop["owner"]
    promotions.create(boss, PromotionInput("COKE10", "可乐每瓶减1角", "amount", "0.10",
                                           skus=["COKE"], priority=9))
    b = basket()
    b.add(search.lookup_code("COKE"), D(3))
    assert b.total == D("10.00")  # best for the customer: 3 for 10 (0.50) beats 0.30
    with pytest.raises(PermissionDenied):
        promotions.set_rule(promo_shop["cashier"], "priority")
    promotions.set_rule(boss, "priority")
    b = basket()
    b.add(search.lookup_code("COKE"), D(3))
    assert b.promotion_rule == "priority" and b.total == D("10.20")  # the shop's order
