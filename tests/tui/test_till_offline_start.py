"""A till that restarts while the server is away (issue 18.2): `zhanggui run` cannot reach the
database, so the app starts from the till's local copy — the cashier logs in with their PIN
as the copy knows it, the home screen offers the till only, the till sells in the shift it
had open, and when the server answers the sale goes in."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from store.core.config import Config
from store.models import Approval, Sale
from store.offline import reviews
from store.selling import sales
from tests.pgoutage import refused
from tests.tui.test_login_home import login, make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done, message
from tui.app import ZhangguiApp
from tui.dialogs.override import OverrideDialog
from tui.screens.till.screen import TillScreen

D = Decimal


@pytest.mark.pg_only
async def test_a_till_restarted_in_an_outage_starts_offline_and_sells(fresh_demo, capsys,  # noqa: F811
                                                                      monkeypatch) -> None:
    from tui.cli import main as cli
    from tui.cli import shop as run_command

    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:  # a day's start: online, shift opened
        await open_till(pilot, "en")
        await asyncio.to_thread(app.link.refresh)
    with refused(fresh_demo):
        started: list[str] = []
        monkeypatch.setattr(run_command, "_launch",
                            lambda cfg, offline_reason="": started.append(offline_reason) or 0)
        assert cli.main(["--db", fresh_demo, "--lang", "en", "run"]) == 0
        assert started and "Cannot connect" in started[0]
        assert "starts offline from its local copy" in capsys.readouterr().err
        cfg = Config()
        cfg.database.url = fresh_demo
        app = ZhangguiApp(cfg, offline_reason=started[0])
        async with app.run_test(size=(80, 24)) as pilot:
            assert "OFFLINE" in app.sub_title
            await login(pilot, "cashier", "0000")  # a wrong PIN is wrong offline too
            assert "Wrong user name or PIN" in str(app.screen.query_one("#login-error").render())
            await login(pilot, "cashier", "1234")
            assert [e.id for e in app.screen.entries] == ["till"]
            await pilot.press("1")
            await pilot.pause()
            assert isinstance(app.screen, TillScreen) and app.screen.shift is not None
            await scan(pilot, "2*6910000000006")
            await pilot.press("f5", *"10%", "enter", *"regular", "enter")  # within her limit
            await pilot.pause()
            assert app.screen.basket.total == D("5.40")
            await scan(pilot, "6920000000005")
            await pilot.press("f5", *"20%", "enter", *"damaged", "enter")  # beyond it: the
            await pilot.pause()  # supervisor's PIN, checked against the till's copy
            assert isinstance(app.screen, OverrideDialog)
            await pilot.press(*"manager", "enter", *"0000", "enter")
            assert isinstance(app.screen, OverrideDialog)  # a wrong PIN is wrong offline too
            await pilot.press(*"2468", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TillScreen)
            assert app.screen.basket.total == D("8.52")  # 5.40 + 3.90 less 20%
            await pilot.press("f12", "enter")
            assert await done(pilot)
            assert "T1-000001" in message(app)
    from store.core.db import connect
    from store.offline import sync

    connect(fresh_demo)
    assert sync.drain(app.link.outbox).posted == ["T1-000001"]  # the next sync, after the app
    sale = sales.get_sale("T1-000001")
    assert Sale.select().count() == 1 and (sale.total, sale.rounding) == (D("8.50"), D("-0.02"))
    assert [(ln.discount, ln.note) for ln in sale.lines] == [(D("0.60"), "regular"),
                                                             (D("0.78"), "damaged")]
    approval = Approval.get_by_id(sale.lines[1].approval_id)  # recorded, spent on this sale
    assert approval.approver.username == "manager" and approval.used_ref == "T1-000001"
    assert '"offline": true' in approval.detail
    assert not reviews.open_reviews()  # within their limits: nothing to look at
    # The outage's logins are in the audit chain, as online ones are, with when they were.
    from store.assurance import integrity
    from store.models import AuditEvent

    logins = {(e.kind, e.user.username if e.user else None, e.terminal)
              for e in AuditEvent.select().where(AuditEvent.kind.startswith("login")
                                                 & AuditEvent.payload.contains("offline_at"))}
    # The cashier's wrong PIN and her login; the supervisor's wrong PIN at the approval (an
    # approval is no login: the approval itself is recorded with the sale).
    assert logins == {("login_failed", "cashier", "T1"), ("login", "cashier", "T1"),
                      ("login_failed", "manager", "T1")}
    assert integrity.verify().ok
