"""Back-office benchmarks on a one-year database, against raw SQL of the same figures from the
same run (not part of the test suite).

    python tests/bench/bench_reports.py                          # 1M sales, 10M lines (~5 min)
    python tests/bench/bench_reports.py --sales 100000 --reps 5  # a quick look
    python tests/bench/bench_reports.py --db /tmp/year.db        # keep (or reuse) the database

The generator writes a year of sales straight into the tables (the services would take days
for a million sales): shifts, sales with their local day and hour, lines, payments, one
balanced journal entry per sale and the daily account balances, as the services leave them.
The last day has one open shift of 5,000 sales and 75,000 lines for the Z benchmark.

Measured (median of --reps runs, milliseconds):
- the daily report (`store.reporting.reports.daily`: sales, gross, discounts, returns, net, tax, cost,
  margin, by tender, by terminal, items) for random days, against the same figures summed by
  hand-written SQL on a bare sqlite3 connection;
- a year's profit and loss (`store.reporting.reports.pnl`, from the daily account balances), against
  the same figures summed from the journal's lines;
- the Z close of the big shift (`store.selling.sales.close_shift`, in a transaction rolled back after
  each run), against the shift's totals in hand-written SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.core.db import database
from store.demo.shop import build_demo
from store.reporting import reports
from store.security import auth
from store.selling import sales
from store.shops import org
from tests.bench.common import machine, timed

START = dt.date(2025, 11, 1)
TENDERS = ((1, "CASH", 20), (2, "CARD", 7), (3, "WECHAT", 45), (4, "ALIPAY", 28))
BATCH = 100_000



def med(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class Year:
    """Writes the year through one sqlite3 connection, in batches."""

    TERMINALS = ("T1", "T2")  # who sells every day; T3 opens the last day for the Z

    def __init__(self, path: Path, n_sales: int, lines_per_sale: int, rng: random.Random,
                 z_sales: int, z_lines: int) -> None:
        self.conn = self.connect(path)
        self.rng = rng
        self.n_sales, self.per_sale = n_sales, lines_per_sale
        self.z_sales, self.z_lines = z_sales, z_lines
        self.products = self.conn.execute(
            "SELECT p.id, p.sku, p.name, p.price, p.cost, t.rate_bp FROM product p "
            "JOIN tax_rate t ON t.id = p.tax_rate_id WHERE NOT p.sold_by_weight").fetchall()
        self.tenders = {code: tid for tid, code in self.conn.execute(
            "SELECT id, code FROM tender_type")}
        self.accounts = dict(self.conn.execute("SELECT code, id FROM account"))
        self.cashier = self.conn.execute(
            "SELECT id FROM \"user\" WHERE username = 'cashier'").fetchone()[0]
        def top(table: str) -> int:
            return int(self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                       .fetchone()[0])

        self.sale_id, self.line_id, self.pay_id = top("sale"), top("sale_line"), top("payment")
        self.entry_id, self.jline_id = top("journal_entry"), top("journal_line")
        self.numbers: dict[str, int] = {}
        self.buffers: dict[str, list[tuple]] = {k: [] for k in (
            "sale", "sale_line", "payment", "journal_entry", "journal_line")}

    SQL = {
        "sale": "INSERT INTO sale (id, uuid, number, terminal, shift_id, cashier_id, status, "
                "total, tax, change, created_at, rounding, channel, day, hour) VALUES "
                "(?,?,?,?,?,?,'completed',?,?,0,?,0,'pos',?,?)",
        "sale_line": "INSERT INTO sale_line (id, sale_id, line_no, product_id, sku, name, qty, "
                     "unit_price, amount, tax_rate_bp, tax, unit_cost, list_price, discount, "
                     "note, restock, cost) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,'',1,?)",
        "payment": "INSERT INTO payment (id, sale_id, tender_id, amount, reference) VALUES "
                   "(?,?,?,?,'')",
        "journal_entry": "INSERT INTO journal_entry (id, uuid, description, reference, "
                         "created_at, date, kind, text_key, text_args) "
                         "VALUES (?,?,?,?,?,?,'sale','','')",
        "journal_line": "INSERT INTO journal_line (id, entry_id, account_id, debit, credit) "
                        "VALUES (?,?,?,?,?)",
    }

    def connect(self, path: Path) -> Any:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA synchronous=OFF")  # a generator, not a till
        return conn

    def flush(self) -> None:
        for table, rows in self.buffers.items():
            if rows:
                self.conn.executemany(self.SQL[table], rows)
                rows.clear()

    def shift(self, terminal: str, number: int, opened: dt.datetime, closed: bool) -> int:
        cur = self.conn.execute(
            "INSERT INTO shift (terminal, number, opened_by_id, opened_at, opening_float, status,"
            " opening_count, closing_count, audit_hash) VALUES (?,?,?,?,50000,?, '', '', '')",
            (terminal, number, self.cashier, opened.isoformat(sep=" "),
             "closed" if closed else "open"))
        return int(cur.lastrowid or 0)

    def sale(self, terminal: str, shift_id: int, at: dt.datetime, n_lines: int) -> None:
        rng = self.rng
        self.sale_id += 1
        sid = self.sale_id
        self.numbers[terminal] = self.numbers.get(terminal, 0) + 1
        number = f"{terminal}-{self.numbers[terminal]:07d}"
        stamp = at.isoformat(sep=" ")
        total = tax = cost = 0
        for i in range(1, n_lines + 1):
            pid, sku, name, price, unit_cost, rate = rng.choice(self.products)
            qty = rng.choice((1, 1, 1, 2, 3))
            amount = price * qty  # 分
            line_tax = (amount * rate + (10000 + rate) // 2) // (10000 + rate)
            line_cost = (qty * 1000 * unit_cost + 50_000) // 100_000
            self.line_id += 1
            self.buffers["sale_line"].append(
                (self.line_id, sid, i, pid, sku, name, qty * 1000, price, amount, rate,
                 line_tax, unit_cost, price, line_cost))
            total += amount
            tax += line_tax
            cost += line_cost
        code = rng.choices([t[1] for t in TENDERS], weights=[t[2] for t in TENDERS])[0]
        self.pay_id += 1
        self.buffers["payment"].append((self.pay_id, sid, self.tenders[code], total))
        local = at + dt.timedelta(hours=8)
        self.buffers["sale"].append((sid, f"{sid:032x}", number, terminal, shift_id,
                                     self.cashier, total, tax, stamp, local.date().isoformat(),
                                     local.hour))
        self.entry_id += 1
        eid = self.entry_id
        self.buffers["journal_entry"].append((eid, f"{eid:032x}", f"Sale {number}", number,
                                              stamp, local.date().isoformat()))
        tender_account = {"CASH": "1001", "CARD": "1002"}.get(code, "1012")
        for account, debit, credit in ((tender_account, total, 0),
                                       ("6001", 0, total - tax), ("2221", 0, tax),
                                       ("6401", cost, 0), ("1405", 0, cost)):
            self.jline_id += 1
            self.buffers["journal_line"].append((self.jline_id, eid, self.accounts[account],
                                                 debit, credit))
        if len(self.buffers["sale_line"]) >= BATCH:
            self.flush()

    def day_times(self, day: dt.date, n: int) -> Iterator[dt.datetime]:
        # Local 08:00–22:00 in Shanghai (UTC+8), as UTC.
        base = dt.datetime.combine(day, dt.time(0, 0))
        for s in sorted(self.rng.randrange(14 * 3600) for _ in range(n)):
            yield base + dt.timedelta(seconds=s)

    def build(self, days: int) -> tuple[int, int]:
        per_day = self.n_sales // days
        numbers = {t: 0 for t in (*self.TERMINALS, "T3")}
        for d in range(days):
            day = START + dt.timedelta(days=d)
            last = d == days - 1
            opened = dt.datetime.combine(day, dt.time(0, 0)) - dt.timedelta(minutes=10)
            shifts = {}
            for terminal in self.TERMINALS + (("T3",) if last else ()):
                numbers[terminal] += 1
                shifts[terminal] = self.shift(terminal, numbers[terminal], opened,
                                              closed=not last or terminal != "T3")
            for i, at in enumerate(self.day_times(day, per_day)):
                terminal = self.TERMINALS[i % len(self.TERMINALS)]
                n = max(1, int(self.rng.gauss(self.per_sale, self.per_sale / 3)))
                self.sale(terminal, shifts[terminal], at, n)
            if last:
                for at in self.day_times(day, self.z_sales):
                    self.sale("T3", shifts["T3"], at, self.z_lines // self.z_sales)
            if d % 30 == 0:
                print(f"  day {d + 1}/{days}: {self.sale_id:,} sales, {self.line_id:,} lines",
                      flush=True)
        self.flush()
        # The daily account balances, as every posting leaves them.
        self.conn.execute("DELETE FROM account_day")
        self.conn.execute(
            "INSERT INTO account_day (account_id, date, debit, credit) "
            "SELECT l.account_id, e.date, SUM(l.debit), SUM(l.credit) FROM journal_line l "
            "JOIN journal_entry e ON e.id = l.entry_id GROUP BY l.account_id, e.date")
        self.conn.execute("UPDATE counter SET value = (SELECT COUNT(*) FROM shift WHERE "
                          "shift.terminal = counter.terminal) WHERE name = 'shift'")
        self.conn.commit()
        self.conn.execute("ANALYZE")
        self.conn.commit()
        self.conn.close()
        return self.sale_id, self.line_id


RAW_DAILY = (
    "SELECT COALESCE(SUM(CASE WHEN l.qty > 0 THEN l.amount + l.discount ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN l.qty > 0 THEN l.discount ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN l.qty <= 0 THEN -l.amount ELSE 0 END), 0), "
    "COALESCE(SUM(l.amount), 0), COALESCE(SUM(l.tax), 0), COALESCE(SUM(l.cost), 0), "
    "COALESCE(SUM(CASE WHEN l.qty > 0 THEN l.qty ELSE 0 END), 0) "
    "FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.day = ?")
RAW_COUNTS = ("SELECT SUM(CASE WHEN original_id IS NULL THEN 1 ELSE 0 END), "
              "SUM(CASE WHEN original_id IS NULL THEN 0 ELSE 1 END), SUM(rounding) "
              "FROM sale WHERE day = ?")
RAW_TENDERS = ("SELECT p.tender_id, COUNT(DISTINCT p.sale_id), SUM(p.amount) FROM payment p "
               "JOIN sale s ON s.id = p.sale_id WHERE s.day = ? GROUP BY p.tender_id")
RAW_TERMINALS = ("SELECT terminal, COUNT(*), SUM(total) FROM sale WHERE day = ? "
                 "GROUP BY terminal")
RAW_PNL = ("SELECT a.code, SUM(l.debit), SUM(l.credit) FROM journal_line l "
           "JOIN journal_entry e ON e.id = l.entry_id JOIN account a ON a.id = l.account_id "
           "WHERE e.date BETWEEN ? AND ? AND a.kind IN ('income', 'expense') GROUP BY a.code")
RAW_Z = ("SELECT COUNT(*), SUM(total), SUM(tax), SUM(change), SUM(rounding) FROM sale "
         "WHERE shift_id = ?",
         "SELECT p.tender_id, SUM(p.amount) FROM payment p JOIN sale s ON s.id = p.sale_id "
         "WHERE s.shift_id = ? GROUP BY p.tender_id",
         "SELECT grand_total FROM shift WHERE terminal = 'T3' AND status = 'closed' "
         "ORDER BY number DESC LIMIT 1")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sales", type=int, default=1_000_000)
    ap.add_argument("--lines-per-sale", type=int, default=11)  # ~10.5M lines in a year
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--db", type=Path, help="keep the database here (reused if it exists)")
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="zg-year-")) / "year.db"
    url = f"sqlite:///{path}"
    print(machine())
    if not path.exists():
        t0 = time.perf_counter()
        bootstrap.open_store(url, upgrade=True)
        build_demo(20_000, history_days=0)
        from store.common import clock

        clock.set_shop_zone("Asia/Shanghai")
        org.create_terminal("T3", "3号收银台", "STORE")
        bootstrap.close_store()
        n, lines = Year(path, args.sales, args.lines_per_sale, random.Random(11), 5000,
                        75_000).build(args.days)
        print(f"built {n:,} sales, {lines:,} lines in {time.perf_counter() - t0:.0f} s "
              f"({path.stat().st_size / 1e9:.1f} GB)")
    bootstrap.open_store(url)
    raw = sqlite3.connect(path)
    days = [START + dt.timedelta(days=d) for d in range(args.days - 1)]
    rng = random.Random(3)
    picks = [rng.choice(days) for _ in range(args.reps)]
    it, raw_it = iter(picks), iter(picks)

    def raw_daily() -> None:
        day = next(raw_it).isoformat()
        for sql in (RAW_DAILY, RAW_COUNTS, RAW_TENDERS, RAW_TERMINALS):
            raw.execute(sql, (day,)).fetchall()

    store_daily = timed(lambda: reports.daily(next(it)), args.reps)
    raw_daily_t = timed(raw_daily, args.reps)
    check = reports.daily(picks[0]).figures
    got = raw.execute(RAW_DAILY, (picks[0].isoformat(),)).fetchone()
    assert int(check.net * 100) == got[3] and int(check.cost * 100) == got[5], (check, got)

    year = (START, START + dt.timedelta(days=args.days - 1))
    store_pnl = timed(lambda: reports.pnl(*year), args.reps)
    raw_pnl = timed(lambda: raw.execute(RAW_PNL, tuple(d.isoformat() for d in year)).fetchall(),
                    max(3, args.reps // 4))
    pnl = reports.pnl(*year)
    raw_rows = {c: d - cr for c, d, cr in raw.execute(RAW_PNL, tuple(d.isoformat()
                                                                      for d in year))}
    assert int(pnl.revenue * 100) == -raw_rows["6001"]

    manager = auth.authenticate("manager", "2468")
    shift = sales.current_shift("T3")
    assert shift is not None
    expected = sales.shift_totals(shift.id).expected_cash

    def z_close() -> None:
        with database.obj.atomic() as txn:
            sales.close_shift("T3", manager, expected)
            txn.rollback()

    from store.common import clock

    with clock.freeze(dt.datetime.combine(year[1], dt.time(13, 0))):
        store_z = timed(z_close, max(3, args.reps // 4))

    def raw_z() -> None:
        raw.execute(RAW_Z[0], (shift.id,)).fetchall()
        raw.execute(RAW_Z[1], (shift.id,)).fetchall()
        raw.execute(RAW_Z[2]).fetchall()

    raw_z_t = timed(raw_z, max(3, args.reps // 4))
    sale_count, line_count = raw.execute(
        "SELECT (SELECT COUNT(*) FROM sale), (SELECT COUNT(*) FROM sale_line)").fetchone()
    print(f"\n## {sale_count:,} sales, {line_count:,} lines over {args.days} days "
          f"(ms, median of {args.reps})")
    print(f"{'operation':<44} {'zhanggui':>10} {'raw SQL':>10} {'ratio':>6} {'limit':>8}")
    for label, a, b, limit in (
            ("daily report (one day, every figure)", store_daily, raw_daily_t, 200),
            ("P&L for the year", store_pnl, raw_pnl, 2000),
            ("Z close: 5,000 sales / 75,000 lines", store_z, raw_z_t, 1000)):
        print(f"{label:<44} {med(a):>10.1f} {med(b):>10.1f} {med(a) / med(b):>6.2f} "
              f"{limit:>6} ms")
    bootstrap.close_store()


if __name__ == "__main__":
    main()
