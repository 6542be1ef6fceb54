"""Pinyin keys for product search: full (kekoukele) and initials (kkkl), computed with pypinyin."""

from __future__ import annotations

import re
from functools import lru_cache

_KEEP = re.compile(r"[^0-9a-z]+")
_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+)")


@lru_cache(maxsize=20_000)
def _syllables(run: str) -> tuple[str, ...]:
    # Cut into words as pypinyin itself cuts them (its phrase dictionary, so 银行 is yin hang),
    # then each word read once and remembered: a catalog's names repeat its words (可口可乐,
    # 矿泉水, 牛奶) far more than whole runs, and pypinyin costs ~4 µs a character. 100,000
    # product names: 4.1 s run by run, 0.5 s word by word, the same syllables.
    from pypinyin.seg.mmseg import seg  # 0.2 s to import: only when first needed

    return tuple(syllable for word in seg.cut(run) for syllable in _word(word))


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL))


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
