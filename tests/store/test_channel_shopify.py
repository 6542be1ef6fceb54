"""Shopify orders by the Admin GraphQL API (issue 17.2), against an endpoint over real HTTP:
cursor paging that an order updated mid-sync cannot shift, the cost budget waited out,
429 and a revoked token, a cut network resumed from the last committed page."""

from __future__ import annotations

import datetime as dt

import pytest

from sims.shopify_admin import ShopifyAdmin
from store.channels import links, shopify_api, top
from store.models import ChannelLink, SalesOrder
from store.security import auth
from store.stock import inventory
from tests.store.stock_helpers import stock_shop

NOW = dt.datetime.now(dt.UTC)
COKE = [{"sku": "COKE", "title": "Coca-Cola 330ml", "quantity": 2,
         "discountedUnitPriceSet": {"shopMoney": {"amount": "3.5"}}}]


@pytest.fixture
def admin(shop):
    stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "900")
    with ShopifyAdmin() as a:
        yield a


def connect(a: ShopifyAdmin, token: str | None = None):
    boss = auth.authenticate("boss", "8888")
    links.add_link(boss, "shopify", url=a.url, secrets={"token": token or a.token})
    return boss, links.get("shopify")


def client(link, slept: list[float] | None = None) -> shopify_api.ShopifyClient:
    return shopify_api.client_for(link, retries=3,
                                  sleep=slept.append if slept is not None else lambda _s: None)


def orders(a: ShopifyAdmin, first: int, count: int, hours_ago: float, **kw) -> None:
    for i in range(first, first + count):
        a.put(i, NOW - dt.timedelta(hours=hours_ago, seconds=i), lines=COKE, **kw)


def test_orders_page_by_cursor_and_their_statuses_map(admin) -> None:
    orders(admin, 1001, 230, hours_ago=5)
    admin.put(2001, NOW - dt.timedelta(hours=1), financial="PENDING", lines=COKE)
    admin.put(2002, NOW - dt.timedelta(hours=1), fulfilment="FULFILLED", lines=COKE)
    admin.put(2003, NOW - dt.timedelta(hours=1), cancelled=True, lines=COKE)
    boss, link = connect(admin)
    report = shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=6))
    assert report.created == 233 and not report.rejected
    assert len(admin.calls) == 3  # 233 orders: pages of 100
    status = {o.external_id: o.status for o in SalesOrder.select()}
    assert (status["#1001"], status["#2001"], status["#2002"], status["#2003"]) == (
        "confirmed", "quote", "shipped", "cancelled")
    assert all(c["variables"]["query"].startswith("updated_at:>=") for c in admin.calls)
    assert links.get("shopify").status == "ok"
    admin.put(1005, dt.datetime.now(dt.UTC), fulfilment="FULFILLED", lines=COKE)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    again = shopify_api.sync(boss, links.get("shopify"), client=client(link),
                             now=lambda: later)
    assert (again.created, again.updated) == (0, 1) and status.get("#1005") == "confirmed"
    assert SalesOrder.get(SalesOrder.external_id == "#1005").status == "shipped"


def test_an_order_updated_between_pages_shifts_nothing(admin) -> None:
    orders(admin, 1001, 250, hours_ago=5)
    boss, link = connect(admin)
    pages = []

    def update_an_early_one() -> None:
        pages.append(1)
        if len(pages) == 1:  # after the first page: an order on it is updated (leaves)
            admin.put(1250, dt.datetime.now(dt.UTC), lines=COKE)

    admin.after_page = update_an_early_one
    shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=6))
    got = {o.external_id for o in SalesOrder.select()}
    assert got == {f"#{i}" for i in range(1001, 1251)}  # #1250 was read before it moved


def test_the_cost_budget_and_429_are_waited_out(admin) -> None:
    orders(admin, 1001, 5, hours_ago=2)
    boss, link = connect(admin)
    admin.planned = ["throttle", 429]
    slept: list[float] = []
    report = shopify_api.sync(boss, link, client=client(link, slept),
                              since=NOW - dt.timedelta(hours=3))
    assert report.created == 5
    assert slept == [2.0, 1.5]  # (252 − 52) / 100 points a second; then Retry-After


def test_a_revoked_token_stops_the_channel(admin) -> None:
    orders(admin, 1001, 5, hours_ago=2)
    boss, link = connect(admin, token="shpat_revoked")
    with pytest.raises(top.SessionExpired, match="401"):
        shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    kept = ChannelLink.get(ChannelLink.name == "shopify")
    assert (kept.status, kept.cursor) == ("stopped", "") and len(admin.calls) == 1


def test_a_cut_network_resumes_from_the_last_page_committed(admin) -> None:
    orders(admin, 1001, 250, hours_ago=5)
    boss, link = connect(admin)
    pages = []

    def cut_after_the_second_page() -> None:
        pages.append(1)
        if len(pages) == 2:
            admin.planned = ["drop"] * 10

    admin.after_page = cut_after_the_second_page
    with pytest.raises(top.Unreachable):
        shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=6))
    kept = ChannelLink.get(ChannelLink.name == "shopify")
    assert kept.status == "retrying" and SalesOrder.select().count() == 200
    admin.after_page, admin.planned = None, []
    calls = len(admin.calls)
    shopify_api.sync(boss, links.get("shopify"), client=client(link))
    assert SalesOrder.select().count() == 250 and len(admin.calls) - calls == 1
    assert len({o.external_id for o in SalesOrder.select()}) == 250


