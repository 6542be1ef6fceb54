"""Pinyin keys for product search: full (kekoukele) and initials (kkkl), computed with pypinyin."""

from __future__ import annotations

import re
from functools import lru_cache

_KEEP = re.compile(r"[^0-9a-z]+")
_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+)")


@lru_cache(maxsize=20_000)
def _syllables(run: str) -> tuple[str, ...]:
    # Cached per run of Chinese characters, not per name: a catalog repeats brands and words
    # (可口可乐, 矿泉水), and pypinyin costs ~25 µs a call (profiled: 2/3 of a 1M demo build).
    # 20,000 runs hold a catalog's vocabulary in ~12 MB; 200,000 cost 50 MB more in an import
    # of 100,000 products whose names share nothing (docs/BENCHMARKS.md).
    from pypinyin import Style, lazy_pinyin  # 0.2 s to import: only when first needed

    return tuple(lazy_pinyin(run, style=Style.NORMAL))


def keys(text: str) -> tuple[str, str]:
    """(full, initials) in lower-case ASCII; letters and digits outside Chinese are kept whole.

    '可口可乐 330ml' → ('kekoukele330ml', 'kkkl330ml'), so 'kkkl' and 'kekou' both find it.
    """
    full: list[str] = []
    initials: list[str] = []
    for i, run in enumerate(_RUNS.split(text)):
        if i % 2:  # a run of Chinese characters
            syllables = _syllables(run)
            full.extend(syllables)
            initials.extend(s[:1] for s in syllables)
        else:
            cleaned = _KEEP.sub("", run.lower())
            full.append(cleaned)
            initials.append(cleaned)
    return "".join(full), "".join(initials)


def query_key(text: str) -> str:
    """A user's query reduced to the same alphabet as the stored keys."""
    return _KEEP.sub("", text.lower())
