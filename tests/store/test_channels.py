"""Channel imports on both engines, from files that imitate the real exports: Taobao's GBK
reports with their quirks and Shopify's orders_export.csv. Idempotent by (channel, order
number); later statuses move orders on; unmapped items hold an order; bad rows are reported
by row and reason and nothing of their order is written; 交易关闭 never reserves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from peewee import fn

from store.catalog import products
from store.catalog.products import BarcodeInput, ProductInput
from store.channels import base, connectors, logistics
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.customers import orders
from store.models import OrderEvent, SalesOrder, SalesOrderLine, StockMove
from store.security import audit
from store.stock import inventory
from tests.store.channel_files import (
    TbItem,
    TbOrder,
    shopify_rows,
    write_shopify,
    write_taobao,
)
from tests.store.stock_helpers import check_stock_invariants, stock_shop
from tests.store.test_orders import available

D = Decimal


@pytest.fixture
def online(shop):
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "50")
    inventory.post_opening_stock("TEA", "STORE", "20")
    return users


def taobao(user, order_file: Path, item_file: Path | None = None, *, dry_run: bool = False
           ) -> base.ImportReport:
    batch = connectors.connector("taobao", orders=order_file, items=item_file).fetch()
    report = base.ImportReport("taobao", dry_run=dry_run, rejected=list(batch.rejected))
    return base.upsert(user, "taobao", batch.orders, dry_run=dry_run, report=report)


def counts() -> tuple[int, int, int, int]:
    return (SalesOrder.select().count(), SalesOrderLine.select().count(),
            OrderEvent.select().count(), StockMove.select().count())


FIRST = [
    TbOrder("1990000000000000001", items=[TbItem("COKE", "可口可乐 330ml", "3.50", "6")],
            postage="5.00"),
    TbOrder("1990000000000000002", status="交易关闭",
            items=[TbItem("TEA", "绿茶", "4.00", "3")]),
    TbOrder("1990000000000000003", status="交易成功",
            items=[TbItem("COKE", "可口可乐 330ml", "3.50", "2"),
                   TbItem("6901234567908", "绿茶 (by barcode)", "4.00", "1")],
            tracking="SF100", carrier="顺丰速运"),
    TbOrder("1990000000000000004", items=[TbItem("MOONCAKE", "月饼礼盒", "88.00", "1")],
            mobile="139****5678"),
]


def test_a_taobao_export_with_its_quirks(online, tmp_path) -> None:
    boss = online["owner"]
    files = write_taobao(tmp_path, FIRST)
    assert b"\xb6\xa9\xb5\xa5" in files[0].read_bytes()  # 订单 in GBK, not UTF-8
    report = taobao(boss, *files)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.rejected == []
    assert [(row, why.split(":")[0]) for row, why in report.held] == [
        (5, "1990000000000000004")]
    by_id = {o.external_id: o for o in SalesOrder.select()}
    assert {k[-1]: o.status for k, o in by_id.items()} == {
        "1": "confirmed", "2": "cancelled", "3": "shipped", "4": "held"}
    first = by_id["1990000000000000001"]
    assert first.total == D("21.00") and first.shipping == D("5.00")  # "26.00元" paid
    # the recipient is sealed: no phone or address in the row, but opened for a label
    assert "13800138000" not in first.recipient_enc and "长宁" not in first.recipient_enc
    assert orders.recipient_of(first).phone == "13800138000"  # the ' is gone
    assert orders.recipient_of(by_id["1990000000000000004"]).phone == "139****5678"
    # paid reserves; closed never does; the successful one left the shelf (2 + 1 by barcode)
    assert available("COKE") == (D(6), D(42))
    assert available("TEA") == (0, D(19))
    assert by_id["1990000000000000003"].tracking_no == "SF100"
    check_stock_invariants()

    before = counts()
    again = taobao(boss, *files)  # the same files twice change nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert counts() == before

    # a later export: paid → shipped with tracking; paid → closed after a refund
    products.create_product(ProductInput("MOONCAKE", "月饼礼盒", "88.00", "13%", cost="50.00"))
    later = [
        TbOrder("1990000000000000001", status="卖家已发货，等待买家确认",
                items=FIRST[0].items, tracking="YT200", carrier="圆通速递"),
        TbOrder("1990000000000000004", items=FIRST[3].items),  # its product exists now
        TbOrder("1990000000000000005", status="交易关闭",
                items=[TbItem("COKE", "可口可乐 330ml", "3.50", "1")]),
    ]
    report = taobao(boss, *write_taobao(tmp_path / "later", later))
    assert (report.created, report.updated, report.held) == (1, 2, [])
    by_id = {o.external_id: o for o in SalesOrder.select()}
    assert by_id["1990000000000000001"].status == "shipped"
    assert by_id["1990000000000000001"].tracking_no == "YT200"
    assert by_id["1990000000000000004"].status == "confirmed"
    assert available("COKE") == (0, D(42))  # the 6 shipped; the closed one took nothing
    assert available("MOONCAKE") == (D(1), D(-1))
    events = [e.status for e in OrderEvent.select().where(
        OrderEvent.order == by_id["1990000000000000001"].id).order_by(OrderEvent.id)]
    assert events == ["confirmed", "shipped"]
    # an older file again does not take orders back
    assert taobao(boss, *files).updated == 0
    assert SalesOrder.get(SalesOrder.external_id == "1990000000000000001").status == "shipped"
    check_stock_invariants()


def test_a_held_order_is_confirmed_once_its_item_is_a_product(online, tmp_path) -> None:
    """The shop need not import again: adding the product (or its barcode) and confirming
    maps the held item and reserves it."""
    boss = online["owner"]
    taobao(boss, *write_taobao(tmp_path, [FIRST[3]]))  # 月饼礼盒, no such product yet
    held = SalesOrder.get(SalesOrder.external_id == "1990000000000000004")
    assert held.status == "held"
    with pytest.raises(StoreError, match="MOONCAKE") as err:
        orders.confirm(boss, held.number)
    assert "confirm again" in str(err.value)
    assert SalesOrder.get_by_id(held.id).status == "held"
    products.create_product(ProductInput("GIFT1", "月饼礼盒", "88.00", "13%", cost="50.00",
                                        barcodes=[BarcodeInput("MOONCAKE")]))
    assert orders.confirm(boss, held.number).status == "confirmed"
    line = SalesOrderLine.get(SalesOrderLine.order == held.id)
    assert line.product.sku == "GIFT1" and line.tax_rate_bp == 1300
    assert available("GIFT1") == (D(1), D(-1))  # reserved: not in stock yet
    check_stock_invariants()


def test_shipped_channel_orders_are_invoiced_in_one_go(online, tmp_path) -> None:
    """After a day's import the shop invoices what the channel shipped: revenue and VAT in
    the books, owed by the channel's own account until the platform pays out."""
    from store.books import ledger
    from store.common import clock
    from store.customers import receivables
    from store.models import Customer
    from store.reporting import reports

    boss = online["owner"]
    taobao(boss, *write_taobao(tmp_path, FIRST))  # one of them 交易成功: shipped
    with pytest.raises(PermissionDenied):
        orders.invoice_shipped(online["warehouse"], "taobao")
    assert audit.events(kind="permission_denied")[-1].reference == "taobao"  # recorded
    assert orders.invoice_shipped(boss, "shopify") == []
    done = orders.invoice_shipped(boss, "taobao")
    assert [SalesOrder.get(SalesOrder.number == n).external_id for n in done] == [
        "1990000000000000003"]
    assert orders.view(done[0]).status == "invoiced"
    channel = Customer.get(Customer.code == "CH-TAOBAO")
    assert receivables.balance(channel.id) == D("11.00")  # 2 × 3.50 + 4.00, no postage
    assert ledger.balance(ledger.AR) == D("11.00")
    today = clock.local_today()
    assert reports.daily(today).orders_invoiced == [
        reports.Share("taobao", "Taobao", 1, D("11.00"))]
    assert orders.invoice_shipped(boss, "taobao") == []  # nothing twice
    check_stock_invariants()


