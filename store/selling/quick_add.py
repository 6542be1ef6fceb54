"""An unknown barcode at the till becomes a product there and then: name, price and tax rate,
with the add_product permission (or a supervisor's approval), recorded in the audit chain.
The barcode is also its SKU until the back office gives it a better one."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import products
from store.catalog.products import BarcodeInput, ProductInput
from store.catalog.search import ProductHit, lookup_code
from store.core.db import unit_of_work
from store.security import approvals, audit
from store.security.auth import SessionUser


@unit_of_work
def add_product(user: SessionUser, code: str, name: str, price: Decimal | str, tax_rate: str,
                *, terminal: str = "", approval_id: int | None = None) -> ProductHit:
    code = code.strip()
    used = approvals.require(user, "add_product", approval_id=approval_id, terminal=terminal,
                             reference=code)
    product = products.create_product(ProductInput(
        sku=code, name=name, price=price, tax_rate=tax_rate,
        barcodes=[BarcodeInput(code)] if code.isdigit() else []), user_id=user.id, source="till")
    audit.record("product_added", {"sku": product.sku, "price": audit.minor(product.price),
                                   "approval": used}, user_id=user.id, terminal=terminal,
                 reference=code)
    hit = lookup_code(code)
    assert hit is not None
    return hit
