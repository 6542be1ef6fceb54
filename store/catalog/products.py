"""Catalog use cases: tax rates, units, categories, products and barcodes, all validated."""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import IntegrityError, fn

from store.catalog import barcodes as bc
from store.catalog import pinyin
from store.common import bounds
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import N_, _
from store.core.money import MONEY_PLACES, QTY_PLACES, format_qty, parse_decimal
from store.models import Barcode, Category, PriceChange, Product, TaxRate, Unit, utcnow
from store.security import audit


@dataclass
class BarcodeInput:
    code: str
    pack_qty: Decimal = Decimal(1)


@dataclass
class ProductInput:
    """What a user (or an import row) says about a product, before validation."""

    sku: str
    name: str
    price: Decimal | str
    tax_rate: str  # a code ('VAT13') or a percentage ('13%', '13')
    unit: str = "pcs"  # a code or a name ('pcs', '个', 'kg')
    name_en: str = ""
    category: str | None = None  # a code or a name
    cost: Decimal | str = Decimal(0)
    barcodes: list[BarcodeInput] = field(default_factory=list)
    stock_tracked: bool = True
    sold_by_weight: bool = False
    active: bool = True


def split_barcodes(text: str) -> list[tuple[str, str]]:
    """'6901234567892|16901234567899*12' as (code, pack text) pairs: codes separated by |
    (or ;), a pack quantity after *, as the product file and the editor write them."""
    out = []
    for part in (p.strip() for p in text.replace(";", "|").split("|")):
        if part:
            code, _sep, pack = part.partition("*")
            out.append((code.strip().lstrip("'"), pack))
    return out


def parse_barcodes(text: str, *, row: int | None = None) -> list[BarcodeInput]:
    return [BarcodeInput(code, parse_decimal(pack, field="pack_qty", places=QTY_PLACES, row=row)
                         if pack else Decimal(1)) for code, pack in split_barcodes(text)]


def format_barcodes(codes: list[tuple[str, Decimal]]) -> str:
    return "|".join(c if q == 1 else f"{c}*{format_qty(q)}" for c, q in codes)


def _err(message: str, field: str, value: object, row: int | None) -> ValidationError:
    return ValidationError(message, field=field, value=value, row=row)


def _unknown_tax_rate(value: str, known: list[TaxRate], row: int | None) -> ValidationError:
    names = ", ".join(f"{t.code} ({Decimal(t.rate_bp) / 100:g}%)" for t in known)
    return _err(_("tax_rate: unknown tax rate '{value}' (known: {known})").format(
        value=value, known=names), "tax_rate", value, row)


def _percent_bp(value: str, row: int | None) -> int | None:
    """'13%' or '13' as basis points, or None when it is not a percentage."""
    try:
        return int(parse_decimal(value.rstrip("%"), field="tax_rate", places=2, row=row) * 100)
    except ValidationError:
        return None


def _in_use(found: Any, field: str, value: str, row: int | None) -> Any:
    """A tax rate, unit or category taken out of use is not given to a product again."""
    if not found.active:
        raise _err(_("{field}: '{value}' is deactivated").format(field=field, value=value),
                   field, value, row)
    return found


def find_tax_rate(text: str, *, row: int | None = None) -> TaxRate:
    value = str(text).strip()
    found = TaxRate.get_or_none(TaxRate.code == value)
    if found:
        return _in_use(found, "tax_rate", value, row)  # type: ignore[no-any-return]
    bp = _percent_bp(value, row)
    found = (TaxRate.select().where(TaxRate.rate_bp == bp)
             .order_by(TaxRate.active.desc(), TaxRate.id).first() if bp is not None else None)
    if not found:
        raise _unknown_tax_rate(value, list(TaxRate.select().where(TaxRate.active)), row)
    return _in_use(found, "tax_rate", value, row)  # type: ignore[no-any-return]


def find_unit(text: str, *, row: int | None = None) -> Unit:
    value = str(text).strip()
    found = (Unit.select().where((Unit.code == value) | (Unit.name == value)
                                 | (Unit.name_en == value))
             .order_by(Unit.active.desc(), Unit.id).first())
    if not found:
        raise _err(_("unit: unknown unit '{value}'").format(value=value), "unit", value, row)
    return _in_use(found, "unit", value, row)  # type: ignore[no-any-return]


def find_category(text: str | None, *, row: int | None = None) -> Category | None:
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    found = (Category.select().where((Category.code == value) | (Category.name == value)
                                     | (Category.name_en == value))
             .order_by(Category.active.desc(), Category.id).first())
    if not found:
        raise _err(_("category: unknown category '{value}'").format(value=value),
                   "category", value, row)
    return _in_use(found, "category", value, row)  # type: ignore[no-any-return]


