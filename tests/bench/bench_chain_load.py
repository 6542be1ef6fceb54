"""Many tills on one PostgreSQL (issue 18): each till a process of its own selling at a steady
rate through `post_sale`, against bare psycopg transactions writing the same kind of rows at
the same rate in the same run. Not part of the test suite.

    python tests/bench/bench_chain_load.py                       # 20 tills, 1 sale/s, 5 min
    python tests/bench/bench_chain_load.py --tills 4 --seconds 10
    ZHANGGUI_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/postgres  (the default)

Prints the commit time of a sale (post_sale, from the tender to the committed transaction:
sale, lines, payments, stock moves and levels, the journal entry, the audit chain) as median,
p95 and p99, the errors, and the CPU the PostgreSQL server used. Record the output in
docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import machine, scratch_database


def beats(start: float, seconds: float, rate: float, rng: random.Random) -> Iterator[int]:
    """Wait for each of a till's beats (`rate` a second from `start`, at an offset of its
    own: the tills do not all pay at the same instant) and yield its number."""
    offset = rng.random() / rate
    k = 0
    while start + offset + k / rate <= start + seconds:
        time.sleep(max(0.0, start + offset + k / rate - time.time()))
        k += 1
        yield k


def till(url: str, terminal: str, cashier: int, codes: list[str], start: float, seconds: float,
         rate: float, out: mp.Queue) -> None:
    """One till: a basket of 1–5 scanned products, paid in cash, every 1/rate seconds."""
    from store import bootstrap
    from store.catalog import search
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    rng = random.Random(terminal)
    times: list[float] = []
    errors: list[str] = []
    try:
        bootstrap.open_store(url)
        for _k in beats(start, seconds, rate, rng):
            basket = Basket()
            for code in rng.sample(codes, rng.randint(1, 5)):
                hit = search.lookup_code(code)
                if hit is not None:
                    basket.add(hit)
            t0 = time.perf_counter()
            try:
                sales.post_sale(basket, [PaymentInput("CASH", basket.total + Decimal(10))],
                                terminal=terminal, cashier_id=cashier)
                times.append(time.perf_counter() - t0)
            except Exception as exc:  # counted and shown: the figure is the errors
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
    except BaseException as exc:  # the till itself failed: said, and the run goes on
        errors.append(f"till {terminal} stopped: {type(exc).__name__}: {exc}"[:300])
    out.put((times, errors))


def raw_till(url: str, terminal: str, start: float, seconds: float, rate: float,
             out: mp.Queue) -> None:
    """The baseline: the same rhythm, a bare transaction writing a sale's kind of rows."""
    import psycopg

    conn = psycopg.connect(url)
    rng = random.Random(terminal)
    times: list[float] = []
    errors: list[str] = []
    for k in beats(start, seconds, rate, rng):
        lines = rng.randint(1, 5)
        t0 = time.perf_counter()
        try:
            with conn.transaction():
                sale = conn.execute("INSERT INTO raw_sale (terminal, total) VALUES (%s, 100) "
                                    "RETURNING id", (terminal,)).fetchone()[0]  # type: ignore[index]
                for n in range(lines):
                    product = rng.randint(1, 2000)
                    conn.execute("INSERT INTO raw_line (sale, product, qty, amount) "
                                 "VALUES (%s, %s, 1, 100)", (sale, product))
                    conn.execute("UPDATE raw_level SET on_hand = on_hand - 1 "
                                 "WHERE product = %s", (product,))
                    conn.execute("INSERT INTO raw_move (product, qty, ref) VALUES (%s, -1, %s)",
                                 (product, f"{terminal}-{k}-{n}"))
                conn.execute("INSERT INTO raw_payment (sale, amount) VALUES (%s, 100)", (sale,))
                entry = conn.execute("INSERT INTO raw_entry (ref) VALUES (%s) RETURNING id",
                                     (f"{terminal}-{k}",)).fetchone()[0]  # type: ignore[index]
                for account in ("1001", "6001", "2221", "6401", "1405"):
                    conn.execute("INSERT INTO raw_entry_line (entry, account, amount) "
                                 "VALUES (%s, %s, 100)", (entry, account))
            times.append(time.perf_counter() - t0)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
    conn.close()
    out.put((times, errors))


