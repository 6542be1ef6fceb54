"""Taobao orders by the API (issue 17): a channel connected with sealed credentials, synced
against a TOP router over real HTTP that checks every signature — windows of a day, pages read
last-first, a trade modified between pages, rate limits waited out, an expired session and a
cut network stopping the sync where it was, and no order lost or doubled across syncs."""

from __future__ import annotations

import datetime as dt

import pytest

from sims.top_router import TopRouter, error, top_signature
from store.channels import links, taobao_api, top
from store.core.errors import PermissionDenied, ValidationError
from store.models import AuditEvent, ChannelLink, SalesOrder, utcnow
from store.security import auth
from store.stock import inventory
from tests.store.stock_helpers import stock_shop

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def router(shop):
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "500")
    with TopRouter() as r:
        r.users = users  # type: ignore[attr-defined]
        yield r


def connect(r: TopRouter, **secrets: str):
    boss = auth.authenticate("boss", "8888")
    given = {"app_key": r.app_key, "app_secret": r.secret, "session": r.session} | secrets
    links.add_link(boss, "taobao", url=r.url, secrets=given)
    return boss, links.get("taobao")


def trades(r: TopRouter, first: int, count: int, *, hours_ago: float, status: str =
           "WAIT_SELLER_SEND_GOODS") -> None:
    for i in range(first, first + count):
        r.put(2_000_000 + i, status, NOW - dt.timedelta(hours=hours_ago, minutes=i % 50),
              items=[{"oid": i, "title": "可口可乐 330ml", "num": 2, "price": "3.50",
                      "payment": "7.00", "outer_iid": "COKE"}],
              payment="7.00", buyer_nick=f"买家{i}", receiver_name="张三",
              receiver_mobile="13800138000", receiver_state="上海", receiver_city="上海市",
              receiver_district="长宁区", receiver_address="天山路8号")


def client(link, slept: list[float] | None = None) -> top.TopClient:
    return taobao_api.client_for(link, sleep=(slept.append if slept is not None
                                              else lambda _s: None), retries=3)


@pytest.mark.parametrize("method", ["md5", "hmac", "hmac-sha256"])
def test_every_signature_method_is_what_the_platform_computes(method) -> None:
    params = {"method": "taobao.trades.sold.increment.get", "app_key": "12345678",
              "timestamp": "2026-12-04 12:00:00", "v": "2.0", "fields": "tid,status",
              "buyer_nick": "买家 小王", "empty": "", "sign_method": method}
    assert top.sign(params, "s3cret", method) == top_signature(params, "s3cret", method)
    assert top.sign(params, "s3cret", method) != top.sign(params, "other", method)


def test_orders_arrive_window_by_window_and_page_by_page(router) -> None:
    trades(router, 0, 230, hours_ago=60)  # two and a half days back: three windows
    trades(router, 1000, 20, hours_ago=5, status="WAIT_BUYER_PAY")
    boss, link = connect(router)
    report = taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(days=3))
    assert report.created == 250 and not report.rejected
    assert SalesOrder.select().where(SalesOrder.channel == "taobao").count() == 250
    paged = [int(c["page_no"]) for c in router.calls if c["start_modified"]]
    assert paged[:4] == [1, 3, 2, 1]  # 230 in one window: its count, then the last page first
    assert all(c["sign_method"] == "hmac-sha256" for c in router.calls)
    order = SalesOrder.get(SalesOrder.external_id == "2000005")
    assert (order.status, order.buyer) == ("confirmed", "买家5")
    link = links.get("taobao")
    assert link.status == "ok" and link.cursor > (NOW - dt.timedelta(minutes=3)).isoformat()
    # Later: one trade paid, one closed; a sync from the cursor fetches only those, once.
    router.put(2_001_000, "WAIT_SELLER_SEND_GOODS", dt.datetime.now(dt.UTC),
               items=[{"num": 2, "payment": "7.00", "outer_iid": "COKE"}], payment="7.00")
    before = len(router.calls)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)  # the trade has settled
    again = taobao_api.sync(boss, links.get("taobao"), client=client(link), now=lambda: later)
    assert (again.created, again.updated) == (0, 1)
    assert len(router.calls) - before == 1  # one short window, one page
    assert SalesOrder.get(SalesOrder.external_id == "2001000").status == "confirmed"
    assert SalesOrder.select().count() == 250


def test_a_trade_modified_between_pages_is_not_missed(router) -> None:
    trades(router, 0, 250, hours_ago=10)
    boss, link = connect(router)
    served = []

    def modify_one() -> None:  # after the first page: a trade near the top leaves the window
        served.append(1)
        if len(served) == 2:
            router.put(2_000_001, "WAIT_BUYER_CONFIRM_GOODS", dt.datetime.now(dt.UTC),
                       items=[{"num": 2, "payment": "7.00", "outer_iid": "COKE"}])

    router.between_pages = modify_one
    taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=20))
    # The modified trade left this window before its page was read; every other one is here
    # (read first page first, the trade that moved up into page 1 would have been skipped).
    got = {o.external_id for o in SalesOrder.select()}
    assert got == {str(2_000_000 + i) for i in range(250)} - {"2000001"}
    router.between_pages = None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    taobao_api.sync(boss, links.get("taobao"), client=client(link), now=lambda: later)
    assert SalesOrder.get(SalesOrder.external_id == "2000001").status == "shipped"
    assert SalesOrder.select().count() == 250


