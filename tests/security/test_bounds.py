"""Issue 15.5: a Taobao item quantity of 99999999999 and a Shopify quantity of 1e9 imported as
confirmed orders; shipping one drove on-hand to −99,999,999,609. Every quantity and amount
that enters has a sane bound, refused by row and field, and the owner can move it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import products
from store.catalog.products import ProductInput
from store.channels import base, connectors
from store.common import bounds, settings
from store.core.errors import ValidationError
from store.models import Product, SalesOrder, StockLevel
from store.stock import inventory
from tests.store.channel_files import TbItem, TbOrder, shopify_rows, write_shopify, write_taobao
from tests.store.stock_helpers import stock_shop


@pytest.fixture
def online(shop):
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "50")
    return users


def _coke() -> Decimal:
    return sum((level.on_hand for level in StockLevel.select().join(Product)
                .where(Product.sku == "COKE")), Decimal(0))


def _import(user, channel: str, **files) -> base.ImportReport:
    batch = connectors.connector(channel, **files).fetch()
    report = base.ImportReport(channel, rejected=list(batch.rejected))
    return base.upsert(user, channel, batch.orders, report=report)


def test_absurd_channel_quantities_are_refused_by_row_not_confirmed(online, tmp_path) -> None:
    boss = online["owner"]
    before = _coke()
    files = write_taobao(tmp_path, [
        TbOrder("1990000000000000101", items=[TbItem("COKE", "可乐", "3.50", "99999999999")]),
        TbOrder("1990000000000000102", items=[TbItem("COKE", "可乐", "3.50", "2")])])
    report = _import(boss, "taobao", orders=files[0], items=files[1])
    assert report.created == 1  # the sane order
    assert any("more than 99999" in why for _row, why in report.rejected), \
        report.rejected
    shop = write_shopify(tmp_path / "shopify.csv",
                         shopify_rows("#1001", [("COKE", "Coke", "3.50", "1e9")]))
    report = _import(boss, "shopify", orders=shop)
    assert report.created == 0 and report.rejected
    assert "Lineitem quantity" in report.rejected[0][1]
    assert SalesOrder.select().count() == 1
    assert _coke() == before


def test_stock_and_prices_beyond_the_bound_are_refused_and_the_bound_moves(online) -> None:
    before = _coke()
    with pytest.raises(ValidationError, match="qty: '100000' is more than 99999"):
        inventory.post_opening_stock("COKE", "STORE", "100000")
    with pytest.raises(ValidationError, match=r"price: .* is more than"):
        products.create_product(ProductInput("GOLD", "金条", "10000000.01", "13%"))
    settings.write("max_line_qty", "200000")
    inventory.post_opening_stock("COKE", "STORE", "100000")  # a wholesaler's pallet count
    assert _coke() == before + 100000
    assert bounds.line_qty_limit() == Decimal(200000)