class References:
    """Tax rates, units and categories found by what a user types, as find_tax_rate,
    find_unit and find_category find them, from tables read once: an import of 100,000 rows
    asks the database three times instead of 300,000."""

    def __init__(self) -> None:
        # In use first: where two rows share a text, the one in use is found.
        self.tax_rates = list(TaxRate.select().order_by(TaxRate.active.desc(), TaxRate.id))
        self.units = list(Unit.select().order_by(Unit.active.desc(), Unit.id))
        self.categories = list(Category.select().order_by(Category.active.desc(), Category.id))
        self._tax = {t.code: t for t in self.tax_rates}
        self._tax_bp: dict[int, TaxRate] = {}
        for t in self.tax_rates:
            self._tax_bp.setdefault(t.rate_bp, t)
        self._unit = self._by_names(self.units)
        self._category = self._by_names(self.categories)
        self.unit_by_id = {u.id: u for u in self.units}
        self.tax_by_id = {t.id: t for t in self.tax_rates}
        self.category_by_id = {c.id: c for c in self.categories}

    @staticmethod
    def _by_names(rows: list[Any]) -> dict[str, Any]:
        """Rows by code, name and English name; where two rows share a text, a code wins over
        a name and a name over an English name (a code is what the export writes)."""
        out: dict[str, Any] = {}
        for attr in ("name_en", "name", "code"):
            for r in reversed(rows):
                if getattr(r, attr):
                    out[getattr(r, attr)] = r
        return out

    def tax_rate(self, text: str, row: int | None) -> TaxRate:
        value = str(text).strip()
        found = self._tax.get(value)
        if found is None:
            bp = _percent_bp(value, row)
            found = self._tax_bp.get(bp) if bp is not None else None
        if found is None:
            raise _unknown_tax_rate(value, [t for t in self.tax_rates if t.active], row)
        self._tax[value] = found  # "13%" is read once per import, not once per row
        return _in_use(found, "tax_rate", value, row)  # type: ignore[no-any-return]

    def unit(self, text: str, row: int | None) -> Unit:
        value = str(text).strip()
        found = self._unit.get(value)
        if found is None:
            raise _err(_("unit: unknown unit '{value}'").format(value=value), "unit", value, row)
        return _in_use(found, "unit", value, row)  # type: ignore[no-any-return]

    def category(self, text: str | None, row: int | None) -> Category | None:
        if text is None or not str(text).strip():
            return None
        value = str(text).strip()
        found = self._category.get(value)
        if found is None:
            raise _err(_("category: unknown category '{value}'").format(value=value),
                       "category", value, row)
        return _in_use(found, "category", value, row)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ValidProduct:
    """A ProductInput that passed every check, resolved to ids and exact amounts."""

    sku: str
    name: str
    name_en: str
    category_id: int | None
    unit_id: int
    price: Decimal
    tax_rate_id: int
    cost: Decimal
    stock_tracked: bool
    sold_by_weight: bool
    active: bool
    barcodes: tuple[tuple[str, Decimal], ...]

    # The search keys, worked out when a product is written, not when it is checked: pypinyin
    # costs ~150 µs a name, half of a 100,000-row dry run that never writes them.
    @functools.cached_property
    def _keys(self) -> tuple[str, str]:
        return pinyin.keys(self.name)

    @property
    def pinyin(self) -> str:
        return self._keys[0]

    @property
    def initials(self) -> str:
        return self._keys[1]


