"""Returns to suppliers (退货, issue 19.6) on both engines: goods not billed yet clear 220201,
goods billed become a debit note set against the bills (or a refund), the order's received
quantity goes down, prices away from the average revalue the rest, and every refusal writes
nothing."""

from __future__ import annotations

import multiprocessing as mp
from decimal import Decimal
from typing import Any

import pytest

from store.books import ledger
from store.buying import payables, purchasing, receiving, supplier_returns
from store.buying.payables import BillLineInput
from store.buying.purchasing import OrderLineInput
from store.core.errors import NotFound, PermissionDenied, StoreError, ValidationError
from store.models import (
    JournalEntry,
    Product,
    StockMove,
    StockValue,
    SupplierPayment,
    SupplierReturn,
)
from store.stock import inventory, transfers
from tests.store.stock_helpers import check_stock_invariants, sell, stock_shop
from tests.store.test_ledger import check_days_equal_the_journal
from tests.store.test_ledger_properties import check_books

D = Decimal


def _received(boss, sku: str, qty: str, cost: str, warehouse: str = "WH"):
    order = purchasing.create_order(boss, "S1", warehouse, [OrderLineInput(sku, qty, cost)])
    receipt = receiving.receive_order(boss, order.number, {sku: qty})
    return order, receipt


def _bill_all(accountant, ref: str, price: str | None = None, tax: str = "0"):
    lines = [BillLineInput(u.receipt_line_id, None, price) for u in payables.unbilled("S1")]
    return payables.post_bill(accountant, "S1", ref, lines, tax=tax)


def _value(sku: str) -> StockValue:
    return StockValue.select().join(Product).where(Product.sku == sku).get()


