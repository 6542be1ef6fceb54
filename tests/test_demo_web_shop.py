"""`zhanggui demo --simulate`'s web shop: the demo connected to a simulated Taobao and 快递100,
buyers placing orders the channels job brings in, a shipment told to the platform, and the
parcel delivered into the order's history — what an owner watching the demo sees."""

from __future__ import annotations

import datetime as dt
import time

from store.channels import links
from store.customers import orders
from store.jobs import schedule
from store.models import OrderEvent, SalesOrder
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.cli import online_sim


def run_now(name: str, ctx):
    """The job now: the demo's own worker may be running it this moment (it is told so)."""
    for _ in range(200):
        outcome = schedule.run(name, ctx, force=True)
        if outcome is not None:
            return outcome
        time.sleep(0.05)
    raise AssertionError(f"{name} stayed held")


def test_orders_arrive_ship_and_are_delivered(fresh_demo, tmp_path, monkeypatch  # noqa: F811
                                              ) -> None:
    monkeypatch.setattr(online_sim, "FEED_SECONDS", 3600.0)  # the test ticks the buyers itself
    made: list[online_sim.Buyers] = []
    real = online_sim.Buyers

    def keep(*args, **kwargs) -> online_sim.Buyers:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(online_sim, "Buyers", keep)
    before = SalesOrder.select().where(SalesOrder.channel == "taobao").count()
    with online_sim.web_shop(fresh_demo, tmp_path / "backups") as url:
        buyers = made[0]
        assert url.startswith("http://127.0.0.1:") and links.get("taobao").url == url
        assert schedule.get("channels").every == 1 and not schedule.get("backup").enabled
        for _ in range(2):
            buyers.order()
        for trade in buyers.router.trades.values():  # placed ten minutes ago: past the settle
            trade["modified"] = (dt.datetime.now(online_sim.BEIJING)
                                 - dt.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M:%S")
        ctx = online_sim.Context(actor=online_sim.online.owner(), db_url=fresh_demo,
                                 backup_dir=tmp_path, holder="test:1")
        outcome = run_now("channels", ctx)
        assert outcome is not None and outcome.ok, outcome
        arrived = list(SalesOrder.select().where(SalesOrder.channel == "taobao")
                       .order_by(SalesOrder.id))[before:]
        assert len(arrived) == 3  # the first tick's and the two above
        first = arrived[0]
        orders.ship(ctx.actor, first.number, carrier="中通", tracking_no="ZT9001")
        again = run_now("channels", ctx)
        assert again is not None and again.ok and "1 shipment(s) told" in again.message
        told = buyers.router.trades[first.external_id]
        assert told["out_sid"] == "ZT9001" and told["company_code"] == "ZTO"
        for _ in range(7):  # the courier's parcel moves on, tick by tick, to 签收
            buyers.parcels()
        outcome = run_now("tracking", ctx)
        assert outcome is not None and outcome.ok
        delivered = OrderEvent.get((OrderEvent.order == first.id)
                                   & (OrderEvent.status == "delivered"))
        assert "已签收" in delivered.note
    assert schedule.workers() == []  # the demo's worker said it stopped
