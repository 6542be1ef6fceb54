"""The stockroom's screens at 80x24, as warehouse staff and a manager use them: receiving by
scanning (with and without an order), transfers in one and two steps, a blind count with a
supervisor's review, and the alert list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Label, Static

from store.buying import purchasing
from store.buying.purchasing import OrderLineInput
from store.core import i18n
from store.models import Approval, GoodsReceipt, StockLevel, StockTransfer, Warehouse
from store.stock import inventory
from tests.tui.test_login_home import burst, login, make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.dialogs.override import OverrideDialog
from tui.screens.count_review import CountReviewScreen
from tui.screens.stockdocs import CountScreen, ReceivingScreen, TransferScreen
from tui.screens.stockroom import AlertsScreen, StockroomScreen

COKE = "6910000000006"  # P0000001; its case of 12 is 16910000000003


def level(sku: str, wh: str) -> Decimal:
    from store.models import Product

    row = StockLevel.get_or_none((StockLevel.product == Product.get(Product.sku == sku).id)
                                 & (StockLevel.warehouse == Warehouse.get(Warehouse.code == wh)))
    return row.on_hand if row else Decimal(0)


def message_of(screen) -> str:
    return str(screen.query_one("#doc-message", Label).render())


def message(app) -> str:
    return str(app.screen.query_one("#doc-message", Label).render())


def cells(app) -> list[list[str]]:
    table = app.screen.query_one("#doc-lines", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def stockroom(pilot, user: str, pin: str, key: str) -> None:
    await login(pilot, user, pin)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, StockroomScreen)


async def receiving_into_wh(pilot) -> None:
    """A manager opens the stockroom and receives into WH without an order."""
    await stockroom(pilot, "manager", "2468", "2")
    await pilot.press("2")  # receive goods: drafts, orders, then one row per warehouse
    await pilot.pause()
    await pilot.press("down", "enter")  # without an order, into WH
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReceivingScreen)


async def counting_wh(pilot) -> None:
    """The keeper opens the stockroom and starts a count of the whole of WH."""
    await stockroom(pilot, "keeper", "1357", "1")
    await pilot.press("4")
    await pilot.pause()
    table = pilot.app.screen.query_one("#picker-rows", DataTable)
    wh_row = next(i for i in range(table.row_count)
                  if str(table.get_row_at(i)[1]) == "WH"
                  and i18n._("whole warehouse") in str(table.get_row_at(i)[2]))
    await pilot.press(*["down"] * wh_row, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CountScreen)


async def scan(pilot, *codes: str) -> None:
    for code in codes:
        await pilot.press(*code, "enter")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.both_engines
async def test_receive_without_an_order_by_scanning(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    before = level("P0000001", "WH")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await receiving_into_wh(pilot)
        await scan(pilot, COKE, COKE, "16910000000003", "999000")
        assert "999000" in message(app)
        await pilot.press("f7")  # note the unknown code for the manager
        await pilot.pause()
        assert "999000" in message(app)
        assert cells(app)[0][4] == "14"  # 1 + 1 + a case of 12
        await pilot.press("f4", *"10", "enter")  # the driver brought 10, not 14
        await pilot.pause()
        assert cells(app)[0][4] == "10"
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)  # F12 once only asks
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
    assert level("P0000001", "WH") == before + 10
    assert GoodsReceipt.get().status == "posted"


async def test_a_keeper_receives_without_an_order_with_a_supervisors_approval(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("down", "enter")  # without an order, into WH: not the keeper's right
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press(*"manager", "enter", *"2468", "enter", *"driver early", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)
        await scan(pilot, COKE)
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
    receipt = GoodsReceipt.get()
    assert receipt.status == "posted" and receipt.created_by.username == "keeper"
    approval = Approval.get()
    assert approval.permission == "receive_without_order" and approval.used_at is not None


async def test_receive_against_an_order_shows_short_over_and_extra(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    from store.security import auth

    boss = auth.authenticate("manager", "2468")
    order = purchasing.create_order(boss, "S003", "WH", [OrderLineInput("P0000001", "24", "1.70"),
                                                         OrderLineInput("P0000002", "5", "3.00")])
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("2", "enter")  # the order is the first row
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)
        assert order.number in str(app.screen.query_one("#doc-status", Label).render())
        await scan(pilot, "16910000000003", "6*6920000000005", "P0000003")
        rows = {r[0]: r for r in cells(app)}
        assert rows["P0000001"][6] == "short 12" and rows["P0000002"][6] == "over 1"
        assert rows["P0000003"][6] == "not ordered"
        # Issue 14.6: more than ordered beyond the tolerance and an item not ordered need a
        # supervisor; the refusal says what, and nothing is posted until they approve.
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        said = message_of(app.screen_stack[-2])
        assert "P0000002: 6 received against 5 ordered" in said
        assert "P0000003 is not on the order" in said
        assert GoodsReceipt.get(GoodsReceipt.number == app.screen_stack[-2].number).status == \
            "draft"
        await pilot.press(*"manager", "enter", *"2468", "enter", *"extra case", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
    assert purchasing.get_order(order.number).status == "partial"
    assert Approval.get(Approval.permission == "receive_exceptions").approver.username == \
        "manager"


async def test_f8_asks_twice_before_voiding_a_receipt(fresh_demo) -> None:  # noqa: F811
    """Issue 14.6: F8 voided a receipt at once while F12 asks twice."""
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await receiving_into_wh(pilot)
        number = app.screen.number
        await scan(pilot, COKE)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen) and "F8 again" in message(app)
        assert GoodsReceipt.get(GoodsReceipt.number == number).status == "draft"
        await scan(pilot, COKE)  # anything else in between disarms it
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
    assert GoodsReceipt.get(GoodsReceipt.number == number).status == "cancelled"


def test_a_cost_far_from_the_usual_is_an_exception(fresh_demo) -> None:  # noqa: F811
    from store.buying import receiving
    from store.core.errors import PermissionDenied
    from store.security import auth

    keeper = auth.authenticate("keeper", "1357")
    boss = auth.authenticate("manager", "2468")
    order = purchasing.create_order(boss, "S003", "WH", [OrderLineInput("P0000001", "24", "1.70")])
    r = receiving.start(keeper, order_number=order.number)
    receiving.set_line(keeper, r.number, "P0000001", "24", "9999999")
    assert any("P0000001: unit cost ￥9,999,999.00" in s for s in receiving.exceptions(r.number))
    with pytest.raises(PermissionDenied, match="9,999,999"):
        receiving.post(keeper, r.number)
    receiving.set_line(keeper, r.number, "P0000001", "24", "1.70")
    assert receiving.exceptions(r.number) == []
    assert receiving.post(keeper, r.number).status == "posted"  # as ordered: no one asked


async def test_a_two_step_transfer(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    before = level("P0000001", "WH"), level("P0000001", "STORE")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # WH → STORE, two steps
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        await scan(pilot, "2*" + COKE)
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
        assert level("P0000001", "TRANSIT") == 2
        await pilot.press("3", "enter")  # the transfer in transit is the first row
        await pilot.pause()
        assert "in transit" in str(app.screen.query_one("#doc-status", Label).render())
        await scan(pilot, COKE)  # a document in transit no longer changes
        assert "no longer change" in message(app)
        await pilot.press("f12", "f12")
        await pilot.pause()
    assert StockTransfer.get().status == "done"
    assert (level("P0000001", "WH"), level("P0000001", "STORE")) == (before[0] - 2,
                                                                     before[1] + 2)


async def test_a_blind_count_then_a_managers_review(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    before = level("P0000001", "WH")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await counting_wh(pilot)
        header = [str(c.label) for c in app.screen.query_one("#doc-lines",
                                                              DataTable).columns.values()]
        assert header == ["SKU", "Name", "Counted", "Lots"]  # blind: no book quantity
        await scan(pilot, "3*" + COKE, COKE)
        assert cells(app)[0][2] == "4" and "Coca-Cola 330ml: 4 counted" in message(app)
        await pilot.press("f9")  # a counter may not review
        await pilot.pause()
        assert isinstance(app.screen, CountScreen) and "may not" in message(app)
        await pilot.press("f12")  # done: the count stays open
        await pilot.pause()
        await pilot.press("escape", "f10")
        await stockroom(pilot, "manager", "2468", "2")
        await pilot.press("4", "enter")  # join the open count
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CountReviewScreen)
        review = app.screen.query_one("#review-lines", DataTable)
        first = [str(c) for c in review.get_row_at(0)]
        assert first[:5] == ["P0000001", first[1], str(int(before)), "4",
                             str(4 - int(before))]
        total = str(app.screen.query_one("#review-total", Static).render())
        assert "Variance value" in total
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
    assert level("P0000001", "WH") == 4


async def test_the_alert_list_and_the_count_on_the_menu(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("zh_CN")
    inventory.set_reorder_rule("P0000002", "WH", "500", "800")
    n = inventory.alert_count()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        hint = [str(lbl.render()) for lbl in app.screen.query(Label)]
        assert any(f"{n}" in h and "库存" in h for h in hint)
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        table = app.screen.query_one("#alerts", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        coke500 = next(r for r in rows if r[0] == "P0000002" and r[2] == "WH")
        assert coke500[4] == "500" and int(coke500[5]) == 800 - int(level("P0000002", "WH"))


async def test_a_products_moves_from_the_stock_lookup(fresh_demo) -> None:  # noqa: F811
    from tests.tui.test_scanning import wait_until
    from tui.screens.stock_moves import StockMovesScreen

    i18n.set_language("en")
    from store.buying import receiving
    from store.security import auth

    boss = auth.authenticate("manager", "2468")
    r = receiving.start(boss, "WH")
    receiving.set_line(boss, r.number, "P0000001", "6", "1.50")
    receiving.post(boss, r.number)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("1", *COKE, "enter")  # stock lookup; Enter picks the best hit
        assert await wait_until(pilot, lambda: isinstance(app.screen, StockMovesScreen))
        moves = app.screen.query_one("#moves", DataTable)
        newest = [str(c) for c in moves.get_row_at(0)]
        assert newest[1:6] == ["WH", "receipt", r.number, "manager", "6"]
        assert newest[7] == str(int(level("P0000001", "WH")))  # the balance after it
        assert moves.row_count == len(inventory.moves("P0000001"))
        title = str(app.screen.query_one("#moves-title", Label).render())
        assert "P0000001" in title and "on hand" in title


async def test_a_count_of_a_list_of_products(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("zh_CN")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#picker-rows", DataTable)
        row = next(i for i in range(table.row_count)
                   if str(table.get_row_at(i)[1]) == "WH" and "清单" in str(table.get_row_at(i)[2]))
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        await pilot.press(*"P0000002 6910000000006", "enter")  # an SKU and a barcode
        await pilot.pause()
        assert isinstance(app.screen, CountScreen)
        await scan(pilot, "P0000003")  # not on the list
        assert "P0000003" in message(app) and "不在" in message(app)
        await scan(pilot, "2*" + COKE)
        got = {r[0]: r[2] for r in cells(app)}
        assert got == {"P0000001": "2", "P0000002": ""}  # the list, blind: counted or not yet
    from store.models import StockCount, StockCountLine

    count = StockCount.get()
    assert count.scope == "products"
    assert sorted(ln.product.sku for ln in StockCountLine.select().where(
        StockCountLine.count == count.id)) == ["P0000001", "P0000002"]


async def test_the_managers_home_shows_the_low_stock_count(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    n = inventory.alert_count()
    assert n > 0
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "manager", "2468")
        texts = [str(lbl.render()) for lbl in app.screen.query(Label)]
        assert any(f"Low stock: {n} alerts" in t for t in texts)
        await pilot.press("f10")
        await login(pilot, "cashier", "1234")  # a cashier is not bothered with it
        texts = [str(lbl.render()) for lbl in app.screen.query(Label)]
        assert not any("Low stock" in t for t in texts)



def transfer_qty(sku: str) -> Decimal:
    from store.models import Product, StockTransferLine

    line = StockTransferLine.get_or_none(StockTransferLine.product
                                         == Product.get(Product.sku == sku).id)
    return line.qty if line else Decimal(0)


async def test_a_scan_counts_once_when_the_table_has_focus(fresh_demo) -> None:  # noqa: F811
    """Issue 14.1: after Tab into the lines (to use F4 on a row), each scan still adds once."""
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # WH → STORE
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        await scan(pilot, COKE)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.screen.focused, DataTable)
        for expected in (2, 3, 4, 5):
            await burst(pilot, COKE)
            assert cells(app)[0][2] == str(expected)
            assert transfer_qty("P0000001") == expected
        await burst(pilot, "24*" + COKE)  # a quantity typed before the scan, table focused
        assert transfer_qty("P0000001") == 29


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_receiving_counts_each_scan_once_and_up_moves_the_row_f4_changes(
        fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await receiving_into_wh(pilot)
        await burst(pilot, COKE)
        await burst(pilot, "6920000000005")  # P0000002: the second row, and the cursor's
        await pilot.press("tab")
        await pilot.pause()
        for _ in range(3):
            await burst(pilot, COKE)
        rows = {r[0]: r for r in cells(app)}
        assert rows["P0000001"][4] == "4" and rows["P0000002"][4] == "1"
        await pilot.press("shift+tab")  # back to the scan field: Up moves the table's cursor
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        table = app.screen.query_one("#doc-lines", DataTable)
        assert cells(app)[table.cursor_row][0] == "P0000001"  # the last scanned
        await pilot.press("up" if table.cursor_row == 1 else "down")
        assert cells(app)[table.cursor_row][0] == "P0000002"
        await pilot.press("f4", *"7", "enter")
        await pilot.pause()
        rows = {r[0]: r for r in cells(app)}
        assert rows["P0000002"][4] == "7" and rows["P0000001"][4] == "4"
        assert GoodsReceipt.select().count() >= 1


async def test_after_f4_the_cursor_stays_on_the_line_it_changed(fresh_demo) -> None:  # noqa: F811
    """Issue 14.14: after an F4 edit the cursor jumped to row 0, so the next F4 zeroed the
    wrong line."""
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await stockroom(pilot, "keeper", "1357", "1")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # WH → STORE
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        await scan(pilot, COKE, "6920000000005", "6930000000004")
        table = app.screen.query_one("#doc-lines", DataTable)
        assert table.row_count == 3
        await pilot.press("up")
        middle = cells(app)[table.cursor_row][0]
        await pilot.press("f4", *"5", "enter")
        await pilot.pause()
        assert cells(app)[table.cursor_row][0] == middle  # still the line just changed
        await pilot.press("f4", *"6", "enter")
        await pilot.pause()
        rows = {r[0]: r for r in cells(app)}
        assert rows[middle][2] == "6" and sorted(r[2] for r in rows.values()) == ["1", "1", "6"]
        number = app.screen.number
        await pilot.press("escape")  # left as a draft …
        await pilot.pause()
        await pilot.press("3")  # … and offered first when a transfer starts again
        await pilot.pause()
        picker = app.screen.query_one("#picker-rows", DataTable)
        assert str(picker.get_row_at(0)[0]) == number
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen) and app.screen.number == number
        assert sorted(r[2] for r in cells(app)) == ["1", "1", "6"]
