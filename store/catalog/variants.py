"""Variants: a style (a T-shirt) with attributes (size, colour), each combination of their
values a product of its own — its SKU (`TSHIRT-L-RED`), name (`T恤 L 红`), barcode, price
and stock — made at once from the template, and more when a value is added later.

The variants are ordinary products: the till sells them by barcode or SKU, stock and the
books know nothing else. What the template adds is the grouping: the till offers a style's
variants when its code is typed, `variants show` lays them out, and `report sales --by
template` adds them up per style."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from store.catalog import products, search
from store.catalog.products import ProductInput
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import _
from store.core.money import ZERO
from store.models import (
    AttributeValue,
    Product,
    ProductTemplate,
    StockLevel,
    TemplateAttribute,
)
from store.security import audit, permissions
from store.security.auth import SessionUser

CODE = re.compile(r"^[A-Za-z0-9]+$")
MAX_ATTRIBUTES, MAX_VARIANTS = 3, 300


@dataclass(frozen=True)
class ValueInput:
    code: str  # letters and digits, in the SKU
    name: str = ""  # on the receipt (default: the code)
    name_en: str = ""


@dataclass(frozen=True)
class AttributeInput:
    name: str
    values: Sequence[ValueInput]
    name_en: str = ""


@dataclass(frozen=True)
class VariantView:
    sku: str
    name: str
    values: tuple[str, ...]  # one value name per attribute, in order
    price: Decimal
    on_hand: Decimal | None  # None: not known (an offline till's copy has no stock)
    active: bool


@dataclass(frozen=True)
class TemplateView:
    code: str
    name: str
    attributes: list[tuple[str, list[tuple[str, str]]]]  # (name, [(code, name)])
    variants: list[VariantView] = field(default_factory=list)


def parse_attribute(spec: str) -> AttributeInput:
    """`尺码=S,M,L` or `颜色=RED:红,WHITE:白` (a value's code, then its name) as typed in a
    shell; raises ValidationError naming what is wrong."""
    name, sep, values = spec.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise ValidationError(_("attribute: '{value}' is not NAME=VALUE,VALUE… (颜色=RED:红,"
                                "WHITE:白)").format(value=spec), field="attribute", value=spec)
    parsed = []
    for part in values.split(","):
        code, _sep, label = part.strip().partition(":")
        parsed.append(ValueInput(code.strip(), label.strip()))
    return AttributeInput(name.strip(), parsed)


def clean_value(v: ValueInput, attribute: str, seen: set[str]) -> ValueInput:
    code = v.code.strip().upper()
    if not CODE.match(code) or len(code) > 12:
        raise ValidationError(_("{attribute}: value code '{value}' must be 1 to 12 letters or "
                                "digits (it goes into the SKU)").format(
            attribute=attribute, value=v.code), field="value", value=v.code)
    if code in seen:
        raise ValidationError(_("{attribute}: value '{value}' is given twice").format(
            attribute=attribute, value=code), field="value", value=code)
    seen.add(code)
    name = text.clean(v.name, field="name").strip() or code
    return ValueInput(code, name[:40], text.clean(v.name_en, field="name_en").strip()[:40])


def _template(code: str) -> ProductTemplate:
    t = find_template(code)
    if t is None:
        raise NotFound(_("No product template '{code}'").format(code=code))
    return t


def find_template(code: str) -> ProductTemplate | None:
    return ProductTemplate.get_or_none(fn.UPPER(ProductTemplate.code) == code.strip().upper())


@unit_of_work
def create_template(actor: SessionUser, code: str, name: str,
                    attributes: Sequence[AttributeInput], base: ProductInput, *,
                    name_en: str = "") -> TemplateView:
    """A template and every variant: one product per combination of values, at `base`'s price,
    tax rate, unit, category and cost (each can be changed per variant afterwards)."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    code = code.strip().upper()
    if not CODE.match(code) or len(code) > 40:
        raise ValidationError(_("code: '{value}' must be 1 to 40 letters or digits").format(
            value=code), field="code", value=code)
    if find_template(code) is not None:
        raise ValidationError(_("A template '{code}' already exists").format(code=code),
                              field="code", value=code)
    name = text.clean(name, field="name").strip()
    if not name:
        raise ValidationError(_("name: the template needs a name"), field="name", value=name)
    if not 1 <= len(attributes) <= MAX_ATTRIBUTES:
        raise ValidationError(_("A template has 1 to {n} attributes (size, colour, flavour)")
                              .format(n=MAX_ATTRIBUTES), field="attribute",
                              value=len(attributes))
    names: set[str] = set()
    for a in attributes:
        if not a.name.strip() or a.name.strip() in names:
            raise ValidationError(_("attribute: '{value}' is empty or given twice").format(
                value=a.name), field="attribute", value=a.name)
        names.add(a.name.strip())
    cleaned = []
    for a in attributes:
        seen: set[str] = set()  # a value's code once per attribute
        cleaned.append((a, [clean_value(v, a.name, seen) for v in a.values]))
    _check_size([len(vs) for _a, vs in cleaned])
    template = ProductTemplate.create(code=code, name=name[:160],
                                      name_en=text.clean(name_en, field="name_en")[:160])
    search.styles_changed()
    values: list[list[AttributeValue]] = []
    for i, (a, vs) in enumerate(cleaned):
        attr = TemplateAttribute.create(template=template, position=i, name=a.name.strip()[:40],
                                        name_en=a.name_en.strip()[:40])
        values.append([AttributeValue.create(attribute=attr, position=j, code=v.code,
                                             name=v.name, name_en=v.name_en)
                       for j, v in enumerate(vs)])
    for combo in itertools.product(*values):
        _make_variant(template, combo, base, actor)
    audit.record("template_created", {"code": code, "name": name,
                                      "attributes": [[a.name, [v.code for v in vs]]
                                                     for a, vs in cleaned]},
                 reference=code, user_id=actor.id)
    return view(code)


def _check_size(counts: list[int]) -> None:
    total = 1
    for n in counts:
        if n < 1:
            raise ValidationError(_("Every attribute needs at least one value"),
                                  field="values", value=0)
        total *= n
    if total > MAX_VARIANTS:
        raise ValidationError(_("{n} variants is more than {max}: split the style, or leave "
                                "out values nobody stocks").format(n=total, max=MAX_VARIANTS),
                              field="values", value=total)


def _make_variant(template: ProductTemplate, combo: Sequence[AttributeValue],
                  base: ProductInput, actor: SessionUser) -> Product:
    key = "-".join(v.code for v in combo)
    sku = f"{template.code}-{key}"
    name = " ".join([template.name, *(v.name for v in combo)])
    name_en = (" ".join([template.name_en, *(v.name_en or v.name for v in combo)])
               if template.name_en else "")
    data = ProductInput(sku=sku, name=name[:200], name_en=name_en[:200], price=base.price,
                        tax_rate=base.tax_rate, unit=base.unit, category=base.category,
                        cost=base.cost, stock_tracked=base.stock_tracked,
                        sold_by_weight=base.sold_by_weight)
    product = products.create_product(data, user_id=actor.id, source="template")
    Product.update(template=template.id, variant_key=key).where(
        Product.id == product.id).execute()
    return product


@unit_of_work
def add_value(actor: SessionUser, template_code: str, attribute: str, value: ValueInput
              ) -> TemplateView:
    """A new value of one attribute (a new colour), and the variants it makes with every value
    of the others, priced like the template's first variant."""
    permissions.check(actor, "manage_catalog", reference=template_code[:64])
    template = _template(template_code)
    attrs = list(TemplateAttribute.select().where(TemplateAttribute.template == template.id)
                 .order_by(TemplateAttribute.position))
    target = next((a for a in attrs if a.name == attribute.strip()
                   or a.name_en.lower() == attribute.strip().lower()), None)
    if target is None:
        raise ValidationError(_("{code} has no attribute '{value}' (it has: {names})").format(
            code=template.code, value=attribute, names=", ".join(a.name for a in attrs)),
            field="attribute", value=attribute)
    existing = {v.code for v in AttributeValue.select().where(
        AttributeValue.attribute == target.id)}
    v = clean_value(value, target.name, existing)
    per_attr = [list(AttributeValue.select().where(AttributeValue.attribute == a.id)
                     .order_by(AttributeValue.position)) for a in attrs]
    _check_size([len(vs) + (1 if a.id == target.id else 0) for a, vs in zip(attrs, per_attr,
                                                                         strict=True)])
    new = AttributeValue.create(attribute=target, position=len(existing), code=v.code,
                                name=v.name, name_en=v.name_en)
    first = (Product.select().where(Product.template == template.id)
             .order_by(Product.id).first())
    if first is None:
        raise NotFound(_("{code} has no variants to copy the price from").format(
            code=template.code))
    base = ProductInput(sku="", name="", price=first.price, tax_rate=first.tax_rate.code,
                        unit=first.unit.code,
                        category=first.category.code if first.category_id else None,
                        cost=first.cost, stock_tracked=first.stock_tracked,
                        sold_by_weight=first.sold_by_weight)
    choices = [[new] if a.id == target.id else vs for a, vs in zip(attrs, per_attr,
                                                                   strict=True)]
    for combo in itertools.product(*choices):
        _make_variant(template, combo, base, actor)
    audit.record("template_value_added", {"code": template.code, "attribute": target.name,
                                          "value": v.code}, reference=template.code,
                 user_id=actor.id)
    return view(template.code)


def view(code: str) -> TemplateView:
    template = _template(code)
    attrs = list(TemplateAttribute.select().where(TemplateAttribute.template == template.id)
                 .order_by(TemplateAttribute.position))
    vals = {a.id: list(AttributeValue.select().where(AttributeValue.attribute == a.id)
                       .order_by(AttributeValue.position)) for a in attrs}
    places = {(a.position, v.code): v.position for a in attrs for v in vals[a.id]}
    label = {(a.position, v.code): v.name for a in attrs for v in vals[a.id]}
    on_hand: Any = (StockLevel.select(StockLevel.product, fn.SUM(StockLevel.on_hand))
                    .join(Product).where(Product.template == template.id)
                    .group_by(StockLevel.product).tuples())
    stock = {pid: from_scaled(StockLevel.on_hand, q) for pid, q in on_hand}
    variants = []
    for p in Product.select().where(Product.template == template.id):
        codes = (p.variant_key or "").split("-")
        variants.append((place_in_style(places, p.variant_key),
                         VariantView(p.sku, p.local_name,
                                     tuple(label.get((i, c), c) for i, c in enumerate(codes)),
                                     p.price, stock.get(p.id) or ZERO, p.active)))
    return TemplateView(template.code, template.name,
                        [(a.name, [(v.code, v.name) for v in vals[a.id]]) for a in attrs],
                        [v for _k, v in sorted(variants, key=lambda kv: kv[0])])


def place_in_style(places: Mapping[tuple[int, str], int], key: str | None
                   ) -> tuple[int, ...]:
    """A variant's place among its style's, by its key ("M-WHITE"): its values' places
    ({(attribute's place, value's code): value's place}), first attribute first; a value the
    style does not know goes last."""
    return tuple(places.get((i, c), 999) for i, c in enumerate((key or "").split("-")))


def variants_of(code: str) -> list[VariantView]:
    """A template's variants in the order of its values, for the till's picker ([] when
    `code` is no template)."""
    return view(code).variants if find_template(code) is not None else []


def templates() -> list[tuple[str, str, int]]:
    """(code, name, number of variants), by code."""
    rows: Any = (ProductTemplate.select(ProductTemplate.code, ProductTemplate.name,
                                        fn.COUNT(Product.id))
                 .join(Product, JOIN.LEFT_OUTER, on=(Product.template == ProductTemplate.id))
                 .group_by(ProductTemplate.id, ProductTemplate.code, ProductTemplate.name)
                 .order_by(ProductTemplate.code).tuples())
    return [(c, n, int(k)) for c, n, k in rows]
