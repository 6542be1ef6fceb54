"""A template for each import: the header row (in Chinese or English, as the file may have
it) and example rows, as CSV or XLSX, for a merchant to fill in from their old sheets."""

from __future__ import annotations

from pathlib import Path

from store.catalog import product_import
from store.core.errors import ValidationError
from store.core.i18n import _, current_language
from store.customers import party_import
from store.onboarding import opening_balances
from store.pricing import shop_price_import
from store.reporting import export
from store.stock import opening_import

PRODUCT_EXAMPLE = {"sku": "COKE330", "name": "可口可乐 330ml", "name_en": "Coca-Cola 330ml",
                   "category": "", "unit": "瓶", "price": "3.50", "tax_rate": "13%",
                   "cost": "2.10", "barcodes": "6901234567892|16901234567899*12",
                   "stock_tracked": "1", "active": "1", "tracks_lots": "0"}
VARIANT_EXAMPLE = {"sku": "TSHIRT-M-WHITE", "name": "T恤 M 白", "name_en": "T-shirt M White",
                   "unit": "个", "price": "59", "tax_rate": "13%", "cost": "25",
                   "barcodes": "", "stock_tracked": "1", "active": "1", "tracks_lots": "0",
                   "style": "TSHIRT", "variant": "尺码=M;颜色=WHITE:白", "style_name": "T恤"}
TEMPLATES: dict[str, tuple[dict[str, tuple[str, ...]], list[dict[str, str]]]] = {
    "products": (product_import.ALIASES, [PRODUCT_EXAMPLE, VARIANT_EXAMPLE]),
    "customers": (party_import.CUSTOMER_ALIASES, [party_import.CUSTOMER_EXAMPLE]),
    "suppliers": (party_import.SUPPLIER_ALIASES, [party_import.SUPPLIER_EXAMPLE]),
    "stock": (opening_import.ALIASES, [opening_import.EXAMPLE]),
    "balances": (opening_balances.ALIASES, opening_balances.EXAMPLES),
    "shop-prices": (shop_price_import.ALIASES, [shop_price_import.EXAMPLE]),
}


def template(name: str) -> export.Table:
    """The header in the interface's language (the first Chinese name a column accepts, or
    its English key) and the example row."""
    if name not in TEMPLATES:
        raise ValidationError(_("template: '{value}' is not one of {names}").format(
            value=name, names=", ".join(TEMPLATES)), field="template", value=name)
    aliases, examples = TEMPLATES[name]
    chinese = current_language() != "en"

    def heading(key: str) -> str:
        names = aliases[key]
        return next((n for n in names if not n.isascii()), key) if chinese else key

    keys = list(aliases)
    return export.Table(name, [heading(k) for k in keys],
                        [[example.get(k, "") for k in keys] for example in examples])


def write_template(name: str, path: Path, fmt: str, *, force: bool = False) -> Path:
    return export.write(template(name), path, fmt, force=force)
