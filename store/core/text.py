"""Text that enters the shop: names, codes and free text are NFKC-normalised (a full-width
ＯＷＮＥＲ or ６９０１ typed through a Chinese input method is the same as OWNER or 6901), and
characters that are invisible or move the cursor are refused — control characters (a
terminal escape, a bell), zero-width characters (P0000001 with a zero-width space looks like
P0000001 but is another SKU) and bidi overrides (which show a name backwards). Identities (a
SKU, a barcode, a user name) are compared case-folded as well."""

from __future__ import annotations

import re
import unicodedata

from store.core.errors import ValidationError
from store.core.i18n import _, field_label

# Format characters that change how text shows without showing themselves. Cf also holds
# soft hyphens and the like: all of them are refused in what the shop stores.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ALLOWED_CONTROLS = {"\n", "\t"}  # in free text only (a note, an address on two lines)


def _bad_char(text: str, multiline: bool) -> str | None:
    for ch in text:
        if ch in _ALLOWED_CONTROLS and multiline:
            continue
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in "\u2028\u2029":
            return ch
    return None


def clean(value: str | None, *, field: str, row: int | None = None,
          multiline: bool = False) -> str:
    """The text NFKC-normalised and stripped; refused, naming the field and the character's
    code point (never the character itself, which could be an escape), if it holds an
    invisible or control character."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    _refuse_hidden(text, field, row, multiline)
    return text


def _refuse_hidden(text: str, field: str, row: int | None, multiline: bool) -> None:
    bad = _bad_char(text, multiline)
    if bad is not None:
        raise ValidationError(
            _("{field}: contains an invisible or control character (U+{code:04X}); type "
              "the text again without it").format(field=field_label(field), code=ord(bad)),
            field=field, value=f"U+{ord(bad):04X}", row=row)


def identity(value: str | None, *, field: str, row: int | None = None) -> str:
    """A name that identifies something (a user name): cleaned and case-folded."""
    return clean(value, field=field, row=row).casefold()


_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]*")


def code(value: str, *, field: str, longest: int = 20) -> str:
    """A code as people type it on a label (a warehouse, a till, a category): upper-case
    letters, digits, - and _ (wh1 is WH1)."""
    result = clean(value, field=field).upper()
    if not _CODE.fullmatch(result) or len(result) > longest:
        raise ValidationError(_("{field}: '{value}' must be 1 to {longest} letters, digits, - "
                                "or _").format(field=field_label(field), value=result[:40],
                                               longest=longest),
                              field=field, value=result[:40])
    return result


def short(value: str, *, field: str, longest: int) -> str:
    """Cleaned text of at most `longest` characters (refused, not cut, beyond)."""
    result = clean(value, field=field)
    if len(result) > longest:
        raise ValidationError(_("{field}: longer than {longest} characters").format(
            field=field_label(field), longest=longest), field=field, value=result[:40])
    return result


def prose(value: str | None, *, field: str, longest: int) -> str:
    """Text printed as typed (a receipt's footer, an address): like `short`, but composed by
    NFC, not NFKC, so Chinese punctuation stays full-width — "谢谢惠顾，欢迎再来！" is not
    printed as "谢谢惠顾,欢迎再来!"."""
    result = unicodedata.normalize("NFC", value or "").strip()
    _refuse_hidden(result, field, None, False)
    if len(result) > longest:
        raise ValidationError(_("{field}: longer than {longest} characters").format(
            field=field_label(field), longest=longest), field=field, value=result[:40])
    return result


def name(value: str, *, field: str = "name", longest: int = 100) -> str:
    """A name that must be there: cleaned, not empty, at most `longest` characters."""
    result = short(value, field=field, longest=longest)
    if not result:
        raise ValidationError(_("{field}: must not be empty").format(field=field_label(field)),
                              field=field, value="")
    return result


def names(local: str | None, english: str | None, *, longest: int) -> dict[str, str]:
    """What a change gives of a name and an English name (None leaves it as it is), checked:
    the name must not be emptied, the English one may be."""
    values: dict[str, str] = {}
    if local is not None:
        values["name"] = name(local, longest=longest)
    if english is not None:
        values["name_en"] = short(english, field="name_en", longest=longest)
    return values


def in_use(active: object) -> str:
    """'in use' or 'deactivated': a master-data row's status in a list."""
    return _("in use") if active else _("deactivated")


YES = frozenset({"yes", "y", "1", "true", "t", "是", "对"})
NO = frozenset({"no", "n", "0", "false", "f", "否", "不"})


def yes_no(value: str, *, field: str, row: int | None = None) -> bool:
    """yes/no as people type it, in English or Chinese (是/否, 1/0, true/false)."""
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(_("{field}: '{value}' is not yes or no").format(
        field=field_label(field), value=value.strip()[:40]), field=field,
        value=value.strip()[:40], row=row)


def whole(value: str, *, field: str, lowest: int, highest: int) -> int:
    """A whole number typed into a form, within its bounds."""
    word = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,10}", word) or not lowest <= int(word) <= highest:
        raise ValidationError(_("{field}: '{value}' is not a whole number from {lowest} to "
                                "{highest}").format(field=field_label(field), value=word[:40],
                                                    lowest=lowest, highest=highest),
                              field=field, value=word[:40])
    return int(word)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def sku_key(sku: str) -> str:
    """How SKUs compare: P0000001 and p0000001 are one SKU. Only ASCII letters fold, as
    SQL's LOWER() folds them alike on SQLite and PostgreSQL (the index of migration 0018)."""
    return sku.translate(_ASCII_LOWER)


def invisible_char(text: str, *, multiline: bool = False) -> str | None:
    """The first invisible or control character in `text`, or None."""
    return _bad_char(text, multiline)


def printable(value: str) -> str:
    """Text as it may reach a terminal: control characters but line breaks and tabs
    (escape sequences, a bell) and bidi overrides become a visible U+FFFD, so neither a stored
    name nor a typed value quoted in a message can move the cursor, retitle the window or
    reverse what follows it."""
    return "".join("\ufffd" if (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
                   or ch in _BIDI else ch for ch in value)


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def scrub(value: str) -> str:
    """Text from outside that cannot be sent back to be retyped (a buyer's name or note in a
    channel's export): NFKC, line breaks and tabs as spaces, invisible and control characters
    dropped — stored and shown, it can carry no escape sequence and no reversed name."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(" " if ch in "\r\n\t\u2028\u2029" else ch for ch in text
                   if ch in "\r\n\t" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return text
