"""Purchasing and payables on both engines: the order's life from draft to closed, reorder
suggestions, bills matched to receipts (price differences to stock and cost of goods),
payments and prepayments, aging and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store.books import ledger
from store.buying import payables, purchasing, receiving, reorder, suppliers
from store.buying.payables import BillLineInput
from store.buying.purchasing import OrderLineInput
from store.common import clock
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.customers import parties
from store.models import JournalEntry, Product, StockValue, SupplierBill, SupplierPayment
from store.stock import inventory
from tests.store.stock_helpers import check_stock_invariants, sell
from tests.store.test_ledger import check_days_equal_the_journal

D = Decimal


def receive_order(user, number: str, *items: tuple[str, str]) -> receiving.ReceiptView:
    return receiving.receive_order(user, number, dict(items))


def test_an_order_from_draft_to_closed(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    suppliers.set_product(boss, "S1", "COKE", supplier_sku="KO-330", price="1.80",
                          preferred=True)
    draft = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "24")], send=False)
    assert draft.status == "draft" and draft.lines[0].unit_cost == D("1.8000")  # last price
    purchasing.set_line(boss, draft.number, "TEA", "10", "2.40")  # added to the draft
    purchasing.set_line(boss, draft.number, "COKE", "48")
    with pytest.raises(StoreError, match="nothing is expected"):
        receiving.start(users["warehouse"], order_number=draft.number)  # not sent yet
    order = purchasing.send_order(boss, draft.number)
    assert order.status == "ordered" and order.total == D("110.40")
    with pytest.raises(StoreError, match="cannot be changed"):
        purchasing.set_line(boss, order.number, "COKE", "1")
    receive_order(users["warehouse"], order.number, ("COKE", "48"), ("TEA", "4"))
    assert purchasing.get_order(order.number).status == "partial"
    with pytest.raises(StoreError, match="cannot be cancelled"):
        purchasing.cancel_order(boss, order.number, "changed my mind")
    closed = purchasing.short_close(boss, order.number, "no more tea this season")
    assert closed.status == "received"
    # The supplier bills what arrived: both lines, at the order's prices.
    open_lines = payables.unbilled("S1")
    assert [(u.sku, u.qty, u.order) for u in open_lines] == [("COKE", D(48), order.number),
                                                             ("TEA", D(4), order.number)]
    bill = payables.post_bill(accountant, "S1", "INV-001",
                              [BillLineInput(u.receipt_line_id) for u in open_lines],
                              tax="12.40")
    assert bill.net == D("96.00") and bill.total == D("108.40")
    assert bill.due_date == bill.bill_date + dt.timedelta(days=30)
    assert purchasing.get_order(order.number).status == "billed"
    assert ledger.balance(ledger.GRNI) == 0 and ledger.balance(ledger.AP) == D("-108.40")
    payables.pay(accountant, "S1", "108.40")
    assert purchasing.get_order(order.number).status == "closed"
    assert payables.bill_view(bill.number).status == "paid"
    assert ledger.balance(ledger.AP) == 0 and ledger.balance(ledger.BANK) == D("-108.40")
    match = {m.sku: m for m in purchasing.match(order.number)}
    assert match["TEA"].qty_difference == D(-6) and match["COKE"].price_difference == 0
    check_stock_invariants()
    check_days_equal_the_journal()


def test_an_order_received_in_one_step(users) -> None:
    """`zhanggui purchase receive`: what is still expected, or the quantities given, with the
    checks of a scanned receipt; a refusal leaves no draft behind."""
    boss, keeper = users["supervisor"], users["warehouse"]
    coke = Product.get(Product.sku == "COKE").id
    before = inventory.on_hand(coke)
    order = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "24", "1.80"),
                                                       OrderLineInput("TEA", "10", "2.40")])
    first = receiving.receive_order(keeper, order.number, {"COKE": "20"})
    assert [(ln.sku, ln.qty) for ln in first.lines] == [("COKE", D(20))]
    with pytest.raises(PermissionDenied, match="COKE: 40 received against 24 ordered"):
        receiving.receive_order(keeper, order.number, {"COKE": "20"})
    assert receiving.drafts() == []  # the refused receipt was not left half-made
    rest = receiving.receive_order(keeper, order.number)  # all that is still expected
    assert {(ln.sku, ln.qty) for ln in rest.lines} == {("COKE", D(4)), ("TEA", D(10))}
    assert purchasing.get_order(order.number).status == "received"
    assert inventory.on_hand(coke) == before + 24
    with pytest.raises(StoreError, match="nothing is expected"):
        receiving.receive_order(keeper, order.number)
    check_stock_invariants()


def test_cancelling_an_order_needs_a_reason_and_nothing_received(users) -> None:
    boss = users["supervisor"]
    order = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "5", "2")])
    with pytest.raises(ValidationError, match="reason"):
        purchasing.cancel_order(boss, order.number, "  ")
    with pytest.raises(PermissionDenied):
        purchasing.cancel_order(users["cashier"], order.number, "x")
    purchasing.cancel_order(boss, order.number, "supplier out of stock")
    assert purchasing.get_order(order.number).status == "cancelled"
    with pytest.raises(StoreError):
        receiving.start(boss, order_number=order.number)


def test_a_price_difference_goes_to_stock_and_to_what_was_sold(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    order = purchasing.create_order(boss, "S1", "STORE", [OrderLineInput("TEA", "10", "2.00")])
    receive_order(boss, order.number, ("TEA", "10"))
    sell(users["cashier"], "TEA", 4)  # 4 of the 10 are gone
    cogs_before = ledger.balance(ledger.COGS)
    line = payables.unbilled("S1")[0]
    bill = payables.post_bill(accountant, "S1", "INV-7",
                              [BillLineInput(line.receipt_line_id, "10", "2.10")])
    assert bill.lines[0].price_difference == D("1.00")
    # 6 units on hand take 0.60; the 4 sold take 0.40 into cost of goods sold.
    assert ledger.balance(ledger.COGS) - cogs_before == D("0.40")
    tea = StockValue.select().join(Product).where(Product.sku == "TEA").get()
    assert tea.qty == D(6) and tea.value == D("12.60")  # 6 × 2.10: the bill's price now
    assert ledger.balance(ledger.GRNI) == 0
    assert inventory.moves("TEA")[0].reason == "revaluation"
    assert purchasing.match(order.number)[0].price_difference == D("1.00")
    check_stock_invariants()
    check_days_equal_the_journal()


def test_bad_bills_are_refused_and_nothing_is_written(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    order = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "10", "2")])
    receive_order(boss, order.number, ("COKE", "6"))
    line = payables.unbilled("S1")[0]
    entries = JournalEntry.select().count()
    with pytest.raises(ValidationError, match="only 6"):
        payables.post_bill(accountant, "S1", "A1", [BillLineInput(line.receipt_line_id, "7")])
    with pytest.raises(ValidationError, match="invoice number"):
        payables.post_bill(accountant, "S1", " ", [BillLineInput(line.receipt_line_id)])
    with pytest.raises(ValidationError, match="unknown account"):
        payables.post_bill(accountant, "S1", "A1", [BillLineInput(line.receipt_line_id),
                                                    BillLineInput(account="9999", amount="5")])
    with pytest.raises(PermissionDenied):
        payables.post_bill(users["warehouse"], "S1", "A1", [BillLineInput(line.receipt_line_id)])
    assert SupplierBill.select().count() == 0 and JournalEntry.select().count() == entries
    assert payables.unbilled("S1")[0].qty == D(6)
    payables.post_bill(accountant, "S1", "A1", [BillLineInput(line.receipt_line_id, "4")])
    with pytest.raises(ValidationError, match="already entered"):
        payables.post_bill(accountant, "S1", "A1", [BillLineInput(line.receipt_line_id, "2")])
    # The rest of the receipt line, on a second bill: 220201 clears to the cent.
    payables.post_bill(accountant, "S1", "A2", [BillLineInput(line.receipt_line_id, "2")])
    assert payables.unbilled("S1") == [] and ledger.balance(ledger.GRNI) == 0


def test_payments_prepayments_aging_and_the_statement(users) -> None:
    accountant = users["accountant"]
    day = clock.local_today()
    rent = payables.post_bill(accountant, "S1", "R-1", [
        BillLineInput(account="6602", amount="3000", description="房租")],
        bill_date=day - dt.timedelta(days=75), due_date=day - dt.timedelta(days=45))
    power = payables.post_bill(accountant, "S1", "E-1", [
        BillLineInput(account="6602", amount="500", description="电费")],
        bill_date=day - dt.timedelta(days=10))
    aging = payables.aging()
    assert len(aging) == 1 and aging[0].buckets == (D("500.00"), 0, D("3000.00"), 0, 0)
    with pytest.raises(ValidationError, match="prepayment"):
        payables.pay(accountant, "S1", "4000")
    with pytest.raises(ValidationError, match="account"):
        payables.pay(accountant, "S1", "10", account="6001")
    paid = payables.pay(accountant, "S1", "4000", prepayment=True, reference="网银 0001")
    assert paid.allocations == [(rent.number, D("3000.00")), (power.number, D("500.00"))]
    assert paid.unallocated == D("500.00") and ledger.balance(ledger.PREPAYMENTS) == D("500.00")
    assert payables.aging() == []
    # As of before the payment, the old bills were owed.
    assert payables.aging(day - dt.timedelta(days=1))[0].total == D("3500.00")
    later = payables.post_bill(accountant, "S1", "E-2", [
        BillLineInput(account="6602", amount="800")])
    assert payables.bill_view(later.number).paid == D("500.00")  # the prepayment, set against it
    assert ledger.balance(ledger.PREPAYMENTS) == 0
    assert SupplierPayment.get().unallocated == 0
    before, lines = payables.statement("S1")
    assert before == 0 and [ln.document for ln in lines] == [rent.number, power.number,
                                                              paid.number, later.number]
    assert lines[-1].balance == D("300.00")  # 3000 + 500 + 800 − 4000
    assert ledger.balance(ledger.AP) == D("-300.00")
    check_days_equal_the_journal()


def test_reorder_suggestions_become_draft_orders(users) -> None:
    boss = users["supervisor"]
    suppliers.set_product(boss, "S1", "COKE", price="1.90", pack_qty="12", lead_time_days=7,
                          preferred=True)
    inventory.set_reorder_rule("COKE", "WH", "20", "60")
    inventory.set_reorder_rule("TEA", "WH", "5", "10")  # no supplier sells tea yet
    # 10 on hand in WH; none sold there: projected 10 < 20, so order 50 → 5 packs of 12 = 60.
    got = {s.sku: s for s in reorder.suggestions()}
    assert got["COKE"].qty == D(60) and got["COKE"].supplier_code == "S1"
    assert got["COKE"].unit_cost == D("1.9000")
    assert got["TEA"].supplier_code == "" and got["TEA"].qty == D(10)
    drafts = reorder.draft_orders(boss, list(got.values()))
    assert [(d.supplier_code, d.status, [(ln.sku, ln.qty) for ln in d.lines]) for d in drafts] == [
        ("S1", "draft", [("COKE", D(60))])]
    # What is on order counts: no second suggestion for the same need.
    assert "COKE" not in {s.sku for s in reorder.suggestions()}


def test_daily_sales_and_lead_time_raise_the_suggestion(users) -> None:
    boss = users["supervisor"]
    from store.shops import org

    suppliers.set_product(boss, "S1", "TEA", price="2.50", lead_time_days=5, preferred=True)
    org.create_terminal("T9", "仓库收银", "WH")
    r = receiving.start(boss, "WH")
    receiving.set_line(boss, r.number, "TEA", "40", "2.50")
    receiving.post(boss, r.number)
    inventory.set_reorder_rule("TEA", "WH", "10", "30")
    assert reorder.suggestions() == []  # 40 on hand, nothing sold
    sell(users["cashier"], "TEA", 28, terminal="T9")  # 1 a day over 28 days
    s = reorder.suggestions()[0]
    assert s.daily_sales == D(1) and s.on_hand == D(12)
    # projected = 12 − 1 × 5 = 7 < 10: order 30 − 7 = 23.
    assert s.qty == D(23)


def test_an_order_exports_for_the_supplier(users) -> None:
    boss = users["supervisor"]
    suppliers.set_product(boss, "S1", "COKE", supplier_sku="KO-330")
    order = purchasing.create_order(boss, "S1", "WH", [OrderLineInput("COKE", "24", "1.75")])
    text = purchasing.export_order(order.number, "csv")
    assert text.startswith("\ufeff") and "KO-330" in text and "42.00" in text
    ticket = purchasing.export_order(order.number, "txt")
    assert all(len(line) <= 42 for line in ticket.splitlines() if line.isascii())
    assert "可口可乐" in ticket and "42.00" in ticket
    with pytest.raises(ValidationError):
        purchasing.export_order(order.number, "pdf")


def test_terms_and_what_a_supplier_sells_are_recorded(users) -> None:
    """`suppliers terms` and `suppliers set-product` (and the back office's What it sells)
    change what purchasing starts from: each change is in the audit chain."""
    from store.models import AuditEvent
    from store.security import audit

    boss = users["supervisor"]
    parties.change_supplier(boss, "S1", payment_days=45)
    with pytest.raises(ValidationError):  # nothing given: nothing written, nothing recorded
        parties.change_supplier(boss, "S1")
    suppliers.set_product(boss, "S1", "COKE", supplier_sku="KO-330", price="1.8250",
                          pack_qty="24", preferred=True)
    events = [(e.kind, e.reference) for e in AuditEvent.select().where(
        AuditEvent.kind.in_(["supplier_changed", "supplier_product_set"]))]
    assert events == [("supplier_changed", "S1"), ("supplier_product_set", "S1")]
    assert "18250" in AuditEvent.get(AuditEvent.kind == "supplier_product_set").payload
    assert audit.verify_chain()[1] is None
    with pytest.raises(PermissionDenied):
        parties.change_supplier(users["cashier"], "S1", payment_days=1)
