"""What every benchmark script shares: timing a call, its median and p95 in milliseconds,
and the line that names the machine the figures were taken on."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    s = sorted(samples)
    return statistics.median(s) * 1000, s[max(int(len(s) * 0.95) - 1, 0)] * 1000


def machine() -> str:
    return (f"# {platform.node()} · {platform.processor() or platform.machine()} · "
            f"{os.cpu_count()} cores · Python {platform.python_version()} · "
            f"SQLite {sqlite3.sqlite_version} · {time.strftime('%Y-%m-%d')}")
