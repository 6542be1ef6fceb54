"""Issue 14.20: product names follow the interface's language wherever the product has both
(the stock list, low-stock alerts, transfers, receipts, messages); a product with only a
Chinese name keeps it in English too."""

from __future__ import annotations

from store.catalog import products, search
from store.catalog.products import ProductInput
from store.core import i18n
from store.security import auth
from store.stock import inventory, transfers


def test_names_follow_the_language_in_every_stock_view(shop) -> None:
    products.create_product(ProductInput("COLA", "可口可乐 330ml", "3.00", "13%",
                                         name_en="Coca-Cola 330ml"))
    products.create_product(ProductInput("TEA", "铁观音", "30.00", "13%"))  # no English name
    inventory.post_opening_stock("COLA", "WH", "10")
    inventory.post_opening_stock("TEA", "WH", "2")
    inventory.set_reorder_rule("COLA", "WH", "20", "40")
    boss = auth.authenticate("boss", "8888")
    moving = transfers.start(boss, "WH", "STORE")
    transfers.scan(boss, moving.number, "COLA")
    for lang, cola, tea in (("en", "Coca-Cola 330ml", "铁观音"), ("zh_CN", "可口可乐 330ml", "铁观音")):
        i18n.set_language(lang)
        names = {r.sku: r.name for r in inventory.stock(warehouse_code="WH")}
        assert (names["COLA"], names["TEA"]) == (cola, tea), lang
        assert {r.sku: r.name for r in inventory.stock()}["COLA"] == cola
        assert [a.name for a in inventory.alerts(warehouse_code="WH")] == [cola]
        assert [ln.name for ln in transfers.view(moving.number).lines] == [cola]
        assert search.lookup_code("COLA").local_name == cola
