"""A shop's own prices (issue 18.1): the chain sets each product's price; a shop may charge
its own for some (a mall shop dearer, an outlet cheaper). Its tills, shelf labels and the
price checks of its sales use it; a customer's price list and the promotions work from it
as they work from the chain's. Setting one is a price change like any other: by someone
allowed to manage prices, for a shop they work for, recorded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.catalog.products import find_product, get_product
from store.common import bounds
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.money import parse_decimal
from store.models import Product, Shop, ShopPrice
from store.models.base import utcnow
from store.security import audit, permissions, scope
from store.security.auth import SessionUser
from store.shops import branches


@dataclass(frozen=True)
class ShopPriceRow:
    shop: str
    sku: str
    name: str
    chain_price: Decimal
    price: Decimal  # the shop's own


def _row(shop: Shop, product: Product, price: Decimal) -> ShopPriceRow:
    return ShopPriceRow(shop.code, product.sku, product.local_name, product.price, price)


@unit_of_work
def set_price(user: SessionUser, shop_code: str, sku: str, price: Decimal | str
              ) -> ShopPriceRow:
    """`shop`'s own price for a product; the same as the chain's is kept too (the chain's may
    change later, the shop's stays)."""
    shop = branches.get_shop(shop_code)
    permissions.check(user, "manage_prices", reference=f"{shop.code}:{sku}"[:64])
    scope.check_shop(user, shop.id, doing="shop_price")
    product = get_product(sku)
    amount = parse_decimal(price, field="price")
    if amount < 0:
        raise ValidationError(_("price: '{value}' cannot be negative").format(value=amount),
                              field="price", value=amount)
    bounds.check_price(amount)
    old = ShopPrice.get_or_none((ShopPrice.shop == shop.id) & (ShopPrice.product == product.id))
    if old is None:
        ShopPrice.create(shop=shop.id, product=product.id, price=amount, changed_by=user.id)
    else:
        (ShopPrice.update(price=amount, changed_at=utcnow(), changed_by=user.id)
         .where(ShopPrice.id == old.id).execute())
    _touch(product.id)
    audit.record("shop_price", {"shop": shop.code, "sku": product.sku,
                                "old": audit.minor(old.price if old else None),
                                "price": audit.minor(amount)},
                 user_id=user.id, reference=shop.code)
    return _row(shop, product, amount)


@unit_of_work
def remove_price(user: SessionUser, shop_code: str, sku: str) -> None:
    """The shop charges the chain's price for it again."""
    shop = branches.get_shop(shop_code)
    permissions.check(user, "manage_prices", reference=f"{shop.code}:{sku}"[:64])
    scope.check_shop(user, shop.id, doing="shop_price")
    product = find_product(sku)
    if product is None or not ShopPrice.delete().where(
            (ShopPrice.shop == shop.id) & (ShopPrice.product == product.id)).execute():
        raise NotFound(_("{shop} has no price of its own for '{sku}'").format(
            shop=shop.code, sku=sku))
    _touch(product.id)
    audit.record("shop_price", {"shop": shop.code, "sku": sku, "price": None},
                 user_id=user.id, reference=shop.code)


def _touch(product_id: int) -> None:
    """A product whose price changed at a shop has changed for that shop's tills: their local
    copies (store/offline) take it at their next refresh."""
    Product.update(updated_at=utcnow()).where(Product.id == product_id).execute()


def prices(shop_code: str, viewer: SessionUser | None = None) -> list[ShopPriceRow]:
    """The shop's own prices, by SKU (a user of other shops only is refused)."""
    shop = branches.get_shop(shop_code)
    if viewer is not None:
        scope.check_shop(viewer, shop.id, doing="shop_prices")
    q = (ShopPrice.select(ShopPrice, Product).join(Product)
         .where(ShopPrice.shop == shop.id).order_by(Product.sku))
    return [_row(shop, r.product, r.price) for r in q]
