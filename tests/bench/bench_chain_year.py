"""A chain's year on PostgreSQL (issue 18): 3 shops, 6 tills, ≥1M sales and ≥10M lines; the
consolidated and one shop's daily report and dashboard, and the shops side by side, against
the same figures in hand-written SQL on a bare psycopg connection in the same run. Not part
of the test suite.

    python tests/bench/bench_chain_year.py                        # 1M sales, ~10.5M lines
    python tests/bench/bench_chain_year.py --sales 20000 --reps 5 # a quick look
    ZHANGGUI_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/postgres  (the default)

The year is written straight into the tables by bench_reports.py's generator (through COPY
here); the services would take days for a million sales. Record the output in
docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.demo.shop import build_demo
from store.reporting import reports
from store.security import auth
from store.shops import branches, org
from tests.bench.bench_reports import RAW_COUNTS, RAW_DAILY, RAW_TENDERS, START, Year, med
from tests.bench.common import machine, scratch_database, timed

WEEK = dt.timedelta(days=7)
SHOPS = {"MAIN": ("T1", "T2"), "BJ": ("B1", "B2"), "SH": ("S1", "S2")}


class ChainYear(Year):
    """The generator's year, on PostgreSQL, sold at the six tills of three shops."""

    TERMINALS = tuple(t for tills in SHOPS.values() for t in tills)

    def connect(self, path: Path) -> Any:
        import psycopg

        return psycopg.connect(str(path))  # the URL, here

    def flush(self) -> None:
        for table, rows in self.buffers.items():
            if not rows:
                continue
            columns, template = _copy_form(self.SQL[table])
            with self.conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = iter(row)
                    copy.write_row([next(values) if t is None else t for t in template])
            rows.clear()

    def shift(self, terminal: str, number: int, opened: dt.datetime, closed: bool) -> int:
        return int(self.conn.execute(
            "INSERT INTO shift (terminal, number, opened_by_id, opened_at, opening_float, status,"
            " opening_count, closing_count, audit_hash) VALUES (%s,%s,%s,%s,50000,%s,'','','') "
            "RETURNING id", (terminal, number, self.cashier, opened,
                             "closed" if closed else "open")).fetchone()[0])


def _copy_form(sql: str) -> tuple[str, list[Any]]:
    """'INSERT INTO t (a, b, c) VALUES (?,0,?)' → ('a, b, c', [None, 0, None]): the columns,
    and per column a constant or None for the next value of the row."""
    columns, values = re.match(r".*\((.*)\) VALUES \((.*)\)", sql, re.S).groups()  # type: ignore[union-attr]
    template: list[Any] = []
    for v in (x.strip() for x in values.split(",")):
        template.append(None if v == "?" else v.strip("'") if v.startswith("'") else int(v))
    return columns, template


