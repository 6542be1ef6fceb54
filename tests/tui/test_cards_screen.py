"""Stored-value cards in the back office (issue 19.2) at 80x24: the owner sees each card's
balances and what the holders are owed, a card's statement, and sets a top-up bonus."""

from __future__ import annotations

from decimal import Decimal

from backoffice.cards_view import CardsScreen
from store.core import i18n
from store.security import auth
from store.selling import cards, sales
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.dialogs.inputs import TextDialog
from tui.dialogs.shift_report import ShiftReportDialog


async def test_the_owner_looks_at_the_cards(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("zh_CN")
    _ = i18n._
    cashier = auth.authenticate("cashier", "1234")
    sales.open_shift("T1", cashier.id, "100")
    card = cards.open_card(cashier, customer="M000001")
    cards.top_up(cashier, card.number, "500", "CASH", terminal="T1")  # the demo: 充500送60
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9")  # Customers, price lists and promotions
        await pilot.pause()
        menu = [e.id for e in app.screen.entries]
        await pilot.press(*["down"] * menu.index("cards"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        listed = rows(app)
        assert listed[0][0] == card.number and "560.00" in listed[0][2]
        assert "500.00" in text(app, "#doc-status")  # owed to the holders: the paid part
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ShiftReportDialog)
        shown = " ".join(f"{a} {b}" for a, b in app.screen.rows)
        assert "SV-000001" in shown and "+560.00" in shown and _("top-up") in shown
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"200 25", "enter")
        await pilot.pause()
        assert "200" in text(app, "#doc-message")
    assert cards.bonus_for(Decimal(250)) == Decimal(25)
