"""The stockroom on both engines: moving-average cost, receiving, transfers, counts, alerts,
the negative-stock policy, and the invariants after each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.books import ledger
from store.buying import purchasing, receiving
from store.buying.purchasing import OrderLineInput
from store.core.errors import AuthError, NotFound, PermissionDenied, StoreError, ValidationError
from store.models import (
    GoodsReceipt,
    JournalEntry,
    Product,
    PurchaseOrder,
    StockLevel,
    StockMove,
    StockValue,
    UnknownBarcode,
    Warehouse,
)
from store.security import approvals
from store.stock import costing, counts, inventory, scans, transfers
from tests.store.stock_helpers import check_stock_invariants, sell, stock_shop

D = Decimal


@pytest.fixture
def users(shop):
    return stock_shop()


def pid(sku: str) -> int:
    return Product.get(Product.sku == sku).id


def wid(code: str) -> int:
    return Warehouse.get(Warehouse.code == code).id


def value_of(sku: str) -> StockValue:
    return StockValue.get(StockValue.product == pid(sku))


def level(sku: str, wh: str) -> Decimal:
    row = StockLevel.get_or_none((StockLevel.product == pid(sku))
                                 & (StockLevel.warehouse == wid(wh)))
    return row.on_hand if row else D(0)


def receive(user, wh: str, *items: tuple[str, str, str]) -> receiving.ReceiptView:
    """Receive without an order: (code, qty, unit cost) each."""
    r = receiving.start(user, wh, supplier_code="S1")
    for code, qty, cost in items:
        line = receiving.scan(user, r.number, code, qty)
        receiving.set_line(user, r.number, line.sku, line.qty, cost)
    return receiving.post(user, r.number)


# --- moving-average cost ---------------------------------------------------------------

def test_receipts_average_the_cost_and_issues_take_their_share(users) -> None:
    boss = users["supervisor"]
    assert value_of("COKE").value == D("20.00")  # opening: 10 at 2.00, posted against capital
    assert ledger.balance(ledger.CAPITAL) == D("-20.00")
    receive(boss, "WH", ("COKE", "20", "2.30"))  # 10 × 2.00 + 20 × 2.30 = 66.00 for 30
    v = value_of("COKE")
    assert (v.qty, v.value, v.unit_cost) == (D(30), D("66.00"), D("2.2000"))
    assert Product.get_by_id(pid("COKE")).cost == D("2.2000")  # the catalog follows
    receive(boss, "WH", ("COKE", "3", "2.35"))  # 73.05 for 33: 2.21363…
    assert value_of("COKE").unit_cost == D("2.2136")
    # (sold at the shop floor's till: one average per product, whichever warehouse)
    assert sell(users["cashier"], "COKE", 1) == D("2.21")  # 73.05 / 33, to the cent
    assert sell(users["cashier"], "COKE", 32) == D("70.84")  # the last take what is left
    assert (value_of("COKE").qty, value_of("COKE").value) == (D(0), D(0))
    check_stock_invariants()


def test_selling_below_zero_never_makes_a_negative_or_absurd_average(users) -> None:
    cashier, boss = users["cashier"], users["supervisor"]
    cost = sell(cashier, "TEA", 2)  # none on hand in STORE: sold at the last cost, 2.50
    assert cost == D("5.00") and level("TEA", "STORE") == D(-2)
    v = value_of("TEA")
    assert (v.qty, v.value, v.unit_cost) == (D(-2), D("-5.00"), D("2.5000"))
    cogs_before = ledger.balance(ledger.COGS)
    receive(boss, "STORE", ("TEA", "10", "3.10"))
    # The two sold units are re-priced at 3.10: COGS +1.20, and the 8 left are worth 24.80.
    v = value_of("TEA")
    assert (v.qty, v.value, v.unit_cost) == (D(8), D("24.80"), D("3.1000"))
    assert ledger.balance(ledger.COGS) - cogs_before == D("1.20")
    # Selling past zero again, then a cheap receipt that does not cover it all.
    sell(cashier, "TEA", 10)
    receive(boss, "STORE", ("TEA", "1", "0.50"))
    v = value_of("TEA")
    assert v.qty == D(-1) and v.unit_cost == D("0.5000") and v.value == D("-0.50")
    receive(boss, "STORE", ("TEA", "1", "0"))  # a free sample covers the last one
    v = value_of("TEA")
    assert (v.qty, v.value, v.unit_cost) == (D(0), D(0), D(0))
    check_stock_invariants()


def test_a_return_comes_back_at_the_cost_it_left_at(users) -> None:
    from store.selling import returns, sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    cashier, boss = users["cashier"], users["supervisor"]
    receive(boss, "STORE", ("COKE", "10", "2.00"))
    sell(cashier, "COKE", 4)
    receive(boss, "STORE", ("COKE", "6", "3.00"))  # 16 left at 2.00 + 6 at 3.00 = 50.00
    r = Basket()
    receipt = returns.returnable("T1-000001")
    returns.add_return(r, receipt, receipt.lines[0].line_id, D(1))
    sales.post_sale(r, [PaymentInput("CASH", D("-3.50"))], terminal="T1",
                    cashier_id=boss.id)  # a supervisor: a cashier's refund needs approval
    assert value_of("COKE").value == D("50.00") + D("2.00")  # back at 2.00, not at 2.27
    check_stock_invariants()


# --- receiving ------------------------------------------------------------------------

def test_receiving_without_an_order_needs_the_permission(users) -> None:
    with pytest.raises(PermissionDenied):
        receiving.start(users["warehouse"], "WH")
    with pytest.raises(PermissionDenied):
        receiving.start(users["cashier"], "WH")
    r = receiving.start(users["supervisor"], "WH", supplier_code="S1")
    assert r.number == "GR-000001" and r.status == "draft"
    # The keeper, with a supervisor's approval: granted once, spent once.
    grant = approvals.grant("receive_without_order", username="supervisor", secret="1357",
                            requested_by=users["warehouse"], reason="supplier came early")
    r2 = receiving.start(users["warehouse"], "WH", approval_id=grant.id)
    assert r2.number == "GR-000002"
    with pytest.raises(AuthError, match="already used"):
        receiving.start(users["warehouse"], "WH", approval_id=grant.id)


def test_scanning_adds_up_and_a_case_counts_its_pack(users) -> None:
    boss = users["supervisor"]
    r = receiving.start(boss, "WH")
    receiving.scan(boss, r.number, "6901234567892")
    receiving.scan(boss, r.number, "6901234567892", "2")
    line = receiving.scan(boss, r.number, "16901234567899")  # a case of 12
    assert line.qty == D(15) and line.unit_cost == D("2.0000") and line.state == "extra"
    with pytest.raises(scans.UnknownCode) as err:
        receiving.scan(boss, r.number, "999")
    receiving.note_unknown(boss, err.value.code, "receiving", r.number)
    assert [u.code for u in UnknownBarcode.select()] == ["999"]
    for bad in ("0", "-1", "abc"):
        with pytest.raises(ValidationError, match="qty"):
            receiving.scan(boss, r.number, "6901234567892", bad)
    with pytest.raises(ValidationError, match="negative"):
        receiving.set_line(boss, r.number, "COKE", "-3")
    with pytest.raises(ValidationError, match="unit_cost"):
        receiving.set_line(boss, r.number, "COKE", "15", "-1")
    done = receiving.post(boss, r.number)
    assert done.status == "posted" and level("COKE", "WH") == D(25)
    entry = JournalEntry.get(JournalEntry.reference == r.number)
    assert entry is not None
    assert ledger.balance(ledger.GRNI) == D("-30.00")
    with pytest.raises(StoreError, match="already posted"):
        receiving.post(boss, r.number)  # a second confirm moves nothing
    with pytest.raises(StoreError, match="already posted"):
        receiving.scan(boss, r.number, "6901234567892")
    assert level("COKE", "WH") == D(25)
    check_stock_invariants()


def test_an_empty_receipt_is_refused_and_nothing_is_written(users) -> None:
    boss = users["supervisor"]
    r = receiving.start(boss, "WH")
    with pytest.raises(ValidationError, match="nothing on it"):
        receiving.post(boss, r.number)
    assert GoodsReceipt.get(GoodsReceipt.number == r.number).status == "draft"
    with pytest.raises(NotFound):
        receiving.start(boss, "NOWHERE")


def test_receiving_against_an_order_partially_then_fully(users) -> None:
    boss, keeper = users["supervisor"], users["warehouse"]
    with pytest.raises(PermissionDenied):
        purchasing.create_order(keeper, "S1", "WH", [OrderLineInput("COKE", "24", "2.20")])
    order = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "24", "2.20"),
                                                       OrderLineInput("TEA", "10", "2.40")])
    assert order.number == "PO-000001" and order.status == "ordered"
    r = receiving.start(keeper, order_number=order.number)  # warehouse staff may, with an order
    assert r.warehouse_code == "WH" and [ln.state for ln in r.lines] == ["short", "short"]
    receiving.scan(keeper, r.number, "16901234567899")  # 12 of the 24
    receiving.scan(keeper, r.number, "6901234567908", "11")  # one more than ordered
    view = receiving.view(r.number)
    states = {ln.sku: (ln.qty, ln.state) for ln in view.lines}
    assert states == {"COKE": (D(12), "short"), "TEA": (D(11), "over")}
    receiving.post(keeper, r.number)
    assert PurchaseOrder.get(PurchaseOrder.number == order.number).status == "partial"
    assert purchasing.get_order(order.number).lines[0].received == D(12)
    r2 = receiving.start(keeper, order_number=order.number)
    receiving.scan(keeper, r2.number, "16901234567899")
    receiving.post(keeper, r2.number)
    assert PurchaseOrder.get(PurchaseOrder.number == order.number).status == "received"
    with pytest.raises(StoreError, match="nothing is expected"):
        receiving.start(keeper, order_number=order.number)
    # 10 opening at 2.00 + 24 at 2.20 = 72.80 for 34
    assert value_of("COKE").value == D("72.80")
    check_stock_invariants()


# --- transfers ------------------------------------------------------------------------

def test_a_one_step_transfer_moves_stock_but_not_value(users) -> None:
    keeper = users["warehouse"]
    t = transfers.start(keeper, "WH", "STORE")
    transfers.scan(keeper, t.number, "6901234567892", "4")
    before = ledger.balance(ledger.INVENTORY)
    done = transfers.post(keeper, t.number)
    assert done.status == "done" and (level("COKE", "WH"), level("COKE", "STORE")) == (D(6), D(4))
    assert ledger.balance(ledger.INVENTORY) == before
    moves = StockMove.select().where(StockMove.reference == t.number).order_by(StockMove.id)
    assert [(m.qty, m.value) for m in moves] == [(D(-4), D("-8.00")), (D(4), D("8.00"))]
    with pytest.raises(StoreError, match="is done"):
        transfers.post(keeper, t.number)
    check_stock_invariants()


def test_a_two_step_transfer_goes_through_transit(users) -> None:
    keeper = users["warehouse"]
    t = transfers.start(keeper, "WH", "STORE", two_step=True)
    transfers.scan(keeper, t.number, "COKE", "3")
    assert transfers.post(keeper, t.number).status == "in_transit"
    assert (level("COKE", "WH"), level("COKE", "TRANSIT"), level("COKE", "STORE")) == (
        D(7), D(3), D(0))
    assert [x.number for x in transfers.in_transit()] == [t.number]
    assert transfers.receive(keeper, t.number).status == "done"
    assert (level("COKE", "TRANSIT"), level("COKE", "STORE")) == (D(0), D(3))
    check_stock_invariants()


def test_bad_transfers_are_refused_and_nothing_is_half_written(users) -> None:
    keeper = users["warehouse"]
    with pytest.raises(ValidationError, match="two different warehouses"):
        transfers.start(keeper, "WH", "WH")
    with pytest.raises(PermissionDenied):
        transfers.start(users["cashier"], "WH", "STORE")
    t = transfers.start(keeper, "WH", "STORE")
    transfers.scan(keeper, t.number, "COKE", "5")
    transfers.scan(keeper, t.number, "TEA", "1")  # WH has no tea
    with pytest.raises(costing.InsufficientStock, match="TEA"):
        transfers.post(keeper, t.number)
    assert level("COKE", "WH") == D(10) and transfers.view(t.number).status == "draft"
    check_stock_invariants()


# --- the negative-stock policy ----------------------------------------------------------

def test_the_till_sells_below_zero_only_where_the_warehouse_allows(users) -> None:
    from store.shops import org

    cashier = users["cashier"]
    sell(cashier, "TEA", 1)  # STORE allows it: the goods are in the customer's hand
    assert level("TEA", "STORE") == D(-1)
    org.create_terminal("T9", "仓库收银", "WH")  # a till selling from WH, which does not
    with pytest.raises(costing.InsufficientStock, match="TEA"):
        sell(cashier, "TEA", 1, terminal="T9")
    sell(cashier, "COKE", 10, terminal="T9")
    with pytest.raises(costing.InsufficientStock, match=r": 0 on hand, 1 needed"):
        sell(cashier, "COKE", 1, terminal="T9")
    check_stock_invariants()


# --- counts ---------------------------------------------------------------------------

def test_a_blind_count_with_two_counters_and_a_sale_in_the_middle(users) -> None:
    from store.shops import org

    keeper, boss, cashier = users["warehouse"], users["supervisor"], users["cashier"]
    org.create_terminal("T9", "仓库收银", "WH")
    c = counts.start(keeper, "WH")
    counts.scan(keeper, c.number, "6901234567892", "4")  # book: 10 when first scanned
    counts.scan(boss, c.number, "6901234567892", "4")  # a second counter, other shelf
    assert counts.counted(c.number)[0].counted == D(8)  # blind: no expected quantity
    sell(cashier, "COKE", 3, terminal="T9")  # sold after the count: book now 7
    review = {v.sku: v for v in counts.review(boss, c.number)}
    assert (review["COKE"].expected, review["COKE"].counted, review["COKE"].variance) == (
        D(10), D(8), D(-2))
    assert review["COKE"].value == D("-4.00")
    with pytest.raises(PermissionDenied):
        counts.review(keeper, c.number)  # counters never see the book
    with pytest.raises(PermissionDenied):
        counts.post(keeper, c.number)
    counts.post(boss, c.number)
    assert level("COKE", "WH") == D(5)  # 7 − 2: the sale is not a variance
    assert ledger.balance(ledger.INVENTORY_PENDING) == D("4.00")
    with pytest.raises(StoreError, match="is posted"):
        counts.post(boss, c.number)
    with pytest.raises(StoreError, match="is posted"):
        counts.scan(keeper, c.number, "COKE")
    check_stock_invariants()


def test_recount_scope_and_uncounted_products(users) -> None:
    keeper, boss = users["warehouse"], users["supervisor"]
    inventory.post_opening_stock("TEA", "WH", "6")
    c = counts.start(keeper, "WH", category_code="DRINK")  # COKE is a drink, TEA is not
    with pytest.raises(ValidationError, match="not part of count"):
        counts.scan(keeper, c.number, "6901234567908")
    with pytest.raises(scans.UnknownCode):
        counts.scan(keeper, c.number, "000")
    counts.scan(keeper, c.number, "COKE", "30")  # a slip of the finger
    counts.recount(keeper, c.number, "COKE", "12")
    assert counts.counted(c.number)[0].counted == D(12)
    counts.post(boss, c.number)
    assert level("COKE", "WH") == D(12) and level("TEA", "WH") == D(6)  # gain of 2 at 2.00
    assert ledger.balance(ledger.INVENTORY_PENDING) == D("-4.00")

    whole = counts.start(keeper, "WH")
    counts.scan(keeper, whole.number, "COKE", "12")
    uncounted = [v for v in counts.review(boss, whole.number) if v.counted is None]
    assert [(v.sku, v.expected) for v in uncounted] == [("TEA", D(6))]
    counts.post(boss, whole.number, zero_uncounted=True)
    assert level("TEA", "WH") == D(0)
    check_stock_invariants()


def test_a_count_posting_never_takes_stock_below_zero(users) -> None:
    from store.shops import org

    keeper, boss, cashier = users["warehouse"], users["supervisor"], users["cashier"]
    org.create_terminal("T9", "仓库收银", "WH")
    c = counts.start(keeper, "WH", skus=["COKE"])
    counts.scan(keeper, c.number, "COKE", "1")  # book 10, counted 1: −9
    sell(cashier, "COKE", 5, terminal="T9")  # book 5: −9 would leave −4
    with pytest.raises(StoreError, match="below zero"):
        counts.post(boss, c.number)
    assert counts.info(c.number).status == "open" and level("COKE", "WH") == D(5)
    counts.recount(keeper, c.number, "COKE", "1")
    counts.post(boss, c.number)
    assert level("COKE", "WH") == D(1)
    check_stock_invariants()


# --- what staff see: stock, moves, alerts -----------------------------------------------

def test_stock_moves_and_alerts(users) -> None:
    boss, cashier = users["supervisor"], users["cashier"]
    inventory.set_reorder_rule("COKE", "WH", "12", "48")
    inventory.set_reorder_rule("TEA", "WH", "0", "10")
    sell(cashier, "TEA", 2)  # STORE goes to −2: an alert with no rule
    rows = inventory.alerts()
    assert [(a.sku, a.warehouse, a.kind, a.suggested) for a in rows] == [
        ("TEA", "STORE", "negative", D(2)), ("COKE", "WH", "low", D(38))]
    assert inventory.alert_count() == 2 and inventory.alert_count("WH") == 1
    receive(boss, "WH", ("COKE", "5", "2.00"))
    stock = inventory.stock(warehouse_code="WH")
    assert [(s.sku, s.on_hand, s.available) for s in stock] == [("COKE", D(15), D(15))]
    total = {s.sku: s.on_hand for s in inventory.stock()}
    assert total == {"COKE": D(15), "TEA": D(-2)}
    history = inventory.moves("COKE")
    assert [(m.reason, m.qty, m.balance) for m in history] == [
        ("receipt", D(5), D(15)), ("opening", D(10), D(10))]
    assert history[0].user == "supervisor" and history[0].reference.startswith("GR-")