def server_cpu_seconds() -> float:
    """CPU time (user + system) used so far by every process named postgres on this host."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name.startswith("postgres"):
            fields = stat[stat.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


def run(target, args_of, tills: int, seconds: float) -> tuple[list[float], list[str], float,
                                                              float]:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    start = time.time() + 3 + tills * 0.15  # every till imported and connected by then
    procs = [ctx.Process(target=target, args=(*args_of(i, start), out)) for i in range(tills)]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start - time.time()))
    cpu0, wall0 = server_cpu_seconds(), time.time()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    cpu, wall = server_cpu_seconds() - cpu0, time.time() - wall0
    for p in procs:
        p.join(30)
    times = [t for r in results for t in r[0]]
    errors = [e for r in results for e in r[1]]
    return times, errors, cpu, wall


def pct(sorted_times: list[float], q: float) -> float:
    return sorted_times[min(len(sorted_times) - 1, int(len(sorted_times) * q))] * 1000


def main() -> None:
    import psycopg

    ap = argparse.ArgumentParser()
    ap.add_argument("--tills", type=int, default=20)
    ap.add_argument("--rate", type=float, default=1.0, help="sales per second per till")
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--raw-seconds", type=float, default=60, help="the baseline's run")
    args = ap.parse_args()
    print(machine())
    with scratch_database("zg_bench_load") as url:
        from store import bootstrap
        from store.demo.shop import build_demo
        from store.models import Barcode, User
        from store.selling import sales
        from store.shops import org

        bootstrap.open_store(url, upgrade=True)
        build_demo(args.products, history_days=0)
        cashier = User.get(User.username == "cashier").id
        terminals = [f"L{i:02d}" for i in range(1, args.tills + 1)]
        for code in terminals:
            org.create_terminal(code, code, "STORE")
            sales.open_shift(code, cashier, "200")
        codes = [b.code for b in Barcode.select(Barcode.code).where(Barcode.pack_qty == 1)
                 .limit(500)]
        bootstrap.close_store()

        times, errors, cpu, wall = run(
            till, lambda i, start: (url, terminals[i], cashier, codes, start, args.seconds,
                                    args.rate), args.tills, args.seconds)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE raw_sale (id serial PRIMARY KEY, terminal text, "
                         "total int, at timestamptz DEFAULT now())")
            conn.execute("CREATE TABLE raw_line (id serial PRIMARY KEY, sale int REFERENCES "
                         "raw_sale, product int, qty int, amount int)")
            conn.execute("CREATE TABLE raw_level (product int PRIMARY KEY, on_hand int)")
            conn.execute("INSERT INTO raw_level SELECT g, 1000000 FROM generate_series(1, 2000) g")
            conn.execute("CREATE TABLE raw_move (id serial PRIMARY KEY, product int, qty int, "
                         "ref text UNIQUE)")
            conn.execute("CREATE TABLE raw_payment (id serial PRIMARY KEY, sale int "
                         "REFERENCES raw_sale, amount int)")
            conn.execute("CREATE TABLE raw_entry (id serial PRIMARY KEY, ref text)")
            conn.execute("CREATE TABLE raw_entry_line (id serial PRIMARY KEY, entry int "
                         "REFERENCES raw_entry, account text, amount int)")
        raw_times, raw_errors, raw_cpu, raw_wall = run(
            raw_till, lambda i, start: (url, terminals[i], start, args.raw_seconds, args.rate),
            args.tills, args.raw_seconds)

        print(f"\n## {args.tills} tills × {args.rate:g} sale/s × {args.seconds:g} s on one "
              "PostgreSQL (commit time of a sale, ms)\n")
        print("| | sales | errors | median | p95 | p99 | server CPU |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, t, e, c, w in (("zhanggui `post_sale`", times, errors, cpu, wall),
                                  ("raw psycopg, same rows", raw_times, raw_errors, raw_cpu,
                                   raw_wall)):
            s = sorted(t) or [0.0]
            print(f"| {label} | {len(t):,} | {len(e)} | {pct(s, 0.5):.1f} | {pct(s, 0.95):.1f} "
                  f"| {pct(s, 0.99):.1f} | {100 * c / w:.0f}% of a core |")
        s, r = sorted(times) or [0.0], sorted(raw_times) or [1.0]
        print(f"\nratio (p95): {pct(s, 0.95) / pct(r, 0.95):.1f}; "
              f"median: {pct(s, 0.5) / pct(r, 0.5):.1f}")
        for e in (errors + raw_errors)[:5]:
            print("error:", e)


if __name__ == "__main__":
    main()