def main() -> None:
    import psycopg

    ap = argparse.ArgumentParser()
    ap.add_argument("--sales", type=int, default=1_000_000)
    ap.add_argument("--lines-per-sale", type=int, default=11)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="leave the database for another look")
    args = ap.parse_args()
    print(machine())
    with scratch_database("zg_bench_year", keep=args.keep) as url:
        t0 = time.perf_counter()
        bootstrap.open_store(url, upgrade=True)
        build_demo(20_000, history_days=0)
        from store.common import clock

        clock.set_shop_zone("Asia/Shanghai")
        boss = auth.authenticate("owner", "8888")
        for shop, tills in SHOPS.items():
            if shop != "MAIN":
                branches.add_shop(boss, shop, shop)
                org.add_warehouse(boss, f"{shop}W", shop, shop=shop)
            for till in tills:
                if till != "T1" and till != "T2":
                    org.create_terminal(till, till, f"{shop}W")
        org.create_terminal("T3", "3号收银台", "STORE")
        bootstrap.close_store()
        n, lines = ChainYear(url, args.sales, args.lines_per_sale,  # type: ignore[arg-type]
                             random.Random(11), 5000, 75_000).build(args.days)
        print(f"built {n:,} sales, {lines:,} lines in {time.perf_counter() - t0:.0f} s")

        bootstrap.open_store(url)
        raw = psycopg.connect(url, autocommit=True,
                              options="-c plan_cache_mode=force_custom_plan")
        days = [START + dt.timedelta(days=d) for d in range(args.days - 1)]
        rng = random.Random(3)
        picks = [rng.choice(days) for _ in range(args.reps)]

        def cycle(items: list[dt.date]) -> Any:
            state = iter(items * 3)
            return lambda: next(state)

        pg = {q: q.replace("?", "%s") for q in (RAW_DAILY, RAW_COUNTS, RAW_TENDERS)}
        tills_of_bj = "SELECT t.code FROM terminal t JOIN warehouse w ON w.id = t.warehouse_id " \
                      "JOIN shop s ON s.id = w.shop_id WHERE s.code = 'BJ'"
        by_shop = (
            "SELECT sh.code, COUNT(DISTINCT s.id), SUM(l.amount) FROM sale_line l "
            "JOIN sale s ON s.id = l.sale_id JOIN terminal t ON t.code = s.terminal "
            "JOIN warehouse w ON w.id = t.warehouse_id JOIN shop sh ON sh.id = w.shop_id "
            "WHERE s.day = %s GROUP BY sh.code")

        def raw_daily(day: dt.date, shop_only: bool = False) -> None:
            for sql in pg.values():
                if shop_only:
                    sql = sql.replace("WHERE s.day = %s", f"WHERE s.day = %s AND s.terminal IN "
                                      f"({tills_of_bj})").replace(
                        "WHERE day = %s", f"WHERE day = %s AND terminal IN ({tills_of_bj})")
                raw.execute(sql, (day,)).fetchall()

        rows = []
        a, b = cycle(picks), cycle(picks)
        rows.append(("daily report, the chain", timed(lambda: reports.daily(a()), args.reps),
                     timed(lambda: raw_daily(b()), args.reps)))
        a, b = cycle(picks), cycle(picks)
        rows.append(("daily report, one shop (BJ)",
                     timed(lambda: reports.daily(a(), shop="BJ"), args.reps),
                     timed(lambda: raw_daily(b(), True), args.reps)))
        a, b = cycle(picks), cycle(picks)
        rows.append(("the shops side by side (sales by shop, a day)",
                     timed(lambda: (lambda d: reports.sales_by("shop", d, d))(a()), args.reps),
                     timed(lambda: raw.execute(by_shop, (b(),)).fetchall(), args.reps)))
        a, b = cycle(picks), cycle(picks)
        rows.append(("dashboard, the chain (today and a week ago)",
                     timed(lambda: reports.dashboard(a()), args.reps),
                     timed(lambda: (lambda d: (raw_daily(d), raw_daily(d - WEEK)))(b()),
                           args.reps)))
        a, b = cycle(picks), cycle(picks)
        rows.append(("dashboard, one shop (BJ)",
                     timed(lambda: reports.dashboard(a(), shop="BJ"), args.reps),
                     timed(lambda: (lambda d: (raw_daily(d, True),
                                               raw_daily(d - WEEK, True)))(b()), args.reps)))
        check = reports.daily(picks[0], shop="BJ").figures
        got = raw.execute(pg[RAW_DAILY].replace(
            "WHERE s.day = %s", f"WHERE s.day = %s AND s.terminal IN ({tills_of_bj})"),
            (picks[0],)).fetchone()
        assert got is not None and int(check.net * 100) == got[3], (check, got)
        sales_n, lines_n = raw.execute("SELECT (SELECT COUNT(*) FROM sale), "
                                       "(SELECT COUNT(*) FROM sale_line)").fetchone()  # type: ignore[misc]
        print(f"\n## A chain's year on PostgreSQL: 3 shops, 6 tills, {sales_n:,} sales, "
              f"{lines_n:,} lines (ms, median of {args.reps})\n")
        print("| operation | zhanggui | raw SQL | ratio | limit |\n|---|---:|---:|---:|---:|")
        for label, mine, theirs in rows:
            print(f"| {label} | {med(mine):.1f} | {med(theirs):.1f} | "
                  f"{med(mine) / med(theirs):.2f} | 200 ms |")
        raw.close()
        bootstrap.close_store()


if __name__ == "__main__":
    main()