def validate_product(data: ProductInput, *, row: int | None = None,
                     refs: References | None = None) -> ValidProduct:
    """Check one product without writing; raises ValidationError naming the field and value.
    `refs` resolves tax rates, units and categories without a query each (an import)."""
    sku = text.clean(data.sku, field="sku", row=row)
    if not sku:
        raise _err(_("sku: the SKU is empty"), "sku", data.sku, row)
    if len(sku) > 64 or any(c.isspace() for c in sku):
        raise _err(_("sku: '{value}' must be at most 64 characters without spaces").format(
            value=sku), "sku", sku, row)
    name = text.clean(data.name, field="name", row=row)
    if not name:
        raise _err(_("name: the product name is empty"), "name", data.name, row)
    if len(name) > 200:
        raise _err(_("name: longer than 200 characters"), "name", name, row)
    price = bounds.check_price(parse_decimal(data.price, field="price", places=MONEY_PLACES,
                                             row=row), row=row)
    cost = parse_decimal(data.cost if data.cost not in ("", None) else "0", field="cost",
                         places=4, row=row)
    if refs is not None:
        tax, unit = refs.tax_rate(data.tax_rate, row), refs.unit(data.unit, row)
        category = refs.category(data.category, row)
    else:
        tax, unit = find_tax_rate(data.tax_rate, row=row), find_unit(data.unit, row=row)
        category = find_category(data.category, row=row)
    codes: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for b in data.barcodes:
        code = bc.validate(b.code, row=row)
        if code in seen:
            raise _err(_("barcode: '{value}' is given twice").format(value=code), "barcode",
                       code, row)
        seen.add(code)
        pack = parse_decimal(b.pack_qty, field="pack_qty", places=QTY_PLACES, row=row)
        if pack <= 0:
            raise _err(_("pack_qty: '{value}' must be greater than zero").format(value=pack),
                       "pack_qty", pack, row)
        codes.append((code, pack))
    return ValidProduct(
        sku=sku, name=name, name_en=text.clean(data.name_en, field="name_en", row=row),
        category_id=category.id if category else None, unit_id=unit.id, price=price,
        tax_rate_id=tax.id, cost=cost, stock_tracked=data.stock_tracked,
        sold_by_weight=data.sold_by_weight or unit.decimals > 0, active=data.active,
        barcodes=tuple(codes))


def _check_unique(valid: ValidProduct, *, row: int | None, product_id: int | None = None) -> None:
    clash = find_product(valid.sku)  # the exact SKU first, then one in another case
    if clash and clash.id != product_id:
        if clash.sku != valid.sku:  # SKUs compare case-insensitively
            raise _err(_("sku: '{value}' is the SKU {sku} ({name}) typed in other letter "
                         "case").format(value=valid.sku, sku=clash.sku, name=clash.local_name),
                       "sku", valid.sku, row)
        raise _err(_("sku: '{value}' already exists").format(value=valid.sku), "sku", valid.sku,
                   row)
    for code, _pack in valid.barcodes:
        owner = (Barcode.select(Barcode, Product).join(Product)
                 .where(Barcode.code == code).first())
        if owner and owner.product.id != product_id:
            raise _err(_("barcode: '{value}' already belongs to {sku} {name}").format(
                value=code, sku=owner.product.sku, name=owner.product.name),
                "barcode", code, row)


# Where a price in the history came from, and its words (for gettext: shown as _(label)).
PRICE_SOURCES = {"editor": N_("editor"), "import": N_("import"), "bulk": N_("bulk change"),
                 "till": N_("till"), "template": N_("new style")}


@unit_of_work
def create_product(data: ProductInput, *, row: int | None = None, user_id: int | None = None,
                   source: str = "editor") -> Product:
    """A new product, its barcodes, the first entry of its price history and an audit event.
    Who may: the callers check (catalog.editor, the import, the till's quick add)."""
    valid = validate_product(data, row=row)
    _check_unique(valid, row=row)
    product = Product.create(
        sku=valid.sku, name=valid.name, name_en=valid.name_en, pinyin=valid.pinyin,
        initials=valid.initials, category=valid.category_id, unit=valid.unit_id,
        price=valid.price, tax_rate=valid.tax_rate_id, cost=valid.cost,
        stock_tracked=valid.stock_tracked, sold_by_weight=valid.sold_by_weight,
        active=valid.active)
    for code, pack in valid.barcodes:
        Barcode.create(code=code, product=product, pack_qty=pack)
    PriceChange.create(product=product, old_price=None, new_price=valid.price, user=user_id,
                       source=source)
    _record("product_created", valid, user_id=user_id)
    return product


def _record(kind: str, valid: ValidProduct, before: Product | None = None, *,
            user_id: int | None = None) -> None:
    """A product and its price in the audit chain (a price changed behind the till's back
    shows in the log, with who and when)."""
    audit.record(kind, audit_payload(valid, before), reference=valid.sku, user_id=user_id)


def audit_payload(valid: ValidProduct, before: Product | None = None) -> dict[str, Any]:
    """What the audit chain keeps of a product created or changed."""
    data: dict[str, Any] = {"sku": valid.sku, "name": valid.name, "price": audit.minor(valid.price),
            "cost": audit.minor(valid.cost, 4), "tax_rate": valid.tax_rate_id,
            "active": valid.active, "barcodes": [[c, audit.minor(p, 3)] for c, p in valid.barcodes]}
    if before is not None:
        data["before"] = {"sku": before.sku, "name": before.name,
                          "price": audit.minor(before.price), "active": before.active}
    return data


