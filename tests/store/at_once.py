"""Two tills at the same moment: the races the store must win (a voucher, a card, points)."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from typing import Any


def two_tills(target: Callable[..., None], db_url: str, key: str) -> list[tuple[Any, ...]]:
    """Run `target(db_url, key, terminal, start, results)` for T1 and T2 in two processes
    (spawned: each opens its own connection), released together by a barrier; returns what
    each put on `results`."""
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    tills = [ctx.Process(target=target, args=(db_url, key, t, start, results))
             for t in ("T1", "T2")]
    for t in tills:
        t.start()
    try:
        return [results.get(timeout=120) for _ in tills]
    finally:
        for t in tills:
            t.join(timeout=60)
