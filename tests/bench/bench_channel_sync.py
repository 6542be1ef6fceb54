"""Taobao sync benchmark (issue 17): orders over three days fetched from a TOP router over
HTTP (sims/top_router.py) and imported, on SQLite (not part of the test suite).

    python tests/bench/bench_channel_sync.py                 # 5,000 orders, 3 runs
    python tests/bench/bench_channel_sync.py --orders 1000   # a quick look

Measured per run on a fresh shop: the whole sync, the time spent waiting on HTTP (the
simulated network and the router's own work, timed around each call), and the rate of the
rest — signing, mapping, the upsert, the cursor — in orders/s, which issue 17 asks to be at
least 1,000. Beside it, the file importer's figure (bench_channels.py) for the same orders
read from memory: `base.upsert` alone. Peak RSS of the process is printed after all runs.

    python tests/bench/bench_channel_sync.py --memory        # is a long sync's memory flat?

`--memory` syncs the same density of orders over 3 days and over 9 (three times the orders)
under tracemalloc and prints the peak the sync itself allocated (the router's copy of the
trades is made before, so it is not counted): a sync holds one window (a day) at a time, so
the two peaks should be about the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sims.top_router import TopRouter
from store import bootstrap
from store.catalog import products
from store.catalog.products import ProductInput
from store.channels import base, links, taobao_api
from store.security import auth
from store.shops.setup import setup_shop
from store.stock import inventory

SKUS = [f"SKU{i:03d}" for i in range(200)]


def fresh(db: Path) -> None:
    db.unlink(missing_ok=True)
    bootstrap.open_store(f"sqlite:///{db}", upgrade=True)
    setup_shop("同步基准", owner="boss", owner_pin="8888")
    for sku in SKUS:
        products.create_product(ProductInput(sku, f"商品{sku}", "9.90", "13%", cost="5.00"))
        inventory.post_opening_stock(sku, "STORE", "90000")


def fill(router: TopRouter, n: int, rng: random.Random, days: int = 3) -> None:
    now = dt.datetime.now(dt.UTC)
    for i in range(n):
        at = now - dt.timedelta(seconds=rng.randint(300, days * 86400 - 600))
        lines = [{"num_iid": 600000 + rng.randrange(200), "outer_iid": rng.choice(SKUS),
                  "title": "商品", "num": rng.randint(1, 3), "payment": "9.90"}
                 for _ in range(rng.randint(1, 2))]
        router.put(1_000_000_000 + i, rng.choice(("WAIT_SELLER_SEND_GOODS",) * 7
                                                  + ("TRADE_FINISHED", "TRADE_CLOSED",
                                                     "WAIT_BUYER_PAY")),
                   at, items=lines, payment="19.80", buyer_nick=f"买家{i}",
                   receiver_name="张三", receiver_mobile="13800138000",
                   receiver_state="浙江省", receiver_city="杭州市", receiver_address="文三路1号")


def run_once(db: Path, router: TopRouter, n: int) -> dict[str, float]:
    fresh(db)
    boss = auth.authenticate("boss", "8888")
    links.add_link(boss, "taobao", url=router.url, secrets={
        "app_key": router.app_key, "app_secret": router.secret, "session": router.session})
    link = links.get("taobao")
    client = taobao_api.client_for(link)
    waited = [0.0]
    post = client.http.post

    def timed(*args: object, **kw: object) -> object:
        t = time.perf_counter()
        try:
            return post(*args, **kw)  # type: ignore[arg-type]
        finally:
            waited[0] += time.perf_counter() - t

    client.http.post = timed  # type: ignore[method-assign]
    t0 = time.perf_counter()
    report = taobao_api.sync(boss, link, client=client,
                             since=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    total = time.perf_counter() - t0
    assert report.created == n, report
    # The file importer's path for the same orders, from memory: the upsert alone.
    trades = list(router.trades.values())
    orders, _rejected = taobao_api._orders(trades)
    fresh(db)
    boss = auth.authenticate("boss", "8888")
    t1 = time.perf_counter()
    base.upsert(boss, "taobao", orders)
    upsert_only = time.perf_counter() - t1
    bootstrap.close_store()
    return {"total": total, "http": waited[0], "rest": total - waited[0],
            "upsert": upsert_only}


def memory(n: int) -> None:
    """The sync's own peak allocation for `n` orders over 3 days, then 3n over 9."""
    peaks = []
    for days in (3, 9):
        count = n * days // 3
        with tempfile.TemporaryDirectory() as tmp, TopRouter() as router:
            os.environ["ZHANGGUI_KEY_FILE"] = str(Path(tmp) / "bench.key")
            fill(router, count, random.Random(17), days=days)
            fresh(Path(tmp) / "shop.db")
            boss = auth.authenticate("boss", "8888")
            links.add_link(boss, "taobao", url=router.url, secrets={
                "app_key": router.app_key, "app_secret": router.secret,
                "session": router.session})
            link = links.get("taobao")
            tracemalloc.start()
            report = taobao_api.sync(boss, link, since=dt.datetime.now(dt.UTC)
                                     - dt.timedelta(days=days))
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert report.created == count, report
            bootstrap.close_store()
        peaks.append(peak)
        print(f"  {days} days, {count:6,} orders: sync peak {peak / 1e6:6.1f} MB (tracemalloc)")
    print(f"  ratio 9 days / 3 days: {peaks[1] / peaks[0]:.2f}x for 3x the orders")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=5000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--memory", action="store_true", help="only the memory check")
    args = ap.parse_args()
    if args.memory:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python "
              f"{platform.python_version()}; {dt.date.today()}")
        memory(args.orders)
        return
    with tempfile.TemporaryDirectory() as tmp, TopRouter() as router:
        os.environ["ZHANGGUI_KEY_FILE"] = str(Path(tmp) / "bench.key")
        fill(router, args.orders, random.Random(17))
        runs = [run_once(Path(tmp) / "shop.db", router, args.orders) for _ in range(args.reps)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    n = args.orders
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python "
          f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; {dt.date.today()}")
    print(f"taobao sync: {n:,} orders over three days; median of {args.reps} runs")
    print(f"  whole sync                 {med['total']:7.2f} s  {n / med['total']:8.0f} orders/s")
    print(f"  waiting on HTTP            {med['http']:7.2f} s")
    print(f"  the rest (sign, map, save) {med['rest']:7.2f} s  {n / med['rest']:8.0f} orders/s")
    print(f"  upsert alone (file path)   {med['upsert']:7.2f} s  {n / med['upsert']:8.0f} "
          f"orders/s")
    print(f"  ratio rest / upsert alone: {med['rest'] / med['upsert']:.2f}x; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
