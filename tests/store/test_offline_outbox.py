"""The offline till's outbox (issue 18.2): a sale made without the database is committed to a
local file, numbered on from the till's series, and posted later exactly once — replayed,
its acknowledgement lost, two syncs at once — with its stock moves and journal entry; what
the database would have refused is posted and flagged for a person, never lost."""

from __future__ import annotations

import os
import stat
import threading
from decimal import Decimal

import pytest

from store.assurance import integrity
from store.books import ledger
from store.catalog import search
from store.models import Sale, SaleReview, StockLevel, TillSync, Warehouse
from store.offline import reviews, sync
from store.offline.outbox import Outbox
from store.pricing import shop_prices
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import inventory
from tests.store.stock_helpers import check_stock_invariants, stock_shop

D = Decimal


@pytest.fixture
def till(shop, tmp_path):
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "10")
    inventory.post_opening_stock("TEA", "STORE", "10")
    shift = sales.open_shift("T1", users["cashier"].id, "100")
    box = Outbox(tmp_path / "outbox-T1.db", "T1")
    return users, shift, box


def _offline_sale(box: Outbox, users, shift, *codes: str, tendered: str | None = None
                  ) -> Basket:
    b = Basket()
    for code in codes:
        b.add(search.lookup_code(code))
    box.add(b, [PaymentInput("CASH", D(tendered) if tendered else b.total)],
            cashier_id=users["cashier"].id, shift_id=shift.id)
    return b


def _reviews(number: str) -> list[tuple[str, str]]:
    return sorted((r.kind, r.detail) for r in SaleReview.select().join(Sale)
                  .where(Sale.number == number))


def test_an_offline_sale_is_numbered_on_and_posted_whole(till) -> None:
    users, shift, box = till
    online = Basket()
    online.add(search.lookup_code("TEA"))
    first = sales.post_sale(online, [PaymentInput("CASH", D("4.00"))], terminal="T1",
                            cashier_id=users["cashier"].id)
    box.know_number(first.number)  # T1-000001: the till goes on from it
    box.know_number("T9-000050")  # another till's number changes nothing
    b = _offline_sale(box, users, shift, "COKE", "COKE", "TEA", tendered="20")
    assert [w.number for w in box.waiting()] == ["T1-000002"]
    assert box.add(b, [], cashier_id=users["cashier"].id, shift_id=shift.id).number == (
        "T1-000002")  # the same basket again: the same sale
    assert stat.S_IMODE(os.stat(box.path).st_mode) == 0o600
    result = sync.drain(box)
    assert (result.posted, result.held, result.waiting, result.error) == (
        ["T1-000002"], [], 0, "")
    view = sales.get_sale("T1-000002")
    assert (view.total, view.change, len(view.lines)) == (D("11.00"), D("9.00"), 2)
    assert view.created_at == Sale.get(Sale.number == "T1-000002").created_at
    assert _reviews("T1-000002") == []
    assert ledger.balance(ledger.CASH) == D("15.00")
    check_stock_invariants()
    assert integrity.verify().ok
    row = TillSync.get(TillSync.terminal == "T1")
    assert (row.waiting, row.held) == (0, 0)
    # Online again, the series goes on after the offline sale.
    after = Basket()
    after.add(search.lookup_code("TEA"))
    assert sales.post_sale(after, [PaymentInput("CASH", D("4.00"))], terminal="T1",
                           cashier_id=users["cashier"].id).number == "T1-000003"


def test_replayed_lost_acknowledgements_and_two_syncs_post_each_sale_once(till) -> None:
    users, shift, box = till
    for _ in range(6):
        _offline_sale(box, users, shift, "COKE")
    items = box.waiting()
    sync.post(items[0].payload)  # the database took it; the answer never reached the till
    sync.post(items[1].payload)
    sync.post(items[1].payload)  # and a replay of the same
    errors: list[BaseException] = []

    def run() -> None:
        try:
            sync.drain(box)
        except BaseException as exc:  # a thread's failure fails the test
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert errors == []
    for _ in range(3):
        assert sync.drain(box).posted == []  # nothing left to post, whatever is replayed
    for item in items:
        sync.post(item.payload)
    assert Sale.select().count() == 6
    assert sorted(s.number for s in Sale.select()) == [f"T1-{n:06d}" for n in range(1, 7)]
    assert box.depth().waiting == 0
    assert ledger.balance(ledger.CASH) == D("21.00")
    check_stock_invariants()
    assert integrity.verify().ok


