"""Every import by its name, as the shell's `zhanggui import NAME FILE` and the back office's
import screen call it: one place that knows which importer reads which file and with which
options (a warehouse for opening stock, a day for opening balances)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from store.catalog import product_import
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.importing import ImportReport, Progress
from store.customers import party_import
from store.onboarding import opening_balances
from store.pricing import shop_price_import
from store.security.auth import SessionUser
from store.stock import expiry, opening_import

KINDS = ("products", "customers", "suppliers", "stock", "balances", "shop-prices")


def run_import(what: str, path: Path, actor: SessionUser, *, warehouse: str | None = None,
               day: dt.date | None = None, shop: str | None = None, skip_bad: bool = False,
               dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import `path` as `what` (one of KINDS); each importer checks who may, reads CSV or a
    spreadsheet, and writes all or nothing (see its module)."""
    options = {"skip_bad": skip_bad, "dry_run": dry_run}
    if what == "products":
        return product_import.import_products(
            path, actor, progress=progress,
            relot=lambda changes: expiry.track_many(actor, changes), **options)
    if what == "customers":
        return party_import.import_customers(path, actor, progress=progress, **options)
    if what == "suppliers":
        return party_import.import_suppliers(path, actor, **options)
    if what == "stock":
        return opening_import.import_stock(path, actor, warehouse=warehouse or None, **options)
    if what == "balances":
        return opening_balances.import_balances(path, actor, day=day, **options)
    if what == "shop-prices":
        return shop_price_import.import_shop_prices(path, actor, shop=shop or None, **options)
    raise ValidationError(_("what: '{value}' is not one of {kinds}").format(
        value=what, kinds=", ".join(KINDS)), field="what", value=what)
