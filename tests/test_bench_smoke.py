"""Every benchmark script still runs (issue 15.9): each on a tiny size, to the end, printing
its figures. This measures nothing — the figures are in docs/BENCHMARKS.md — it only keeps
the scripts from rotting as the schema moves (two had, unnoticed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent / "bench"
TINY = {
    "bench_store.py": ["--sizes", "300", "--reps", "5"],
    "bench_till.py": ["--products", "1000", "--scans", "5"],  # its codes need ~900 products
    "bench_reports.py": ["--sales", "300", "--lines-per-sale", "2", "--days", "3", "--reps", "1"],
    "bench_channels.py": ["--orders", "100", "--reps", "1"],
    "bench_channel_sync.py": ["--orders", "60", "--reps", "1"],
    "bench_import.py": ["--rows", "300", "--customers", "300", "--reps", "1"],
    "bench_offline.py": ["--products", "300", "--reps", "20", "--customers", "200"],
    "bench_name_search.py": ["--products", "300", "--reps", "5"],
    "bench_chain_year.py": ["--sales", "600", "--lines-per-sale", "2", "--days", "10",
                            "--reps", "2"],
    "bench_chain_load.py": ["--tills", "2", "--seconds", "2", "--raw-seconds", "2", "--rate", "2",
                            "--products", "300"],
}
# They make their own PostgreSQL database.
ON_POSTGRES = {"bench_name_search.py", "bench_chain_load.py", "bench_chain_year.py"}


def test_every_script_is_covered() -> None:
    assert sorted(p.name for p in BENCH.glob("bench_*.py")) == sorted(TINY)


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_to_the_end(script: str, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "ZHANGGUI_DATA_DIR": str(tmp_path / "data")}
    if script in ON_POSTGRES:
        from tests.conftest import _no_pg, pg_admin

        admin, why = pg_admin()
        if admin is None:
            _no_pg(why)
        env["ZHANGGUI_BENCH_PG_URL"] = admin
    done = subprocess.run([sys.executable, str(BENCH / script), *TINY[script]],
                          capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ratio" in done.stdout, done.stdout[-2000:]  # the figures against their baseline
