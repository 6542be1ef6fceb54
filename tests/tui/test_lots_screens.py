"""Lots at 80x24 (issue 19.5): a manager receives a lot-tracked product by its GS1-128 label
and by typing the lot of the plain-barcode units (F6); confirming before every unit has a lot
is refused on the screen; the stockroom lists what expires soon and writes a lot off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Label

from store.core import i18n
from store.models import GoodsReceipt, StockLot, Warehouse
from store.security import auth
from store.stock import expiry
from tests.tui.test_login_home import make_app
from tests.tui.test_stockroom_screens import cells, message, receiving_into_wh, scan
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.screens.stockdocs import ReceivingScreen
from tui.screens.stockroom import ExpiringScreen, StockroomScreen

COKE = "6910000000006"  # P0000001
LABEL = "0106910000000006" + "17270131" + "10L1"  # GS1-128 as a scanner sends it, lot last


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_receive_lots_and_write_one_off(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    _ = i18n._
    owner = auth.authenticate("owner", "8888")
    expiry.track(owner, "P0000001")
    expiry.set_warn_days(owner, "365")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await receiving_into_wh(pilot)
        await scan(pilot, LABEL, COKE)
        row = cells(app)[0]
        assert row[4] == "2" and row[6] == _("lots {have}/{qty}").format(have="1", qty="2")
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)  # refused: one unit has no lot
        assert "P0000001" in message(app) and "1" in message(app)
        await pilot.press("f6", *"l2 2027-02-28 1", "enter")
        await pilot.pause()
        assert cells(app)[0][6] != _("lots {have}/{qty}").format(have="1", qty="2")
        await pilot.press("f12", "f12")
        await pilot.pause()
        assert isinstance(app.screen, StockroomScreen)
        assert GoodsReceipt.select().order_by(GoodsReceipt.id.desc()).get().status == "posted"
        entries = [e.id for e in app.screen.entries]
        await pilot.press(str(entries.index("expiring") + 1))
        await pilot.pause()
        assert isinstance(app.screen, ExpiringScreen)
        table = app.screen.query_one("#expiring", DataTable)
        listed = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [(r[3], r[4]) for r in listed] == [("L1", "2027-01-31"), ("L2", "2027-02-28")]
        await pilot.press("w", *"expired", "enter")
        await pilot.pause()
        assert "L1" in str(app.screen.query_one("#expiring-message", Label).render())
        assert app.screen.query_one("#expiring", DataTable).row_count == 1
    wh = [(r.number, r.expires_on, r.qty) for r in StockLot.select().where(
        StockLot.number.in_(["L1", "L2"])).order_by(StockLot.number)]
    assert wh == [("L1", dt.date(2027, 1, 31), Decimal(0)), ("L2", dt.date(2027, 2, 28),
                                                              Decimal(1))]


async def test_a_lot_scanned_at_the_till_goes_first(fresh_demo) -> None:  # noqa: F811
    from store.buying import receiving
    from tests.tui.test_till import open_till
    from tests.tui.test_till_returns import done

    i18n.set_language("en")
    owner = auth.authenticate("owner", "8888")
    expiry.track(owner, "P0000001")
    r = receiving.start(owner, "STORE", supplier_code=_a_supplier())
    receiving.scan(owner, r.number, "0106910000000006" + "17270131" + "10SOON", "5")
    receiving.scan(owner, r.number, "0106910000000006" + "17270630" + "10LATE", "5")
    receiving.post(owner, r.number)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "0106910000000006" + "17270630" + "10LATE", COKE)
        lines = app.screen.basket.lines
        assert [(ln.qty, ln.lot) for ln in lines] == [(1, "LATE"), (1, "")]  # two lines
        await pilot.press("f12", "enter")
        assert await done(pilot)
    held = {r.number: r.qty for r in StockLot.select().where(
        StockLot.number.in_(["SOON", "LATE"]))}
    assert held == {"SOON": Decimal(4), "LATE": Decimal(4)}  # the scanned one, then FEFO


def _a_supplier() -> str:
    from store.models import Supplier

    return Supplier.select().order_by(Supplier.id).get().code


async def test_counting_by_lot_at_80x24(fresh_demo) -> None:  # noqa: F811
    """A keeper counts WH by scanning GS1 labels: the line says its lots; posted, each lot is
    what was found and the rest of the level of no known lot."""
    from store.stock import counts
    from tests.tui.test_stockroom_screens import counting_wh

    i18n.set_language("zh_CN")
    owner = auth.authenticate("owner", "8888")
    expiry.track(owner, "P0000001")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await counting_wh(pilot)
        await scan(pilot, "4*" + LABEL)
        await scan(pilot, "1*0106910000000006" + "17270630" + "10L9")
        assert "L1 ×4 · L9 ×1" in message(app)
        row = cells(app)[0]
        assert row[0] == "P0000001" and row[2] == "5" and row[3] == "L1 ×4 · L9 ×1"
        number = counts.open_counts()[0].number
    counts.post(owner, number, zero_uncounted=False)
    wh = [(r.number, r.expires_on, r.qty) for r in StockLot.select().join(Warehouse).where(
        (StockLot.qty != 0) & (Warehouse.code == "WH")).order_by(StockLot.number)]
    assert wh == [("L1", dt.date(2027, 1, 31), Decimal(4)), ("L9", dt.date(2027, 6, 30),
                                                            Decimal(1))]