def test_closing_a_paid_order_releases_it_and_a_dry_run_writes_nothing(online, tmp_path
                                                                        ) -> None:
    boss = online["owner"]
    paid = [TbOrder("2990000000000000001", items=[TbItem("TEA", "绿茶", "4.00", "5")])]
    before = counts()
    dry = taobao(boss, *write_taobao(tmp_path / "a", paid), dry_run=True)
    assert dry.created == 1 and counts() == before
    taobao(boss, *write_taobao(tmp_path / "a", paid))
    assert available("TEA") == (D(5), D(15))
    closed = [TbOrder("2990000000000000001", status="交易关闭", items=paid[0].items)]
    assert taobao(boss, *write_taobao(tmp_path / "b", closed)).updated == 1
    assert available("TEA") == (0, D(20))
    with pytest.raises(PermissionDenied):
        taobao(online["cashier"], *write_taobao(tmp_path / "a", paid))


def test_bad_rows_are_reported_and_their_orders_not_written(online, tmp_path) -> None:
    boss = online["owner"]
    rows = [
        TbOrder("3990000000000000001", items=[TbItem("COKE", "可乐", "3.50", "1")]),  # fine
        TbOrder("", items=[TbItem("COKE", "可乐", "3.50", "1")]),  # row 3: no number
        TbOrder("3990000000000000003", items=[TbItem("COKE", "可乐", "3.50", "-2")]),
        TbOrder("3990000000000000004", items=[TbItem("COKE", "可乐", "三块", "1"),
                                               TbItem("TEA", "茶", "4.00", "1")]),
        TbOrder("3990000000000000005", mobile="138abc00000",
                items=[TbItem("TEA", "茶", "4.00", "1")]),
        TbOrder("3990000000000000001", items=[TbItem("COKE", "可乐", "3.50", "1")]),  # again
        TbOrder("3990000000000000007", status="神秘状态", items=[TbItem("TEA", "茶", "4", "1")]),
    ]
    report = taobao(boss, *write_taobao(tmp_path, rows))
    assert report.created == 1
    why = dict(report.rejected)
    assert sorted(why) == [3, 4, 5, 6, 7, 8]
    assert "no order number" in why[3]
    assert "3990000000000000003" in why[4] and "-2" in why[4] and "row 4" in why[4]
    assert "三块" in why[5]  # the price that is not a number, its other item not kept either
    assert "letters" in why[6] and "138abc00000" in why[6]
    assert "row 2" in why[7]  # the duplicate names where the order was first
    assert "神秘状态" in why[8]
    assert [o.external_id for o in SalesOrder.select()] == ["3990000000000000001"]
    assert SalesOrderLine.select().count() == 1