def test_what_the_database_would_refuse_is_posted_and_flagged(till) -> None:
    users, shift, box = till
    store = Warehouse.get(Warehouse.code == "STORE")
    Warehouse.update(allow_negative=False).where(Warehouse.id == store.id).execute()
    _offline_sale(box, users, shift, "COKE")  # at 3.50, as the till's copy had it
    _offline_sale(box, users, shift, *["COKE"] * 10)  # 11 sold of 10 on hand
    shop_prices.set_price(users["owner"], "MAIN", "COKE", "3.80")  # changed meanwhile
    sales.close_shift("T1", users["supervisor"], "100")  # closed from another till
    result = sync.drain(box)
    assert result.posted == ["T1-000001", "T1-000002"] and result.held == []
    assert sales.get_sale("T1-000001").total == D("3.50")  # what the customer paid
    # Shift 1's Z is sealed: the sales went to a shift 2 opened for them, said so.
    assert _reviews("T1-000001") == [("price", "price_override"), ("shift", "1>2")]
    assert _reviews("T1-000002") == [("negative_stock", "COKE -1"), ("price", "price_override"),
                                     ("shift", "1>2")]
    assert sales.current_shift("T1").number == 2
    coke = search.lookup_code("COKE").id
    level = StockLevel.get((StockLevel.warehouse == store.id) & (StockLevel.product == coke))
    assert level.on_hand == D(-1)
    check_stock_invariants()
    assert integrity.verify().ok


def test_a_taken_number_is_replaced_and_a_damaged_sale_held(till) -> None:
    users, shift, box = till
    _offline_sale(box, users, shift, "TEA")  # T1-000001 on the till …
    online = Basket()  # … and on the database too, sold by a second till wrongly set as T1
    online.add(search.lookup_code("TEA"))
    sales.post_sale(online, [PaymentInput("CASH", D("4.00"))], terminal="T1",
                    cashier_id=users["cashier"].id)
    _offline_sale(box, users, shift, "COKE")
    with box._db() as db:  # the second sale's file damaged on the till's disk
        db.execute("UPDATE outbox SET payload = replace(payload, '\"qty\": \"1\"', "
                   "'\"qty\": \"1e999\"') WHERE number = 'T1-000002'")
    _offline_sale(box, users, shift, "TEA")
    result = sync.drain(box)
    # The till's T1-000001 became T1-000002 (its receipt's number kept on the review); its
    # T1-000002 is held, refused by name; its T1-000003 went in as printed.
    assert result.posted == ["T1-000002", "T1-000003"]
    assert [n for n, _why in result.held] == ["T1-000002"]
    assert "lines[1].qty" in result.held[0][1] and "1e999" in result.held[0][1]
    assert _reviews("T1-000002") == [("renumbered", "T1-000001")]
    assert _reviews("T1-000003") == []
    assert box.depth() .waiting == 0 and box.depth().held == 1
    assert box.held()[0][0] == "T1-000002"
    assert TillSync.get(TillSync.terminal == "T1").held == 1
    assert reviews.attention() == [
        "Sales made offline to review: 1 (zhanggui sync reviews)",
        "Till T1: sales the database refused, waiting at the till: 1"]
    assert [r.what for r in reviews.open_reviews()] == [
        "its number was taken: the receipt says T1-000001"]
    assert sync.drain(box).posted == []  # held stays held until a person releases it
    assert Sale.select().count() == 3
    assert integrity.verify().ok


def test_an_approval_given_offline_is_recorded_and_judged_again(till) -> None:
    from store.models import Approval
    from store.models.base import utcnow
    from store.security.approvals import OfflineApproval

    users, shift, box = till

    def discounted(approver: str, permission: str = "discount") -> Basket:
        b = Basket()
        b.add(search.lookup_code("COKE"))
        b.discount_line(0, percent=D(30), reason="damaged", approval_id=-1)
        box.add(b, [PaymentInput("CASH", b.total)], cashier_id=users["cashier"].id,
                shift_id=shift.id, approvals=(OfflineApproval(
                    -1, users[approver].id, permission, "damaged", utcnow()),))
        return b

    discounted("supervisor")  # a supervisor may give 30%
    discounted("warehouse")  # a warehouse hand may not: posted, and flagged
    discounted("supervisor", "fly")  # a damaged file: held, by name
    result = sync.drain(box)
    assert result.posted == ["T1-000001", "T1-000002"], result
    assert [n for n, _why in result.held] == ["T1-000003"] and "approvals[1]" in (
        result.held[0][1])
    first, second = (sales.get_sale(n) for n in result.posted)
    assert first.total == second.total == D("2.45")
    approval = Approval.get_by_id(first.lines[0].approval_id)
    assert (approval.approver.username, approval.used_ref) == ("supervisor", "T1-000001")
    assert _reviews("T1-000001") == []
    assert _reviews("T1-000002") == [("price", "approval")]
    assert integrity.verify().ok


