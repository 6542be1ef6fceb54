"""Till benchmarks (not part of the test suite): scan-to-line latency, sale commit, app start.

    python tests/bench/bench_till.py --db sqlite:////path/demo-1000000.db   # reuse a 1M demo
    python tests/bench/bench_till.py --products 100000                     # build one first

Scan-to-line: from posting the first key of a 13-digit wedge burst to the repaint after the
basket shows the line and total (call_after_refresh), with 100 lines already in the basket;
the keys are posted as events, not through Pilot.press (which waits ~40 ms a key). The raw
baseline is the same barcode lookup on a bare sqlite3 connection. Sale commit: post_sale of a
5-line basket, on SQLite and (with --pg URL) PostgreSQL. App start: a new process from
launch until the login screen is mounted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from store import bootstrap  # noqa: E402
from store.catalog import search  # noqa: E402
from store.core.config import Config  # noqa: E402
from store.core.db import database  # noqa: E402
from store.security import auth  # noqa: E402
from store.selling import sales  # noqa: E402
from store.selling.basket import Basket  # noqa: E402
from store.selling.sales import PaymentInput  # noqa: E402
from tui.app import ZhangguiApp  # noqa: E402
from tui.screens.till.screen import TillScreen  # noqa: E402


def ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"{statistics.median(s) * 1000:8.3f} / {s[int(len(s) * 0.95) - 1] * 1000:7.3f}"


async def scan_latency(url: str, codes: list[str]) -> list[float]:
    cfg = Config()
    cfg.database.url = url
    app = ZhangguiApp(cfg)
    out: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        user = auth.authenticate("cashier", "1234")
        if sales.current_shift("T1") is None:
            sales.open_shift("T1", user.id, "0")
        await app.push_screen(TillScreen(user))
        await pilot.pause()
        till = app.screen
        for code in codes[:100]:  # a 100-line basket first
            till.enter(code)
        done = asyncio.Event()
        refresh = till._refresh

        def timed_refresh(*args: object, **kwargs: object) -> None:
            refresh(*args, **kwargs)  # type: ignore[arg-type]
            till.call_after_refresh(done.set)

        till._refresh = timed_refresh  # type: ignore[method-assign]
        for code in codes[100:]:
            done.clear()
            t0 = time.perf_counter()
            for ch in code:
                app.post_message(events.Key(ch, ch))
            app.post_message(events.Key("enter", None))
            await asyncio.wait_for(done.wait(), 10)
            out.append(time.perf_counter() - t0)
        till.basket = Basket()  # leave nothing behind
    return out


def commit_latency(url: str, codes: list[str], n: int, member: str = "") -> list[float]:
    """`member`: the sales are a member's (their price list, points earned and spent)."""
    from store.customers import lookup
    from store.pricing import price_lists

    bootstrap.open_store(url)
    user = auth.authenticate("cashier", "1234")
    if sales.current_shift("T1") is None:
        sales.open_shift("T1", user.id, "0")
    who = lookup.find(member)[0] if member else None
    out = []
    for i in range(n):
        b = Basket()
        if who is not None:
            b.attach(who, price_lists.rules_for(who.price_list_id))
        for code in codes[i * 5:(i + 1) * 5]:
            b.add(search.lookup_code(code))
        t0 = time.perf_counter()
        due, _rounding = sales.cash_due(b.total, Decimal(0))  # the demo rounds cash to 1 角
        sales.post_sale(b, [PaymentInput("CASH", due)], terminal="T1", cashier_id=user.id)
        out.append(time.perf_counter() - t0)
    return out


STARTER = """
import sys, time
from store.core.config import Config
from store import bootstrap
from tui.app import ZhangguiApp
from tui.screens.login import LoginScreen
cfg = Config(); cfg.database.url = sys.argv[1]
bootstrap.open_store(cfg.db_url)
import asyncio
async def main():
    app = ZhangguiApp(cfg)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, LoginScreen):
            await pilot.pause(0.005)
        print(time.time())
asyncio.run(main())
"""


def start_time(url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.time()
        done = subprocess.run([sys.executable, "-c", STARTER, url], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        out.append(float(done.stdout.strip().splitlines()[-1]) - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an existing demo database URL")
    ap.add_argument("--products", type=int, default=100000)
    ap.add_argument("--pg", help="a PostgreSQL URL of an empty database for the commit figure")
    ap.add_argument("--scans", type=int, default=300)
    args = ap.parse_args()
    url = args.db
    if not url:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='zg-till-')) / 'demo.db'}"
        bootstrap.ensure_demo(url, products=args.products, history_days=0)
    bootstrap.open_store(url)
    n = search.count_products()
    path = url.split(":///", 1)[1]
    conn = sqlite3.connect(path)
    codes = [c for (c,) in conn.execute(
        "SELECT code FROM barcode WHERE pack_qty = 1000 ORDER BY random() LIMIT ?",
        (args.scans + 100 + 1000,))]
    bootstrap.close_store()
    print(f"# {os.cpu_count()} cores · Python {sys.version.split()[0]} · {n:,} products · "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'operation':<44} {'median / p95 ms':>18}")
    lat = asyncio.run(scan_latency(url, codes[:100 + args.scans]))
    raw = []
    for code in codes[:args.scans]:
        t0 = time.perf_counter()
        conn.execute("SELECT p.* FROM barcode b JOIN product p ON p.id = b.product_id "
                     "WHERE b.code = ?", (code,)).fetchone()
        raw.append(time.perf_counter() - t0)
    print(f"{'scan to line shown (100-line basket)':<44} {ms(lat)}")
    print(f"{'raw sqlite3 barcode lookup':<44} {ms(raw)}")
    print(f"{'ratio of medians':<44} {statistics.median(lat) / statistics.median(raw):8.0f}x")
    print(f"{'sale commit, 5 lines, SQLite':<44} "
          f"{ms(commit_latency(url, codes[args.scans + 100:], 150))}")
    print(f"{'sale commit, 5 lines, a member, SQLite':<44} "
          f"{ms(commit_latency(url, codes[args.scans + 100:], 150, 'M000001'))}")
    bootstrap.close_store()
    if args.pg:
        bootstrap.ensure_demo(args.pg, products=2000, history_days=0)
        bootstrap.open_store(args.pg)
        pg = [c for (c,) in database.obj.execute_sql(
            "SELECT code FROM barcode WHERE pack_qty = 1000 ORDER BY random() LIMIT 800")]
        bootstrap.close_store()
        print(f"{'sale commit, 5 lines, PostgreSQL':<44} {ms(commit_latency(args.pg, pg, 150))}")
        print(f"{'sale commit, 5 lines, a member, PostgreSQL':<44} "
              f"{ms(commit_latency(args.pg, pg, 150, 'M000001'))}")
        bootstrap.close_store()
    print(f"{'app start to login screen (new process)':<44} {ms(start_time(url, 7))}")


if __name__ == "__main__":
    main()