def _line(sku: str, item: int, qty: int = 1) -> dict:
    return {"sku": sku, "title": sku, "quantity": qty,
            "discountedUnitPriceSet": {"shopMoney": {"amount": "4.0"}},
            "variant": {"inventoryItem": {"id": f"gid://shopify/InventoryItem/{item}"}}}


def test_a_shipment_becomes_a_fulfilment_once_with_its_tracking(admin) -> None:
    from store.customers import orders as sales_orders
    from store.models import ChannelNotice

    orders(admin, 1001, 3, hours_ago=2)
    boss, link = connect(admin)
    shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    numbers = {o.external_id: o.number for o in SalesOrder.select()}
    sales_orders.ship(boss, numbers["#1001"], carrier="UPS", tracking_no="1Z999AA10123456784")
    sales_orders.ship(boss, numbers["#1002"], carrier="Canada Post", tracking_no="CP42")
    admin.orders[1002]["displayFulfillmentStatus"] = "FULFILLED"  # done there by hand
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert (report.told, report.not_told) == (2, [])
    sent = admin.fulfilments[1001]
    assert sent["trackingInfo"] == {"company": "UPS", "number": "1Z999AA10123456784"}
    assert sent["lineItemsByFulfillmentOrder"] == [
        {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1001"}]
    assert sent["notifyCustomer"] is True and 1002 not in admin.fulfilments
    calls = len(admin.calls)
    again = shopify_api.sync(boss, link, client=client(link),
                             now=lambda: later + dt.timedelta(minutes=5))
    assert again.told == 0 and not [c for c in admin.calls[calls:]
                                    if "fulfillmentCreate(" in c["query"]]  # told once
    assert ChannelNotice.select().where(ChannelNotice.status == "done").count() == 2
    assert SalesOrder.get(SalesOrder.external_id == "#1003").status == "confirmed"


def test_a_refused_fulfilment_is_kept_and_tried_again(admin) -> None:
    from store.customers import orders as sales_orders
    from store.models import ChannelNotice

    orders(admin, 2001, 1, hours_ago=2)
    boss, link = connect(admin)
    shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=3))
    number = SalesOrder.get(SalesOrder.external_id == "#2001").number
    sales_orders.ship(boss, number, carrier="UPS", tracking_no="1Z1")
    gone = admin.orders.pop(2001)  # not found there (a test store reset, a wrong shop)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert report.told == 0 and report.not_told == [(number, "Shopify has no order #2001")]
    notice = ChannelNotice.get()
    assert (notice.status, notice.attempts) == ("failed", 1)
    admin.orders[2001] = gone
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert report.told == 1 and ChannelNotice.get().status == "done"
    assert links.get("shopify").status == "ok"


def test_stock_goes_back_in_batches_and_a_refused_batch_is_tried_again(admin,
                                                                       monkeypatch) -> None:
    from store.channels import shopify_push
    from store.models import ChannelItem
    from tests.store.stock_helpers import sell

    monkeypatch.setattr(shopify_push, "BATCH", 1)  # one call a listing: a refusal is its own
    admin.inventory |= {"gid://shopify/InventoryItem/501": 77,
                        "gid://shopify/InventoryItem/502": 77}
    admin.put(3001, NOW - dt.timedelta(hours=1), lines=[_line("COKE", 501, 2), _line("TEA", 502)])
    admin.put(3002, NOW - dt.timedelta(hours=1), lines=[_line("NOPE", 503)])  # held
    boss, link = connect(admin)
    report = shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=2))
    # COKE: 900 on hand less the 2 the paid order holds; TEA: none in STORE, 1 held: 0.
    # NOPE maps to no product of ours: never learnt, never sent.
    assert admin.inventory == {"gid://shopify/InventoryItem/501": 898,
                               "gid://shopify/InventoryItem/502": 0}
    assert report.pushed == 2 and {i.item_id for i in ChannelItem.select()} == {"501", "502"}
    set_calls = [c for c in admin.calls if "inventorySetQuantities(" in c["query"]]
    assert {c["variables"]["input"]["reason"] for c in set_calls} == {"correction"}
    assert {q["locationId"] for c in set_calls
            for q in c["variables"]["input"]["quantities"]} == {admin.location}
    sell(boss, "COKE", 3)
    del admin.inventory["gid://shopify/InventoryItem/501"]  # the variant deleted there
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert report.pushed == 0 and report.not_pushed == [
        ("501", "Shopify refused the quantity: The specified inventory item could not be "
                "found.")]
    admin.inventory["gid://shopify/InventoryItem/501"] = 0
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert report.pushed == 1 and admin.inventory["gid://shopify/InventoryItem/501"] == 895
    report = shopify_api.sync(boss, link, client=client(link), now=lambda: later)
    assert report.pushed == 0 and report.not_pushed == []  # unchanged: not sent again


def test_one_refusal_in_a_batch_keeps_the_whole_batch_to_try_again(admin) -> None:
    from store.models import ChannelItem

    admin.inventory |= {"gid://shopify/InventoryItem/601": 5}
    admin.put(3101, NOW - dt.timedelta(hours=1), lines=[_line("COKE", 601), _line("TEA", 602)])
    boss, link = connect(admin)
    report = shopify_api.sync(boss, link, client=client(link), since=NOW - dt.timedelta(hours=2))
    assert admin.inventory == {"gid://shopify/InventoryItem/601": 5}  # none of the call applied
    assert dict(report.not_pushed) == {
        "602": "Shopify refused the quantity: The specified inventory item could not be found.",
        "601": "not set: Shopify refused the quantity: The specified inventory item could not "
               "be found."}
    assert [i.pushed_qty for i in ChannelItem.select()] == [None, None]
