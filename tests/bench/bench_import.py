"""Import benchmark: a 100,000-row GBK product file and a 100,000-row member list, as a shop
moving from another system brings them, each against a raw baseline in the same run (not part
of the test suite).

    python tests/bench/bench_import.py                    # 100,000 rows each, 3 runs, SQLite
    python tests/bench/bench_import.py --rows 20000       # a quick look
    python tests/bench/bench_import.py --pg postgresql://postgres@127.0.0.1:5432/test

Issue 16 measured 6 min 42 s and 190 MB to *validate* such a file (a dry run). Measured per
run on a fresh shop (median of --reps):
- the dry run (`--dry-run`: every row checked, nothing written);
- the first import (100,000 products, 1–2 barcodes each, price history, each product sealed
  in the audit chain);
- the same file again (every row unchanged: nothing written);
- a price file (`sku,price`, every price changed: 100,000 updates, history rows, seals);
- the raw baseline: the same file decoded, parsed with `csv` and the products and barcodes
  inserted by executemany on a bare connection, with no validation, history or audit.
Memory: the peak RSS of `zhanggui products import FILE --dry-run` run as a user would, in its
own process, against a process that only decodes the file and parses it into a list with `csv`.

Customers (issue 16: "Same for 100,000 customers"): the dry run, the first import (each phone,
address and e-mail sealed with AES-GCM, the phone's keyed hash beside it), the same file again
(every code known: nothing written), against the raw baseline of the same rows parsed with
`csv` and inserted in clear by executemany; and the peak RSS of `zhanggui import customers
FILE --dry-run`.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from stdnum import ean

from store import bootstrap
from store.catalog import product_import, products
from store.core.db import database
from store.customers import party_import
from store.models import ALL
from store.security import auth
from store.shops.setup import setup_shop

WORDS = "可口可乐雪碧农夫山泉康师傅红烧牛肉面旺旺仙贝奥利奥饼干蒙牛纯牛奶伊利酸奶清风纸巾洗洁精"
CATEGORIES = [(f"C{i:02d}", f"分类{i:02d}") for i in range(40)]


def write_file(path: Path, n: int, rng: random.Random) -> None:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["商家编码", "商品名称", "英文名称", "分类", "单位", "零售价", "税率", "进价",
                "条码"])
    for i in range(n):
        name = "".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))) + f" {i}"
        body = f"69{i:010d}"
        codes = body + ean.calc_check_digit(body)
        if i % 4 == 0:  # a case barcode too
            case = f"1{body}"
            codes += f"|{case}{ean.calc_check_digit(case)}*12"
        price = rng.randint(100, 99999)
        w.writerow([f"P{i:07d}", name, f"Item {i}", rng.choice(CATEGORIES)[0],
                    rng.choice(("个", "瓶", "包", "盒")), f"{price // 100}.{price % 100:02d}",
                    "13%", f"{price * 6 // 1000}.{price * 6 % 1000:03d}", codes])
    path.write_bytes(out.getvalue().encode("gb18030"))


def write_prices(path: Path, source: Path) -> None:
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("gb18030"))))[1:]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["sku", "price"])
    for r in rows:
        w.writerow([r[0], f"{r[5]}"[:-1] + ("1" if r[5][-1] != "1" else "2")])
    path.write_text(out.getvalue(), encoding="utf-8")


RAW_READ = ("import csv, io, sys; rows = list(csv.reader(io.StringIO(open(sys.argv[1], 'rb')"
            ".read().decode('gb18030')))); print(len(rows))")


def peak_rss(argv: list[str], stdin: str) -> float:
    """The peak resident memory of one command, in MB, measured in a process of its own."""
    code = ("import resource, subprocess, sys; "
            "r = subprocess.run(sys.argv[2:], input=sys.argv[1], text=True, "
            "capture_output=True); assert r.returncode == 0, r.stderr; "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, stdin, *argv], check=True, text=True,
                         capture_output=True, cwd=Path(__file__).resolve().parents[2])
    return int(out.stdout.split()[-1]) / 1e3


def fresh_shop(url: str) -> None:
    bootstrap.open_store(url, upgrade=True)
    if url.startswith("postgresql"):
        tables = ", ".join(f'"{m._meta.table_name}"' for m in ALL)
        database.execute_sql(f"TRUNCATE {tables}, audit_event RESTART IDENTITY CASCADE")
    setup_shop("基准商店", owner="boss", owner_pin="8888")
    for code, name in CATEGORIES:
        products.create_category(code, name)


def raw_baseline(db: Path, source: Path) -> float:
    """Decode, parse with csv and insert products and barcodes by executemany: the floor."""
    t0 = time.perf_counter()
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("gb18030"))))[1:]
    conn = sqlite3.connect(db)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    with conn:
        conn.execute("DELETE FROM barcode")
        conn.execute("DELETE FROM price_change")
        conn.execute("DELETE FROM product")
        conn.executemany(
            "INSERT INTO product (sku, name, name_en, pinyin, initials, category_id, unit_id, "
            "price, tax_rate_id, cost, stock_tracked, sold_by_weight, active, created_at, "
            "updated_at) VALUES (?, ?, ?, '', '', 1, 1, ?, 1, ?, 1, 0, 1, ?, ?)",
            [(r[0], r[1], r[2], int(r[5].replace(".", "")), int(r[7].replace(".", "")), now,
              now) for r in rows])
        ids = dict(conn.execute("SELECT sku, id FROM product"))
        conn.executemany("INSERT INTO barcode (code, product_id, pack_qty) VALUES (?, ?, ?)",
                         [(code.partition("*")[0], ids[r[0]], 1000)
                          for r in rows for code in r[8].split("|")])
    conn.close()
    return time.perf_counter() - t0


def raw_complete(db: Path, source: Path) -> float:
    """The floor for the same outcome: the rows parsed with csv, each name's pinyin search
    keys worked out (the same cached pypinyin calls), products, barcodes and a price-history
    row each inserted by executemany, and each product sealed in an HMAC-SHA256 chain of its
    canonical JSON — everything the import stores, without checking a single cell."""
    from store.catalog import pinyin

    t0 = time.perf_counter()
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("gb18030"))))[1:]
    conn = sqlite3.connect(db)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    (last,), = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_event")
    key, prev, seals = os.urandom(32), "0" * 64, []
    for i, r in enumerate(rows, start=last):
        payload = json.dumps({"sku": r[0], "name": r[1], "price": r[5], "barcodes": r[8]},
                             sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        prev = hmac.new(key, (prev + payload).encode(), hashlib.sha256).hexdigest()
        seals.append((i + 1, now, "product_created", r[0], payload, prev))
    with conn:
        for table in ("barcode", "price_change", "product"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO product (sku, name, name_en, pinyin, initials, category_id, unit_id, "
            "price, tax_rate_id, cost, stock_tracked, sold_by_weight, active, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 1, 1, ?, 1, ?, 1, 0, 1, ?, ?)",
            [(r[0], r[1], r[2], *pinyin.keys(r[1]), int(r[5].replace(".", "")),
              int(r[7].replace(".", "")), now, now) for r in rows])
        ids = dict(conn.execute("SELECT sku, id FROM product"))
        conn.executemany("INSERT INTO barcode (code, product_id, pack_qty) VALUES (?, ?, ?)",
                         [(code.partition("*")[0], ids[r[0]], 1000)
                          for r in rows for code in r[8].split("|")])
        conn.executemany(
            "INSERT INTO price_change (product_id, new_price, user_id, source, note, "
            "created_at) VALUES (?, ?, 1, 'import', 'bench', ?)",
            [(ids[r[0]], int(r[5].replace(".", "")), now) for r in rows])
        conn.executemany(
            "INSERT INTO audit_event (seq, created_at, kind, reference, payload, hash, "
            "prev_hash, terminal) VALUES (?, ?, ?, ?, ?, ?, '', '')", seals)
    conn.close()
    return time.perf_counter() - t0


def run_once(url: str, source: Path, prices: Path, n: int, sqlite_file: Path | None
             ) -> dict[str, float]:
    fresh_shop(url)
    boss = auth.authenticate("boss", "8888")
    t0 = time.perf_counter()
    dry = product_import.import_products(source, boss, dry_run=True)
    t1 = time.perf_counter()
    first = product_import.import_products(source, boss)
    t2 = time.perf_counter()
    again = product_import.import_products(source, boss)
    t3 = time.perf_counter()
    priced = product_import.import_products(prices, boss)
    t4 = time.perf_counter()
    assert dry.created == n and first.created == n and again.unchanged == n, (dry, first, again)
    assert priced.price_changes == n, priced
    bootstrap.close_store()
    raw = raw_baseline(sqlite_file, source) if sqlite_file else float("nan")
    complete = raw_complete(sqlite_file, source) if sqlite_file else float("nan")
    return {"dry": t1 - t0, "first": t2 - t1, "again": t3 - t2, "prices": t4 - t3, "raw": raw,
            "raw_sealed": complete}


def write_customers(path: Path, n: int, rng: random.Random) -> None:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["会员号", "姓名", "手机", "邮箱", "地址", "信用额度"])
    for i in range(n):
        w.writerow([f"M{i:07d}", "".join(rng.choice(WORDS) for _ in range(3)),
                    f"13{rng.randint(100_000_000, 999_999_999)}", f"m{i}@example.cn",
                    f"上海市长宁区天山路{i}号", rng.choice(("0", "0", "500"))])
    path.write_bytes(out.getvalue().encode("gb18030"))


def raw_customers(db: Path, source: Path, sealed: bool = False) -> float:
    """The rows parsed and inserted by executemany; `sealed`: each phone, address and e-mail
    encrypted with AES-GCM and the phone's HMAC beside it, as the law on personal data asks
    of any import — the floor for the import's own work of checking rows."""
    t0 = time.perf_counter()
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("gb18030"))))[1:]
    if sealed:
        cipher, key = AESGCM(os.urandom(32)), os.urandom(32)

        def seal(text: str) -> str:
            nonce = os.urandom(12)
            return base64.b64encode(nonce + cipher.encrypt(nonce, text.encode(), b"")).decode()

        rows = [[r[0], r[1], seal(r[2]), seal(r[3]), seal(r[4]), r[5],
                 hmac.new(key, r[2].encode(), hashlib.sha256).hexdigest()] for r in rows]
    conn = sqlite3.connect(db)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    with conn:
        conn.execute("DELETE FROM customer")
        conn.executemany(
            "INSERT INTO customer (code, name, credit_limit, active, created_at, phone_enc, "
            "phone_hash, address_enc, email_enc, id_number_enc, payment_days, points, spent) "
            "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, '', 30, 0, 0)",
            [(r[0], r[1], int(r[5]) * 100, now, r[2], r[6] if sealed else r[2], r[4], r[3])
             for r in rows])
    conn.close()
    return time.perf_counter() - t0


