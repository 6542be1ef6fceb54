"""Keep the gettext catalogs complete: extract every _() and N_() string, merge into the .po files.

    python tests/i18n_tool.py update   # add new strings (empty msgstr), drop unused ones
    python tests/i18n_tool.py check    # list untranslated strings; exit 1 if any
    python tests/i18n_tool.py set zh_CN "msgid" "译文"   # fill one translation
    python tests/i18n_tool.py setmany zh_CN < t.json    # fill many: {"msgid": "译文", …}

tests/unit/test_i18n.py runs the same check in the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("store", "devices", "tui", "backoffice")
LOCALES = ROOT / "store" / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}


def extract() -> dict[tuple[object, str | None], list[tuple[str, int]]]:
    """(msgid or (singular, plural), context) → where it is used."""
    found: dict = {}
    for pkg in SOURCES:
        for filename, lineno, message, _comments, ctx in extract_from_dir(
                ROOT / pkg, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.setdefault((message, ctx), []).append((f"{pkg}/{filename}", lineno))
    return found


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "zhanggui.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=lang)
    return Catalog(locale=lang, project="zhanggui", charset="utf-8")


def update() -> None:
    found = extract()
    for lang in ("zh_CN", "en"):
        old = load(lang)
        new = Catalog(locale=lang, project="zhanggui", version="0.1", charset="utf-8",
                      language_team=lang, fuzzy=False)
        for (message, ctx), places in sorted(found.items(), key=lambda kv: str(kv[0])):
            key = message[0] if isinstance(message, tuple) else message
            prior = old.get(key, context=ctx)
            if lang == "en" and not (prior and prior.string):
                string = message  # English source strings are their own translation
            else:
                string = prior.string if prior else ("", "") if isinstance(message, tuple) else ""
            new.add(message, string, locations=places, context=ctx)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, new, width=100, omit_header=False, sort_output=True)


def untranslated(lang: str) -> list[str]:
    catalog = load(lang)
    missing = []
    for message, ctx in extract():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key, context=ctx)
        strings = entry.string if entry else ""
        if not entry or not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(f"{ctx}|{key}" if ctx else str(key))
    return missing


def set_translation(lang: str, msgid: str, msgstr: str) -> None:
    set_translations(lang, {msgid: msgstr})


def set_translations(lang: str, strings: dict[str, str]) -> None:
    catalog = load(lang)
    for msgid, msgstr in strings.items():
        entry = catalog.get(msgid)
        if entry is None and "|" in msgid:  # "context|message" names a message in a context
            ctx, _bar, text = msgid.partition("|")
            entry = catalog.get(text, context=ctx)
        if entry is None:
            raise SystemExit(f"not in the {lang} catalog (run update first): {msgid!r}")
        entry.string = msgstr
    with po_path(lang).open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "update":
        update()
    elif cmd == "set":
        set_translation(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "setmany":
        import json

        set_translations(sys.argv[2], json.load(sys.stdin))
    bad = {lang: untranslated(lang) for lang in ("zh_CN", "en")}
    for lang, items in bad.items():
        for m in items:
            print(f"{lang}: untranslated: {m!r}")
    sys.exit(1 if any(bad.values()) else 0)
