"""`zhanggui demo --simulate`'s web shop: a Taobao open-platform router and a 快递100 server
on local ports (sims/), buyers placing an order every FEED_SECONDS, the demo's jobs run in a
thread of the app as its owner — so the orders screen fills by itself, shipping an order tells
the router, and the parcel is delivered a few minutes later."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import random
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sims.kuaidi100 import Kuaidi100
from sims.top_router import TopRouter
from store.channels.top import BEIJING
from store.channels.tracking import KUAIDI100
from store.demo import online
from store.jobs import schedule
from store.jobs.tasks import Context

FEED_SECONDS = 20.0
log = logging.getLogger(__name__)
BUYERS = ("小林爱喝茶", "tb_8821", "阿杰", "王女士", "买买买")
PLACES = (("上海", "上海市", "长宁区", "天山路8号"), ("浙江省", "杭州市", "西湖区", "文三路90号"),
          ("广东省", "深圳市", "南山区", "科技园路1号"))


class Buyers:
    """Places orders on the router and moves shipped parcels along at the courier."""

    def __init__(self, router: TopRouter, courier: Kuaidi100, goods: list[online.Listed],
                 seed: int = 7) -> None:
        self.router, self.courier, self.goods = router, courier, goods
        self.rng = random.Random(seed)
        self.tids = itertools.count(int(dt.datetime.now().strftime("%y%m%d%H%M")) * 1000)
        self.seen: dict[str, int] = {}  # tracking number → ticks since shipped

    def tick(self) -> None:
        if self.goods:
            self.order()
        self.parcels()

    def order(self) -> None:
        now = dt.datetime.now(dt.UTC)
        items: list[dict[str, object]] = []
        total = Decimal(0)
        for i, good in enumerate(self.rng.sample(self.goods, k=min(len(self.goods),
                                                                   self.rng.randint(1, 3)))):
            num = self.rng.randint(1, 3)
            paid = good.price * num
            total += paid
            items.append({"oid": i, "num_iid": 600_000 + self.goods.index(good),
                          "outer_iid": good.sku, "title": good.name, "num": num,
                          "price": f"{good.price:.2f}", "payment": f"{paid:.2f}"})
        state, city, district, street = self.rng.choice(PLACES)
        self.router.put(next(self.tids), "WAIT_SELLER_SEND_GOODS", now, items=items,
                        payment=f"{total:.2f}", buyer_nick=self.rng.choice(BUYERS),
                        receiver_name="张三", receiver_mobile="13800138000",
                        receiver_state=state, receiver_city=city, receiver_district=district,
                        receiver_address=street)

    def parcels(self) -> None:
        for trade in list(self.router.trades.values()):
            number, company = trade.get("out_sid"), KUAIDI100.get(trade.get("company_code", ""))
            if not number or not company:
                continue
            ticks = self.seen[number] = self.seen.get(number, -1) + 1
            at = dt.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S")  # as couriers say it
            lines = [(at, "【上海】快件已揽收")]
            if ticks >= 6:
                lines.append((at, "【" + trade.get("receiver_city", "上海市") + "】已签收，签收人：本人"))
            self.courier.parcel(company, number, lines, state="3" if ticks >= 6 else "0",
                                phone="13800138000")


@contextlib.contextmanager
def web_shop(db_url: str, backups: Path) -> Iterator[str]:
    """The simulators running, the demo connected to them, orders arriving; yields the
    router's address."""
    with TopRouter() as router, Kuaidi100() as courier:
        owner = online.owner()
        online.connect(owner, top_url=router.url, top_keys={
            "app_key": router.app_key, "app_secret": router.secret, "session": router.session},
            courier_url=courier.url, courier_keys={"customer": courier.customer,
                                                   "key": courier.key})
        buyers = Buyers(router, courier, online.listed())
        stop = threading.Event()

        def feed() -> None:
            while not stop.wait(FEED_SECONDS):
                try:
                    buyers.tick()
                except Exception:  # a demo's buyer never takes the app down
                    log.exception("the simulated buyers stumbled")

        ctx = Context(actor=owner, db_url=db_url, backup_dir=backups,
                      holder=schedule.holder_name())
        threads = [threading.Thread(target=feed, name="demo-buyers", daemon=True),
                   threading.Thread(target=schedule.serve, args=(ctx, stop),
                                    kwargs={"poll": 10.0}, name="demo-worker", daemon=True)]
        buyers.tick()
        for t in threads:
            t.start()
        try:
            yield router.url
        finally:
            stop.set()
            for t in threads:
                t.join(15)