def test_rate_limits_are_waited_out(router) -> None:
    trades(router, 0, 5, hours_ago=2)
    boss, link = connect(router)
    router.refuse = [error(7, "App Call Limited", "accesscontrol.limited-by-app-access-count"),
                     error(520, "Remote service error",
                           "isv.trade-service-unavailable")]
    slept: list[float] = []
    report = taobao_api.sync(boss, link, client=client(link, slept),
                             since=NOW - dt.timedelta(hours=3))
    assert report.created == 5 and slept == [1.0, 2.0]


def test_an_expired_session_stops_the_channel_in_words(router) -> None:
    trades(router, 0, 5, hours_ago=2)
    boss, link = connect(router, session="expired-session")
    with pytest.raises(top.SessionExpired, match="invalid-sessionkey"):
        taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    link = ChannelLink.get(ChannelLink.name == "taobao")
    assert (link.status, link.cursor) == ("stopped", "")
    assert "SessionKey" in link.message and SalesOrder.select().count() == 0
    assert len(router.calls) == 1  # not retried: asking again cannot help


def test_a_cut_network_leaves_the_cursor_and_the_next_sync_doubles_nothing(router) -> None:
    trades(router, 0, 150, hours_ago=30)  # the first window: a count and two pages
    trades(router, 500, 10, hours_ago=2)  # the second
    boss, link = connect(router)
    since = NOW - dt.timedelta(hours=40)
    served = []

    def cut_after_the_first_window() -> None:
        served.append(1)
        if len(served) == 3:  # from here on, no call gets an answer
            router.refuse = ["drop"] * 10

    router.between_pages = cut_after_the_first_window
    with pytest.raises(top.Unreachable):
        taobao_api.sync(boss, link, client=client(link), since=since)
    kept = ChannelLink.get(ChannelLink.name == "taobao")
    assert kept.status == "retrying" and kept.cursor  # the first window's end, not more
    assert dt.datetime.fromisoformat(kept.cursor) < NOW - dt.timedelta(hours=15)
    assert SalesOrder.select().count() == 150
    router.between_pages, router.refuse = None, []
    taobao_api.sync(boss, links.get("taobao"), client=client(link), since=since)
    assert SalesOrder.select().count() == 160
    assert len({o.external_id for o in SalesOrder.select()}) == 160
    assert links.get("taobao").status == "ok"


def test_credentials_are_sealed_never_shown_and_need_a_user_allowed_to(router) -> None:
    boss, _link = connect(router)
    row = ChannelLink.get(ChannelLink.name == "taobao")
    assert router.secret not in row.secrets and router.session not in row.secrets
    assert links.secrets_of(row)["app_secret"] == router.secret
    shown = repr(links.links())
    assert router.secret not in shown and router.session not in shown
    assert all(router.secret not in e.payload for e in AuditEvent.select())
    with pytest.raises(ValidationError, match="connected already"):
        connect(router)
    with pytest.raises(ValidationError, match="url"):
        links.add_link(boss, "tmall", url="file:///etc/passwd",
                       secrets={"app_key": "k", "app_secret": "s", "session": "x"})
    with pytest.raises(ValidationError, match="app_secret"):
        links.add_link(boss, "tmall", url=router.url, secrets={"app_key": "k", "session": "x"})
    with pytest.raises(PermissionDenied):
        links.remove_link(router.users["supervisor"], "taobao")
    removed = links.remove_link(boss, "taobao")
    assert not removed.active and links.links() == []
    assert links.secrets_of(ChannelLink.get(ChannelLink.name == "taobao")) == {}


def test_a_second_sync_while_one_runs_stops_and_a_killed_one_frees_the_channel(router
                                                                              ) -> None:
    trades(router, 0, 30, hours_ago=2)
    boss, link = connect(router)
    links.claim(link.id)  # a sync from cron holds the channel
    with pytest.raises(links.SyncRunning, match="running since"):
        taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    assert SalesOrder.select().count() == 0 and router.calls == []
    assert links.get("taobao").status == "syncing"
    # that sync was killed: after the lease the channel is free, and the cursor never moved
    (ChannelLink.update(synced_at=utcnow() - links.LEASE - dt.timedelta(minutes=1))
     .where(ChannelLink.id == link.id).execute())
    report = taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    assert report.created == 30 and links.get("taobao").status == "ok"


