"""Promotions and price lists as pure evaluation, on baskets without a database: each kind,
members only, time windows, which promotion wins, and properties — a line never goes below
zero or (by a price list) above the shelf, the order of the lines or of a list's rules never
changes the result, and a manual discount on top never takes the total below zero either."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from store.catalog.search import ProductHit
from store.pricing.promotions import Item, Promo, apply
from store.selling.basket import Basket, BasketLine

D = Decimal
WED_NOON = dt.datetime(2026, 12, 2, 12, 0)  # a Wednesday (ISO weekday 3)


def hit(pid: int, price: str, category: int | None = None, weighed: bool = False
        ) -> ProductHit:
    return ProductHit(id=pid, sku=f"P{pid}", name=f"商品{pid}", name_en="", price=D(price),
                      unit="个", unit_en="pc", tax_rate=D("0.13"), sold_by_weight=weighed,
                      active=True, matched="sku", category_id=category)


def promo(pid: int, kind: str, *, code: str = "", products=(), categories=(), **kw) -> Promo:
    return Promo(pid, code or f"P{pid}", f"促销{pid}", kind, products=frozenset(products),
                 categories=frozenset(categories), **kw)


def off(promos, lines, *, member=False, moment=WED_NOON, rule="best") -> dict[int, Decimal]:
    items = [Item(i, pid, cat, D(q), D(p)) for i, (pid, cat, q, p) in enumerate(lines)]
    out: dict[int, Decimal] = {}
    for s in apply(promos, items, moment=moment, member=member, rule=rule):
        out[s.key] = out.get(s.key, D(0)) + s.amount
    return out


def test_percent_and_amount_off_a_product_or_a_category() -> None:
    twenty = promo(1, "percent", percent=D(20), categories={9})
    assert off([twenty], [(1, 9, "3", "2.55"), (2, 8, "1", "5.00")]) == {0: D("1.53")}
    one = promo(2, "amount", amount=D("1.00"), products={2})
    assert off([one], [(2, None, "2", "0.80")]) == {0: D("1.60")}  # never below zero


def test_buy_two_get_one_free_gives_the_cheapest_of_each_three() -> None:
    b2g1 = promo(1, "buy_get", buy=2, get=1, categories={5})
    lines = [(1, 5, "2", "10.00"), (2, 5, "2", "6.00"), (3, 5, "1", "3.00")]
    # units 10 10 6 | 6 3: one full group, its cheapest (6.00) free; 6 and 3 stay paid
    assert off([b2g1], lines) == {1: D("6.00")}
    assert off([b2g1], [(1, 5, "6", "4.00")]) == {0: D("8.00")}  # two groups of three


def test_a_bundle_takes_the_dearest_units_first_and_spreads_to_the_cent() -> None:
    three_for_ten = promo(1, "bundle", bundle_qty=3, bundle_price=D("10.00"), products={1, 2})
    result = off([three_for_ten], [(1, None, "2", "4.00"), (2, None, "2", "3.50")])
    # units 4 4 3.5 → 11.50 for 10: 1.50 off, spread 0.52 + 0.52 + 0.46; the 4th stays
    assert result == {0: D("1.04"), 1: D("0.46")}
    assert off([three_for_ten], [(1, None, "3", "3.00")]) == {}  # 9.00 < 10: no bundle


def test_members_only_and_time_windows() -> None:
    members = promo(1, "percent", percent=D(10), products={1}, members_only=True)
    assert off([members], [(1, None, "1", "10")]) == {}
    assert off([members], [(1, None, "1", "10")], member=True) == {0: D("1.00")}
    happy = promo(2, "percent", percent=D(50), products={1}, weekdays=frozenset({3}),
                  hour_from=11, hour_to=13, starts_on=dt.date(2026, 12, 1),
                  ends_on=dt.date(2026, 12, 31))
    assert off([happy], [(1, None, "1", "10")]) == {0: D("5.00")}
    for moment in (WED_NOON.replace(hour=13), WED_NOON + dt.timedelta(days=1),
                   dt.datetime(2027, 1, 6, 12), dt.datetime(2026, 11, 25, 12)):
        assert off([happy], [(1, None, "1", "10")], moment=moment) == {}


def test_the_best_for_the_customer_wins_unless_priority_is_the_rule() -> None:
    ten = promo(1, "percent", percent=D(10), products={1}, priority=5, code="A")
    bundle = promo(2, "bundle", bundle_qty=2, bundle_price=D("15.00"), products={1}, code="B")
    lines = [(1, None, "3", "10.00")]
    # the bundle takes 5.00 off two units, then 10% takes 1.00 off the third
    assert off([ten, bundle], lines) == {0: D("6.00")}
    # by priority: 10% first, on all three; nothing left for the bundle
    assert off([ten, bundle], lines, rule="priority") == {0: D("3.00")}
    # a tie in amount goes to the higher priority, then the first code
    a = promo(3, "amount", amount=D(1), products={1}, code="Z", priority=1)
    b = promo(4, "amount", amount=D(1), products={1}, code="Y")
    shares = apply([a, b], [Item(0, 1, None, D(1), D(5))], moment=WED_NOON, member=False)
    assert [s.code for s in shares] == ["Z"]


CATEGORY = {1: 7, 2: 7, 3: 8, 4: None}  # a product is in one category
lines_st = st.lists(st.builds(lambda pid, q, p: (pid, CATEGORY[pid], q, p), st.integers(1, 4),
                              st.integers(1, 7), st.decimals("0.01", "60", places=2)),
                    min_size=1, max_size=8)
promos_st = st.lists(st.one_of(
    st.builds(lambda i, p, c: promo(i, "percent", percent=D(p), products={c}, code=f"C{i}"),
              st.integers(1, 99), st.integers(1, 100), st.integers(1, 4)),
    st.builds(lambda i, a, c: promo(i, "amount", amount=a, categories={c}, code=f"C{i}"),
              st.integers(1, 99), st.decimals("0.01", "80", places=2), st.sampled_from([7, 8])),
    st.builds(lambda i, x, y: promo(i, "buy_get", buy=x, get=y, categories={7, 8},
                                    code=f"C{i}"),
              st.integers(1, 99), st.integers(1, 3), st.integers(1, 2)),
    st.builds(lambda i, n, p: promo(i, "bundle", bundle_qty=n, bundle_price=p,
                                    products={1, 2, 3, 4}, code=f"C{i}"),
              st.integers(1, 99), st.integers(2, 4), st.decimals("0", "50", places=2)),
), max_size=4, unique_by=lambda p: p.id)


@settings(max_examples=300, deadline=None)
@given(lines_st, promos_st, st.randoms(use_true_random=False))
def test_lines_never_below_zero_and_order_never_matters(lines, promos, rnd) -> None:
    lines = [(pid, cat, str(q), str(p)) for pid, cat, q, p in lines]
    result = off(promos, lines)
    for key, amount in result.items():
        _pid, _cat, q, p = lines[key]
        assert D(0) < amount <= D(q) * D(p)
    order = list(range(len(lines)))
    rnd.shuffle(order)
    shuffled = [lines[i] for i in order]
    again = off(promos, shuffled)
    assert sum(again.values(), D(0)) == sum(result.values(), D(0))
    assert apply(promos, [Item(i, *ln[:2], D(ln[2]), D(ln[3])) for i, ln in enumerate(lines)],
                 moment=WED_NOON, member=False) == apply(
        promos, [Item(i, *ln[:2], D(ln[2]), D(ln[3])) for i, ln in enumerate(lines)],
        moment=WED_NOON, member=False)  # deterministic


@settings(max_examples=200, deadline=None)
@given(lines_st, promos_st, st.integers(0, 100), st.randoms(use_true_random=False))
def test_a_basket_with_promotions_and_a_discount_never_goes_below_zero(lines, promos, pct,
                                                                       rnd) -> None:
    def basket(order):
        b = Basket(promotions=tuple(promos))
        for pid, cat, q, p in order:
            b.lines.append(BasketLine(hit(pid, str(p), cat), D(q), D(p)))
        b.reprice_promotions(WED_NOON)
        return b

    first = basket(lines)
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert basket(shuffled).total == first.total
    assert first.total >= 0 and all(ln.amount >= 0 for ln in first.lines)
    first.discount_sale(percent=D(pct))
    first.reprice_promotions(WED_NOON)
    assert first.total >= 0 and all(ln.amount >= 0 for ln in first.lines)


def test_the_basket_names_each_promotion_and_reprices_on_every_change(monkeypatch) -> None:
    monkeypatch.setattr("store.common.clock.local_now", lambda zone=None: WED_NOON)
    three_for_ten = promo(1, "bundle", bundle_qty=3, bundle_price=D("10.00"), products={1})
    b = Basket(promotions=(three_for_ten,))
    b.add(hit(1, "4.00"))
    b.add(hit(1, "4.00"))
    assert b.total == D("8.00")  # two: no bundle yet
    b.add(hit(1, "4.00"))
    assert b.total == D("10.00") and [s.name for s in b.lines[0].promos] == ["促销1"]
    b.discount_line(0, percent=D(10))  # 10% off what the promotion left
    assert b.total == D("9.00")
    b.set_qty(0, D(2))
    assert b.total == D("7.20") and b.lines[0].promos == []


def test_the_terms_read_as_the_shop_wrote_them() -> None:
    from store.models import Promotion
    from store.pricing.promotions import terms

    assert terms(Promotion(kind="percent", percent_bp=1000)) == "10% off"
    assert terms(Promotion(kind="percent", percent_bp=1250)) == "12.5% off"
    assert terms(Promotion(kind="percent", percent_bp=5)) == "0.05% off"
    assert terms(Promotion(kind="buy_get", buy_qty=2, get_qty=1)) == "buy 2 get 1"
    assert terms(Promotion(kind="bundle", bundle_qty=3, bundle_price=Decimal("9.6"))) \
        == "3 for 9.60"


breaks_st = st.lists(st.tuples(st.sampled_from([1, 2, 3, 4]), st.integers(1, 24),
                               st.decimals("0", "120", places=2)), max_size=8,
                     unique_by=lambda b: (b[0], b[1]))
category_off_st = st.dictionaries(st.sampled_from([7, 8]),
                                  st.decimals("0.01", "100", places=2), max_size=2)


@settings(max_examples=300, deadline=None)
@given(lines_st, breaks_st, category_off_st, promos_st, st.randoms(use_true_random=False))
def test_a_price_list_never_raises_a_price_and_the_order_of_anything_never_matters(
        lines, breaks, category_off, promos, rnd) -> None:
    """A customer's list (quantity breaks, % off a category) with promotions on top: no line
    below zero or above the shelf, and neither the order of the list's rules nor the order of
    the basket's lines changes a price or the total."""
    from store.core.money import round_money
    from store.pricing.price_lists import PriceRules

    rules = PriceRules.of(1, "VIP", [(pid, D(q), p) for pid, q, p in breaks], category_off)
    shuffled_rules = list(breaks)
    rnd.shuffle(shuffled_rules)
    same = PriceRules.of(1, "VIP", [(pid, D(q), p) for pid, q, p in shuffled_rules],
                         category_off)

    def basket(order, with_rules):
        b = Basket(promotions=tuple(promos), rules=with_rules)
        for pid, cat, q, p in order:
            b.lines.append(BasketLine(hit(pid, str(p), cat), D(q),
                                      b.price_of(hit(pid, str(p), cat), D(q))))
        b.reprice_promotions(WED_NOON)
        return b

    first = basket(lines, rules)
    for (pid, cat, q, p), line in zip(lines, first.lines, strict=True):
        assert D(0) <= line.unit_price <= D(p)  # never above the shelf
        assert line.unit_price == same.price(hit(pid, str(p), cat), D(q))
        reached = [(m, price) for b_pid, m, price in breaks if b_pid == pid and m <= q]
        if reached:  # the highest break the quantity reaches, never above the shelf
            assert line.unit_price == min(max(reached)[1], D(p))
        elif cat in category_off:
            assert line.unit_price == round_money(D(p) * (100 - category_off[cat]) / 100)
        else:
            assert line.unit_price == D(p)
        assert line.amount >= 0
    order = list(lines)
    rnd.shuffle(order)
    assert basket(order, same).total == first.total >= 0


def test_two_lines_of_one_product_share_the_rounding_whatever_their_order() -> None:
    """Found by the property test above: the same product on two lines (1 and 3 units at
    0.25), 1% off it and buy 1 get 2 free on its category. Which line's units went free
    followed the lines' order, and with it which line's 1% rounded up: a cent apart."""
    promos = (promo(1, "percent", percent=D(1), products={3}, code="C1"),
              promo(2, "buy_get", buy=1, get=2, categories={7, 8}, code="C2"))
    totals = set()
    for lines in ([(3, 8, 1), (1, 7, 1), (3, 8, 3)], [(3, 8, 3), (1, 7, 1), (3, 8, 1)],
                  [(1, 7, 1), (3, 8, 1), (3, 8, 3)]):
        b = Basket(promotions=promos)
        for pid, cat, q in lines:
            b.lines.append(BasketLine(hit(pid, "0.25", cat), D(q), D("0.25")))
        b.reprice_promotions(WED_NOON)
        totals.add(b.total)
    assert len(totals) == 1, totals
