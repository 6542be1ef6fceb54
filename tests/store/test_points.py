"""Members and points (issue 19.1) on both engines: points earned by rule (everything, a
category, a product, a promotion's lines; 0 excludes), scaled by the member's tier, none on
what points paid; earned points defer revenue into 2204 until spent or lapsed; the POINTS
tender spends them (the first to lapse first), a return takes back what its goods earned;
tiers follow spending and bring their price list; two tills spending one member's points at
once cannot overdraw them; 2204 always equals the points outstanding times their value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.books import ledger
from store.catalog import search
from store.common import clock
from store.core.errors import NotFound, PermissionDenied, StoreError, ValidationError
from store.customers import lookup, parties
from store.models import Customer, JournalEntry, PointsMove, Sale, TenderType
from store.pricing import price_lists, promotions
from store.pricing.promotions import PromotionInput
from store.selling import points, returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.at_once import two_tills
from tests.store.test_vouchers import people  # noqa: F401  (the fixture)

D = Decimal


@pytest.fixture
def member(people):  # noqa: F811
    parties.create_customer("M1", "王芳", phone="13800138001")
    parties.create_customer("M2", "李雷")
    return people


def buy(cashier, who: str, qty: int, *payments: tuple[str, str], code: str = "COKE"
        ) -> sales.SaleView:
    """`qty` of a product (COKE 3.50, TEA 4.00) for member `who` ("" for nobody), paid by
    (tender, amount)…; CASH takes the rest. The promotions running apply."""
    running, rule = promotions.for_basket()
    b = Basket(promotions=running, promotion_rule=rule)
    if who:
        found = lookup.one(who)
        b.attach(found, price_lists.rules_for(found.price_list_id))
    b.add(search.lookup_code(code), D(qty))
    given = [PaymentInput(t, D(a)) for t, a in payments]
    rest = b.total - sum((p.amount for p in given), D(0))
    if rest > 0:
        given.append(PaymentInput("CASH", rest))
    return sales.post_sale(b, given, terminal="T1", cashier_id=cashier.id)


def check_books() -> None:
    assert -ledger.balance(ledger.POINTS) == points.owed()
    assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0
    for c in Customer.select():
        moves = list(PointsMove.select().where(PointsMove.customer == c.id))
        assert c.points == sum(m.points for m in moves) >= 0
        assert c.points == sum(m.remaining for m in moves)


def test_earning_by_rule_and_tier(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    assert TenderType.get(TenderType.code == "POINTS").active is False  # off until a rule
    points.set_rule(boss, "1")  # 1 point a 元 on everything
    assert TenderType.get(TenderType.code == "POINTS").active is True
    sale = buy(cashier, "M1", 10)  # 35.00
    assert points.member("M1").points == 35
    assert -ledger.balance(ledger.POINTS) == D("0.35")
    # The points' worth is deferred: revenue is the sale's net less 0.35.
    assert ledger.balance(ledger.REVENUE) == -(sale.total - sale.tax - D("0.35"))
    points.set_rule(boss, "2", category="DRINK")  # COKE is a drink: 2 a 元
    points.set_rule(boss, "0", sku="TEA")  # TEA earns nothing
    buy(cashier, "M1", 10)
    assert points.member("M1").points == 35 + 70
    buy(cashier, "M1", 5, code="TEA")
    assert points.member("M1").points == 105
    buy(cashier, "", 10)  # nobody attached: nobody earns
    assert points.outstanding() == 105
    points.set_tier(boss, "GOLD", "金卡", "50", name_en="Gold", earn_pct=150)
    assert points.member("M1").tier == "Gold"  # spent 70 + 20 already (in English)
    buy(cashier, "M1", 1)  # 3.50 × 2 × 150 % = 10.5: 10
    assert points.member("M1").points == 115
    assert [r.target for r in points.rules()] == ["", "category:DRINK", "product:TEA"]
    check_books()


def test_a_promotions_lines_earn_their_own_rate(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    promotions.create(boss, PromotionInput("P20", "饮料八折", "percent", "20", skus=["COKE"]))
    points.set_rule(boss, "1")
    points.set_rule(boss, "5", promotion="P20")
    buy(cashier, "M1", 10)  # 35.00 less 20 % = 28.00, × 5
    assert points.member("M1").points == 140
    check_books()


def test_spending_points_at_the_till(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    points.set_rule(boss, "10")
    buy(cashier, "M1", 20)  # 70.00: 700 points, worth 7.00
    assert points.member("M1").points == 700
    sale = buy(cashier, "M1", 2, ("POINTS", "5"))  # 7.00: 5.00 by 500 points, 2.00 cash
    # The part paid with points earns nothing: 2.00 × 10 = 20.
    assert points.member("M1").points == 700 - 500 + 20
    assert [(m.kind, m.points) for m in points.statement("M1")] == [
        ("earn", 700), ("redeem", -500), ("earn", 20)]
    assert points.after_sale(sale.id) == (-480, 220)
    entries = JournalEntry.select().count()
    with pytest.raises(StoreError, match="has 220 points, not 500"):
        buy(cashier, "M1", 2, ("POINTS", "5"))
    with pytest.raises(ValidationError, match="attach the member"):
        buy(cashier, "", 2, ("POINTS", "1"))
    with pytest.raises(StoreError, match="has 0 points"):
        buy(cashier, "M2", 2, ("POINTS", "1"))
    assert JournalEntry.select().count() == entries  # every refusal wrote nothing
    check_books()


def test_a_return_takes_back_what_its_goods_earned(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    points.set_rule(boss, "1")
    points.set_tier(boss, "SILVER", "银卡", "50")
    sale = buy(cashier, "M1", 20)
    assert points.member("M1").points == 70 and points.member("M1").tier == "银卡"
    receipt = returns.returnable(sale.number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(10))  # half: 35.00
    sales.post_sale(b, [PaymentInput("CASH", D("-35"))], terminal="T1", cashier_id=boss.id)
    view = points.member("M1")
    assert view.points == 35 and view.spent == D(35) and view.tier == ""  # below 50 again
    assert [(m.kind, m.points) for m in points.statement("M1")] == [("earn", 70),
                                                                    ("reverse", -35)]
    check_books()


def test_points_paid_with_go_back_on_a_return(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    points.set_rule(boss, "10")
    buy(cashier, "M1", 20)  # 700
    sale = buy(cashier, "M1", 2, ("POINTS", "7"))  # 7.00 all by points, earns none
    assert points.member("M1").points == 0
    receipt = returns.returnable(sale.number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(2))
    sales.post_sale(b, [PaymentInput("POINTS", D("-7"))], terminal="T1", cashier_id=boss.id)
    assert points.member("M1").points == 700
    check_books()


def test_points_lapse_first_in_first_out(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    points.set_programme(boss, months=12)
    points.set_rule(boss, "1")
    buy(cashier, "M1", 20)  # 70
    first = PointsMove.get(PointsMove.kind == "earn")
    year_on = clock.local_today()
    assert first.expires_on.year == year_on.year + 1
    # The first points are older: they lapse sooner, and are spent first.
    PointsMove.update(expires_on=year_on + dt.timedelta(days=10)).where(
        PointsMove.id == first.id).execute()
    buy(cashier, "M1", 10)  # 35, lapsing in a year
    assert points.member("M1").lapsing == 70
    buy(cashier, "M1", 1, ("POINTS", "0.5"))  # 50 points, from the first 70
    assert PointsMove.get_by_id(first.id).remaining == 20
    members, lapsed = points.expire(None, year_on + dt.timedelta(days=11))
    assert (members, lapsed) == (1, 20)
    assert points.member("M1").points == 35 + 3 - 0  # 3: what the 1.00 cash part earned
    assert points.expire(None, year_on + dt.timedelta(days=11)) == (0, 0)  # once
    check_books()


def test_the_programme_and_who_may_change_it(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    with pytest.raises(PermissionDenied):
        points.set_rule(cashier, "1")
    with pytest.raises(ValidationError, match="rate"):
        points.set_rule(boss, "101")
    with pytest.raises(ValidationError, match="one of"):
        points.set_rule(boss, "1", category="DRINK", sku="TEA")
    with pytest.raises(NotFound):
        points.set_rule(boss, "1", category="NOPE")
    with pytest.raises(ValidationError, match="value"):
        points.set_programme(boss, value="0.001")
    assert points.set_programme(boss, value="0.02", months="0") == points.Programme(D("0.02"), 0)
    points.set_rule(boss, "1")
    buy(cashier, "M1", 10)
    assert PointsMove.get(PointsMove.kind == "earn").expires_on is None  # never lapse
    assert points.member("M1").points == 35 and points.member("M1").worth == D("0.70")
    with pytest.raises(ValidationError, match="whole number of points"):
        buy(cashier, "M1", 1, ("POINTS", "0.05"))  # 2.5 points
    with pytest.raises(StoreError, match="cannot change"):
        points.set_programme(boss, value="0.01")
    points.remove_rule(boss)
    with pytest.raises(NotFound):
        points.remove_rule(boss)
    with pytest.raises(ValidationError, match="already starts"):
        points.set_tier(boss, "A", "A", "0")
        points.set_tier(boss, "B", "B", "0")
    check_books()


def test_a_tiers_price_list_applies_unless_the_member_has_one(member) -> None:
    boss = member["owner"]
    parties.create_price_list(boss, "VIP", "会员价")
    price_lists.set_product_price(boss, "VIP", "COKE", "3.00")
    points.set_tier(boss, "ALL", "普通会员", "0", price_list="VIP")
    assert lookup.one("M1").price_list_id == lookup.one("M2").price_list_id is not None
    assert [(t.code, t.members) for t in points.tiers()] == [("ALL", 2)]
    assert lookup.one("M1").tier == "普通会员"


def _till(url: str, who: str, terminal: str, start: Any, results: Any) -> None:
    from store import bootstrap
    from store.security import auth

    bootstrap.open_store(url)
    cashier = auth.authenticate("cashier", "1357")
    found = lookup.one(who)
    b = Basket()
    b.attach(found, price_lists.rules_for(found.price_list_id))
    b.add(search.lookup_code("COKE"), D(2))  # 7.00
    start.wait(timeout=120)
    try:
        sales.post_sale(b, [PaymentInput("POINTS", D("5")), PaymentInput("CASH", D("2"))],
                        terminal=terminal, cashier_id=cashier.id)
        results.put((terminal, True, ""))
    except StoreError as err:
        results.put((terminal, False, str(err)))
    except Exception as exc:  # reported to the test, which fails
        results.put((terminal, False, f"{type(exc).__name__}: {exc}"))
    bootstrap.close_store()


def test_two_tills_spend_one_members_points_at_once(member, db_url) -> None:
    from store.shops import org

    points.set_rule(member["owner"], "10")
    buy(member["cashier"], "M1", 20)  # 700 points: enough for one 500, not two
    org.create_terminal("T2", "T2", "STORE")
    sales.open_shift("T2", member["cashier"].id, "0")
    got = two_tills(_till, db_url, "M1")
    assert sorted(g[1] for g in got) == [False, True], got
    assert "points" in next(g for g in got if not g[1])[2]
    assert Sale.select().count() == 2 and points.member("M1").points == 200 + 20
    check_books()


points_step = st.one_of(
    st.tuples(st.just("buy"), st.sampled_from(("M1", "M2")), st.integers(1, 30),
              st.integers(0, 100)),
    st.tuples(st.just("return"), st.integers(0, 20), st.integers(1, 10)),
    st.tuples(st.just("lapse"), st.integers(0, 800)),
    st.tuples(st.just("rule"), st.sampled_from(("1", "2.5", "0")),
              st.sampled_from(("", "DRINK"))),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(points_step, min_size=1, max_size=10))
def test_the_points_liability_is_the_points_outstanding(member, ops) -> None:
    """Any run of sales to members (part paid with points), returns of them (to points or
    cash), rule changes and lapsing: every entry balances, no member goes below zero, each
    member's points are the sum of their moves, and 2204 = points outstanding × value."""
    boss, cashier = member["owner"], member["cashier"]
    points.set_programme(boss, months=1)
    points.set_rule(boss, "3")
    sold: list[str] = []
    for op in ops:
        try:
            if op[0] == "buy":
                have = points.member(op[1]).points
                part = (D("3.50") * op[2] * op[3] / 100).quantize(D("0.01"))
                part = min(part, D(have) / 100)
                pay = [("POINTS", str(part))] if part > 0 else []
                sold.append(buy(cashier, op[1], op[2], *pay).number)
            elif op[0] == "return" and sold:
                receipt = returns.returnable(sold[op[1] % len(sold)])
                line = receipt.lines[0]
                if line.remaining > 0:
                    b = Basket()
                    returns.add_return(b, receipt, line.line_id, min(D(op[2]), line.remaining))
                    limits = returns.refund_limits(receipt)
                    back = min(-b.total, limits.get("POINTS", D(0)))
                    given = [PaymentInput("POINTS", -back)] if back else []
                    if -b.total - back:
                        given.append(PaymentInput("CASH", b.total + back))
                    sales.post_sale(b, given, terminal="T1", cashier_id=boss.id)
            elif op[0] == "lapse":
                points.expire(None, clock.local_today() + dt.timedelta(days=op[1]))
            elif op[0] == "rule":
                points.set_rule(boss, op[1], category=op[2])
        except StoreError as exc:  # only the refusals the points' rules make
            assert "points" in str(exc), exc
        check_books()


def test_points_given_and_taken_by_hand(member) -> None:
    boss, cashier = member["owner"], member["cashier"]
    with pytest.raises(PermissionDenied):
        points.adjust(cashier, "M1", "100", reason="好评")
    assert points.adjust(boss, "13800138001", "150", reason="生日礼") == 150  # by phone
    assert ledger.balance(ledger.SELLING) == D("1.50")  # goodwill is a selling expense
    with pytest.raises(StoreError, match="has 150 points, not 200"):
        points.adjust(boss, "M1", "-200", reason="多给了")
    with pytest.raises(ValidationError, match="at least one"):
        points.adjust(boss, "M1", "0", reason="x")
    with pytest.raises(ValidationError, match="whole number"):
        points.adjust(boss, "M1", "1.5", reason="x")
    assert points.adjust(boss, "M1", "-50", reason="多给了") == 100
    assert [(m.kind, m.points) for m in points.statement("M1")] == [("adjust", 150),
                                                                    ("adjust", -50)]
    check_books()