def test_a_shipment_is_told_to_taobao_once_and_a_refusal_is_tried_again(router) -> None:
    from store.customers import orders
    from store.models import ChannelNotice

    trades(router, 0, 3, hours_ago=2)
    boss, link = connect(router)
    taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    numbers = {o.external_id: o.number for o in SalesOrder.select()}
    orders.ship(boss, numbers["2000000"], carrier="顺丰速运", tracking_no="SF100")
    orders.ship(boss, numbers["2000001"], carrier="小哥自送", tracking_no="X1")
    once = []

    def limit_what_follows() -> None:  # after the window's page: SF100's tries are refused
        if not once:
            once.append(1)
            router.refuse = [error(7, "App Call Limited")] * 4

    router.between_pages = limit_what_follows
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    first = taobao_api.sync(boss, link, client=client(link), now=lambda: later)
    assert first.told == 0 and {n for n, _why in first.not_told} == {
        numbers["2000000"], numbers["2000001"]}
    assert "小哥自送" in dict(first.not_told)[numbers["2000001"]]
    assert router.trades["2000000"]["status"] == "WAIT_SELLER_SEND_GOODS"
    second = taobao_api.sync(boss, link, client=client(link), now=lambda: later)
    assert second.told == 1 and router.trades["2000000"]["status"] == "WAIT_BUYER_CONFIRM_GOODS"
    assert router.trades["2000000"]["out_sid"] == "SF100"
    assert router.trades["2000000"]["company_code"] == "SF"
    sent = [c for c in router.calls if c["method"] == "taobao.logistics.offline.send"]
    third = taobao_api.sync(boss, link, client=client(link),
                            now=lambda: later + dt.timedelta(minutes=5))
    assert third.told == 0  # told once: not again, though the next sync brought it back
    assert [c for c in router.calls if c["method"] == "taobao.logistics.offline.send"
            and c["tid"] == "2000000"] == [c for c in sent if c["tid"] == "2000000"]
    notice = ChannelNotice.get(ChannelNotice.order == SalesOrder.get(
        SalesOrder.external_id == "2000000").id)
    assert notice.status == "done" and notice.attempts == 2
    assert SalesOrder.get(SalesOrder.external_id == "2000002").status == "confirmed"


def test_stock_goes_back_for_the_listings_the_trades_showed(router) -> None:
    from store.models import ChannelItem
    from tests.store.stock_helpers import sell

    router.stock |= {("5550001", ""): 99, ("5550002", "777"): 99}
    an_hour_ago = NOW - dt.timedelta(hours=1)
    router.put(2_100_000, "WAIT_SELLER_SEND_GOODS", an_hour_ago, payment="11.00", items=[
        {"num_iid": 5550001, "outer_iid": "COKE", "num": 2, "payment": "7.00"},
        {"num_iid": 5550002, "sku_id": 777, "outer_sku_id": "TEA", "num": 1,
         "payment": "4.00"}])
    router.put(2_100_001, "WAIT_SELLER_SEND_GOODS", an_hour_ago, payment="1.00", items=[
        {"num_iid": 5550003, "outer_iid": "NOPE", "num": 1, "payment": "1.00"}])
    router.put(2_100_002, "TRADE_FINISHED", an_hour_ago, payment="3.50", items=[
        {"num_iid": 5550009, "outer_iid": "6901234567892", "num": 1, "payment": "3.50"}])
    boss, link = connect(router)
    report = taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=2))
    # COKE: 500 on hand less the 2 the paid order holds (the finished one has shipped its 1);
    # TEA: none in the shop's warehouse, 1 held: 0, never below. NOPE maps to nothing.
    assert router.stock == {("5550001", ""): 497, ("5550002", "777"): 0}
    assert {(i.item_id, i.sku_id) for i in ChannelItem.select()} == {
        ("5550001", ""), ("5550002", "777"), ("5550009", "")}
    (refused,) = report.not_pushed
    assert report.pushed == 2 and refused[0] == "5550009" and "isv.item-not-exist" in refused[1]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    calls = len(router.calls)
    again = taobao_api.sync(boss, link, client=client(link), now=lambda: later)
    assert again.pushed == 0 and len(again.not_pushed) == 1  # only the refused one, again
    assert [c["method"] for c in router.calls[calls:]].count("taobao.item.quantity.update") == 1
    sell(router.users["cashier"], "COKE", 7)  # the till sells: the web shop shows it
    third = taobao_api.sync(boss, link, client=client(link), now=lambda: later)
    assert third.pushed == 1 and router.stock[("5550001", "")] == 490


def test_a_trade_the_list_answers_in_part_is_read_whole(router) -> None:
    an_hour_ago = NOW - dt.timedelta(hours=1)
    router.put(2_400_001, "WAIT_SELLER_SEND_GOODS", an_hour_ago, payment="7.00",
               items=[{"num": 2, "payment": "7.00", "outer_iid": "COKE"}],
               receiver_name="李四", list_omits=("orders", "receiver_name"))
    router.put(2_400_002, "WAIT_SELLER_SEND_GOODS", an_hour_ago, payment="3.50",
               items=[{"num": 1, "payment": "3.50", "outer_iid": "COKE"}])
    boss, link = connect(router)
    report = taobao_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=2))
    assert report.created == 2 and report.rejected == []
    full = [c for c in router.calls if c["method"] == "taobao.trade.fullinfo.get"]
    assert [c["tid"] for c in full] == ["2400001"]  # only the one the list cut short
    order = SalesOrder.get(SalesOrder.external_id == "2400001")
    assert order.status == "confirmed" and order.total == 7
    from store.customers.orders import recipient_of

    assert recipient_of(order).name == "李四"