def run_customers(url: str, source: Path, n: int, sqlite_file: Path | None) -> dict[str, float]:
    fresh_shop(url)
    boss = auth.authenticate("boss", "8888")
    t0 = time.perf_counter()
    dry = party_import.import_customers(source, boss, dry_run=True)
    t1 = time.perf_counter()
    first = party_import.import_customers(source, boss)
    t2 = time.perf_counter()
    again = party_import.import_customers(source, boss)
    t3 = time.perf_counter()
    assert dry.created == n and first.created == n and again.unchanged == n, (dry, first, again)
    bootstrap.close_store()
    raw = raw_customers(sqlite_file, source) if sqlite_file else float("nan")
    raw_sealed = raw_customers(sqlite_file, source, sealed=True) if sqlite_file else float("nan")
    return {"dry": t1 - t0, "first": t2 - t1, "again": t3 - t2, "raw": raw,
            "raw_sealed": raw_sealed}


def report(title: str, n: int, engines: dict[str, list[dict[str, float]]],
           labels: tuple[tuple[str, str], ...]) -> None:
    print(title)
    for engine, runs in engines.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f" {engine}")
        for key, label in labels:
            if med[key] == med[key]:
                print(f"  {label:34} {med[key]:7.2f} s  {n / med[key]:9.0f} rows/s")
        if med["raw"] == med["raw"]:
            print(f"  ratio first import / raw: {med['first'] / med['raw']:.1f}x, "
                  f"dry run / raw: {med['dry'] / med['raw']:.1f}x")
        if med.get("raw_sealed", float("nan")) == med.get("raw_sealed"):
            print(f"  ratio first import / raw storing the same rows (no checks): "
                  f"{med['first'] / med['raw_sealed']:.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--customers", type=int, default=100_000, metavar="ROWS")
    ap.add_argument("--pg", metavar="URL", help="also on this PostgreSQL database (emptied!)")
    args = ap.parse_args()
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["ZHANGGUI_KEY_FILE"] = str(work / "bench.key")  # never the user's own
        source, prices = work / "products.csv", work / "prices.csv"
        write_file(source, n, random.Random(7))
        write_prices(prices, source)
        size = source.stat().st_size / 1e6
        db = work / "shop.db"
        fresh_shop(f"sqlite:///{db}")
        bootstrap.close_store()
        rss = peak_rss([sys.executable, "-m", "tui.cli", "--db", f"sqlite:///{db}", "products",
                        "import", str(source), "--dry-run", "--as", "boss"], "8888\n")
        raw_rss = peak_rss([sys.executable, "-c", RAW_READ, str(source)], "")
        engines: dict[str, list[dict[str, float]]] = {"sqlite": []} | (
            {"postgresql": []} if args.pg else {})
        for _ in range(args.reps):
            db.unlink(missing_ok=True)
            engines["sqlite"].append(run_once(f"sqlite:///{db}", source, prices, n, db))
            if args.pg:
                engines["postgresql"].append(run_once(args.pg, source, prices, n, None))
        members = work / "members.csv"
        write_customers(members, args.customers, random.Random(11))
        db.unlink(missing_ok=True)
        fresh_shop(f"sqlite:///{db}")
        bootstrap.close_store()
        member_rss = peak_rss([sys.executable, "-m", "tui.cli", "--db", f"sqlite:///{db}",
                               "import", "customers", str(members), "--dry-run", "--as",
                               "boss"], "8888\n")
        people: dict[str, list[dict[str, float]]] = {k: [] for k in engines}
        for _ in range(args.reps):
            db.unlink(missing_ok=True)
            people["sqlite"].append(run_customers(f"sqlite:///{db}", members, args.customers,
                                                  db))
            if args.pg:
                people["postgresql"].append(run_customers(args.pg, members, args.customers,
                                                          None))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
          f"{dt.date.today()}")
    report(f"products: {n:,} rows ({size:.1f} MB GBK file); median of {args.reps} runs; "
           f"memory: peak RSS of the dry run {rss:.0f} MB, of reading the file raw "
           f"{raw_rss:.0f} MB", n, engines,
           (("dry", "dry run (check every row)"), ("first", "first import"),
            ("again", "the same file again"), ("prices", "a price file (every price new)"),
            ("raw", "raw baseline (csv + executemany)"),
            ("raw_sealed", "raw, storing the same (no checks)")))
    report(f"customers: {args.customers:,} rows; median of {args.reps} runs; memory: peak RSS "
           f"of the dry run {member_rss:.0f} MB", args.customers, people,
           (("dry", "dry run (check every row)"), ("first", "first import (PII sealed)"),
            ("again", "the same file again"), ("raw", "raw baseline (csv + executemany)"),
            ("raw_sealed", "raw baseline, PII sealed")))


if __name__ == "__main__":
    main()
