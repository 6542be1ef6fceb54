"""Order tracking in the back office: orders by status and channel, one order's lines and
history, shipping it with a tracking number and invoicing it — at 80×24, in both languages."""

from __future__ import annotations

import pytest

from store.channels import base, connectors
from store.core import i18n
from store.customers import orders
from store.models import Product
from store.security import auth
from tests.store.channel_files import TbItem, TbOrder, write_taobao
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


def _orders(tmp_path) -> str:
    owner = auth.authenticate("owner", "8888")
    sku = Product.select().where(Product.stock_tracked
                                 & (Product.sold_by_weight == False)).first().sku  # noqa: E712
    phone = orders.create(owner, [orders.LineInput(sku, "2")], confirm=True,
                          recipient=orders.Recipient("王五", "13700000000", "杭州市西湖区"))
    files = write_taobao(tmp_path, [
        TbOrder("1990000000000000001", items=[TbItem(sku, "淘宝的宝贝", "5.00", "1")]),
        TbOrder("1990000000000000002", items=[TbItem("NOSUCH", "对不上的宝贝", "9.90", "1")]),
    ])
    batch = connectors.connector("taobao", orders=files[0], items=files[1]).fetch()
    base.upsert(owner, "taobao", batch.orders)
    return phone.number


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_tracking_an_order_to_invoiced(fresh_demo, tmp_path, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    demo = {c: len(orders.orders(status="open", channel=c)) for c in ("", "phone", "taobao")}
    number = _orders(tmp_path)
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "6")  # sales orders
        await pilot.pause()
        # Open: the demo's own, and the phone order, the Taobao one and the held one
        assert len(rows(app)) == demo[""] + 3
        assert i18n._("held") in [r[2] for r in rows(app)]
        await pilot.press("c")  # channel: the first that has orders
        await pilot.pause()
        # the channel said in the reader's language: 电话订单 / Phone, not the code
        assert {r[1] for r in rows(app)} == {i18n.channel_label("phone")}
        assert i18n.channel_label("phone") != "phone" and len(rows(app)) == demo["phone"] + 1
        await pilot.press("c")
        await pilot.pause()
        assert {r[1] for r in rows(app)} == {i18n.channel_label("taobao")}
        assert len(rows(app)) == demo["taobao"] + 2
        shipped = len(orders.orders(status="shipped", channel="taobao"))
        await pilot.press("i")  # invoice the channel's shipped orders (the demo's one)
        await pilot.pause()
        assert i18n._("{n} orders invoiced").format(n=shipped) == text(app, "#doc-message")
        assert shipped and orders.orders(status="shipped", channel="taobao") == []
        await pilot.press("c", "f")  # all channels; status: held
        await pilot.pause()
        assert [r[0] for r in rows(app)] != [] and all(r[2] == i18n._("held")
                                                       for r in rows(app))
        await pilot.press("f", "f", "f", "f", "f", "f", "f")  # round to open again
        await pilot.pause()
        index = [r[0] for r in rows(app)].index(number)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert number in text(app, "#doc-title")
        await pilot.press("f6")  # invoice before shipping: refused, said on the line
        await pilot.pause()
        assert number in text(app, "#doc-message")
        await pilot.press("f5", *"SF 123456", "enter")
        await pilot.pause()
        assert "123456" in text(app, "#doc-status")
        await pilot.press("f6")
        await pilot.pause()
        assert orders.view(number).status == "invoiced"
        await pilot.press("h")
        await pilot.pause()
        assert [r[1] for r in rows(app)] == [i18n._(s) for s in ("quote", "confirmed",
                                                                 "shipped", "invoiced")]