def test_goods_not_billed_go_back_at_what_they_came_in_at(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    order, receipt = _received(boss, "TEA", "10", "2.50")
    assert [(r.sku, r.qty, r.not_billed) for r in supplier_returns.returnable(receipt.number)] \
        == [("TEA", D(10), D(10))]
    back = supplier_returns.post_return(boss, receipt.number, [("TEA", "3")],
                                        reason="包装破损")
    assert (back.value, back.grni, back.net, back.tax) == (D("7.50"), D("7.50"), 0, 0)
    assert back.refund_account == "" and back.applied == [] and back.waiting == 0
    assert inventory.on_hand(Product.get(Product.sku == "TEA").id) == D(7)
    assert ledger.balance(ledger.GRNI) == D("-17.50")  # 7 units still to be billed
    assert [u.qty for u in payables.unbilled("S1")] == [D(7)]
    # The order expects 3 again: a replacement, or short-close it.
    assert purchasing.get_order(order.number).lines[0].received == D(7)
    assert purchasing.get_order(order.number).status == "partial"
    assert SupplierPayment.select().count() == 0  # nothing billed: no debit note
    _bill_all(accountant, "INV-1")
    assert ledger.balance(ledger.GRNI) == 0  # cleared to the cent
    moves = [m for m in inventory.moves("TEA") if m.reference == back.number]
    assert [(m.qty, m.reason) for m in moves] == [(D(-3), "supplier_return")]
    check_books()


def test_billed_goods_become_a_debit_note_against_their_bill(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    order, receipt = _received(boss, "TEA", "10", "2.50")
    bill = _bill_all(accountant, "INV-2", price="2.20", tax="2.86")  # net 22.00, 13 %
    # The bill's lower price already took the stock's value to 2.20 a unit.
    assert _value("TEA").unit_cost == D("2.2000")
    back = supplier_returns.post_return(accountant, bill.number, [("6901234567908", "4")],
                                        reason="临期")  # by barcode
    assert back.document == bill.number and back.grni == 0
    assert (back.net, back.tax, back.credit) == (D("8.80"), D("1.14"), D("9.94"))
    assert back.applied == [(bill.number, D("9.94"))] and back.waiting == 0
    assert payables.bill_view(bill.number).open == D("24.86") - D("9.94")
    # The three-way match nets the goods and their credit out: 6 at 0.30 below the order.
    m = purchasing.match(order.number)[0]
    assert (m.received, m.billed, m.returned, m.billed_amount) == (6, 6, 4, D("13.20"))
    assert m.price_difference == D("-1.80")
    assert ledger.balance(ledger.AP) == D("-14.92")
    assert ledger.balance(ledger.VAT) == D("2.86") - D("1.14")
    _before, lines = payables.statement("S1")
    assert [(ln.document, ln.payment) for ln in lines][-1] == (back.number, D("9.94"))
    payables.pay(accountant, "S1", "14.92")
    assert payables.bill_view(bill.number).status == "paid"
    # Nothing more of that bill than is left can go back; the receipt says the same.
    with pytest.raises(ValidationError, match="only 6"):
        supplier_returns.post_return(accountant, receipt.number, [("TEA", "7")], reason="x")
    check_books()


def test_a_return_from_a_receipt_takes_unbilled_units_first_then_billed(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    _order, receipt = _received(boss, "TEA", "10", "2.00")
    line = payables.unbilled("S1")[0]
    bill = payables.post_bill(accountant, "S1", "INV-3",
                              [BillLineInput(line.receipt_line_id, "6", "2.00")])
    back = supplier_returns.post_return(boss, receipt.number, [("TEA", "5"), ("TEA", "3")],
                                        reason="质量问题")  # one product on two lines: 8
    assert [(ln.qty, ln.billed) for ln in back.lines] == [(D(4), False), (D(4), True)]
    assert (back.grni, back.net, back.credit) == (D("8.00"), D("8.00"), D("8.00"))
    assert payables.unbilled("S1") == []
    assert payables.bill_view(bill.number).open == D("4.00")
    assert ledger.balance(ledger.GRNI) == 0
    check_books()


def test_a_debit_note_beyond_what_is_owed_waits_for_the_next_bill(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    _received(boss, "TEA", "10", "3.00")
    bill = _bill_all(accountant, "INV-4")
    payables.pay(accountant, "S1", "30.00")
    back = supplier_returns.post_return(accountant, bill.number, [("TEA", "2")], reason="坏")
    assert back.applied == [] and back.waiting == D("6.00")
    assert ledger.balance(ledger.AP) == D("6.00")  # the supplier owes the shop
    assert ledger.balance(ledger.PREPAYMENTS) == 0
    _received(boss, "COKE", "5", "2.00")
    later = _bill_all(accountant, "INV-5")
    assert payables.bill_view(later.number).paid == D("6.00")  # the debit note, set against it
    assert ledger.balance(ledger.PREPAYMENTS) == 0  # no prepayment was ever made
    assert ledger.balance(ledger.AP) == D("-4.00")
    check_books()


def test_a_refund_instead_of_a_debit_note(users) -> None:
    boss, accountant = users["supervisor"], users["accountant"]
    _received(boss, "TEA", "10", "3.00")
    bill = _bill_all(accountant, "INV-6")
    payables.pay(accountant, "S1", "30.00")
    with pytest.raises(ValidationError, match="account"):
        supplier_returns.post_return(accountant, bill.number, [("TEA", "2")], reason="坏",
                                     refund_account="6001")
    back = supplier_returns.post_return(accountant, bill.number, [("TEA", "2")], reason="坏",
                                        refund_account="1001")
    assert back.refund_account == "1001" and back.applied == [] and back.waiting == 0
    assert ledger.balance(ledger.CASH) == D("6.00") and ledger.balance(ledger.AP) == 0
    assert SupplierPayment.select().where(SupplierPayment.kind == "return").count() == 0
    check_books()


def test_taken_back_above_the_average_lowers_what_is_left(users) -> None:
    """The rest of the stock was bought cheaper than the average said: it takes the
    difference, and the share already sold goes to cost of goods sold."""
    boss = users["supervisor"]
    # 10 COKE at 2.00 opening in WH, 10 more received at 3.00: 20 at an average of 2.50.
    _order, receipt = _received(boss, "COKE", "10", "3.00")
    assert _value("COKE").unit_cost == D("2.5000")
    moved = transfers.start(boss, "WH", "STORE")
    transfers.set_line(boss, moved.number, "COKE", "14")
    transfers.post(boss, moved.number)
    sell(users["cashier"], "COKE", 14)  # 14 sold at 2.50: 6 left in WH, worth 15.00
    cogs = ledger.balance(ledger.COGS)
    back = supplier_returns.post_return(boss, receipt.number, [("COKE", "4")], reason="错货")
    assert back.value == D("10.00") and back.grni == D("12.00")
    # Taken back at 3.00, 0.50 above the average they left at: 2.00 in all. The 2 units left
    # take their share (1.00) and are worth what they cost, 2.00 each; the other 1.00 was sold.
    assert _value("COKE").qty == D(2) and _value("COKE").value == D("4.00")
    assert ledger.balance(ledger.COGS) - cogs == D("-1.00")
    check_books()


def test_refusals_write_nothing(users) -> None:
    boss = users["supervisor"]
    _order, receipt = _received(boss, "TEA", "10", "2.50", warehouse="WH")
    sell(users["cashier"], "TEA", 1)  # sold from STORE, not from WH
    entries, moves = JournalEntry.select().count(), StockMove.select().count()
    with pytest.raises(ValidationError, match="Line 2: 11 of TEA"):
        supplier_returns.post_return(boss, receipt.number, [("TEA", "1"), ("TEA", "10")],
                                     reason="x")
    with pytest.raises(ValidationError, match="Line 1: no product 'NOPE'"):
        supplier_returns.post_return(boss, receipt.number, [("NOPE", "1")], reason="x")
    with pytest.raises(ValidationError, match=r"Line 1: .*greater than zero"):
        supplier_returns.post_return(boss, receipt.number, [("TEA", "0")], reason="x")
    with pytest.raises(ValidationError, match="reason"):
        supplier_returns.post_return(boss, receipt.number, [("TEA", "1")], reason="  ")
    with pytest.raises(ValidationError, match="tax"):
        supplier_returns.post_return(boss, receipt.number, [("TEA", "1")], reason="x",
                                     tax="0.13")  # nothing billed: no VAT to reverse
    with pytest.raises(PermissionDenied):
        supplier_returns.post_return(users["cashier"], receipt.number, [("TEA", "1")],
                                     reason="x")
    with pytest.raises(NotFound):
        supplier_returns.post_return(boss, "GR-999999", [("TEA", "1")], reason="x")
    assert SupplierReturn.select().count() == 0
    assert (JournalEntry.select().count(), StockMove.select().count()) == (entries, moves)
    assert supplier_returns.returnable(receipt.number)[0].qty == D(10)
    check_books()


def test_goods_already_gone_cannot_go_back(users) -> None:
    boss = users["supervisor"]
    _order, receipt = _received(boss, "TEA", "5", "2.50", warehouse="WH")
    moved = transfers.start(boss, "WH", "STORE")  # 4 of the 5 leave WH
    transfers.set_line(boss, moved.number, "TEA", "4")
    transfers.post(boss, moved.number)
    entries = JournalEntry.select().count()
    with pytest.raises(StoreError, match="TEA"):
        supplier_returns.post_return(boss, receipt.number, [("TEA", "2")], reason="坏")
    assert SupplierReturn.select().count() == 0 and JournalEntry.select().count() == entries
    back = supplier_returns.post_return(boss, receipt.number, [("TEA", "1")], reason="坏")
    assert back.lines[0].qty == D(1)
    assert [v.number for v in supplier_returns.returns(supplier_code="S1")] == [back.number]
    check_stock_invariants()
    check_days_equal_the_journal()


def _clerk(url: str, username: str, pin: str, document: str, billing: bool, start: Any,
           results: Any) -> None:
    """One clerk in their own process: sends back (or bills) one unit at a time until
    nothing is left, retrying when another clerk took the units first."""
    from store import bootstrap
    from store.security import auth

    bootstrap.open_store(url)
    user = auth.authenticate(username, pin)
    start.wait(timeout=120)  # all three at once
    done, error = 0, ""
    while not error:
        try:
            if billing:
                waiting = payables.unbilled("S1")
                if not waiting:
                    break
                payables.post_bill(user, "S1", f"INV-{username}-{done}",
                                   [BillLineInput(waiting[0].receipt_line_id, "1")])
            else:
                supplier_returns.post_return(user, document, [("TEA", "1")], reason="坏")
            done += 1
        except StoreError as exc:
            said = str(exc)
            if "only 0 came" in said or "only 0 of" in said:
                break  # nothing left
            if "just billed" not in said and "only" not in said:
                error = f"{type(exc).__name__}: {said}"
        except Exception as exc:  # reported to the test, which fails
            error = f"{type(exc).__name__}: {exc}"
    results.put((username, done, error))
    bootstrap.close_store()


def test_clerks_sending_back_and_billing_at_once_never_take_a_unit_twice(shop, db_url) -> None:
    """Two clerks send back the units of one receipt while a third bills them: every unit
    goes back exactly once (billed ones as debit notes), nothing is billed or credited twice,
    and the books hold."""
    from store.security import auth

    stock_shop()
    auth.create_user("kuaiji", "accountant", pin="3690")
    auth.create_user("clerk2", "accountant", pin="3691")
    boss = auth.authenticate("boss", "8888")
    _order, receipt = _received(boss, "TEA", "20", "2.00")
    ctx = mp.get_context("spawn")
    results, start = ctx.Queue(), ctx.Barrier(3)
    workers = [ctx.Process(target=_clerk, args=(db_url, name, pin, receipt.number, billing,
                                                start, results))
               for name, pin, billing in (("kuaiji", "3690", False), ("clerk2", "3691", False),
                                          ("boss", "8888", True))]
    for w in workers:
        w.start()
    try:
        got = {name: (done, error) for name, done, error in
               (results.get(timeout=300) for _ in workers)}
    finally:
        for w in workers:
            w.join(timeout=60)
            if w.is_alive():
                w.kill()
    assert all(not error for _done, error in got.values()), got
    sent_back = got["kuaiji"][0] + got["clerk2"][0]
    assert sent_back == 20  # every unit, exactly once
    assert SupplierReturn.select().count() == 20
    assert supplier_returns.returnable(receipt.number) == []
    assert inventory.on_hand(Product.get(Product.sku == "TEA").id) == 0
    billed = got["boss"][0]
    notes = SupplierPayment.select().where(SupplierPayment.kind == "return").count()
    assert notes == billed  # each billed unit came back as a debit note of 2.00
    assert ledger.balance(ledger.GRNI) == 0 and ledger.balance(ledger.AP) == 0
    check_books()
