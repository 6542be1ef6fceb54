"""Name search on 1M products through the trigram index (migration 0031), on SQLite (FTS5)
and PostgreSQL (pg_trgm), against the same query typed by hand on a bare connection and
against the full scan the index replaced. Not part of the test suite.

    python tests/bench/bench_name_search.py                  # 1M products
    python tests/bench/bench_name_search.py --products 20000 --reps 50
    ZHANGGUI_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/postgres  (the default)

The SQLite catalog is the demo's (names of real products); the PostgreSQL one gets the very
same names by COPY. Record the output in docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.catalog import search
from store.core.db import database
from store.demo.shop import build_demo
from tests.bench.common import machine, ms, scratch_database, timed

MISSES = ["不存在的东西", "xyzzy plugh", "紫色大象牌", "qwertyuiop"]
HITS = ["农夫山泉", "330ml", "红烧牛肉", "Coca", "洗衣液 2kg"]
SHORT = ["可乐", "牙膏"]


def row(label: str, a: list[float], b: list[float]) -> None:
    (am, ap), (bm, bp) = ms(a), ms(b)
    print(f"| {label} | {am:.3f} / {ap:.3f} | {bm:.3f} / {bp:.3f} | {am / bm:.2g} |")


def cycling(items: list[str]) -> Callable[[], str]:
    state = {"i": 0}

    def nxt() -> str:
        state["i"] += 1
        return items[state["i"] % len(items)]

    return nxt


def sqlite_part(path: Path, reps: int) -> None:
    bootstrap.open_store(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    print("\n### SQLite (FTS5 trigram), ms median / p95\n")
    print("| query | zhanggui | raw sqlite3 | ratio |\n|---|---:|---:|---:|")
    fts = ("SELECT p.id FROM product_name_fts f JOIN product p ON p.id = f.rowid "
           "WHERE product_name_fts MATCH ? AND p.active ORDER BY f.rowid LIMIT 100")
    for label, words in (("no match (3+ characters)", MISSES), ("common words, 20 hits", HITS)):
        a, b = cycling(words), cycling(words)
        row(label, timed(lambda a=a: search.search(a(), 20), reps),
            timed(lambda b=b: conn.execute(fts, (f'"{b()}"',)).fetchall(), reps))
    scan = ("SELECT p.id FROM product p WHERE (p.name LIKE ? OR p.name_en LIKE ?) AND p.active "
            "ORDER BY p.id LIMIT 100")
    few = max(5, reps // 20)
    a, b = cycling(MISSES), cycling(MISSES)
    row("no match, against the full scan it replaced",
        timed(lambda: search.search(a(), 20), reps),
        timed(lambda: conn.execute(scan, (f"%{b()}%",) * 2).fetchall(), few))
    a, b = cycling(SHORT), cycling(SHORT)
    row("two characters (no trigram: the scan, stops at the LIMIT)",
        timed(lambda: search.search(a(), 20), reps),
        timed(lambda: conn.execute(scan, (f"%{b()}%",) * 2).fetchall(), reps))
    conn.close()
    database.obj.close()


def postgres_part(source: Path, reps: int) -> None:
    import psycopg

    with scratch_database("zg_bench_names") as url:
        bootstrap.open_store(url, upgrade=True)
        database.obj.close()
        lite = sqlite3.connect(source)
        t0 = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute("INSERT INTO tax_rate (id,code,name,name_en,rate_bp,active) "
                       "VALUES (1,'T','t','t',1300,true)")
            pg.execute("INSERT INTO unit (id,code,name,name_en,decimals,active) "
                       "VALUES (1,'u','u','u',0,true)")
            with pg.cursor().copy("COPY product (id,sku,name,name_en,pinyin,initials,unit_id,"
                                  "price,tax_rate_id,cost,stock_tracked,sold_by_weight,active,"
                                  "created_at,updated_at) FROM STDIN") as copy:
                for r in lite.execute("SELECT id,sku,name,name_en,pinyin,initials FROM product"):
                    copy.write_row((*r, 1, 350, 1, 200, True, False, True,
                                    "2026-01-01", "2026-01-01"))
            pg.execute("ANALYZE product")
        lite.close()
        print("\n### PostgreSQL (pg_trgm), ms median / p95 — "
              f"COPY of the names with both GIN indexes: {time.perf_counter() - t0:.0f} s\n")
        print("| query | zhanggui | raw psycopg | ratio |\n|---|---:|---:|---:|")
        bootstrap.open_store(url)
        # As the store's connections: each execution planned for its own text (store/core/db.py)
        raw = psycopg.connect(url, autocommit=True,
                              options="-c plan_cache_mode=force_custom_plan")
        sql = ("SELECT p.id FROM product p WHERE (p.name ILIKE %s OR p.name_en ILIKE %s) "
               "AND p.active ORDER BY p.id LIMIT 100")
        for label, words in (("no match (3+ characters)", MISSES),
                             ("common words, 20 hits", HITS)):
            a, b = cycling(words), cycling(words)
            row(label, timed(lambda a=a: search.search(a(), 20), reps),
                timed(lambda b=b: raw.execute(sql, (f"%{b()}%",) * 2).fetchall(), reps))
        few = max(5, reps // 20)
        unindexed = sql.replace("p.name ILIKE", "(p.name || '') ILIKE").replace(
            "p.name_en ILIKE", "(p.name_en || '') ILIKE")
        a, b = cycling(MISSES), cycling(MISSES)
        row("no match, against the full scan it replaced",
            timed(lambda: search.search(a(), 20), reps),
            timed(lambda: raw.execute(unindexed, (f"%{b()}%",) * 2).fetchall(), few))
        a, b = cycling(SHORT), cycling(SHORT)
        row("two characters (no trigram)", timed(lambda: search.search(a(), 20), reps),
            timed(lambda: raw.execute(sql, (f"%{b()}%",) * 2).fetchall(), reps))
        plan = raw.execute("EXPLAIN " + sql, ("%xyzzy plugh%",) * 2).fetchall()
        print("\nplan of a miss: " + " / ".join(r[0].strip() for r in plan[:4]))
        raw.close()
        database.obj.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=200)
    args = ap.parse_args()
    print(machine())
    work = Path(tempfile.mkdtemp(prefix="zg-bench-names-"))
    path = work / "demo.db"
    bootstrap.open_store(f"sqlite:///{path}", upgrade=True)
    t0 = time.perf_counter()
    build_demo(args.products, history_days=0)
    print(f"\n{args.products:,} demo products built (FTS5 index kept by its triggers) in "
          f"{time.perf_counter() - t0:.0f} s")
    database.obj.close()
    sqlite_part(path, args.reps)
    postgres_part(path, args.reps)
    print(f"\n(work files in {work})")


if __name__ == "__main__":
    main()
