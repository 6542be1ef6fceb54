"""The offline till's figures against raw sqlite3 baselines from the same run (not part of
the test suite; issue 18.2: "a scan while offline stays within the online figure").

    python tests/bench/bench_offline.py                        # 1M products (~3 minutes)
    python tests/bench/bench_offline.py --products 100000 --reps 200

Prints: the local copy's full refresh next to a raw INSERT … SELECT of the same rows; an
incremental refresh after 100 products changed; the same with 50,000 customers (copied
whole each time) against a bare copy of their rows; a barcode scan in the copy next to the same
scan online (search.lookup_code on the store) and to the bare SQL on the copy; a sale
committed to the outbox (synchronous=FULL) next to a bare insert and commit. Record the
output in docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import bootstrap
from store.catalog import search
from store.demo.shop import build_demo
from store.models import Product
from store.models.base import utcnow
from store.offline.local_copy import LocalCopy
from store.offline.outbox import Outbox
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.bench.common import machine, ms, timed


def row(label: str, a: list[float], b: list[float]) -> None:
    (am, ap95), (bm, bp95) = ms(a), ms(b)
    print(f"{label:<40} {am:>7.3f} / {ap95:>6.3f} {bm:>7.3f} / {bp95:>6.3f} {am / bm:>6.1f}")


def raw_copy(source: Path, target: Path) -> float:
    """The same product and barcode rows into a bare file: one INSERT … SELECT each."""
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE product (id INTEGER PRIMARY KEY, sku, sku_key, name, name_en, "
                 "price, unit, unit_en, rate_bp, weighed, active, category_id, pinyin, "
                 "initials)")
    conn.execute("CREATE TABLE barcode (code TEXT PRIMARY KEY, product_id, pack_qty)")
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    t0 = time.perf_counter()
    conn.execute("INSERT INTO product SELECT p.id, p.sku, lower(p.sku), p.name, p.name_en, "
                 "p.price, u.name, u.name_en, t.rate_bp, p.sold_by_weight, p.active, "
                 "p.category_id, p.pinyin, p.initials FROM src.product p JOIN src.unit u ON "
                 "u.id = p.unit_id JOIN src.tax_rate t ON t.id = p.tax_rate_id")
    conn.execute("INSERT INTO barcode SELECT code, product_id, pack_qty FROM src.barcode")
    conn.execute("CREATE INDEX product_sku_key ON product (sku_key)")
    conn.execute("CREATE INDEX product_pinyin ON product (pinyin)")
    conn.execute("CREATE INDEX product_initials ON product (initials)")
    conn.execute("CREATE INDEX barcode_product ON barcode (product_id)")
    conn.commit()
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def members(copy: LocalCopy, source: Path, work: Path, n: int) -> None:
    """The customers in the copy: written whole on every refresh (what they owe moves with
    each sale), against a bare INSERT … SELECT of the same columns."""
    from store.models import Customer
    from store.security import crypto

    rows = [{"code": f"M{i:07d}", "name": f"会员{i}", "phone_enc": crypto.seal(f"139{i:08d}"),
             "phone_hash": crypto.blind_index(f"139{i:08d}"), "credit_limit": 50000}
            for i in range(n)]
    for k in range(0, n, 2000):
        Customer.insert_many(rows[k:k + 2000]).execute()
    t0 = time.perf_counter()
    copy.refresh(full=True)
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    copy.refresh()
    again = time.perf_counter() - t0
    conn = sqlite3.connect(work / "raw-members.db")
    conn.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, code, name, grp, "
                 "price_list_id, phone_hash, phone_hint, credit_limit, owed)")
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    t0 = time.perf_counter()
    conn.execute("INSERT INTO customer SELECT id, code, name, '', price_list_id, phone_hash, "
                 "substr(phone_enc, -4), credit_limit, 0 FROM src.customer WHERE active")
    conn.commit()
    raw = time.perf_counter() - t0
    print(f"\n## {n:,} customers in the copy, on top of the products above (s)")
    print(f"{'operation':<40} {'zhanggui':>9} {'raw':>9} {'ratio':>6}")
    print(f"{'full refresh (phones opened)':<40} {full:>9.2f}")
    print(f"{'incremental refresh (customers whole)':<40} {again:>9.3f} {raw:>9.3f} "
          f"{again / raw:>6.1f}  (raw: the customer rows alone)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=500)
    ap.add_argument("--customers", type=int, default=50_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zg-bench-offline-"))
    print(machine())
    source = work / "shop.db"
    bootstrap.open_store(f"sqlite:///{source}", upgrade=True)
    build_demo(args.products, history_days=0)
    n = Product.select().count()

    copy = LocalCopy(work / "copy.db", "T1")
    t0 = time.perf_counter()
    copy.refresh(full=True)
    full = time.perf_counter() - t0
    raw = raw_copy(source, work / "raw-copy.db")
    print(f"\n## The local copy of {n:,} products (s)")
    print(f"{'operation':<40} {'zhanggui':>9} {'raw':>9} {'ratio':>6}")
    print(f"{'full refresh':<40} {full:>9.2f} {raw:>9.2f} {full / raw:>6.1f}")
    ids = random.Random(3).sample(range(1, n + 1), 100)
    Product.update(updated_at=utcnow()).where(Product.id.in_(ids)).execute()
    t0 = time.perf_counter()
    done = copy.refresh()
    incremental = time.perf_counter() - t0
    print(f"{'incremental refresh, 100 changed':<40} {incremental:>9.3f} "
          f"{'':>9} {'':>6}  ({done.products} rows)")

    members(copy, source, work, args.customers)

    rng = random.Random(7)
    conn = sqlite3.connect(work / "copy.db")
    codes = [c for (c,) in conn.execute("SELECT code FROM barcode ORDER BY random() LIMIT ?",
                                        (args.reps,))]
    rng.shuffle(codes)
    offline_it, online_it, raw_it = iter(codes), iter(codes), iter(codes)

    def offline_scan() -> None:
        assert copy.lookup_code(next(offline_it))

    def online_scan() -> None:
        assert search.lookup_code(next(online_it))

    def raw_scan() -> None:
        assert conn.execute("SELECT p.* FROM barcode b JOIN product p ON p.id = b.product_id "
                            "WHERE b.code = ?", (next(raw_it),)).fetchone()

    offline, online, bare = (timed(offline_scan, len(codes)), timed(online_scan, len(codes)),
                             timed(raw_scan, len(codes)))
    print(f"\n## A scan on {n:,} products (ms; median / p95; {len(codes)} runs)")
    print(f"{'operation':<40} {'zhanggui':>16} {'baseline':>16} {'ratio':>6}")
    row("offline scan vs raw SQL on the copy", offline, bare)
    row("offline scan vs the same scan online", offline, online)

    box = Outbox(work / "outbox.db", "T1")
    hit = copy.lookup_code(codes[0])
    assert hit is not None

    def offline_sale() -> None:
        b = Basket()
        b.add(hit, Decimal(2))
        box.add(b, [PaymentInput("CASH", b.total)], cashier_id=1, shift_id=1)

    bare_out = sqlite3.connect(work / "raw-outbox.db", isolation_level=None)
    bare_out.execute("PRAGMA journal_mode=WAL")
    bare_out.execute("PRAGMA synchronous=FULL")
    bare_out.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, payload TEXT)")

    def raw_sale() -> None:
        bare_out.execute("BEGIN IMMEDIATE")
        bare_out.execute("INSERT INTO outbox (payload) VALUES (?)", ("x" * 600,))
        bare_out.execute("COMMIT")

    reps = min(args.reps, 300)
    print(f"\n## A sale into the outbox, synchronous=FULL (ms; median / p95; {reps} runs)")
    row("outbox.add vs a bare insert and commit", timed(offline_sale, reps),
        timed(raw_sale, reps))
    bootstrap.close_store()


if __name__ == "__main__":
    main()
