"""Customers and price lists in the back office, at 80×24: find a customer, open their
details (recorded in the audit trail), correct their address, see their statement; add one
with a mistake first; add and remove a price-list rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual import events
from textual.widgets import DataTable

from backoffice.customers_view import (
    CustomerScreen,
    CustomersScreen,
    PointsScreen,
    PriceListScreen,
    PriceListsScreen,
)
from backoffice.forms import FormDialog
from backoffice.receivables_view import StatementScreen
from store.core import i18n
from store.core.i18n import _
from store.customers import records
from store.pricing import price_lists
from store.security import audit, auth
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import drain, make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


def _a_members_sale(code: str) -> int:
    """10 Coke for the member (the demo's rules: 2 points a 元 on drinks); their points."""
    from store.catalog import search
    from store.customers import lookup
    from store.selling import points, sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    owner = auth.authenticate("owner", "8888")
    sales.open_shift("T1", owner.id, "0")
    who = lookup.one(code)
    b = Basket()
    b.attach(who, price_lists.rules_for(who.price_list_id))
    b.add(search.lookup_code("6910000000006"), Decimal(10))
    sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=owner.id)
    return points.member(code).points


@pytest.mark.parametrize("lang", ["en"])  # Chinese: the import and register screens' tests
async def test_find_open_correct_and_add_a_customer(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    earned = _a_members_sale("M000010")
    assert earned > 0
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9", "2")  # customers, price lists and promotions > customers
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen) and len(rows(app)) == 60
        assert "13800138010" not in str(rows(app))  # the list opens no phone: …8010
        await pilot.press("slash", *"M000010", "enter")
        await pilot.pause()
        assert [r[0] for r in rows(app)] == ["M000010"] and rows(app)[0][4] == "…8010"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
        assert "13800138010" in str(rows(app)) and "愚园路110号" in str(rows(app))
        assert audit.events(kind="customer_data_viewed")[-1].reference == "M000010"
        await pilot.press("e")
        await pilot.pause()
        assert "F2" in text(app, ".muted")
        #                 name phone address (then F2 saves, the rest as they were)
        await fill(pilot, ["=", "=", "北京市海淀区中关村1号"])
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
        assert "中关村" in str(rows(app)) and "M000010" in text(app, "#doc-message")
        headers = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert headers == ([_("Field"), _("Details")])  # not "金额": these are no amounts
        assert [_("Points"), f"{earned:,} points, worth ￥{Decimal(earned) / 100:.2f}"] in rows(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatementScreen)
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, PointsScreen)
        (move,) = rows(app)
        assert move[1:5] == ["earned", "T1-000001", f"+{earned:,}", f"{earned:,}"]
        await pilot.press("escape", "escape", "n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, ["M000099", "周新", "13900001111", "广州市天河区", "zhou@", "", "MEMBER",
                           "", ""])
        assert isinstance(app.screen, FormDialog) and app.focused.id == "form-email"
        assert "zhou@" in text(app, "#form-error")
        await fill(pilot, ["zhou@example.cn", "=", "=", "=", "="])
        assert isinstance(app.screen, CustomersScreen)
    owner = auth.authenticate("owner", "8888")
    assert records.details(owner, "M000010").address == "北京市海淀区中关村1号"
    new = records.details(owner, "M000099")
    assert (new.phone, new.email, new.group) == ("13900001111", "zhou@example.cn", "MEMBER")


async def test_price_list_rules(fresh_demo) -> None:  # noqa: F811
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9", "3")  # > price lists
        await pilot.pause()
        assert isinstance(app.screen, PriceListsScreen)
        codes = [r[0] for r in rows(app)]
        assert codes == ["MEMBER", "RETAIL", "WHOLESALE"]
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, ["RETAIL", "零售价二", "Retail 2"])  # taken: said, form stays
        assert isinstance(app.screen, FormDialog) and "RETAIL" in text(app, "#form-error")
        assert app.focused.id == "form-code"
        await fill(pilot, ["STAFF", "=", "="])
        assert [r[0] for r in rows(app)] == ["MEMBER", "RETAIL", "STAFF", "WHOLESALE"]
        await pilot.press("enter")  # MEMBER
        await pilot.pause()
        assert isinstance(app.screen, PriceListScreen)
        before = len(rows(app))
        await pilot.press("a", *"P0000005 1.00 6", "enter")
        await pilot.pause()
        assert len(rows(app)) == before + 1 and "MEMBER" in text(app, "#doc-message")
        await pilot.press("a", *"NOPE 1.00", "enter")
        await pilot.pause()
        assert "NOPE" in text(app, "#doc-message")
        index = [r[0] for r in rows(app)].index("P0000005")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("delete")
        await pilot.pause()
        assert len(rows(app)) == before
    assert all(r.target != "P0000005" for r in price_lists.rules_of("MEMBER"))


async def test_a_burst_of_keys_fills_a_form_field_by_field(fresh_demo) -> None:  # noqa: F811
    """Enter moves to the next field as it is dispatched: 'CODE⏎name⏎English⏎' typed in one
    burst (a fast typist, a slow SSH link) lands each part in its own field — the next
    field's keys went into the one just left while focus moved at the next idle moment."""
    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9", "3")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        for key in [*"STAFF", "enter", *"Staff", "enter", *"Staff prices", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await drain(app)
        await pilot.pause()
        assert isinstance(app.screen, PriceListsScreen), text(app, "#form-error")
    from store.models import PriceList

    made = PriceList.get(PriceList.code == "STAFF")
    assert (made.name, made.name_en) == ("Staff", "Staff prices")


async def test_a_database_fault_is_said_and_the_back_office_stays(fresh_demo, monkeypatch  # noqa: F811
                                                                  ) -> None:
    """The server gone while a form saves or a list reads itself again: a message on the form
    (what was typed is kept) or on the list's message line, never a traceback or a closed
    app — Textual ends the app on an exception that escapes a handler."""
    from peewee import OperationalError

    from store.customers import parties

    def gone(*_a, **_k):
        raise OperationalError("server closed the connection unexpectedly")

    i18n.set_language("en")
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9", "2")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        await pilot.press("n")
        await pilot.pause()
        monkeypatch.setattr(parties, "create_customer", gone)
        await fill(pilot, ["M000098", "孙新"])
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and app.is_running
        assert "not answering" in text(app, "#form-error")
        assert app.screen.query_one("#form-name").value == "孙新"
        monkeypatch.setattr(records, "customer_list", gone)
        await pilot.press("escape")  # back to the list, which reads itself again
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen) and app.is_running
        assert "not answering" in text(app, "#doc-message")
        monkeypatch.undo()
        await pilot.press("slash", "M", "enter")  # the server is back: the list reads again
        await pilot.pause()
        assert len(rows(app)) == 60 and "not answering" not in text(app, "#doc-message")
