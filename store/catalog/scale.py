"""In-store barcodes from the shop's scales (GS1 prefixes 20–29): product, price or weight.

A layout names each digit of the 13: the prefix, C for the product's code (its SKU/PLU),
P for the price in 分 or W for the weight in grams, K for the check digit. The defaults are
the common Chinese scale formats: 21CCCCCPPPPPK (price) and 22CCCCCWWWWWK (weight).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from stdnum import ean

from store.catalog import search
from store.common import settings
from store.core.db import unit_of_work
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import format_money, format_qty
from store.security import audit, permissions
from store.security.auth import SessionUser

DEFAULT_LAYOUTS = ("21CCCCCPPPPPK", "22CCCCCWWWWWK")
_LAYOUT = re.compile(r"^(2\d)(C+)(P+|W+)K$")


@dataclass(frozen=True)
class ScaleLayout:
    text: str
    prefix: str
    code_len: int
    kind: Literal["price", "weight"]
    value_len: int

    @classmethod
    def parse(cls, text: str) -> ScaleLayout:
        layout = text.strip().upper()
        match = _LAYOUT.match(layout)
        if len(layout) != 13 or not match:
            raise ValidationError(
                _("scale layout '{value}' must be 13 characters: a prefix 20–29, C… for the "
                  "product, P… (price) or W… (weight), then K").format(value=text),
                field="scale_layouts", value=text)
        prefix, code, value = match.groups()
        return cls(layout, prefix, len(code), "price" if value[0] == "P" else "weight",
                   len(value))


@dataclass(frozen=True)
class ScaleRead:
    plu: str
    kind: Literal["price", "weight"]
    value: Decimal  # 元 for price, kg for weight


def layouts() -> list[ScaleLayout]:
    texts = settings.read("scale_layouts", list(DEFAULT_LAYOUTS))
    return [ScaleLayout.parse(t) for t in texts]


@unit_of_work
def set_layouts(texts: list[str]) -> list[ScaleLayout]:
    parsed = [ScaleLayout.parse(t) for t in texts]
    prefixes = [p.prefix for p in parsed]
    if len(set(prefixes)) != len(prefixes):
        raise ValidationError(_("scale layouts: each prefix may be used once"),
                              field="scale_layouts", value=texts)
    settings.write("scale_layouts", [p.text for p in parsed])
    return parsed


def decode(code: str, rules: list[ScaleLayout] | None = None) -> ScaleRead | None:
    """The product code and price or weight in a scale label; None if no layout matches.

    A label whose prefix matches but whose check digit is wrong is refused (a misread).
    """
    code = code.strip()
    if len(code) != 13 or not code.isdigit():
        return None
    for rule in rules if rules is not None else layouts():
        if not code.startswith(rule.prefix):
            continue
        if not ean.is_valid(code):
            raise ValidationError(_("Scale label '{value}' has a wrong check digit: scan it "
                                    "again").format(value=code), field="barcode", value=code)
        start = len(rule.prefix)
        plu = code[start:start + rule.code_len].lstrip("0") or "0"
        digits = code[start + rule.code_len:start + rule.code_len + rule.value_len]
        value = Decimal(int(digits)).scaleb(-2 if rule.kind == "price" else -3)
        return ScaleRead(plu, rule.kind, value)
    return None


@dataclass(frozen=True)
class LabelPreview:
    """A sample label as the till will read it: the product's code, the price or weight, and
    the product that code finds (None: the till would say "no product")."""

    code: str
    read: ScaleRead
    sku: str | None
    name: str | None

    def said(self) -> str:
        value = (format_money(self.read.value) if self.read.kind == "price"
                 else _("{kg} kg").format(kg=format_qty(self.read.value)))
        found = (f"{self.name} ({self.sku})" if self.sku is not None
                 else _("no product has code {plu}").format(plu=self.read.plu))
        return _("{code} → code {plu}, {value}: {found}").format(
            code=self.code, plu=self.read.plu, value=value, found=found)


def preview(sample: str, rules: list[ScaleLayout] | None = None) -> LabelPreview:
    """Decode a sample label (one printed by the shop's scale) with `rules`, as the till
    would: a label no layout reads is said, not guessed."""
    code = sample.strip()
    read = decode(code, rules)
    if read is None:
        raise ValidationError(_("sample: '{value}' is not a scale label any of these layouts "
                                "reads (13 digits starting with their prefix)").format(
            value=code[:40]), field="sample", value=code[:40])
    hit = search.lookup_code(read.plu)
    return LabelPreview(code, read, hit.sku if hit else None,
                        hit.local_name if hit else None)


@unit_of_work
def change_layouts(actor: SessionUser, texts: list[str], *, sample: str = ""
                   ) -> tuple[list[ScaleLayout], LabelPreview | None]:
    """The layouts the shop's scales print, by someone allowed to change settings, recorded.
    With a sample label, it must read as a product the shop sells, or nothing is saved: a
    wrong layout would put a wrong price on every weighed sale."""
    permissions.check(actor, "change_settings", reference="scale_layouts")
    parsed = set_layouts(texts)
    seen = preview(sample, parsed) if sample.strip() else None
    if seen is not None and seen.sku is None:
        raise ValidationError(seen.said(), field="sample", value=sample.strip()[:40])
    audit.record("setting_change", {"scale_layouts": [p.text for p in parsed]},
                 user_id=actor.id)
    return parsed, seen
