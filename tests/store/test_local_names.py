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


def test_journal_descriptions_are_read_in_the_readers_language(shop) -> None:
    """Issue 14.19: a sale posted while the till spoke Chinese read "销售 T1-…" to an English
    accountant and "Sale T1-…" the other way round; channel codes showed as `taobao`."""
    from decimal import Decimal

    from store.assurance import sealed_rows
    from store.books import ledger
    from store.books.ledger import Posting
    from store.models import JournalEntry
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    products.create_product(ProductInput("COLA", "可口可乐 330ml", "3.00", "13%"))
    boss = auth.authenticate("boss", "8888")
    sales.open_shift("T1", boss.id, "0")
    i18n.set_language("zh_CN")  # the cashier's till speaks Chinese
    basket = Basket()
    basket.add(search.lookup_code("COLA"), Decimal(1))
    sale = sales.post_sale(basket, [PaymentInput("CASH", Decimal(3))], terminal="T1",
                           cashier_id=boss.id)
    ledger.post_entry(i18n.phrase(i18n.N_("Shipped by {channel}"), channel="taobao"), "TB1",
                      [Posting(ledger.COGS, debit=Decimal(1)),
                       Posting(ledger.INVENTORY, credit=Decimal(1))])
    for lang, sold, shipped in (("en", f"Sale {sale.number}", "Shipped by Taobao"),
                                ("zh_CN", f"销售 {sale.number}", "淘宝 发货")):
        i18n.set_language(lang)
        said = {e.reference: e.description for e in ledger.journal()}
        assert (said[sale.number], said["TB1"]) == (sold, shipped), lang
    # the phrase is sealed: changing what it says is found by `audit verify`
    i18n.set_language("en")
    problems: list[str] = []
    sealed_rows.verify_entries(problems)
    assert problems == []
    JournalEntry.update(text_args='{"channel": "shopify"}').where(
        JournalEntry.reference == "TB1").execute()
    sealed_rows.verify_entries(problems)
    assert len(problems) == 1 and "differ from its sealed record" in problems[0]
