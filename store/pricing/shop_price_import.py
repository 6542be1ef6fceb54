"""A shop's own prices from a file (issue 18.1): a chain that prices its mall shop dearer sends
one sheet per shop, or one sheet with a shop column, rather than typing hundreds of
`shops prices set`. Each row goes through `shop_prices.set_price` — the same permission, shop
scope, bounds and audit record — or, with `-` as the price, back to the chain's price. All
or nothing unless skip_bad; a dry run says what would change."""

from __future__ import annotations

from pathlib import Path

from peewee import fn

from store.catalog.products import find_product
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.importing import ImportReport, Outcome, run_rows
from store.core.money import parse_decimal
from store.core.sheetfile import open_table
from store.models import Shop, ShopPrice
from store.pricing import shop_prices
from store.security import audit, permissions, scope
from store.security.auth import SessionUser

ALIASES: dict[str, tuple[str, ...]] = {
    "shop": ("shop", "门店", "门店编码", "店铺"),
    "sku": ("sku", "商家编码", "商品编码", "编码", "货号"),
    "price": ("price", "门店价", "门店售价", "售价", "零售价", "价格"),
}
EXAMPLE = {"shop": "BJ", "sku": "COKE330", "price": "3.80"}
CHAIN = "-"  # the price that sends a product back to the chain's


def import_shop_prices(path: Path, actor: SessionUser, *, shop: str | None = None,
                       skip_bad: bool = False, dry_run: bool = False) -> ImportReport:
    """Each row: shop (or `shop` for all), SKU, price (`-`: the chain's again). Needs
    `manage_prices`, and the shops must be the actor's."""
    permissions.check_apart(actor, "manage_prices", reference=Path(path).name[:64])
    table = open_table(Path(path), ALIASES, ("sku", "price"))
    if "shop" not in table.columns.values() and not shop:
        raise ValidationError(_("{file}: no shop column; say which shop with --shop").format(
            file=path), field="shop", value="")
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    seen: dict[tuple[int, int], int] = {}
    mine = scope.shops_of(actor.id)

    def apply(line: int, values: dict[str, str]) -> Outcome:
        where = _shop(values.get("shop") or shop or "", line)
        if mine is not None and where.id not in mine:  # said by row, not one refusal for all
            raise ValidationError(_("shop: {code} is not one of yours").format(code=where.code),
                                  field="shop", value=where.code, row=line)
        product = find_product(values["sku"])
        if product is None:
            raise ValidationError(_("sku: no product '{value}'").format(value=values["sku"]),
                                  field="sku", value=values["sku"], row=line)
        text = values["price"].strip()
        if not text:
            raise ValidationError(_("price: empty (write {chain} for the chain's price)").format(
                chain=CHAIN), field="price", value="", row=line)
        price = None if text == CHAIN else parse_decimal(text, field="price", row=line)
        if (where.id, product.id) in seen:
            raise ValidationError(
                _("sku: {sku} at {shop} is also on line {line}").format(
                    sku=product.sku, shop=where.code, line=seen[where.id, product.id]),
                field="sku", value=product.sku, row=line)
        seen[where.id, product.id] = line
        old = ShopPrice.get_or_none((ShopPrice.shop == where.id)
                                    & (ShopPrice.product == product.id))
        if price is None:  # back to the chain's price
            if old is None:
                return "unchanged"
            shop_prices.remove_price(actor, where.code, product.sku)
            return "updated"
        if old is not None and old.price == price:
            return "unchanged"
        shop_prices.set_price(actor, where.code, product.sku, price)
        return "created" if old is None else "updated"

    def finish() -> None:
        audit.record("shop_prices_imported", {"file": Path(path).name[:200],
                                              "created": report.created,
                                              "updated": report.updated},
                     user_id=actor.id, reference=Path(path).name[:64])

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)


def _shop(text: str, line: int) -> Shop:
    value = text.strip()
    if not value:
        raise ValidationError(_("shop: empty (say which shop, or give --shop)"), field="shop",
                              value="", row=line)
    found = Shop.get_or_none((fn.UPPER(Shop.code) == value.upper()) | (Shop.name == value)
                             | (Shop.name_en == value))
    if found is None or not found.active:
        raise ValidationError(_("shop: no shop '{value}'").format(value=value), field="shop",
                              value=value, row=line)
    return found
