"""A product file's style columns: `style` (款号, the template's code), `variant` (规格, one
value of each attribute: `尺码=M;颜色=WHITE:白`) and `style_name` (款名, for a style the file
makes) — so a catalog kept in a spreadsheet, one row per variant, comes in grouped as the
till and the reports group styles (store/catalog/variants.py), and goes out the same way.

A row names its product's place in a style; the file does not make the other combinations
(it says which variants exist). A style the catalog has keeps its attributes: a row must
name each of them, once; a value it has not seen is added to it. A style new to the catalog
takes its attributes from the file's first row of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from store.core import text
from store.core.errors import ValidationError
from store.core.i18n import _
from store.models import AttributeValue, Product, ProductTemplate, TemplateAttribute

from . import search
from .variants import CODE, MAX_ATTRIBUTES, MAX_VARIANTS, ValueInput, clean_value, find_template


@dataclass(frozen=True)
class Placed:
    """A row's place in a style: the template's code, and (attribute, value) in order."""

    style: str
    name: str  # the style's name, when the file makes it
    values: tuple[tuple[str, ValueInput], ...]

    @property
    def key(self) -> str:
        return "-".join(v.code for _a, v in self.values)


def parse(style: str, variant: str, name: str, *, row: int) -> Placed | None:
    """The row's style cells, checked; None when it names no style."""
    style = text.clean(style, field="style", row=row).strip().upper()
    variant = text.clean(variant, field="variant", row=row).strip()
    if not style and not variant:
        return None
    if not style or not CODE.match(style) or len(style) > 40:
        raise ValidationError(_("style: '{value}' must be 1 to 40 letters or digits (a variant "
                                "belongs to a style)").format(value=style), field="style",
                              value=style, row=row)
    parts = [p.strip() for p in variant.replace("；", ";").split(";") if p.strip()]
    if not 1 <= len(parts) <= MAX_ATTRIBUTES:
        raise ValidationError(_("variant: '{value}' must give 1 to {n} values as NAME=VALUE;"
                                "NAME=VALUE (尺码=M;颜色=WHITE:白)").format(
            value=variant, n=MAX_ATTRIBUTES), field="variant", value=variant, row=row)
    values: list[tuple[str, ValueInput]] = []
    for part in parts:
        attribute, sep, value = part.partition("=")
        attribute = attribute.strip()
        code, _sep, label = value.strip().partition(":")
        if not sep or not attribute or not code.strip():
            raise ValidationError(_("variant: '{value}' is not NAME=VALUE (尺码=M)").format(
                value=part), field="variant", value=part, row=row)
        if attribute in (a for a, _v in values):
            raise ValidationError(_("variant: '{value}' is given twice").format(
                value=attribute), field="variant", value=variant, row=row)
        try:
            cleaned = clean_value(ValueInput(code, label), attribute, set())
        except ValidationError as err:
            raise ValidationError(str(err), field="variant", value=part, row=row) from None
        values.append((attribute[:40], cleaned))
    return Placed(style, text.clean(name, field="style_name", row=row).strip()[:160],
                  tuple(values))