@unit_of_work
def update_product(sku: str, data: ProductInput, *, row: int | None = None,
                   user_id: int | None = None, source: str = "editor") -> Product:
    """Replace a product's fields and barcodes with `data`'s (no barcodes: none); a new
    price goes into the price history. The SKU keeps its spelling: `data.sku` in another letter
    case finds the product, it does not rename it."""
    product = get_product(sku)
    valid = dataclasses.replace(validate_product(data, row=row), sku=product.sku)
    _check_unique(valid, row=row, product_id=product.id)
    (Product.update(
        name=valid.name, name_en=valid.name_en, pinyin=valid.pinyin,
        initials=valid.initials, category=valid.category_id, unit=valid.unit_id,
        price=valid.price, tax_rate=valid.tax_rate_id, cost=valid.cost,
        stock_tracked=valid.stock_tracked, sold_by_weight=valid.sold_by_weight,
        active=valid.active, updated_at=utcnow())
     .where(Product.id == product.id).execute())
    had = sorted((b.code, b.pack_qty) for b in Barcode.select().where(
        Barcode.product == product.id))
    if sorted(valid.barcodes) != had:  # rewritten only when they change
        Barcode.delete().where(Barcode.product == product.id).execute()
        for code, pack in valid.barcodes:
            Barcode.create(code=code, product=product.id, pack_qty=pack)
    if valid.price != product.price:
        PriceChange.create(product=product.id, old_price=product.price, new_price=valid.price,
                           user=user_id, source=source)
    _record("product_changed", valid, before=product, user_id=user_id)
    return Product.get_by_id(product.id)


@unit_of_work
def add_barcode(sku: str, code: str, pack_qty: Decimal = Decimal(1)) -> Barcode:
    product = get_product(sku)
    code = bc.validate(code)
    pack = parse_decimal(pack_qty, field="pack_qty", places=QTY_PLACES)
    if pack <= 0:
        raise _err(_("pack_qty: '{value}' must be greater than zero").format(value=pack),
                   "pack_qty", pack, None)
    try:
        with Barcode._meta.database.atomic():
            barcode = Barcode.create(code=code, product=product, pack_qty=pack)
    except IntegrityError as exc:
        raise _err(_("barcode: '{value}' already exists").format(value=code), "barcode", code,
                   None) from exc
    # The product changed for the tills' local copies (store/offline): they take it whole.
    Product.update(updated_at=utcnow()).where(Product.id == product.id).execute()
    audit.record("barcode_added", {"sku": product.sku, "code": code,
                                   "pack_qty": audit.minor(pack, 3)}, reference=product.sku)
    return barcode


def find_product(sku: str) -> Product | None:
    """The product with this SKU, typed in any letter case (P0000001 = p0000001): the exact
    SKU first, as a shop that already held both before migration 0018 keeps both. Full-width
    Ｐ１ (a Chinese input method) is P1, as stored."""
    sku = unicodedata.normalize("NFKC", sku).strip()
    return Product.select().where(sku_matches(sku)).order_by(Product.sku != sku).first()


def sku_matches(sku: str) -> Any:
    """The condition "this product's SKU is `sku` in any letter case", served by the index
    on LOWER(sku) (migration 0018)."""
    return fn.LOWER(Product.sku) == text.sku_key(sku)


def get_product(sku: str) -> Product:
    product = find_product(sku)
    if not product:
        raise NotFound(_("No product with SKU '{sku}'").format(sku=sku))
    return product


@unit_of_work
def create_tax_rate(code: str, name: str, percent: Decimal, name_en: str = "") -> TaxRate:
    pct = parse_decimal(percent, field="rate", places=2)
    if pct > 100:
        raise _err(_("rate: '{value}' is above 100%").format(value=pct), "rate", pct, None)
    return TaxRate.create(code=code, name=name, name_en=name_en, rate_bp=int(pct * 100))


@unit_of_work
def create_unit(code: str, name: str, name_en: str = "", decimals: int = 0) -> Unit:
    if decimals not in (0, 1, 2, 3):
        raise _err(_("decimals: '{value}' must be 0 to 3").format(value=decimals), "decimals",
                   decimals, None)
    return Unit.create(code=code, name=name, name_en=name_en, decimals=decimals)


@unit_of_work
def create_category(code: str, name: str, name_en: str = "",
                    parent: str | None = None) -> Category:
    parent_obj = find_category(parent) if parent else None
    if Category.get_or_none(Category.code == code):
        raise _err(_("category: '{value}' already exists").format(value=code), "category", code,
                   None)
    return Category.create(code=code, name=name, name_en=name_en, parent=parent_obj)


def top_categories() -> list[tuple[str, str, str]]:
    """(code, name, English name) of the categories with no parent: what a count can cover."""
    return [(c.code, c.name, c.name_en) for c in
            Category.select().where(Category.parent.is_null()).order_by(Category.code)]
