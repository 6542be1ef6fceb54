"""Many terminals selling the last units at once, as separate processes on one database.

PostgreSQL: 20 processes sell the last 100 units of a product in a warehouse that forbids
negative stock, 20 rounds: exactly 100 sell each round, the level ends at 0 and the round's
moves sum to −100. SQLite: several processes writing at once never surface "database is
locked" (each waits its turn), with the same counts."""

from __future__ import annotations

import multiprocessing as mp
from decimal import Decimal
from typing import Any

from store import auth, bootstrap, catalog, org, receiving, sales
from store.catalog import ProductInput
from store.models import Product, StockLevel, StockMove, Warehouse


def _seller(url: str, terminal: str, cashier_id: int, rounds: int, barrier: Any,
            results: Any) -> None:
    """One till: each round, sell one unit at a time until the warehouse has none left."""
    from store import costing, search
    from store.basket import Basket
    from store.sales import PaymentInput

    bootstrap.open_store(url)
    hit = search.lookup_code("LAST")
    for r in range(rounds):
        barrier.wait()
        sold, error = 0, ""
        while True:
            b = Basket()
            b.add(hit, Decimal(1))
            try:
                sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal=terminal,
                                cashier_id=cashier_id)
            except costing.InsufficientStock:
                break
            except Exception as exc:  # reported to the test, which fails
                error = f"{type(exc).__name__}: {exc}"
                break
            sold += 1
        results.put((r, terminal, sold, error))
        barrier.wait()
    bootstrap.close_store()


def _restock(boss: auth.SessionUser) -> None:
    r = receiving.start(boss, "WH")
    receiving.set_line(boss, r.number, "LAST", "100", "1.00")
    receiving.post(boss, r.number)


def test_many_tills_sell_the_last_hundred_exactly(shop, db_url, engine) -> None:
    processes, rounds = (20, 20) if engine == "postgresql" else (4, 3)
    catalog.create_product(ProductInput("LAST", "最后一百件", "2.00", "13%", cost="1.00"))
    boss = auth.authenticate("boss", "8888")
    cashier = auth.create_user("till", "cashier", pin="1111")
    terminals = [f"T{i:02d}" for i in range(1, processes + 1)]
    for code in terminals:
        org.create_terminal(code, code, "WH")
        sales.open_shift(code, cashier.id, "0")
    product = Product.get(Product.sku == "LAST").id
    wh = Warehouse.get(Warehouse.code == "WH").id
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    results = ctx.Queue()
    workers = [ctx.Process(target=_seller, args=(db_url, t, cashier.id, rounds, barrier,
                                                 results)) for t in terminals]
    for w in workers:
        w.start()
    try:
        for r in range(rounds):
            _restock(boss)
            last_move = StockMove.select().order_by(StockMove.id.desc()).get().id
            barrier.wait(timeout=120)  # go
            barrier.wait(timeout=300)  # every till has stopped
            got = [results.get(timeout=30) for _ in terminals]
            errors = [g[3] for g in got if g[3]]
            assert not errors, errors  # never "database is locked", never a lost sale
            assert sum(g[2] for g in got) == 100, (r, got)
            assert StockLevel.get((StockLevel.product == product)
                                  & (StockLevel.warehouse == wh)).on_hand == 0
            moved = sum((m.qty for m in StockMove.select().where(
                (StockMove.product == product) & (StockMove.id > last_move))), Decimal(0))
            assert moved == -100
    finally:
        for w in workers:
            w.join(timeout=60)
            if w.is_alive():
                w.kill()
    assert all(w.exitcode == 0 for w in workers)
    from tests.store.stock_helpers import check_stock_invariants

    check_stock_invariants()
