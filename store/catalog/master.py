"""The catalog's master data as a user sets it up: categories (a tree), units and tax rates,
added, changed and taken out of use by someone with `manage_catalog`, each change in the
audit chain. Nothing here deletes: products and sales refer to these rows. A row out of use is
not given to a product again, and is taken out of use only when no product on sale has it. A
tax rate's percent never changes (past sales were taxed by it): a new rate replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.catalog.products import create_category, create_tax_rate, create_unit
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError, nothing_to_change
from store.core.i18n import _
from store.core.money import parse_decimal
from store.models import Category, Product, TaxRate, Unit
from store.security import audit, changes, permissions
from store.security.auth import SessionUser


def get_category(code: str) -> Category:
    found = Category.get_or_none(fn.UPPER(Category.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No category '{code}'").format(code=code))
    return found


@unit_of_work
def add_category(actor: SessionUser, code: str, name: str, *, name_en: str = "",
                 parent: str | None = None) -> Category:
    permissions.check(actor, "manage_catalog", reference=code[:64])
    code = text.code(code, field="code", longest=40)
    if Category.get_or_none(fn.UPPER(Category.code) == code):
        raise ValidationError(_("category: '{value}' already exists").format(value=code),
                              field="category", value=code)
    category = create_category(code, text.name(name), text.clean(name_en, field="name_en")[:100],
                               parent=_parent_in_use(parent).code if parent else None)
    audit.record("category_added", {"code": code, "name": category.name,
                                    "parent": parent or None}, user_id=actor.id, reference=code)
    return category


@unit_of_work
def change_category(actor: SessionUser, code: str, *, name: str | None = None,
                    name_en: str | None = None, parent: str | None = None) -> Category:
    """Rename a category or move it under another (`parent` "" moves it to the top); a
    category cannot be moved under itself or under one of its own subcategories."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    category = get_category(code)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = text.name(name)
    if name_en is not None:
        values["name_en"] = text.clean(name_en, field="name_en")[:100]
    if parent is not None:
        new_parent = _parent_in_use(parent) if parent else None
        ancestor = new_parent
        while ancestor is not None:
            if ancestor.id == category.id:
                raise ValidationError(
                    _("parent: {parent} is {code} or one of its subcategories").format(
                        parent=parent, code=category.code), field="parent", value=parent)
            ancestor = ancestor.parent
        values["parent"] = new_parent.id if new_parent else None
    if not values:
        raise nothing_to_change()
    Category.update(**values).where(Category.id == category.id).execute()
    audit.record("category_changed", {"code": category.code, "name": name, "name_en": name_en,
                                      "parent": parent}, user_id=actor.id,
                 reference=category.code)
    return Category.get_by_id(category.id)


def _parent_in_use(code: str) -> Category:
    parent = get_category(code)
    if not parent.active:
        raise ValidationError(_("parent: '{value}' is deactivated").format(value=parent.code),
                              field="parent", value=code)
    return parent


def _on_sale(count: int, code: str, field: str) -> None:
    if count:
        raise ValidationError(_("{code} is on {count} product(s) on sale: change them or stop "
                                "selling them first").format(code=code, count=count),
                              field=field, value=code)


@unit_of_work
def set_category_active(actor: SessionUser, code: str, active: bool) -> Category:
    """Out of use once no product on sale and no subcategory in use is under it; back in use
    only under a parent in use."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    category = get_category(code)
    if not active:
        _on_sale(Product.select().where((Product.category == category.id) & Product.active)
                 .count(), category.code, "category")
        subs = [c.code for c in Category.select().where((Category.parent == category.id)
                                                        & Category.active)]
        if subs:
            raise ValidationError(_("{code} has subcategories in use: {codes}").format(
                code=category.code, codes=", ".join(subs)), field="category",
                value=category.code)
    elif category.parent_id is not None:
        _parent_in_use(Category.get_by_id(category.parent_id).code)
    return changes.save_active(actor, category, active, "category")


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    name_en: str
    parent: str | None
    depth: int
    products: int
    active: bool = True


def category_tree() -> list[CategoryRow]:
    """Every category, each under its parent (depth-first, by code), with its product count."""
    query: Any = (Product.select(Product.category, fn.COUNT(Product.id))
                  .where(Product.category.is_null(False)).group_by(Product.category).tuples())
    counts: dict[int, int] = dict(list(query))
    rows = list(Category.select().order_by(Category.code))
    by_id = {c.id: c for c in rows}
    children: dict[int | None, list[Category]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[CategoryRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            out.append(CategoryRow(c.code, c.name, c.name_en,
                                   by_id[c.parent_id].code if c.parent_id else None, depth,
                                   counts.get(c.id, 0), c.active))
            walk(c.id, depth + 1)

    walk(None, 0)
    return out


@unit_of_work
def add_unit(actor: SessionUser, code: str, name: str, *, name_en: str = "",
             decimals: int = 0) -> Unit:
    """A unit of sale: counted (decimals 0) or weighed/measured (up to 3: kg to the gram)."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    code = text.clean(code, field="code").lower()
    if not code or len(code) > 20 or any(c.isspace() for c in code):
        raise ValidationError(_("code: '{value}' must be 1 to 20 characters without spaces")
                              .format(value=code[:40]), field="code", value=code[:40])
    if Unit.get_or_none(fn.LOWER(Unit.code) == code):
        raise ValidationError(_("unit: '{value}' already exists").format(value=code),
                              field="unit", value=code)
    unit = create_unit(code, text.name(name, longest=20),
                       text.clean(name_en, field="name_en")[:20], decimals)
    audit.record("unit_added", {"code": code, "name": unit.name, "decimals": decimals},
                 user_id=actor.id, reference=code)
    return unit


