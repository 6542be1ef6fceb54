"""Sales orders on both engines: a trade customer's quote at their price list, confirmed
(stock reserved), picked, shipped in two parts, invoiced and paid; cancelled orders release
their reservation; the recipient's phone and address are sealed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.books import ledger
from store.common import clock
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.customers import orders, parties, receivables
from store.customers.orders import LineInput, Recipient
from store.models import SalesOrder
from store.pricing import price_lists
from store.reporting import reports
from store.security import auth
from store.stock import inventory
from tests.store.stock_helpers import check_stock_invariants, stock_shop
from tests.store.test_ledger import check_days_equal_the_journal

D = Decimal


@pytest.fixture
def trade(shop):
    users = stock_shop()
    parties.create_price_list(users["owner"], "TRADE", "批发价", "Trade")
    price_lists.set_product_price(users["owner"], "TRADE", "COKE", "3.00")
    parties.create_customer_group("TRADE", "批发客户", "Trade", "TRADE")
    parties.create_customer("W1", "张记小卖部", group="TRADE", credit_limit=D("1000"))
    from store.stock import inventory as inv

    inv.post_opening_stock("COKE", "STORE", "50")
    users["accountant"] = auth.create_user("kuaiji", "accountant", pin="3690")
    return users


def available(sku: str, wh: str = "STORE") -> tuple[Decimal, Decimal]:
    row = inventory.stock(warehouse_code=wh, sku=sku)[0]
    return row.reserved, row.available


def test_an_order_from_quote_to_paid(trade) -> None:
    boss = trade["supervisor"]
    quote = orders.create(boss, [LineInput("COKE", "24"), LineInput("TEA", "2", "3.80")],
                          customer_code="W1", recipient=Recipient("张三", "13800138000",
                                                                  "上海市长宁区某路1号"))
    assert quote.status == "quote" and quote.total == D("79.60")  # 24 × 3.00 (trade) + 7.60
    assert available("COKE") == (0, D(50))  # a quote reserves nothing
    orders.confirm(boss, quote.number)
    assert available("COKE") == (D(24), D(26))
    orders.pick(trade["warehouse"], quote.number)
    with pytest.raises(ValidationError, match="only 24"):
        orders.ship(trade["warehouse"], quote.number, quantities={"COKE": "30"})
    part = orders.ship(trade["warehouse"], quote.number, carrier="顺丰",
                       tracking_no="SF1234567890", quantities={"COKE": "10"})
    assert part.status == "partial" and available("COKE") == (D(14), D(26))
    with pytest.raises(StoreError, match="invoice it once it has shipped"):
        orders.invoice(boss, quote.number)
    done = orders.ship(trade["warehouse"], quote.number)
    assert done.status == "shipped" and available("COKE") == (0, D(26))
    assert [ln.shipped for ln in done.lines] == [D(24), D(2)]
    till = reports.daily(clock.local_today())
    assert till.orders_invoiced == []
    invoiced = orders.invoice(boss, quote.number)
    assert invoiced.status == "invoiced" and ledger.balance(ledger.AR) == D("79.60")
    # The daily report names the invoiced order by channel, apart from the till's receipts
    after = reports.daily(clock.local_today())
    assert after.orders_invoiced == [reports.Share("phone", "Phone", 1, D("79.60"))]
    assert (after.sales, after.figures) == (till.sales, till.figures)
    from store.reporting import export

    today = clock.local_today()
    table = export.daily_table(export.Params(today, today))  # the screen's and the files'
    assert table.rows[-1] == ["Sales orders invoiced", "Phone", 1, D("79.60")]
    customer = SalesOrder.get(SalesOrder.number == quote.number).customer_id
    assert receivables.balance(customer) == D("79.60")
    receivables.receive_payment(trade["accountant"], "W1", "79.60", account="1002",
                                sales=[quote.number])
    final = orders.view(quote.number)
    assert final.status == "paid" and final.paid == D("79.60")
    assert [e.status for e in final.events] == ["quote", "confirmed", "picked", "partial",
                                                "shipped", "invoiced", "paid"]
    assert final.carrier == "顺丰" and final.tracking_no == "SF1234567890"
    check_stock_invariants()
    check_days_equal_the_journal()


def test_cancelling_releases_the_reservation_and_needs_a_reason(trade) -> None:
    boss = trade["supervisor"]
    o = orders.create(boss, [LineInput("COKE", "5")], customer_code="W1", confirm=True)
    assert available("COKE") == (D(5), D(45))
    with pytest.raises(ValidationError, match="reason"):
        orders.cancel(boss, o.number, " ")
    with pytest.raises(PermissionDenied):
        orders.cancel(trade["cashier"], o.number, "changed mind")
    orders.cancel(boss, o.number, "customer changed mind")
    assert available("COKE") == (0, D(50))
    with pytest.raises(StoreError, match="cannot become"):
        orders.confirm(boss, o.number)
    shipped = orders.create(boss, [LineInput("COKE", "1")], confirm=True)
    orders.ship(trade["warehouse"], shipped.number)
    with pytest.raises(StoreError, match="cannot become"):
        orders.cancel(boss, shipped.number, "too late")


def test_the_recipient_is_sealed(trade, db_url, engine) -> None:
    o = orders.create(trade["supervisor"], [LineInput("COKE", "1")],
                      recipient=Recipient("李四", "13912345678", "北京市朝阳区某街2号"))
    row = SalesOrder.get(SalesOrder.number == o.number)
    assert "13912345678" not in row.recipient_enc and "朝阳" not in row.recipient_enc
    assert orders.recipient_of(row) == Recipient("李四", "13912345678", "北京市朝阳区某街2号")
    with pytest.raises(ValidationError, match="at least one line"):
        orders.create(trade["supervisor"], [])
    with pytest.raises(ValidationError, match="NOPE"):
        orders.create(trade["supervisor"], [LineInput("NOPE", "1")])
