"""Taobao order import benchmark: 100,000 orders from GBK export files into the demo shop on
SQLite, against a raw baseline in the same run (not part of the test suite).

    python tests/bench/bench_channels.py                  # 100,000 orders, 3 runs
    python tests/bench/bench_channels.py --orders 20000   # a quick look

The files imitate the seller centre's (see tests/store/channel_files.py): ="…" order numbers,
'-prefixed phones, 元 amounts, 1–3 items per order in the item report. The mix: 60% paid
(confirmed, reserving), 25% 交易成功 (shipped: stock moves and cost of goods), 10% 交易关闭,
5% with an item that maps to no product (held).

Measured per run, each on a fresh copy of the database (median of --reps, orders/s):
- reading the two files into orders (`TaobaoFiles.fetch`);
- the first import (`channels.base.upsert`: numbering, mapping, sealing each recipient,
  orders, lines, events, shipments out of stock, cost of goods);
- the same files again (every order unchanged);
- the raw baseline: the same orders and lines parsed with `csv` and inserted by executemany
  on a bare sqlite3 connection, with no mapping, sealing, stock or journal.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.channels import base, connectors
from store.core.db import database
from store.demo.shop import build_demo
from store.models import Product
from store.security import auth
from tests.store.channel_files import TbItem, TbOrder, write_taobao

STATUSES = (["买家已付款，等待卖家发货"] * 60 + ["交易成功"] * 25 + ["交易关闭"] * 10)


def make_orders(n: int, skus: list[tuple[str, str, str]], rng: random.Random) -> list[TbOrder]:
    out = []
    for i in range(n):
        items = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            sku, title, price = rng.choice(skus)
            items.append(TbItem(sku, title, price, str(rng.randint(1, 3))))
        held = rng.random() < 0.05
        if held:
            items[-1] = TbItem(f"NOSUCH{i % 97}", "没有对上的宝贝", "9.90", "1")
        out.append(TbOrder(f"{3300000000000000000 + i}", status=rng.choice(STATUSES),
                           items=items, postage=rng.choice(("0.00", "6.00", "10.00")),
                           mobile=f"13{rng.randint(0, 999999999):09d}",
                           address=f"浙江省 杭州市 西湖区 文三路{i % 500}号",
                           created=f"2026-11-{1 + i % 28:02d} 20:{i % 60:02d}:00"))
    return out


def raw_baseline(db: Path, order_file: Path, item_file: Path) -> float:
    """Parse with csv and insert orders and lines by executemany: the floor for the work."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(db)
    orders = list(csv.reader(io.StringIO(order_file.read_bytes().decode("gb18030"))))[1:]
    items = list(csv.reader(io.StringIO(item_file.read_bytes().decode("gb18030"))))[1:]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    with conn:
        conn.executemany(
            "INSERT INTO sales_order (number, uuid, channel, external_id, status, "
            "channel_status, warehouse_id, buyer, recipient_enc, total, shipping, carrier, "
            "tracking_no, note, paid, cancel_reason, ordered_at, created_at, updated_at) VALUES "
            "(?, ?, 'raw', ?, 'confirmed', ?, 1, ?, ?, 0, 0, '', '', '', 0, '', ?, ?, ?)",
            [(f"R-{n}", uuid.uuid4().hex, r[0].strip('="'), r[7], r[1], r[13], now, now, now)
             for n, r in enumerate(orders)])
        ids = dict(conn.execute("SELECT external_id, id FROM sales_order WHERE channel = 'raw'"))
        conn.executemany(
            "INSERT INTO sales_order_line (order_id, line_no, external_sku, title, qty, "
            "unit_price, amount, tax_rate_bp, shipped_qty, invoiced_qty, discount, promotions) "
            "VALUES (?, 1, ?, ?, ?, ?, 0, 0, 0, 0, 0, '')",
            [(ids[r[0].strip('="')], r[9], r[1], int(r[3]) * 1000, int(r[2].replace(".", "")))
             for r in items])
    conn.close()
    return time.perf_counter() - t0


def run_once(template: Path, work: Path, order_file: Path, item_file: Path, n: int
             ) -> dict[str, float]:
    db = work / "run.db"
    shutil.copy(template, db)
    bootstrap.open_store(f"sqlite:///{db}")
    owner = auth.authenticate("owner", "8888")
    t0 = time.perf_counter()
    batch = connectors.connector("taobao", orders=order_file, items=item_file).fetch()
    t1 = time.perf_counter()
    report = base.upsert(owner, "taobao", batch.orders)
    t2 = time.perf_counter()
    again = base.upsert(owner, "taobao", batch.orders)
    t3 = time.perf_counter()
    assert report.created == n and again.unchanged == n, (report, again)
    bootstrap.close_store()
    raw = raw_baseline(db, order_file, item_file)
    return {"fetch": t1 - t0, "first": t2 - t1, "again": t3 - t2, "total": t2 - t0, "raw": raw,
            "held": len(report.held)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "demo.db"
        bootstrap.open_store(f"sqlite:///{template}", upgrade=True)
        build_demo(3000, history_days=0)
        skus = [(p.sku, p.name, f"{p.price:.2f}") for p in
                Product.select().where(Product.sold_by_weight == False)]  # noqa: E712
        database.close()
        bootstrap.close_store()
        rng = random.Random(7)
        order_file, item_file = write_taobao(work / "files", make_orders(args.orders, skus, rng))
        size = (order_file.stat().st_size + item_file.stat().st_size) / 1e6
        runs = [run_once(template, work, order_file, item_file, args.orders)
                for _ in range(args.reps)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    n = args.orders
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
          f"{dt.date.today()}")
    print(f"{n} orders ({size:.1f} MB of GBK files), {med['held']:.0f} held; median of "
          f"{args.reps} runs")
    for key, label in (("fetch", "read the files"), ("first", "first import (upsert)"),
                       ("total", "read + first import"), ("again", "the same files again"),
                       ("raw", "raw baseline (csv + executemany)")):
        print(f"  {label:34} {med[key]:7.2f} s  {n / med[key]:9.0f} orders/s")
    print(f"  ratio import / raw: {med['total'] / med['raw']:.1f}x")


if __name__ == "__main__":
    main()
