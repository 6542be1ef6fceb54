"""The back office's list of sales made offline to review (issue 18.2), at 80x24: a manager
finds a till's offline sale that sold the last units and more, reads why in their language,
and marks it seen; the dashboard names it until then."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.offline_reviews import OfflineReviewsScreen
from store.catalog import search
from store.core import i18n
from store.models import Product, StockLevel
from store.offline import reviews, sync
from store.offline.outbox import Outbox
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


@pytest.mark.parametrize("lang", ["zh_CN"])
async def test_a_manager_looks_at_an_offline_sale_and_marks_it_seen(fresh_demo, tmp_path,  # noqa: F811
                                                                   lang) -> None:
    cashier = auth.authenticate("cashier", "1234")
    shift = sales.open_shift("T1", cashier.id, "100")
    hit = search.lookup_code("6910000000006")
    on_hand = sum((lv.on_hand for lv in StockLevel.select().join(Product)
                   .where(Product.id == hit.id)), Decimal(0))
    box = Outbox(tmp_path / "outbox.db", "T1")
    b = Basket()
    b.add(hit, on_hand + 5)  # the till sold what the shelf had, and five more
    box.add(b, [PaymentInput("CASH", b.total)], cashier_id=cashier.id, shift_id=shift.id)
    assert sync.drain(box).posted == ["T1-000001"]
    assert reviews.attention()[0].startswith("Sales made offline to review: 1")
    i18n.set_language(lang)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "manager", "2468")
        await pilot.press("m", "2")  # leave the dashboard; Reports
        await pilot.pause()
        await pilot.press("0")  # the offline sales to review (the tenth entry)
        await pilot.pause()
        assert isinstance(app.screen, OfflineReviewsScreen)
        [(number, till, _sold, what)] = rows(app)
        assert (number, till) == ("T1-000001", "T1") and what.startswith("库存变为负数")
        await pilot.press("s")
        await pilot.pause()
        assert rows(app) == [] and "T1-000001" in text(app, "#doc-message")
    assert reviews.open_reviews() == []