def get_unit(code: str) -> Unit:
    found = Unit.get_or_none(fn.LOWER(Unit.code) == code.strip().lower())
    if found is None:
        raise NotFound(_("No unit '{code}'").format(code=code))
    return found


@unit_of_work
def change_unit(actor: SessionUser, code: str, *, name: str | None = None,
                name_en: str | None = None) -> Unit:
    """A unit's names; its decimals stay, as stock was counted by them."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    unit = get_unit(code)
    return changes.save_changes(actor, unit, text.names(name, name_en, longest=20),
                                "unit_changed")


@unit_of_work
def set_unit_active(actor: SessionUser, code: str, active: bool) -> Unit:
    permissions.check(actor, "manage_catalog", reference=code[:64])
    unit = get_unit(code)
    if not active:
        _on_sale(Product.select().where((Product.unit == unit.id) & Product.active).count(),
                 unit.code, "unit")
    return changes.save_active(actor, unit, active, "unit")


def units() -> list[Unit]:
    return list(Unit.select().order_by(Unit.active.desc(), Unit.id))


@unit_of_work
def add_tax_rate(actor: SessionUser, code: str, name: str, percent: Decimal | str, *,
                 name_en: str = "") -> TaxRate:
    permissions.check(actor, "manage_catalog", reference=code[:64])
    code = text.code(code, field="code", longest=20)
    if TaxRate.get_or_none(fn.UPPER(TaxRate.code) == code):
        raise ValidationError(_("tax rate: '{value}' already exists").format(value=code),
                              field="tax_rate", value=code)
    pct = parse_decimal(percent, field="rate", places=2)
    rate = create_tax_rate(code, text.name(name, longest=50), pct,
                           name_en=text.clean(name_en, field="name_en")[:50])
    audit.record("tax_rate_added", {"code": code, "name": rate.name, "rate_bp": rate.rate_bp},
                 user_id=actor.id, reference=code)
    return rate


def get_tax_rate(code: str) -> TaxRate:
    found = TaxRate.get_or_none(fn.UPPER(TaxRate.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No tax rate '{code}'").format(code=code))
    return found


@unit_of_work
def change_tax_rate(actor: SessionUser, code: str, *, name: str | None = None,
                    name_en: str | None = None) -> TaxRate:
    """A tax rate's names. Its percent stays: add the new rate and move the products to it."""
    permissions.check(actor, "manage_catalog", reference=code[:64])
    rate = get_tax_rate(code)
    return changes.save_changes(actor, rate, text.names(name, name_en, longest=50),
                                "tax_rate_changed")


@unit_of_work
def set_tax_rate_active(actor: SessionUser, code: str, active: bool) -> TaxRate:
    permissions.check(actor, "manage_catalog", reference=code[:64])
    rate = get_tax_rate(code)
    if not active:
        _on_sale(Product.select().where((Product.tax_rate == rate.id) & Product.active)
                 .count(), rate.code, "tax_rate")
    return changes.save_active(actor, rate, active, "tax_rate")


def tax_rates() -> list[TaxRate]:
    return list(TaxRate.select().order_by(TaxRate.active.desc(), TaxRate.rate_bp.desc(),
                                          TaxRate.id))
