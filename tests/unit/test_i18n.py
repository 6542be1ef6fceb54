"""Both catalogs are complete, and translations keep every placeholder of their source."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from store.core import i18n
from store.core.i18n import _

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import i18n_tool

PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sr]|%s")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_string_in_the_code_is_translated(lang: str) -> None:
    assert i18n_tool.untranslated(lang) == []


def test_extraction_finds_the_strings() -> None:
    found = i18n_tool.extract()
    assert ("Wrong user name or PIN", None) in found and len(found) > 150


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_placeholders_survive_translation(lang: str) -> None:
    catalog = i18n_tool.load(lang)
    bad = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        src = sorted(PLACEHOLDER.findall(m.id if isinstance(m.id, str) else m.id[0]))
        dst = sorted(PLACEHOLDER.findall(m.string if isinstance(m.string, str) else m.string[0]))
        if src != dst:
            bad.append(m.id)
    assert bad == []


def test_switching_language() -> None:
    i18n.set_language("zh_CN")
    assert _("Wrong user name or PIN") == "用户名或 PIN 码错误"
    i18n.set_language("en")
    assert _("Wrong user name or PIN") == "Wrong user name or PIN"


@pytest.mark.parametrize(("value", "lang"), [("zh_CN.UTF-8", "zh_CN"), ("zh_TW", "zh_CN"),
                                             ("en_US.UTF-8", "en"), ("C", "en"), ("fr_FR", None)])
def test_normalize(value: str, lang: str | None) -> None:
    assert i18n.normalize_language(value) == lang


def test_locale_picks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.detect_language(None, "") == "zh_CN"
    assert i18n.detect_language("en", None) == "en"  # explicit beats the locale


def _two_meanings() -> list[tuple[str, str | None, str]]:
    """(English, context or None, 中文) from docs/GLOSSARY.md's "Words with two meanings"."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "GLOSSARY.md").read_text("utf-8")
    table = text.split("## Words with two meanings", 1)[1]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "---") and not cells[0].startswith("-"):
            rows.append((cells[0], None if cells[1] == "—" else cells[1], cells[2]))
    return rows


def test_words_with_two_meanings_carry_their_context() -> None:
    """Issue 14.19: "Pay" was 结账 for a supplier's bill, "Open" (amount) was 打开."""
    rows = _two_meanings()
    assert len(rows) >= 8
    found = i18n_tool.extract()
    catalog = i18n_tool.load("zh_CN")
    for word, context, chinese in rows:
        assert (word, context) in found, f"{word!r} in context {context!r} is not used"
        entry = catalog.get(word, context=context)
        assert entry is not None and entry.string == chinese, (word, context)
    for word in {w for w, _c, _z in rows}:
        if all(c is not None for w, c, _z in rows if w == word):
            assert (word, None) not in found, (
                f"{word!r} has two meanings: use NC_/pgettext, at {found[(word, None)]}")
