"""The till charges its own shop's price and runs its own shop's promotions (issue 18.1): a
MAIN till scans the cola at MAIN's price, takes MAIN's promotion and not Beijing's, and the
sale posts at those figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.core import i18n
from store.pricing import promotions, shop_prices
from store.pricing.promotions import PromotionInput
from store.security import auth
from store.selling import sales
from store.shops import branches
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo, open_till, scan  # noqa: F401  (the fixture)
from tests.tui.test_till_returns import done

D = Decimal


@pytest.mark.parametrize("lang", ["en"])
@pytest.mark.both_engines
async def test_the_till_sells_at_its_shop_s_price_and_promotions(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    owner = auth.authenticate("owner", "8888")
    branches.add_shop(owner, "BJ", "北京店")
    shop_prices.set_price(owner, "MAIN", "P0000001", "3.30")  # the cola: 3.00 for the chain
    promotions.create(owner, PromotionInput("BJCOLA", "北京可乐", "amount", "1",
                                            skus=["P0000001"], shops=["BJ"]))
    promotions.create(owner, PromotionInput("MAINCOLA", "本店可乐", "amount", "0.10",
                                            skus=["P0000001"], shops=["MAIN"]))
    promotions.forget()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_till(pilot, lang)
        await scan(pilot, "2*6910000000006")
        await pilot.pause()
        basket = app.screen.basket
        assert basket.lines[0].unit_price == D("3.30")
        assert [s.code for s in basket.lines[0].promos] == ["MAINCOLA"]
        assert basket.total == D("6.40")
        await pilot.press("f12", *"6.40", "enter")
        assert await done(pilot)
    sale = sales.get_sale("T1-000001")
    assert (sale.total, sale.lines[0].unit_price) == (D("6.40"), D("3.30"))
