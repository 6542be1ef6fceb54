"""A channel's API answering badly (issue 17, bad input): malformed or truncated JSON, a
redirect to another host, a server that never answers, trades missing fields, absurd
quantities and prices, another currency. Each is said on the channel in words; a broken
answer imports nothing and leaves the cursor where it was, so the next run asks again; an
absurd but storable order is held for a person, reserving nothing; a worthless one refused."""

from __future__ import annotations

import datetime as dt
import re
import socket
from decimal import Decimal

import httpx
import pytest

from sims.shopify_admin import ShopifyAdmin
from store.channels import links, shopify_api, taobao_api, top
from store.models import ChannelLink, SalesOrder
from store.stock import inventory
from tests.store.test_channel_top import NOW, client, connect, router, trades  # noqa: F401


def _sync(link):
    return taobao_api.sync(_boss(), link, client=client(link), since=NOW - dt.timedelta(hours=3))


def _boss():
    from store.security import auth

    return auth.authenticate("boss", "8888")


@pytest.mark.parametrize("raw, said", [
    ((200, b"<html>502 Bad Gateway</html>", {"Content-Type": "text/html"}),
     "the answer is not JSON (HTTP 200)"),
    ((200, b'{"trades_sold_increment_get_response": {"total_results": 3, "trades": {"trade": [',
      {"Content-Type": "application/json"}), "the answer is not JSON (HTTP 200)"),
    ((200, b'["not", "an", "object"]', {}), "an answer of an unknown shape"),
    ((200, b'{"something_else_response": {}}', {}), "an answer of an unknown shape"),
    ((302, b"", {"Location": "http://evil.example/router/rest"}),
     "redirected to http://evil.example/router/rest; a channel's API never redirects"),
])
def test_a_broken_answer_imports_nothing_and_the_next_run_asks_again(router, raw,  # noqa: F811
                                                                      said) -> None:
    trades(router, 0, 3, hours_ago=2)
    _b, link = connect(router)
    router.refuse = [raw]
    with pytest.raises(top.TopError, match=re.escape(said.split(";")[0][:30])):
        _sync(link)
    assert SalesOrder.select().count() == 0
    assert links.get("taobao").status == "retrying" and said in links.get("taobao").message
    assert links.get("taobao").cursor == ""  # nothing committed: the same window again
    report = _sync(link)
    assert report.created == 3 and links.get("taobao").status == "ok"


def test_a_server_that_never_answers_times_out_in_words(router) -> None:  # noqa: F811
    _b, link = connect(router)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts (the kernel does), never reads, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/router/rest"
        slow = top.TopClient(url, router.app_key, router.secret, router.session, retries=1,
                             sleep=lambda _s: None, http=httpx.Client(timeout=0.3))
        with pytest.raises(top.Unreachable, match="no answer"):
            taobao_api.sync(_boss(), link, client=slow, since=NOW - dt.timedelta(hours=3))
    finally:
        silent.close()
    assert links.get("taobao").status == "retrying"
    assert "ReadTimeout" in links.get("taobao").message and links.get("taobao").cursor == ""


def test_trades_missing_fields_are_refused_by_name_and_the_rest_come_in(router  # noqa: F811
                                                                        ) -> None:
    trades(router, 0, 2, hours_ago=2)
    an_hour_ago = NOW - dt.timedelta(hours=1)
    router.put(2_200_001, "WAIT_SELLER_SEND_GOODS", an_hour_ago, items=[])  # no lines
    router.put(2_200_002, "NO_SUCH_STATUS", an_hour_ago,
               items=[{"num": 1, "payment": "3.50", "outer_iid": "COKE"}])
    router.put(2_200_003, "WAIT_SELLER_SEND_GOODS", an_hour_ago,
               items=[{"num": "两个", "payment": "3.50", "outer_iid": "COKE"}])
    router.trades["2200004"] = {"status": "WAIT_SELLER_SEND_GOODS",  # no tid at all
                                "modified": router.trades["2200001"]["modified"]}
    _b, link = connect(router)
    report = _sync(link)
    assert report.created == 2
    why = sorted(w for _row, w in report.rejected)
    assert len(why) == 4
    assert any("2200001" in w and "no items" in w for w in why)
    assert any("2200002" in w and "NO_SUCH_STATUS" in w for w in why)
    assert any("2200003" in w and "两个" in w for w in why)
    assert any("tid" in w for w in why)
    assert links.get("taobao").status == "ok"


def test_absurd_quantities_and_prices_are_held_or_refused_never_confirmed(router  # noqa: F811
                                                                          ) -> None:
    inventory.post_opening_stock("COKE", "STORE", "500")
    an_hour_ago = NOW - dt.timedelta(hours=1)
    router.put(2_300_001, "WAIT_SELLER_SEND_GOODS", an_hour_ago, items=[  # past the shop's
        {"num": 200_000, "payment": "700000.00", "outer_iid": "COKE"}])  # 99,999 a line
    router.put(2_300_002, "WAIT_SELLER_SEND_GOODS", an_hour_ago, items=[
        {"num": 1, "payment": "20000000.00", "outer_iid": "COKE"}])  # ¥20,000,000 a can
    router.put(2_300_003, "WAIT_SELLER_SEND_GOODS", an_hour_ago, items=[
        {"num": "1e11", "payment": "3.50", "outer_iid": "COKE"}])  # nothing real: refused
    router.put(2_300_004, "WAIT_SELLER_SEND_GOODS", an_hour_ago, items=[
        {"num": 1, "payment": "1e11", "outer_iid": "COKE"}])
    _b, link = connect(router)
    report = _sync(link)
    assert report.created == 2 and len(report.rejected) == 2
    said = links.get("taobao").message  # on the channel, not only in the command's output
    assert "2 held, 2 refused (the first: 2300001: num:" in said, said
    held = {o.external_id: o for o in SalesOrder.select()}
    assert {o.status for o in held.values()} == {"held"}
    assert any("2300001" in w and "200000" in w for _r, w in report.held)
    assert inventory.reserved_qty([held["2300001"].lines[0].product_id]) == {}
    ChannelLink.update(cursor="").execute()  # the same trades again (a resync from the day)
    again = _sync(link)  # still held, nothing moved
    assert (again.unchanged, len(again.held)) == (2, 2) and SalesOrder.get(
        SalesOrder.external_id == "2300002").status == "held"
    assert SalesOrder.get(SalesOrder.external_id == "2300002").total == Decimal("20000000.00")


def test_an_order_in_another_currency_is_held(shop) -> None:
    from tests.store.stock_helpers import stock_shop

    stock_shop()
    with ShopifyAdmin() as admin:
        admin.currency = "USD"
        admin.put(4001, NOW - dt.timedelta(hours=1), lines=[
            {"sku": "COKE", "title": "Coke", "quantity": 1,
             "discountedUnitPriceSet": {"shopMoney": {"amount": "3.5", "currencyCode": "USD"}}}])
        boss = _boss()
        links.add_link(boss, "shopify", url=admin.url, secrets={"token": admin.token})
        link = links.get("shopify")
        report = shopify_api.sync(boss, link, client=shopify_api.client_for(
            link, sleep=lambda _s: None), since=NOW - dt.timedelta(hours=2))
    assert SalesOrder.get().status == "held"
    assert report.held == [(1, "#4001: amounts are in USD; the shop keeps its books in CNY")]
