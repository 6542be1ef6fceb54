"""发票 requests in the back office (issue 19.4) at 80x24: the accountant sees what waits,
records the number the platform gave, marks it sent, and exports the rest to a file."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from backoffice.fapiao_view import FapiaoScreen
from store.catalog import search
from store.core import i18n
from store.fapiao import requests
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.dialogs.inputs import TextDialog


def _requested(n: int) -> list[str]:
    from store.models import Product

    coke = Product.get(Product.sku == "P0000001")
    requests.set_tax_code(auth.authenticate("owner", "8888"), coke.category.code,
                          "1030201010000000000")  # what the platform asks of every line
    cashier = auth.authenticate("cashier", "1234")
    sales.open_shift("T1", cashier.id, "100")
    made = []
    for i in range(n):
        b = Basket()
        b.add(search.lookup_code("6910000000006"), Decimal(i + 1))
        sale = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                               cashier_id=cashier.id)
        made.append(requests.request(cashier, [sale.number], title=f"某某公司{i}",
                                     tax_id="91110000600037341L").number)
    return made


async def test_the_accountant_works_the_requests(fresh_demo, tmp_path) -> None:  # noqa: F811
    i18n.set_language("zh_CN")
    first, second = _requested(2)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "accounts", "3690")
        await pilot.press("m", "8", "2")  # Customers … › 发票 requests
        await pilot.pause()
        assert isinstance(app.screen, FapiaoScreen)
        assert [r[0] for r in rows(app)] == [second, first]
        await pilot.press("down", "i")  # the first request
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"1234", "enter")  # too short: refused, said
        await pilot.pause()
        assert "8" in text(app, "#doc-message") and "20" in text(app, "#doc-message")
        await pilot.press("i", *"24442000000012345678", "enter")
        await pilot.pause()
        assert [r[0] for r in rows(app)] == [second]  # still to issue
        await pilot.press("f")  # issued ones
        await pilot.pause()
        assert rows(app)[0][0] == first and rows(app)[0][6] == "24442000000012345678"
        await pilot.press("s")
        await pilot.pause()
        assert rows(app) == []  # sent: no longer among the issued
        await pilot.press("f", "f", "f", "f")  # round to the requests still to issue
        await pilot.pause()
        out = tmp_path / "fp.xlsx"
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        dialog.query_one("Input").value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert "1" in text(app, "#doc-message") and out.exists(), text(app, "#doc-message")
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 2
    assert requests.get(first).status == "sent"
