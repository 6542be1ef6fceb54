"""What every benchmark script shares: timing a call, its median and p95 in milliseconds,
and the line that names the machine the figures were taken on."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator


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


ADMIN_URL = os.environ.get("ZHANGGUI_BENCH_PG_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def scratch_database(prefix: str, *, keep: bool = False) -> Iterator[str]:
    """A PostgreSQL database of the benchmark's own (its URL), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        if keep:
            print(f"kept {url}")
        else:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