def test_files_that_are_not_exports(online, tmp_path) -> None:
    boss = online["owner"]
    order_file, _items = write_taobao(tmp_path, FIRST)
    cut = tmp_path / "cut.csv"
    data = order_file.read_bytes()
    cut.write_bytes(data[:data.index("长宁".encode("gbk")) + 1])  # mid-character
    with pytest.raises(ValidationError, match="cut off"):
        taobao(boss, cut)
    short = tmp_path / "short.csv"
    short.write_bytes(data[:data.rindex("测试店".encode("gbk")) - 10])  # mid-row
    report = taobao(boss, short)
    assert report.rejected and "cut off" in report.rejected[-1][1]
    assert report.created == len(FIRST) - 1  # the whole rows before it
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(data.decode("gbk").encode("utf-16"))
    with pytest.raises(ValidationError, match="UTF-16"):
        taobao(boss, utf16)
    other = tmp_path / "other.csv"
    other.write_text("名称,价格\n可乐,3.50\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="not the expected file") as err:
        taobao(boss, other)
    # named as the seller centre names them, not by the importer's own keys
    assert "订单编号" in str(err.value) and "订单状态/交易状态" in str(err.value)
    assert "价格" not in str(err.value)  # a foreign file is not echoed (issue 15.8)


def test_utf8_with_bom_and_orders_without_an_item_report(online, tmp_path) -> None:
    only = [TbOrder("4990000000000000001", items=[TbItem("", "可口可乐 330ml", "3.50", "4")],
                    postage="6.00")]
    order_file, _items = write_taobao(tmp_path, only, encoding="utf-8-sig")
    report = taobao(online["owner"], order_file)
    assert report.created == 1 and len(report.held) == 1  # no 商家编码: nothing to map by
    line = SalesOrderLine.get()
    assert (line.title, line.qty, line.unit_price) == ("可口可乐 330ml", D(4), D("3.50"))


def test_shopify_orders_export(online, tmp_path) -> None:
    rows = (shopify_rows("#1001", [("COKE", "Coke", "3.50", "2"), ("TEA", "Tea", "4.00", "1")])
            + shopify_rows("#1002", [("TEA", "Tea", "4.00", "3")], financial="refunded",
                           cancelled="2026-11-30 12:00:00 +0800")
            + shopify_rows("#1003", [("COKE", "Coke", "3.50", "1"), ("TEA", "Tea", "x", "1")])
            + shopify_rows("#1004", [("COKE", "Coke", "3.50", "1")], fulfillment="fulfilled"))
    path = write_shopify(tmp_path / "orders_export.csv", rows)
    batch = connectors.connector("shopify", orders=path).fetch()
    report = base.upsert(online["owner"], "shopify", batch.orders,
                         report=base.ImportReport("shopify", rejected=batch.rejected))
    assert report.created == 3 and [r for r, _w in report.rejected] == [6]
    by_id = {o.external_id: o for o in SalesOrder.select()}
    assert {k: o.status for k, o in by_id.items()} == {
        "#1001": "confirmed", "#1002": "cancelled", "#1004": "shipped"}
    assert by_id["#1001"].total == D("11.00") and by_id["#1001"].shipping == D("10.00")
    assert orders.recipient_of(by_id["#1001"]).address.startswith("1 Some Road")
    assert available("COKE") == (D(2), D(47))


def test_shipments_out_and_tracking_numbers_in(online, tmp_path) -> None:
    boss, keeper = online["owner"], online["warehouse"]
    taobao(boss, *write_taobao(tmp_path, FIRST[:2]))
    phone = orders.create(boss, [orders.LineInput("TEA", "2")], confirm=True,
                          recipient=orders.Recipient("王五", "13700000000", "杭州市西湖区"))
    with pytest.raises(PermissionDenied):
        logistics.ready_to_ship(keeper)
    rows = logistics.ready_to_ship(boss)
    assert [(r.order_ref, r.phone, r.items) for r in rows] == [
        ("1990000000000000001", "13800138000", "可口可乐 330ml 颜色分类:默认×6"),
        (phone.number, "13700000000", "绿茶×2")]
    assert audit.events(kind="export_customer_data")[-1].user_id == boss.id
    out = logistics.write_shipments(rows, tmp_path / "ship.csv", encoding="gbk")
    text = out.read_bytes().decode("gbk")
    assert text.splitlines()[0] == "订单号,收件人,电话,地址,物品,数量,备注"
    assert '"=""1990000000000000001"""' in text and "13700000000" in text

    back = tmp_path / "tracking.csv"
    back.write_text("订单号,物流公司,运单号\n"
                    '="1990000000000000001",中通快递,ZT300\n'
                    f"{phone.number},顺丰速运,SF400\n"
                    "1990000000000000002,中通快递,ZT301\n"  # closed: cannot ship
                    "NOPE,中通快递,ZT302\n"
                    f"{phone.number},顺丰速运,\n", encoding="utf-8-sig")
    report = logistics.import_tracking(keeper, back)
    assert len(report.shipped) == 2
    assert [row for row, _w in report.rejected] == [4, 5, 6]
    assert "cancelled" in report.rejected[0][1] and "NOPE" in report.rejected[1][1]
    shipped = SalesOrder.get(SalesOrder.external_id == "1990000000000000001")
    assert (shipped.status, shipped.carrier, shipped.tracking_no) == ("shipped", "中通快递",
                                                                     "ZT300")
    assert available("COKE") == (0, D(44)) and available("TEA") == (0, D(18))
    again = logistics.import_tracking(keeper, back)
    assert again.shipped == [] and again.unchanged == 2
    assert logistics.ready_to_ship(boss) == []
    check_stock_invariants()
    assert SalesOrder.select(fn.COUNT(SalesOrder.id)).where(
        SalesOrder.status == "shipped").scalar() == 2