class Styles:
    """What a file says of styles, row by row: the same place twice, a row whose attributes
    are not its style's, a place another product has, are refused with the row's line."""

    def __init__(self) -> None:
        # A style's template (None: new, the file makes it) and attributes, as the catalog
        # has them or the file's first row of it gives them.
        self.known: dict[str, tuple[int | None, tuple[str, ...] | None]] = {}
        self.places: dict[tuple[str, str], int] = {}  # (style, key): the line that took it
        self.counts: dict[str, int] = {}

    def check(self, placed: Placed, product_id: int | None, row: int) -> None:
        names = tuple(a for a, _v in placed.values)
        template_id, known = self._style(placed.style)
        if known is None:
            self.known[placed.style] = (template_id, names)
        elif names != known:
            raise ValidationError(_("variant: {style} has the attributes {names}; this row "
                                    "gives {given}").format(
                style=placed.style, names=";".join(known), given=";".join(names)),
                field="variant", value=";".join(names), row=row)
        first = self.places.setdefault((placed.style, placed.key), row)
        if first != row:
            raise ValidationError(_("variant: {style} {key} is also on line {line}").format(
                style=placed.style, key=placed.key, line=first), field="variant",
                value=placed.key, row=row)
        holder: Any = None if template_id is None else (
            Product.select(Product.id, Product.sku)
            .where((Product.template == template_id) & (Product.variant_key == placed.key))
            .first())
        if holder is not None and holder.id != product_id:
            raise ValidationError(_("variant: {style} {key} is {sku} already").format(
                style=placed.style, key=placed.key, sku=holder.sku), field="variant",
                value=placed.key, row=row)
        count = self.counts.get(placed.style)
        if count is None:
            count = 0 if template_id is None else (
                Product.select().where(Product.template == template_id).count())
        self.counts[placed.style] = count + (holder is None)
        if self.counts[placed.style] > MAX_VARIANTS:
            raise ValidationError(_("{n} variants is more than {max}: split the style, or leave "
                                    "out values nobody stocks").format(
                n=self.counts[placed.style], max=MAX_VARIANTS), field="variant",
                value=placed.key, row=row)

    def _style(self, style: str) -> tuple[int | None, tuple[str, ...] | None]:
        if style not in self.known:
            template = find_template(style)
            self.known[style] = (None, None) if template is None else (template.id, tuple(
                a.name for a in TemplateAttribute.select().where(
                    TemplateAttribute.template == template.id)
                .order_by(TemplateAttribute.position)))
        return self.known[style]


def place(placed: Iterable[tuple[int, Placed]]) -> None:
    """Each product into its style (rows checked by Styles): the style and its attributes
    made when new, a value the style lacks added, then the product's template and key. Each
    style is read once: its template, attributes and their values' codes."""
    read: dict[str, tuple[ProductTemplate, list[Any], list[set[str]]]] = {}
    for product_id, p in placed:
        if p.style not in read:
            template = find_template(p.style)
            if template is None:
                template = ProductTemplate.create(code=p.style, name=p.name or p.style)
                search.styles_changed()
                for i, (name, _v) in enumerate(p.values):
                    TemplateAttribute.create(template=template, position=i, name=name)
            attributes = list(TemplateAttribute.select()
                              .where(TemplateAttribute.template == template.id)
                              .order_by(TemplateAttribute.position))
            read[p.style] = (template, attributes, [
                {v.code for v in AttributeValue.select(AttributeValue.code)
                 .where(AttributeValue.attribute == a.id)} for a in attributes])
        template, attributes, codes = read[p.style]
        for attribute, have, (_name, value) in zip(attributes, codes, p.values, strict=True):
            if value.code not in have:
                AttributeValue.create(attribute=attribute, position=len(have), code=value.code,
                                      name=value.name, name_en=value.name_en)
                have.add(value.code)
        Product.update(template=template.id, variant_key=p.key).where(
            Product.id == product_id).execute()


def cells(product_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The style, variant and style_name cells of the products that have a style, as the
    file writes them."""
    if not product_ids:
        return {}
    rows: Any = (Product.select(Product.id, Product.variant_key, ProductTemplate.id,
                                ProductTemplate.code, ProductTemplate.name)
                 .join(ProductTemplate).where(Product.id.in_(list(product_ids))).tuples())
    found = list(rows)
    if not found:
        return {}
    values: Any = (AttributeValue.select(TemplateAttribute.template, TemplateAttribute.position,
                                         TemplateAttribute.name, AttributeValue.code,
                                         AttributeValue.name)
                   .join(TemplateAttribute)
                   .where(TemplateAttribute.template.in_({row[2] for row in found}))
                   .tuples())
    named = {(t, pos, code): (attr, name) for t, pos, attr, code, name in values}
    out = {}
    for pid, key, template, code, style_name in found:
        parts = []
        for i, value in enumerate((key or "").split("-")):
            attr, name = named.get((template, i, value), ("?", value))
            parts.append(f"{attr}={value}" + (f":{name}" if name != value else ""))
        out[pid] = {"style": code, "variant": ";".join(parts), "style_name": style_name}
    return out