def test_a_promotion_is_judged_by_when_the_sale_was_made(till) -> None:
    """A lunch-hour promotion given offline at 12:30 and posted at 15:00 was given rightly;
    one claimed at 12:30 that never ran then is flagged."""
    import datetime as dt

    from store.common import clock
    from store.pricing import promotions
    from store.pricing.promotions import PromotionInput

    users, shift, box = till
    day = clock.local_today()
    promotions.create(users["owner"], PromotionInput("LUNCH", "午市可乐减5角", "amount", "0.50",
                                                     skus=["COKE"], hours=(12, 13)))
    noon, three = (clock.local_moment(day, dt.time(h, 30)) for h in (12, 15))
    running, rule = promotions.for_basket()
    b = Basket(promotions=running, promotion_rule=rule)
    b.add(search.lookup_code("COKE"))
    b.reprice_promotions(clock.to_local(noon))
    assert b.total == D("3.00")
    # A second basket claims the lunch price for a sale made at 11:30, before it ran.
    early = Basket(promotions=running, promotion_rule=rule)
    early.add(search.lookup_code("COKE"))
    early.reprice_promotions(clock.to_local(noon))
    with clock.at(noon):
        box.add(b, [PaymentInput("CASH", b.total)], cashier_id=users["cashier"].id,
                shift_id=shift.id)
    with clock.at(clock.local_moment(day, dt.time(11, 30))):
        box.add(early, [PaymentInput("CASH", early.total)], cashier_id=users["cashier"].id,
                shift_id=shift.id)
    with clock.at(three):
        result = sync.drain(box)
    assert result.posted == ["T1-000001", "T1-000002"], result
    assert sales.get_sale("T1-000001").total == D("3.00")
    assert _reviews("T1-000001") == []
    assert _reviews("T1-000002") == [("promotion", "")]


def test_an_outbox_from_before_events_keeps_its_voids(tmp_path) -> None:
    """An outbox file made when voids had a table of their own: the ones not yet posted wait
    among the events, in order; the posted ones and the old table go."""
    import sqlite3

    path = tmp_path / "old-T1.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE void_line (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT "
                   "NOT NULL, created_at TEXT NOT NULL, posted_at TEXT)")
        db.executemany("INSERT INTO void_line (payload, created_at, posted_at) VALUES (?,?,?)",
                       [('{"sku": "A"}', "2026-12-01T10:00:00", "2026-12-01T10:05:00"),
                        ('{"sku": "B"}', "2026-12-01T11:00:00", None),
                        ('{"sku": "C"}', "2026-12-01T12:00:00", None)])
    box = Outbox(path, "T1")
    assert [(kind, text, at) for _id, kind, text, at in box.events_waiting()] == [
        ("void", '{"sku": "B"}', "2026-12-01T11:00:00"),
        ("void", '{"sku": "C"}', "2026-12-01T12:00:00")]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'void_line'").fetchone() is None
    assert len(Outbox(path, "T1").events_waiting()) == 2  # opened again: nothing doubled


def test_a_lot_scanned_offline_goes_first_when_the_sale_is_posted(till) -> None:
    from store.buying import receiving
    from store.models import StockLot
    from store.stock import expiry

    users, shift, box = till
    expiry.track(users["owner"], "COKE")
    r = receiving.start(users["supervisor"], "STORE", supplier_code="S1")
    receiving.scan(users["supervisor"], r.number, "(01)06901234567892(17)270131(10)SOON", "3")
    receiving.scan(users["supervisor"], r.number, "(01)06901234567892(17)270630(10)LATE", "3")
    receiving.post(users["supervisor"], r.number)
    b = Basket()
    b.add(search.lookup_code("COKE"), lot="LATE")
    box.add(b, [PaymentInput("CASH", b.total)], cashier_id=users["cashier"].id,
            shift_id=shift.id)
    with box._db() as db:  # a lot that is no lot (a damaged file) is held, said by name
        db.execute("UPDATE outbox SET payload = replace(payload, '\"lot\": \"LATE\"', "
                   "'\"lot\": 7') WHERE number = 'T1-000001'")
    assert "lines[1].lot" in sync.drain(box).held[0][1]
    _offline_sale(box, users, shift, "TEA")
    b = Basket()
    b.add(search.lookup_code("COKE"), lot="LATE")
    box.add(b, [PaymentInput("CASH", b.total)], cashier_id=users["cashier"].id,
            shift_id=shift.id)
    assert len(sync.drain(box).posted) == 2
    held = {r.number: r.qty for r in StockLot.select().where(StockLot.number != "")}
    assert held == {"SOON": D(3), "LATE": D(2)}
