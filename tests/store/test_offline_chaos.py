"""Issue 18.2's proof: till processes sell through a TCP proxy to PostgreSQL that drops,
blackholes, delays and loses the answers of 30% of what they send, at random, while a second
sync posts the same outboxes at the same time; one till is killed mid-sale and started again
on its outbox; the outboxes are replayed three times at the end. Every sale the customer was
handed a receipt for is in the database exactly once, whole, with its stock moves and its
journal entry, and the audit chain verifies."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from store.assurance import integrity
from store.books import ledger
from store.core.db import connect
from store.models import Payment, Sale, SaleLine, SaleReview
from store.offline import sync
from store.offline.outbox import Outbox
from store.selling import sales
from store.shops import org
from store.stock import inventory
from tests.netproxy import TcpProxy
from tests.store.stock_helpers import check_stock_invariants, stock_shop

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
CODES = ["COKE", "TEA", "6901234567892", "16901234567899", "6901234567908"]

pytestmark = pytest.mark.pg_only


def _till(args: list[str], log: Path) -> subprocess.Popen[str]:
    with log.open("a") as err:
        return subprocess.Popen([sys.executable, "-m", "tests.offline_till_worker", *args],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                env={**os.environ})


def _stuck(p: subprocess.Popen[str], database: str, logs: Path) -> str:
    """Where a sync that never ends is stuck: its threads, and the server's sessions."""
    import psycopg

    from tests.conftest import pg_admin

    p.send_signal(signal.SIGUSR1)  # the worker dumps its threads (faulthandler)
    time.sleep(1)
    p.kill()
    with psycopg.connect(pg_admin()[0], autocommit=True) as conn:
        rows = conn.execute("SELECT pid, state, wait_event, left(query, 80) FROM "
                            "pg_stat_activity WHERE datname = %s", (database,)).fetchall()
    return "\n".join([*map(str, rows), *((logs / f"sync-{t}.log").read_text()[-6000:]
                                          for t in ("T1", "T2"))])


def test_receipts_survive_a_failing_network_exactly_once(shop, db_url, tmp_path) -> None:
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "500")
    inventory.post_opening_stock("TEA", "STORE", "500")
    org.add_terminal(users["owner"], "T2", "STORE")
    shifts = {t: sales.open_shift(t, users["cashier"].id, "100").id for t in ("T1", "T2")}
    parts = urlsplit(db_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxied = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
    folders = {t: tmp_path / t for t in shifts}

    def till(terminal: str, n: int, seed: int) -> subprocess.Popen[str]:
        return _till(["sell", proxied, terminal, str(folders[terminal]), str(n), str(seed),
                      str(users["cashier"].id), str(shifts[terminal]), json.dumps(CODES)],
                     tmp_path / f"{terminal}.log")

    stop = threading.Event()
    rng = random.Random(18)

    def chaos() -> None:
        while not stop.is_set():
            choice = rng.random()
            if choice < 0.35:
                proxy.set("pass")
            elif choice < 0.5:
                proxy.set("refuse")
            elif choice < 0.65:
                proxy.set("blackhole")
            elif choice < 0.85:
                proxy.set("lose", loss=0.3)
            else:
                proxy.set("pass", delay=0.05)
            stop.wait(rng.uniform(0.2, 0.7))

    tills = {"T1": till("T1", 30, 1), "T2": till("T2", 30, 2)}
    time.sleep(1.5)  # the tills have their copies
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    syncers = [_till(["sync", proxied, t, str(folders[t]), "12"], tmp_path / f"sync-{t}.log")
               for t in shifts]
    time.sleep(3)
    tills["T1"].send_signal(signal.SIGKILL)  # pulled from the wall, mid-whatever
    killed_out, _err = tills["T1"].communicate(timeout=30)
    again = till("T1", 15, 3)  # started again on the same outbox
    outputs = [killed_out]
    for p in (tills["T2"], again):
        out, _err = p.communicate(timeout=180)
        outputs.append(out)
    for p in syncers:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError(_stuck(p, parts.path.lstrip("/"), tmp_path)) from None
    stop.set()
    chaos_thread.join(5)
    proxy.set("pass")
    proxy.close()
    connect(db_url)

    for _ in range(3):  # replayed three times: nothing doubles
        for terminal, folder in folders.items():
            box = Outbox(folder / f"till-{terminal}-outbox.db", terminal)
            result = sync.drain(box)
            assert result.error == "" and result.held == [], result
    receipts = [json.loads(line) for out in outputs for line in out.splitlines()
                if line.startswith("{") and '"uuid"' in line]
    assert len(receipts) >= 40, len(receipts)  # the tills sold through it all …
    offline = sum(1 for r in receipts if r["status"] == "offline")
    assert 5 <= offline <= len(receipts) - 5, offline  # … online and offline both
    for terminal, folder in folders.items():
        depth = Outbox(folder / f"till-{terminal}-outbox.db", terminal).depth()
        assert (depth.waiting, depth.held) == (0, 0)
    by_uuid = {str(s.uuid): s for s in Sale.select()}
    for r in receipts:
        sale = by_uuid.get(r["uuid"])
        assert sale is not None, r  # every receipt's sale is in …
        assert sale.total == D(r["total"]), r  # … as the customer paid it …
        renumbered = [v.detail for v in SaleReview.select().where(
            (SaleReview.sale == sale.id) & (SaleReview.kind == "renumbered"))]
        assert sale.number == r["number"] or renumbered == [r["number"]], r
    for sale in Sale.select():  # … whole: its lines and payments add up to it
        lines = sum((ln.amount for ln in SaleLine.select().where(SaleLine.sale == sale.id)),
                    D(0))
        paid = sum((p.amount for p in Payment.select().where(Payment.sale == sale.id)), D(0))
        assert lines + sale.rounding == sale.total == paid - sale.change, sale.number
    cash = sum((s.total for s in Sale.select()), D(0))
    assert ledger.balance(ledger.CASH) == cash  # one journal entry each, no more
    check_stock_invariants()
    report = integrity.verify()
    assert report.ok, report.problems
