"""Issue 14.3: at 80x24 a report never shows a cut number. A DataTable wider than the screen
cut its rightmost column anywhere (`8,672.` for 8,672.46, `81,117.3`); every report is rendered
here with the largest figures a till can make, in both languages, and every number on screen
must be one of its row's values, whole. Left and Right bring every column into view."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from backoffice.report_view import ReportScreen
from store.catalog import search
from store.core import i18n
from store.models import Product
from store.reporting import export
from store.security import auth
from store.selling import sales
from store.selling.basket import MAX_QTY, Basket
from store.selling.sales import PaymentInput
from tests.tui.test_login_home import login, make_app
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.widgets.fit_table import FitTable, plain

NUMBER = re.compile(r"(?<!\S)-?\d[\d,]*(?:\.\d*)?(?!\S)")


def sell_the_most() -> None:
    """Baskets of the dearest goods at the largest quantity a line takes: seven-figure sums."""
    cashier = auth.authenticate("cashier", "1234")
    sales.open_shift("T1", cashier.id, "100")
    dearest = Product.select().order_by(Product.price.desc()).limit(3)
    for product in dearest:
        b = Basket()
        b.add(search.lookup_code(product.sku), MAX_QTY)
        sales.post_sale(b, [PaymentInput("CARD", b.total, "ref")], terminal="T1",
                        cashier_id=cashier.id)


def table_lines(app, table: FitTable) -> list[tuple[int, str]]:
    """(data row, text) for each table row on screen, cropped to the table's region."""
    strips = app.screen._compositor.render_strips()
    region = table.region
    out = []
    for y in range(region.y + 1, region.bottom):  # under the headings
        row = table.scroll_offset.y + (y - region.y - 1)
        if row >= len(table.data):
            break
        out.append((row, strips[y].text[region.x:region.right]))
    return out


def check_numbers(app, table: FitTable) -> int:
    seen = 0
    for row, text in table_lines(app, table):
        whole = {plain(c) for c in table.data[row]}
        for number in NUMBER.findall(text):
            assert number in whole, (number, text, table.data[row])
            seen += 1
    return seen


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_every_report_shows_whole_numbers_at_80x24(fresh_demo, lang) -> None:  # noqa: F811
    sell_the_most()
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "owner", "8888")
        for name in export.REPORTS:
            await app.push_screen(ReportScreen(name, span="year"))
            await pilot.pause()
            table = app.screen.query_one("#report-table", FitTable)
            assert await wait_until(pilot, lambda t=table: bool(t.labels)), name
            await pilot.pause()
            shown = set(table.shown)
            seen = check_numbers(app, table)
            for _ in range(len(table.labels)):
                await pilot.press("right")
                await pilot.pause()
                shown |= set(table.shown)
                seen += check_numbers(app, table)
            assert shown == set(range(len(table.labels))), name  # every column reachable
            assert table.hidden[1] == 0
            if name in ("daily", "sales", "journal", "trial-balance", "valuation"):
                assert seen, name  # figures were there to check
            await pilot.press("escape")
            await pilot.pause()


def test_a_long_name_is_shortened_a_number_never() -> None:
    from rich.text import Text

    from tui.widgets.fit_table import shorten

    assert shorten("农夫山泉矿泉水 4L 特大装 家庭实惠装", 12) == "农夫山泉矿…"
    big = Text("9,999,999,999.99")
    assert shorten(big, 5) is big
    assert Decimal("9999999999.99") == Decimal(plain(big).replace(",", ""))
