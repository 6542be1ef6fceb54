"""Store benchmarks against raw sqlite3 baselines from the same run (not part of the test suite).

    python tests/bench/bench_store.py                       # 100k and 1M products
    python tests/bench/bench_store.py --sizes 20000 --reps 200

Prints, for each size: the demo build time and a raw executemany baseline inserting the same
rows; on the largest catalog: barcode scan and pinyin search latency (median, p95) through the
store next to the equivalent hand-written SQL on a bare sqlite3 connection. Record the output
in docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.catalog import search
from store.core.db import database
from store.demo.shop import build_demo
from tests.bench.common import machine, ms, timed


def raw_build(path: Path, template: Path, n: int) -> float:
    """The same rows (products, barcodes, moves, levels) inserted by bare executemany."""
    import shutil

    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=FULL")
    t0 = time.perf_counter()
    conn.execute("INSERT INTO tax_rate (code,name,name_en,rate_bp,active) "
                 "VALUES ('T','t','t',1300,1)")
    conn.execute("INSERT INTO unit (code,name,name_en,decimals,active) VALUES ('u','u','u',0,1)")
    conn.execute("INSERT INTO warehouse (code,name,name_en,allow_negative,active) "
                 "VALUES ('W','w','w',1,1)")
    conn.executemany(
        "INSERT INTO product (id,sku,name,name_en,pinyin,initials,unit_id,price,tax_rate_id,cost,"
        "stock_tracked,sold_by_weight,active,created_at,updated_at) VALUES "
        "(?,?,?,?,?,?,1,?,1,?,1,0,1,'2026-01-01','2026-01-01')",
        ((i, f"P{i:07d}", f"商品{i}", f"Product {i}", f"shangpin{i}", f"sp{i}", 350, 200)
         for i in range(1, n + 1)))
    conn.executemany("INSERT INTO barcode (code,product_id,pack_qty) VALUES (?,?,1000)",
                     ((f"69{i:011d}", i) for i in range(1, n + 1)))
    conn.executemany(
        "INSERT INTO stock_move (uuid,product_id,warehouse_id,qty,unit_cost,value,reason,"
        "reference,created_at) VALUES (?,?,1,1000,20000,200,'opening','','2026-01-01')",
        ((f"{i:032x}", (i - 1) % n + 1) for i in range(1, int(n * 1.5) + 1)))
    conn.executemany("INSERT INTO stock_level (product_id,warehouse_id,on_hand) VALUES (?,1,1000)",
                     ((i,) for i in range(1, n + 1)))
    conn.executemany("INSERT INTO stock_value (product_id,qty,value,unit_cost) "
                     "VALUES (?,1000,200,20000)", ((i,) for i in range(1, n + 1)))
    conn.commit()
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--reps", type=int, default=500)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="zg-bench-"))
    print(machine())
    template = work / "template.db"
    bootstrap.open_store(f"sqlite:///{template}", upgrade=True)
    bootstrap.close_store()

    print("\n## Demo build (SQLite)")
    print(f"{'products':>10} {'zhanggui s':>11} {'raw s':>8} {'ratio':>6}")
    largest = None
    for n in sizes:
        path = work / f"demo-{n}.db"
        bootstrap.open_store(f"sqlite:///{path}", upgrade=True)
        t0 = time.perf_counter()
        build_demo(n, history_days=0)
        built = time.perf_counter() - t0
        bootstrap.close_store()
        raw = raw_build(work / f"raw-{n}.db", template, n)
        print(f"{n:>10,} {built:>11.1f} {raw:>8.1f} {built / raw:>6.1f}")
        largest = (n, path)

    assert largest
    n, path = largest
    bootstrap.open_store(f"sqlite:///{path}")
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    codes = [c for (c,) in conn.execute(
        "SELECT code FROM barcode WHERE product_id IN (SELECT abs(random()) % ? + 1 "
        "FROM barcode LIMIT ?)", (n, args.reps))]
    rng.shuffle(codes)
    it = iter(codes * 3)

    def store_scan() -> None:
        assert search.lookup_code(next(it))

    raw_it = iter(codes * 3)
    raw_sql = ("SELECT p.*, u.*, t.* FROM barcode b JOIN product p ON p.id = b.product_id "
               "JOIN unit u ON u.id = p.unit_id JOIN tax_rate t ON t.id = p.tax_rate_id "
               "WHERE b.code = ?")

    def raw_scan() -> None:
        assert conn.execute(raw_sql, (next(raw_it),)).fetchone()

    print(f"\n## Latency on {n:,} products (ms; median / p95; {args.reps} runs)")
    print(f"{'operation':<36} {'zhanggui':>16} {'raw sqlite3':>16} {'ratio':>6}")

    def row(label: str, a: list[float], b: list[float]) -> None:
        (am, ap95), (bm, bp95) = ms(a), ms(b)
        print(f"{label:<36} {am:>7.3f} / {ap95:>6.3f} {bm:>7.3f} / {bp95:>6.3f} {am / bm:>6.1f}")

    row("barcode scan (lookup_code)", timed(store_scan, len(codes)), timed(raw_scan, len(codes)))

    queries = ["kkkl", "nfsq", "ksf", "lsspyw", "qd", "xhpj", "yl", "bsk"]  # all match
    qi = iter(queries * args.reps)
    raw_qi = iter(queries * args.reps)

    def store_pinyin() -> None:
        search.search(next(qi), 20)

    def raw_pinyin() -> None:
        q = next(raw_qi)
        upper = q[:-1] + chr(ord(q[-1]) + 1)
        conn.execute("SELECT p.*, u.*, t.* FROM product p JOIN unit u ON u.id = p.unit_id "
                     "JOIN tax_rate t ON t.id = p.tax_rate_id WHERE p.initials >= ? AND "
                     "p.initials < ? AND p.active ORDER BY p.initials LIMIT 20",
                     (q, upper)).fetchall()

    row("pinyin initials search (20 hits)", timed(store_pinyin, args.reps),
        timed(raw_pinyin, args.reps))

    names = ["可乐", "农夫山泉", "牙膏", "红烧牛肉", "cola", "洗衣液", "薯片", "大米"]
    ni = iter(names * args.reps)
    raw_ni = iter(names * args.reps)

    def store_name() -> None:
        search.search(next(ni), 20)

    def raw_name() -> None:
        q = f"%{next(raw_ni)}%"
        conn.execute("SELECT p.*, u.*, t.* FROM product p JOIN unit u ON u.id = p.unit_id "
                     "JOIN tax_rate t ON t.id = p.tax_rate_id WHERE (p.name LIKE ? OR "
                     "p.name_en LIKE ?) AND p.active ORDER BY p.id LIMIT 20", (q, q)).fetchall()

    row("name search, common words (20 hits)", timed(store_name, args.reps),
        timed(raw_name, args.reps))

    few = max(5, args.reps // 50)

    def store_miss() -> None:
        assert search.search("不存在的东西", 20) == []

    def raw_miss() -> None:
        conn.execute("SELECT p.id FROM product p WHERE p.name LIKE ? OR p.name_en LIKE ? "
                     "LIMIT 20", ("%不存在的东西%", "%不存在的东西%")).fetchall()

    row("name search, no match (full scan)", timed(store_miss, few), timed(raw_miss, few))
    database.obj.close()
    conn.close()
    print(f"\n(work files in {work})")


if __name__ == "__main__":
    main()
