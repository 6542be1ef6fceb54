"""Weighed goods at the till with a serial scale (a simulated one on a pseudo-terminal): the
steady weight goes on the line; a swinging bag, an empty platter and a pulled cable are said
in words and add nothing; F12 pressed while weighing waits for the line."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from devices.sim.scale import PtyScale
from store.core import i18n
from tests.tui.test_login_home import make_app
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo, open_till  # noqa: F401  (the fixture)
from tui.screens.till.screen import TillScreen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def message(app) -> str:
    return str(app.screen.query_one("#till-message").content)


@pytest.mark.parametrize("protocol", ["toledo-continuous", "toledo-ecr"])
async def test_the_scale_weighs_what_the_cashier_scans(fresh_demo, protocol) -> None:  # noqa: F811
    from store.catalog import search

    i18n.set_language("en")
    sim = PtyScale(protocol)
    app = make_app(fresh_demo)
    app.config.scale.url, app.config.scale.protocol = sim.path, protocol
    app.config.scale.timeout_ms = 1500
    app.weigher = type(app.weigher)(app.config)
    apples = next(h for h in search.search("苹果", 5) if h.sold_by_weight)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_till(pilot, "en")
            assert isinstance(app.screen, TillScreen)
            cart = app.screen.query_one("#cart")
            await pilot.press(*apples.sku, "enter")  # nothing on the scale yet
            assert await wait_until(pilot, lambda: "Nothing on the scale" in message(app))
            assert cart.row_count == 0
            sim.put("0.730", moving=True)
            await pilot.press(*apples.sku, "enter")
            assert await wait_until(pilot, lambda: "not steady" in message(app))
            assert cart.row_count == 0
            await pilot.press(*apples.sku, "enter", "f12")  # still swinging; F12 at once
            assert app.screen.weighing and isinstance(app.screen, TillScreen)  # F12 waited
            sim.put("0.735")  # it settles
            assert await wait_until(pilot, lambda: cart.row_count == 1)
            assert cart.get_row_at(0)[2] == "0.735"
            expected = (Decimal("0.735") * apples.price).quantize(Decimal("0.01"))
            assert cart.get_row_at(0)[4] == f"{expected:.2f}"
            assert isinstance(app.screen, TillScreen)
            sim.unplug()
            await pilot.press(*apples.sku, "enter")
            assert await wait_until(pilot, lambda: "scale does not answer" in message(app),
                                    seconds=5)
            assert cart.row_count == 1
            await pilot.press(*f"0.5*{apples.sku}", "enter")  # typed by hand meanwhile
            assert await wait_until(pilot, lambda: cart.row_count == 2)
            sim.plug()
            sim.put("1.002")
            await pilot.press(*apples.sku, "enter")  # the cable back: weighed again
            assert await wait_until(pilot, lambda: cart.row_count == 3, seconds=5)
            assert cart.get_row_at(2)[2] == "1.002"
    finally:
        sim.close()
