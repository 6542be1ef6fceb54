"""Lots and expiry (issue 19.5) on both engines: GS1-128 labels read; a lot-tracked product
received lot by lot (scanned or typed; a receipt whose lots do not cover a line is refused,
nothing received); transfers carry the lots, sales take the first to expire, or the lot
asked for; below zero the unknown lot goes negative; what expires soon is listed; an expired
lot written off to 1901; and Σ lots = the warehouse's level, always."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.books import ledger
from store.buying import receiving
from store.catalog import search
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.models import GoodsReceipt, LotMove, Product, StockLevel, StockLot, Warehouse
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import counts, expiry, lots, transfers
from tests.store.stock_helpers import stock_shop

D = Decimal
GTIN = "06901234567892"  # COKE's EAN-13 as a GTIN-14


@pytest.fixture
def users(shop):
    found = stock_shop()
    expiry.track(found["owner"], "COKE")
    return found


def check_lots() -> None:
    """Σ lots = level, for every tracked product and warehouse; each lot = Σ its moves."""
    moved: dict[tuple[int, int, str], Decimal] = {}
    for m in LotMove.select():
        key = (m.product_id, m.warehouse_id, m.number)
        moved[key] = moved.get(key, D(0)) + m.qty
    held = {(r.product_id, r.warehouse_id, r.number): r.qty for r in StockLot.select()}
    assert {k: v for k, v in moved.items() if v} == {k: v for k, v in held.items() if v}
    tracked = {p.id for p in Product.select().where(Product.tracks_lots == True)}  # noqa: E712
    for level in StockLevel.select().where(StockLevel.product.in_(list(tracked) or [0])):
        held = sum((r.qty for r in StockLot.select().where(
            (StockLot.product == level.product_id)
            & (StockLot.warehouse == level.warehouse_id))), D(0))
        assert held == level.on_hand, (level.product_id, level.warehouse_id)


def lots_in(wh: str) -> list[tuple[str, dt.date | None, Decimal]]:
    w = Warehouse.get(Warehouse.code == wh)
    return [(r.number, r.expires_on, r.qty) for r in StockLot.select().where(
        (StockLot.warehouse == w.id) & (StockLot.qty != 0)).order_by(StockLot.number)]


def label(expires: str, lot: str) -> str:
    return f"(01){GTIN}(17){expires}(10){lot}"


def test_gs1_128_labels_are_read() -> None:
    assert lots.parse_gs1(label("270131", "L1")) == lots.Gs1(GTIN, dt.date(2027, 1, 31), "L1")
    # As a scanner sends it: the symbology prefix, FNC1 (GS) after the lot, a serial after.
    got = lots.parse_gs1(f"]C101{GTIN}17270200" + "10AB-7\x1d21SERIAL9")
    assert got == lots.Gs1(GTIN, dt.date(2027, 2, 28), "AB-7")  # day 00: the month's end
    assert lots.parse_gs1("6901234567892") is None  # an EAN-13
    assert lots.parse_gs1("COKE") is None
    assert lots.parse_gs1("(01)06901234567893(17)270131(10)L1") is None  # check digit wrong
    assert lots.parse_gs1("(01)" + GTIN + "(17)271341(10)L1") is None  # no 41st of the 13th


def test_receiving_lot_by_lot(users) -> None:
    keeper, boss = users["supervisor"], users["owner"]
    assert lots_in("WH") == [("", None, D(10))]  # tracking began with 10 of no known lot
    r = receiving.start(keeper, "WH", supplier_code="S1")
    line = receiving.scan(keeper, r.number, label("270131", "L1"), "6")
    assert line.sku == "COKE" and line.qty == 6 and line.lots == (("L1", dt.date(2027, 1, 31),
                                                                   D(6)),)
    receiving.scan(keeper, r.number, f"]C101{GTIN}1727022810L2", "4")
    receiving.scan(keeper, r.number, "6901234567892", "2")  # a plain barcode: no lot
    with pytest.raises(ValidationError, match=r"COKE: 10 of 12 have a lot"):
        receiving.post(keeper, r.number)
    assert GoodsReceipt.get(GoodsReceipt.number == r.number).status == "draft"  # nothing in
    with pytest.raises(ValidationError, match="not a date"):
        receiving.set_lot(keeper, r.number, "COKE", "L3", "31/12/2027", "2")
    with pytest.raises(StoreError, match="does not track lots"):
        receiving.set_lot(keeper, r.number, "TEA", "L3", "", "2")
    receiving.set_lot(keeper, r.number, "COKE", "l3", "2027-06-30", "2")  # typed: upper case
    done = receiving.post(keeper, r.number)
    assert done.status == "posted"
    assert lots_in("WH") == [("", None, D(10)), ("L1", dt.date(2027, 1, 31), D(6)),
                             ("L2", dt.date(2027, 2, 28), D(4)),
                             ("L3", dt.date(2027, 6, 30), D(2))]
    check_lots()
    # The stock's value is the receipt's, whatever its lots: one line, one amount.
    assert ledger.balance(ledger.GRNI) == -D(12) * D("2.00")
    assert [x.number for x in expiry.lots_of("COKE", warehouse="wh")] == ["L1", "L2", "L3", ""]
    # The same lot number with another date is another lot, or a mistyped date: refused.
    again = receiving.start(boss, "WH", supplier_code="S1")
    receiving.scan(boss, again.number, label("270301", "L1"), "1")
    with pytest.raises(ValidationError, match="expires on 2027-01-31, not 2027-03-01"):
        receiving.post(boss, again.number)
    check_lots()


def _receive_lots(keeper, warehouse: str = "WH") -> None:
    r = receiving.start(keeper, warehouse, supplier_code="S1")
    receiving.scan(keeper, r.number, label("270630", "LATE"), "5")
    receiving.scan(keeper, r.number, label("270131", "SOON"), "5")
    receiving.post(keeper, r.number)


def test_transfers_and_sales_take_the_first_to_expire(users) -> None:
    keeper, cashier = users["supervisor"], users["cashier"]
    _receive_lots(keeper)
    t = transfers.start(keeper, "WH", "STORE")
    transfers.scan(keeper, t.number, "6901234567892", "7")
    transfers.post(keeper, t.number)
    # SOON (Jan) goes first, then LATE (Jun); the 10 of no known lot stay.
    assert lots_in("STORE") == [("LATE", dt.date(2027, 6, 30), D(2)),
                                ("SOON", dt.date(2027, 1, 31), D(5))]
    assert lots_in("WH") == [("", None, D(10)), ("LATE", dt.date(2027, 6, 30), D(3))]
    sales.open_shift("T1", cashier.id, "0")

    def sell(qty: int, lot: str | None = None) -> None:
        b = Basket()
        b.add(search.lookup_code("COKE"), D(qty))
        if lot:
            b.lines[-1].lot = lot
        sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=cashier.id)

    sell(1, "LATE")  # the lot scanned at the till goes first
    sell(2)
    assert lots_in("STORE") == [("LATE", dt.date(2027, 6, 30), D(1)),
                                ("SOON", dt.date(2027, 1, 31), D(3))]
    sell(6)  # 4 of the lots, then 2 below zero: of no known lot
    assert lots_in("STORE") == [("", None, D(-2))]
    check_lots()
    # Who got lot LATE: the receipt, the transfer out of WH and into STORE, and the sales.
    trail = [(t.warehouse, t.reason, t.qty) for t in expiry.trace("COKE", "late")]
    assert trail == [("WH", "receipt", D(5)), ("WH", "transfer", D(-2)),
                     ("STORE", "transfer", D(2)), ("STORE", "sale", D(-1)),
                     ("STORE", "sale", D(-1))]


def test_a_return_comes_back_into_the_lot_it_was_sold_from(users) -> None:
    from store.selling import returns

    keeper, cashier, boss = users["supervisor"], users["cashier"], users["owner"]
    _receive_lots(keeper)  # into WH
    sales.open_shift("T1", cashier.id, "0")
    b = Basket()
    b.add(search.lookup_code("COKE"), D(3), lot="LATE")  # its label scanned at the till
    t = transfers.start(keeper, "WH", "STORE")  # T1 sells from the shop floor
    transfers.scan(keeper, t.number, "COKE", "10")
    transfers.post(keeper, t.number)  # SOON 5, LATE 5 go to the shop floor
    sold = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                           cashier_id=cashier.id)
    assert dict((n, q) for n, _d, q in lots_in("STORE")) == {"SOON": D(5), "LATE": D(2)}
    for qty, late in ((2, D(4)), (1, D(5))):  # two returns: each into the lot sold from
        receipt = returns.returnable(sold.number)
        back = Basket()
        returns.add_return(back, receipt, receipt.lines[0].line_id, D(qty))
        sales.post_sale(back, [PaymentInput("CASH", back.total)], terminal="T1",
                        cashier_id=boss.id)
        assert dict((n, q) for n, _d, q in lots_in("STORE")) == {"SOON": D(5), "LATE": late}
    check_lots()


def test_what_expires_soon_and_writing_it_off(users) -> None:
    keeper, boss = users["supervisor"], users["owner"]
    _receive_lots(keeper)
    today = dt.date(2027, 1, 10)
    soon = expiry.expiring(today=today)
    assert [(x.number, x.days_left, x.qty) for x in soon] == [("SOON", 21, D(5))]
    assert expiry.expiring(200, today=today)[1].number == "LATE"
    wh_shop = Warehouse.get(Warehouse.code == "WH").shop_id  # a manager sees their shops'
    assert expiry.expiring_count(400, shops=frozenset({wh_shop})) == 2
    assert expiry.expiring_count(400, shops=frozenset({-1})) == 0
    with pytest.raises(PermissionDenied):
        expiry.write_off(users["warehouse"], "WH", "COKE", "SOON", reason="过期")
    with pytest.raises(ValidationError, match="holds 5, not 6"):
        expiry.write_off(boss, "WH", "COKE", "SOON", reason="过期", qty="6")
    with pytest.raises(StoreError, match="does not track lots"):
        expiry.write_off(boss, "WH", "TEA", "SOON", reason="过期")
    value = expiry.write_off(boss, "WH", "COKE", "SOON", reason="过期")
    assert value == D("10.00")  # 5 at the average 2.00
    assert ledger.balance(ledger.INVENTORY_PENDING) == D("10.00")
    assert [x.number for x in expiry.expiring(today=today)] == []
    check_lots()


def test_tracking_starts_and_stops(users) -> None:
    boss = users["owner"]
    expiry.track(boss, "COKE", on=False)
    assert StockLot.select().count() == 0
    assert lots.tracked_ids() == frozenset()
    expiry.track(boss, "COKE")
    assert lots_in("WH") == [("", None, D(10))]
    with pytest.raises(PermissionDenied):
        expiry.track(users["cashier"], "TEA")
    assert expiry.set_warn_days(boss, "14") == 14 == expiry.warn_days()
    with pytest.raises(ValidationError):
        expiry.set_warn_days(boss, "0")


step = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(("A", "B", "C")), st.integers(1, 9)),
    st.tuples(st.just("sell"), st.integers(1, 12), st.sampled_from(("", "A", "B"))),
    st.tuples(st.just("move"), st.integers(1, 8)),
    st.tuples(st.just("write_off"), st.sampled_from(("A", "B", "C"))),
)
EXPIRES = {"A": "270131", "B": "270331", "C": "271231"}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(step, min_size=1, max_size=10))
def test_the_lots_are_the_level(users, ops) -> None:
    """Any run of receipts of lots, sales (some naming a lot, some below zero), transfers and
    write-offs: Σ lots = the level in every warehouse, after each."""
    keeper, boss, cashier = users["supervisor"], users["owner"], users["cashier"]
    if sales.current_shift("T1") is None:
        sales.open_shift("T1", cashier.id, "0")
    for op in ops:
        try:
            if op[0] == "receive":
                r = receiving.start(keeper, "STORE", supplier_code="S1")
                receiving.scan(keeper, r.number, label(EXPIRES[op[1]], op[1]), str(op[2]))
                receiving.post(keeper, r.number)
            elif op[0] == "sell":
                b = Basket()
                b.add(search.lookup_code("COKE"), D(op[1]))
                b.lines[-1].lot = op[2]
                sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                                cashier_id=cashier.id)
            elif op[0] == "move":
                t = transfers.start(keeper, "WH", "STORE")
                transfers.scan(keeper, t.number, "COKE", str(op[1]))
                transfers.post(keeper, t.number)
            else:
                expiry.write_off(boss, "STORE", "COKE", op[1], reason="过期")
        except StoreError as exc:  # WH never goes below zero; a lot not held is said
            assert any(w in str(exc) for w in ("holds", "No lot", "Not enough", "only")), exc
        check_lots()


def test_a_count_by_lot_sets_each_lot_to_what_was_found(users) -> None:
    keeper, boss = users["supervisor"], users["owner"]
    _receive_lots(keeper)  # WH: "" 10, LATE 5, SOON 5
    c = counts.start(keeper, "WH")
    counts.scan(keeper, c.number, label("270131", "SOON"), "3")
    line = counts.scan(keeper, c.number, label("270630", "LATE"), "6")
    assert line.lots == (("SOON", D(3)), ("LATE", D(6))) and line.counted == D(9)
    assert line.lots_text == "SOON ×3 · LATE ×6"
    counts.scan(keeper, c.number, "6901234567892", "2")  # no label: of no known lot
    counts.scan(keeper, c.number, label("271231", "NEW"), "1")  # a lot the book never had
    with pytest.raises(ValidationError, match="expires on 2027-01-31, not 2027-02-01"):
        counts.scan(keeper, c.number, label("270201", "SOON"), "1")
    assert [x.lots for x in counts.counted(c.number)] == [
        (("SOON", D(3)), ("LATE", D(6)), ("NEW", D(1)))]
    counts.post(boss, c.number)  # 12 found of 20: 8 short
    assert lots_in("WH") == [("", None, D(2)), ("LATE", dt.date(2027, 6, 30), D(6)),
                             ("NEW", dt.date(2027, 12, 31), D(1)),
                             ("SOON", dt.date(2027, 1, 31), D(3))]
    check_lots()
    assert [(r.reason, r.qty) for r in expiry.trace("COKE", "NEW")] == [("count", D(1))]


def test_goods_sold_while_a_count_waits_come_off_its_first_expiring_lots(users) -> None:
    keeper, boss, cashier = users["supervisor"], users["owner"], users["cashier"]
    c = counts.start(keeper, "STORE")
    _receive_lots(keeper, "STORE")  # STORE: SOON 5, LATE 5
    counts.scan(keeper, c.number, label("270131", "SOON"), "5")
    counts.scan(keeper, c.number, label("270630", "LATE"), "5")
    sales.open_shift("T1", cashier.id, "0")
    b = Basket()
    b.add(search.lookup_code("COKE"), D(2))
    sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=cashier.id)
    counts.post(boss, c.number)  # as counted, less the 2 sold since
    assert lots_in("STORE") == [("LATE", dt.date(2027, 6, 30), D(5)),
                                ("SOON", dt.date(2027, 1, 31), D(3))]
    check_lots()
    # A recount counts the product again from scratch, its lots too.
    again = counts.start(keeper, "STORE")
    counts.scan(keeper, again.number, label("270131", "SOON"), "3")
    counts.recount(keeper, again.number, "COKE", "8")
    assert counts.counted(again.number)[0].lots == ()
    counts.post(boss, again.number)
    assert lots_in("STORE") == [("LATE", dt.date(2027, 6, 30), D(5)),
                                ("SOON", dt.date(2027, 1, 31), D(3))]
    check_lots()

