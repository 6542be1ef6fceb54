"""The crash test's child: a till that is killed (SIGKILL) at random moments, again and again.

    python -m tests.crash_child URL ROUNDS SEED

It imports the store once, then each round forks a till that opens the database and sells
one sale after another, printing each sale's number once its transaction has committed. The
parent kills it with SIGKILL after a random while: in every fourth round counted from the
fork (to cut a till while it opens the database), otherwise after the till's first sale, for
0.2 to 4 times as long as that sale took — so a slow, loaded machine still has its kills land
among the commits. Then it opens the database and checks it (SQLite's
quick check, and that every sale it was told about is there whole). It prints one JSON line
per round and a last line with every acknowledged sale, for the test to check again."""

from __future__ import annotations

import json
import os
import random
import re
import select
import signal
import sys
import time
from decimal import Decimal


def till(url: str, write_fd: int, seed: int) -> None:
    from store import bootstrap
    from store.catalog import search
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    bootstrap.open_store(url)
    rng = random.Random(seed)
    from store.models import User

    cashier = User.get(User.username == "till").id
    coke, tea = search.lookup_code("COKE"), search.lookup_code("TEA")
    out = os.fdopen(write_fd, "w", buffering=1)
    first = True
    while True:
        b = Basket()
        b.add(coke, Decimal(rng.randint(1, 3)))
        b.add(tea, Decimal(1))
        began = time.monotonic()
        view = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                               cashier_id=cashier)
        if first:  # how long a sale takes on this machine now: the parent times its kill by it
            out.write(f"{view.number}\nready {time.monotonic() - began:.4f}\n")
            first = False
            continue
        out.write(view.number + "\n")  # only after the commit returned


def check(url: str, acknowledged: list[str]) -> list[str]:
    """Problems with the database after a kill (an empty list when it is sound)."""
    from store import bootstrap
    from store.core.db import database, engine_of
    from store.models import JournalEntry, Payment, Sale, SaleLine, StockMove

    bootstrap.open_store(url)
    problems = []
    try:
        if engine_of(url) == "sqlite":
            result = database.obj.execute_sql("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                problems.append(f"quick_check: {result}")
        found = {s.number: s.id for s in Sale.select(Sale.id, Sale.number)
                 .where(Sale.number.in_(acknowledged))}
        for number in acknowledged:
            if number not in found:
                problems.append(f"acknowledged sale {number} is missing")
        # Whole: the last sales (the ones a kill could have cut) have everything.
        for sale in Sale.select().order_by(Sale.id.desc()).limit(5):
            lines = SaleLine.select().where(SaleLine.sale == sale.id).count()
            pays = Payment.select().where(Payment.sale == sale.id).count()
            moves = StockMove.select().where(StockMove.reference == sale.number).count()
            entries = JournalEntry.select().where(JournalEntry.reference == sale.number).count()
            if (lines, pays, moves, entries) != (2, 1, 2, 1):
                problems.append(f"sale {sale.number} is partial: {lines} lines, {pays} "
                                f"payments, {moves} moves, {entries} entries")
    finally:
        bootstrap.close_store()
    return problems


def main() -> None:
    url, rounds, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    import store.bootstrap  # noqa: F401  (imported once, before the forks)

    rng = random.Random(seed)
    acknowledged: list[str] = []
    for r in range(rounds):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the till
            os.close(read_fd)
            try:
                till(url, write_fd, seed * 1000 + r)
            finally:
                os._exit(1)
        os.close(write_fd)
        while_opening = r % 4 == 0
        wait, factor = rng.uniform(0.02, 0.35), rng.uniform(0.2, 4.0)
        deadline = time.monotonic() + (wait if while_opening else 60)
        buffer = b""
        timed = while_opening
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([read_fd], [], [], 0.002)
            if ready:
                chunk = os.read(read_fd, 4096)
                if not chunk:
                    break
                buffer += chunk
                found = re.search(rb"ready ([0-9.]+)\n", buffer)
                if not timed and found:
                    deadline = time.monotonic() + factor * max(float(found[1]), 0.002)
                    timed = True
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        # Numbers read in full lines only: a number half-written when the kill came was
        # never acknowledged.
        lines = buffer.split(b"\n")[:-1]
        acked = [n.decode() for n in lines if n and not n.startswith(b"ready")]
        after = next((len(lines) - i - 1 for i, n in enumerate(lines)
                      if n.startswith(b"ready")), 0)  # sales after the timed start
        os.close(read_fd)
        acknowledged += acked
        problems = check(url, acknowledged)
        print(json.dumps({"round": r, "acknowledged": len(acked), "after_first": after,
                          "problems": problems, "while_opening": while_opening}),
              flush=True)
        if problems:
            break
    print(json.dumps({"all": acknowledged}), flush=True)


if __name__ == "__main__":
    main()
