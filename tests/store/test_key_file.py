"""The key file sealing customers' personal data is made once, whoever starts first."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

from store.security import crypto


def test_a_key_file_made_meanwhile_is_kept_not_replaced(tmp_path) -> None:
    path = tmp_path / "shop.key"
    crypto._create(path, ["index:first"])
    crypto._create(path, ["index:second"])  # a second terminal, a moment later
    assert path.read_text() == "index:first\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["shop.key"]  # no temporary left


def test_terminals_starting_together_share_one_key(tmp_path) -> None:
    path = tmp_path / "keys" / "shop.key"
    with ThreadPoolExecutor(8) as pool:
        rings = list(pool.map(lambda _: crypto.load(path), range(16)))
    assert len({(r.index, tuple(sorted(r.data.items()))) for r in rings}) == 1
