"""The owner's dashboard at 80x24 in both languages, on a shop whose clock is stopped at
Wednesday 18 November 2026, 15:30 in Shanghai, after a day and a week-ago day of sales.

After an intended change of layout: pytest tests/tui/test_snapshots_backoffice.py
--snapshot-update, then look at the SVGs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store import bootstrap
from store.catalog import search
from store.common import clock
from store.core import i18n
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.tui.test_snapshots import make_app

NOW = dt.datetime(2026, 11, 18, 7, 30)  # UTC: 15:30 in Shanghai
SALES = (  # days back, hour, terminal, (code, qty), tender
    (7, 12, "T1", ("6910000000006", 3), "WECHAT"),
    (0, 9, "T1", ("6910000000006", 2), "WECHAT"),
    (0, 12, "T1", ("6920000000005", 3), "ALIPAY"),
    (0, 12, "T2", ("6910000000006", 6), "CASH"),
    (0, 13, "T2", ("6920000000005", 1), "CARD"),
    (0, 15, "T1", ("6910000000006", 4), "WECHAT"),
)


@pytest.fixture
def stopped_shop(tmp_path):
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    with clock.freeze(NOW - dt.timedelta(days=9)):
        bootstrap.ensure_demo(url, products=120, history_days=0)
        clock.set_shop_zone("Asia/Shanghai")
    cashier = auth.authenticate("cashier", "1234")
    for back, hour, terminal, (code, qty), tender in SALES:
        day = dt.date(2026, 11, 18) - dt.timedelta(days=back)
        with clock.at(clock.local_moment(day, dt.time(hour, 5))):
            if sales.current_shift(terminal) is None:
                sales.open_shift(terminal, cashier.id, "200")
            b = Basket()
            b.add(search.lookup_code(code), Decimal(qty))
            pay = b.total + Decimal("0.40") if tender == "CASH" else b.total
            sales.post_sale(b, [PaymentInput(tender, pay, "4200" if tender != "CASH" else "")],
                            terminal=terminal, cashier_id=cashier.id)
        if back:
            with clock.at(clock.local_moment(day, dt.time(22, 0))):
                sales.close_shift(terminal, auth.authenticate("manager", "2468"),
                                  sales.shift_totals(sales.current_shift(terminal).id)
                                  .expected_cash)
    bootstrap.close_store()
    with clock.freeze(NOW):
        yield url


async def _dashboard(pilot) -> None:
    await pilot.press(*"owner", "enter", *"8888", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_dashboard(snap_compare, stopped_shop, lang) -> None:
    i18n.set_language(lang)
    assert snap_compare(make_app(stopped_shop), terminal_size=(80, 24), run_before=_dashboard)
