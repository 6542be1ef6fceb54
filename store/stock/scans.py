"""A stockroom scan: the product a code names, or UnknownCode for the screen to offer noting it."""

from __future__ import annotations

from store.catalog.search import ProductHit, lookup_code
from store.core.errors import NotFound
from store.core.i18n import _
from store.stock import lots


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


def scanned_lot(code: str) -> tuple[ProductHit, lots.Lot | None]:
    """A scan that may be a GS1-128 label: its product by the GTIN (01) — the case's own
    barcode, else the unit's EAN-13 inside it — with the lot (10) and expiry (17) it
    carries; any other code as `scanned`, without a lot."""
    gs1 = lots.parse_gs1(code)
    if gs1 is None:
        return scanned(code), None
    hit = lookup_code(gs1.gtin)
    if hit is None and gs1.gtin.startswith("0"):
        hit = lookup_code(gs1.gtin[1:])
    if hit is None:
        raise UnknownCode(_("Unknown barcode '{code}'").format(code=gs1.gtin), gs1.gtin)
    if not gs1.lot:
        return hit, None
    return hit, lots.Lot(lots.lot_number(gs1.lot), gs1.expires_on)
