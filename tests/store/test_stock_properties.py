"""Property test: any sequence of receipts, sales (below zero too), returns, transfers and
counts keeps stock = Σ moves, value = Σ move values, the inventory account = Σ values, and
averages that are never negative."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.buying import receiving
from store.core.errors import StoreError
from store.models import Sale
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import costing, counts, transfers
from tests.store.stock_helpers import check_stock_invariants, sell, stock_shop

D = Decimal
SKUS = ("COKE", "TEA")

qty = st.integers(min_value=1, max_value=15)
cost = st.decimals(min_value=D("0.00"), max_value=D("9.99"), places=2)
step = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.sampled_from(("STORE", "WH")), qty,
              cost),
    st.tuples(st.just("sell"), st.sampled_from(SKUS), qty),
    st.tuples(st.just("return"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("transfer"), st.sampled_from(SKUS), qty),
    st.tuples(st.just("count"), st.sampled_from(SKUS), st.integers(min_value=0, max_value=20)),
)


def _return_last(cashier, n: int) -> None:
    last = Sale.select().where(Sale.total > 0).order_by(Sale.id.desc()).first()
    if last is None:
        return
    receipt = returns.returnable(last.number)
    line = receipt.lines[0]
    take = min(D(n), line.remaining)
    if take <= 0:
        return
    b = Basket()
    returns.add_return(b, receipt, line.line_id, take)
    sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=cashier.id)


def _apply(users, op: tuple) -> None:
    boss, cashier = users["supervisor"], users["cashier"]
    kind = op[0]
    if kind == "receive":
        _k, sku, wh, q, c = op
        r = receiving.start(boss, wh)
        receiving.set_line(boss, r.number, sku, D(q), c)
        receiving.post(boss, r.number)
    elif kind == "sell":
        sell(cashier, op[1], op[2])
    elif kind == "return":
        _return_last(boss, op[1])  # a refund is a supervisor's
    elif kind == "transfer":
        t = transfers.start(boss, "WH", "STORE")
        transfers.set_line(boss, t.number, op[1], D(op[2]))
        with contextlib.suppress(costing.InsufficientStock):  # refused: nothing may change
            transfers.post(boss, t.number)
    else:
        c = counts.start(boss, "WH", skus=[op[1]])
        counts.recount(boss, c.number, op[1], D(op[2]))
        counts.post(boss, c.number)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(step, min_size=1, max_size=10))
def test_random_stock_work_keeps_the_invariants(shop, ops) -> None:
    # The shop persists across examples: each adds its work to what came before.
    from store.models import Product

    if not Product.select().where(Product.sku == "COKE").exists():
        test_random_stock_work_keeps_the_invariants.users = stock_shop()  # type: ignore[attr-defined]
    users = test_random_stock_work_keeps_the_invariants.users  # type: ignore[attr-defined]
    for op in ops:
        try:
            _apply(users, op)
        except StoreError as exc:  # only the refusals the rules allow
            assert isinstance(exc, costing.InsufficientStock) or "below zero" in str(exc), exc
        check_stock_invariants()
