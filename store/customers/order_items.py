"""An order's items and the shop's products: a channel's item code (SKU, then barcode) maps to
a product, and an order held for an unknown code moves on once the shop has created it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from store.models import Barcode, Product, SalesOrderLine, TaxRate


def products_by_code(skus: Iterable[str]) -> dict[str, tuple[int, int, bool]]:
    """code → (product id, tax rate in basis points, stock tracked): by SKU, then barcode."""
    codes = {s for s in skus if s}
    found: dict[str, tuple[int, int, bool]] = {}
    if not codes:
        return found
    rows: Any = (Product.select(Product.sku, Product.id, TaxRate.rate_bp, Product.stock_tracked)
                 .join(TaxRate).where(Product.sku.in_(list(codes))).tuples())
    for sku, pid, bp, tracked in rows:
        found[sku] = (pid, bp, tracked)
    rest = codes - set(found)
    if rest:
        more: Any = (Barcode.select(Barcode.code, Product.id, TaxRate.rate_bp,
                                    Product.stock_tracked)
                     .join(Product).join(TaxRate).where(Barcode.code.in_(list(rest))).tuples())
        for code, pid, bp, tracked in more:
            found[code] = (pid, bp, tracked)
    return found


def remap(order_id: int, products: dict[str, tuple[int, int, bool]] | None = None) -> None:
    """Map an order's unmapped items to the products that now have their code (SKU, then
    barcode): a held order moves on once the shop has created them."""
    missing = list(SalesOrderLine.select().where((SalesOrderLine.order == order_id)
                                                 & SalesOrderLine.product.is_null()))
    now_known = products_by_code(ln.external_sku for ln in missing)
    for ln in missing:
        found = (products or {}).get(ln.external_sku) or now_known.get(ln.external_sku)
        if found:
            (SalesOrderLine.update(product=found[0], tax_rate_bp=found[1])
             .where(SalesOrderLine.id == ln.id).execute())
