"""A stockroom scan: the product a code names, or UnknownCode for the screen to offer noting it."""

from __future__ import annotations

from store.catalog.search import ProductHit, lookup_code
from store.core.errors import NotFound
from store.core.i18n import _


class UnknownCode(NotFound):
    """A scanned code that is no product: the screen offers to note it for the manager."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def scanned(code: str) -> ProductHit:
    """The product (and pack) a scanned barcode or SKU names; UnknownCode if none."""
    hit = lookup_code(code)
    if hit is None:
        raise UnknownCode(_("Unknown barcode '{code}'").format(code=code.strip()), code.strip())
    return hit
