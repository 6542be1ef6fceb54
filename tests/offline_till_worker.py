"""A till process for the offline chaos test (tests/store/test_offline_chaos.py).

`sell URL TERMINAL FOLDER N SEED CASHIER SHIFT CODES`: sells N baskets through a TillLink,
printing one JSON line for each receipt the customer was handed, then waits (at most a
while) for its outbox to empty. `sync URL TERMINAL FOLDER SECONDS`: a second sync on the same
outbox, posting it over and over for SECONDS."""

from __future__ import annotations

import json
import random
import signal
import sys
import time
from pathlib import Path

from store.core.db import connect
from store.core.errors import StoreError
from store.offline import sync
from store.offline.outbox import Outbox
from store.offline.till import Offline, TillLink
from store.security.auth import SessionUser
from store.selling.basket import Basket
from store.selling.sales import PaymentInput


def sell(url: str, terminal: str, folder: str, n: str, seed: str, cashier: str, shift: str,
         codes: str) -> None:
    connect(url)
    link = TillLink(terminal, Path(folder), timeout=0.4, every=0.2, refresh_every=3.0)
    while True:  # a till starts with its copy (the chaos may be on already)
        try:
            link._attempt("back", link.refresh, timeout=10)
            break
        except (Offline, Exception):
            time.sleep(0.2)
    link.online = True
    link.start()
    rng = random.Random(int(seed))
    user = SessionUser(int(cashier), "cashier", "cashier", "cashier")
    known = json.loads(codes)
    for _ in range(int(n)):
        b = Basket()
        for _ in range(rng.randint(1, 3)):
            hit = link.lookup(rng.choice(known), None)
            if hit is not None:
                b.add(hit)
        if not b:
            continue
        try:
            view = link.sell(b, [PaymentInput("CASH", b.total)], cashier=user,
                             shift_id=int(shift))
        except StoreError as err:  # refused in words: no receipt
            print(json.dumps({"refused": str(err)}), flush=True)
            continue
        print(json.dumps({"uuid": str(b.uuid), "number": view.number,
                          "total": str(view.total), "status": view.status}), flush=True)
        time.sleep(rng.random() * 0.03)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and link.outbox.depth().waiting:
        time.sleep(0.2)
    link.stop()


def second_sync(url: str, terminal: str, folder: str, seconds: str) -> None:
    connect(url)
    box = Outbox(Path(folder) / f"till-{terminal}-outbox.db", terminal)
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        try:
            sync.drain(box)
        except Exception as exc:  # the network's doing: try again
            print(json.dumps({"sync_error": type(exc).__name__}), flush=True)
        time.sleep(0.1)


if __name__ == "__main__":
    import faulthandler

    faulthandler.register(signal.SIGUSR1, all_threads=True)  # where a stuck till is stuck
    {"sell": sell, "sync": second_sync}[sys.argv[1]](*sys.argv[2:])
