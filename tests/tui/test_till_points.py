"""Members' points at the till (issue 19.1): a member's sale earns points (the demo's rule: 2 a
元 on drinks); attaching them again says their points; the points tender fills in what their
points pay of what is due; the receipt prints what the sale moved and the balance."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from textual.widgets import Input

from store.core import i18n
from store.models import PrintJob
from store.selling import points
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan, tender_keys  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done, message
from tui.screens.tender import TenderScreen

D = Decimal


def _receipt() -> dict:
    job = PrintJob.select().where(PrintJob.kind == "receipt").order_by(PrintJob.id.desc()).get()
    return json.loads(job.payload)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_member_earns_and_spends_points(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    _ = i18n._
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await pilot.press("shift+f2", *"13800138001", "enter")  # the demo's member M000001
        await pilot.pause()
        await scan(pilot, "20*6910000000006")  # 20 Coke at the member's price
        total = app.screen.basket.total
        await pilot.press("f12")
        tender = app.screen
        assert isinstance(tender, TenderScreen)
        await pilot.press("enter")  # cash, the total
        assert await done(pilot)
        earned = int(total * 2)  # drinks: 2 points a 元
        assert points.member("M000001").points == earned
        assert _receipt()["notes"] == [_("Points {moved:+,}, balance {balance:,}").format(
            moved=earned, balance=earned)]

        await pilot.press("shift+f2", *"M000001", "enter")
        await pilot.pause()
        assert _("{points} points").format(points=f"{earned:,}") in message(app)
        await scan(pilot, "6910000000006")
        due = app.screen.basket.total
        await pilot.press("f12")
        tender = app.screen
        assert isinstance(tender, TenderScreen)
        keys = tender_keys(tender)
        await pilot.press(keys["POINTS"])  # what the points pay of what is due, filled in
        await pilot.pause()
        assert not tender.query_one("#tender-ref").display  # the member is the reference
        worth = D(earned) / 100
        by_points = min(worth, due)
        assert tender.query_one("#tender-amount", Input).value == f"{by_points:.2f}"
        assert _("{points} points: they pay for {worth}").format(
            points=f"{earned:,}", worth=f"￥{worth:,.2f}") in str(
            tender.query_one("#tender-error").render())
        await pilot.press("enter")
        if by_points < due:  # the rest in cash
            await pilot.pause()
            await pilot.press(keys["CASH"], "enter")
        assert await done(pilot)
    spent = int(by_points * 100)
    again = int((due - by_points) * 2)  # the points part earns none
    assert points.member("M000001").points == earned - spent + again
    assert _receipt()["notes"] == [_("Points {moved:+,}, balance {balance:,}").format(
        moved=again - spent, balance=earned - spent + again)]


async def test_points_need_a_member(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        await scan(pilot, "6910000000006")
        await pilot.press("f12")
        tender = app.screen
        keys = tender_keys(tender)
        await pilot.press(keys["POINTS"])
        await pilot.pause()
        assert "Points need the member" in str(tender.query_one("#tender-error").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TenderScreen) and not tender.payments
        assert "Points need the member" in str(tender.query_one("#tender-error").render())


@pytest.mark.pg_only
async def test_a_member_offline_shows_their_points_and_pays_otherwise(fresh_demo) -> None:  # noqa: F811
    """The database gone: the member is attached from the till's copy with their tier and
    points; the points tender says it needs the database; cash takes the sale, and its
    points are earned when it posts."""
    import asyncio

    from store.security import auth
    from tests.pgoutage import refused

    i18n.set_language("en")
    points.adjust(auth.authenticate("owner", "8888"), "M000020", 1200, reason="welcome")
    before = points.member("M000020").points
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, "en")
        assert app.link is not None
        await asyncio.to_thread(app.link.refresh)
        with refused(fresh_demo):
            await pilot.press("shift+f2", *"M000020", "enter")
            await pilot.pause()
            assert f"{before:,} points" in message(app) and "OFFLINE" in app.sub_title
            await scan(pilot, "6910000000006")
            await pilot.press("f12")
            tender = app.screen
            keys = tender_keys(tender)
            await pilot.press(keys["POINTS"])
            await pilot.pause()
            said = str(tender.query_one("#tender-error").render())
            assert "Offline: points need the database" in said
            await pilot.press(keys["CASH"], "enter")
            assert await done(pilot) and "to send: 1" in app.sub_title
        result = await asyncio.to_thread(app.link.tick)
        assert result is not None and len(result.posted) == 1
    assert points.member("M000020").points > before
