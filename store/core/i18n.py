"""gettext for every user-facing string: zh_CN and en catalogs, chosen once per process or test."""

from __future__ import annotations

import gettext
import io
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

LOCALE_DIR = Path(__file__).parents[1] / "locale"  # store/locale
DOMAIN = "zhanggui"
SUPPORTED = ("zh_CN", "en")

_lock = threading.Lock()
_cache: dict[str, gettext.NullTranslations] = {}
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def normalize_language(value: str | None) -> str | None:
    """Map a locale name (zh_CN.UTF-8, zh-Hans, en_US, C) to a supported language, or None."""
    if not value:
        return None
    v = value.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if v.startswith("zh"):
        return "zh_CN"
    if v.startswith("en") or v in ("c", "posix"):
        return "en"
    return None


def detect_language(*candidates: str | None) -> str:
    """First supported of the explicit candidates, then the locale environment; English last."""
    for c in candidates:
        lang = normalize_language(c)
        if lang:
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        lang = normalize_language(os.environ.get(var))
        if lang:
            return lang
    return "en"


def _load(lang: str) -> gettext.NullTranslations:
    # The .po files are the single source: compiled in memory with babel (about 10 ms), so
    # no compiled .mo can fall out of date with them.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def translations(lang: str) -> gettext.NullTranslations:
    with _lock:
        if lang not in _cache:
            _cache[lang] = _load(lang)
        return _cache[lang]


def set_language(lang: str | None) -> str:
    """Switch the process to `lang` (normalized); returns the language now in use."""
    global _current, _language
    chosen = normalize_language(lang) or "en"
    _current = translations(chosen)
    _language = chosen
    return chosen


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context`: one English word, two Chinese terms ("Pay" at the
    till is 结账, paying a supplier 付款). docs/GLOSSARY.md lists the contexts."""
    return _current.pgettext(context, message)


class Marked(str):
    """A message marked with NC_: translated later (a key's label), in its context."""

    context: str


def NC_(context: str, message: str) -> str:
    marked = Marked(message)
    marked.context = context
    return marked


def translate(message: str) -> str:
    """A message marked with N_ or NC_, translated now."""
    context = getattr(message, "context", None)
    return pgettext(context, message) if context else _(message)


# Sales channels keep their codes in files, commands and the database; people read names.
CHANNEL_NAMES = {
    "phone": NC_("channel", "phone"), "trade": NC_("channel", "trade"),
    "taobao": NC_("channel", "taobao"), "tmall": NC_("channel", "tmall"),
    "shopify": NC_("channel", "shopify"),
}


def channel_label(code: str) -> str:
    return translate(CHANNEL_NAMES[code]) if code in CHANNEL_NAMES else code


# Arguments of a Phrase that are codes with a name to show: `channel` is a channel's code.
_NAMED_ARGS = {"channel": channel_label}


@dataclass(frozen=True)
class Phrase:
    """A sentence kept as its msgid and arguments (a journal entry's description), said in
    the language of whoever reads it — not of whoever happened to post it."""

    msgid: str
    args: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return render(self.msgid, dict(self.args))

    def args_json(self) -> str:
        return json.dumps(dict(self.args), ensure_ascii=False, sort_keys=True)


def phrase(msgid: str, **args: object) -> Phrase:
    """`msgid` (marked N_ by the caller, for extraction) with its arguments, as text."""
    return Phrase(msgid, tuple((k, str(v)) for k, v in args.items()))


def render(msgid: str, args: dict[str, str]) -> str:
    values = {k: _NAMED_ARGS[k](v) if k in _NAMED_ARGS else v for k, v in args.items()}
    try:
        return _(msgid).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return msgid.format(**values)


# Field names appear in messages as the user knows them: in English the column id of the CSV,
# in Chinese the field's Chinese name with that column id after it ("售价（price）"), so a
# message is Chinese first and still names the column to fix (issue 14.19).
FIELD_LABELS = {
    "barcode": N_("barcode"), "barcodes": N_("barcodes"), "code": N_("code"),
    "cost": N_("cost"), "credit_limit": N_("credit_limit"), "customer": N_("customer"),
    "customer_group": N_("customer_group"), "max_qty": N_("max_qty"), "min_qty": N_("min_qty"),
    "name": N_("name"), "pack_qty": N_("pack_qty"), "price": N_("price"),
    "price_list": N_("price_list"), "qty": N_("qty"), "rate": N_("rate"),
    "stock_tracked": N_("stock_tracked"), "active": N_("active"), "supplier": N_("supplier"),
    "tax_rate": N_("tax_rate"), "unit_cost": N_("unit_cost"), "sku": N_("sku"),
    "note": N_("note"), "reason": N_("reason"), "carrier": N_("carrier"),
    "tracking": N_("tracking"), "reference": N_("reference"), "description": N_("description"),
    "username": N_("username"), "address": N_("address"), "email": N_("email"),
    "phone": N_("phone"), "amount": N_("amount"), "account": N_("account"),
    "warehouse": N_("warehouse"), "unit_price": N_("unit_price"), "tender": N_("tender"),
    "percent": N_("percent"), "discount": N_("discount"), "date": N_("date"),
    "terminal": N_("terminal"), "unit": N_("unit"), "category": N_("category"),
    "name_en": N_("name_en"), "due_date": N_("due_date"), "debit": N_("debit"),
    "credit": N_("credit"), "tax": N_("tax"), "group": N_("group"),
    "title": N_("title"), "tax_id": N_("tax_id"), "invoice_number": N_("invoice_number"),
    "bank": N_("bank"), "sale": N_("sale"), "tax_code": N_("tax_code"), "kind": N_("kind"),
    "tracks_lots": N_("tracks_lots"), "style": N_("style"), "variant": N_("variant"),
    "style_name": N_("style_name"),
}


def field_label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name
