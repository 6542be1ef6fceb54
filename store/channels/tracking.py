"""Couriers' tracking by API (issue 17.5): shipped orders followed until delivered.

The built-in tracker is 快递100's real-time query (`poll/query.do`): a form POST of
`customer`, `param` (JSON: com, num, phone) and `sign` = uppercase MD5 of param + key +
customer. Its answer is either the tracking (`state`: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签,
5 派件, 6 退回 …; `ischeck` 1 when signed for; `data` newest first) or a refusal
(`result: false`, `returnCode`: 400 bad request, 408 phone needed, 500 nothing yet, 503 bad
signature, 601 key expired or out of credit …).

Other trackers (快递鸟, 菜鸟, a carrier's own API) are plug-ins: the entry-point group
`zhanggui.couriers` maps a kind to a factory `make(url, secrets) -> Tracker` whose `NEEDS`
attribute names the credentials `channels add KIND --secret NAME=FILE` stores.

What is followed: orders shipped here with a tracking number, not yet delivered, shipped in
the last TRACK_DAYS. Each one's last state is kept on a `track` notice (its message the
courier's latest line); delivery ends it and adds "delivered" to the order's history."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Protocol

import httpx
from peewee import JOIN

from store.channels import links, shipments, top
from store.core import text
from store.core.db import unit_of_work
from store.core.i18n import _
from store.customers.orders import recipient_of
from store.models import ChannelNotice, OrderEvent, SalesOrder, utcnow

DEFAULT_URL = "https://poll.kuaidi100.com/poll/query.do"
BUILTIN = ("kuaidi100",)
TRACK_DAYS = 45
PER_RUN = 500  # orders asked about in one refresh (the rest next time)
# 快递100's company codes, from the TOP codes shipments.py knows the couriers by.
KUAIDI100 = {"SF": "shunfeng", "ZTO": "zhongtong", "YTO": "yuantong", "STO": "shentong",
             "YUNDA": "yunda", "POSTB": "youzhengguonei", "EMS": "ems", "JD": "jd",
             "JTSD": "jtexpress", "DBKD": "debangkuaidi", "HTKY": "huitongkuaidi"}
STOP = ("503", "601")  # the key or its credit: every other order would be refused the same


@dataclass(frozen=True)
class Track:
    delivered: bool
    state: str  # the courier's own state code
    latest: str  # its latest line ("【上海市】已签收")
    at: dt.datetime | None  # when that happened (naive UTC)


class Tracker(Protocol):
    def track(self, carrier: str, number: str, phone: str) -> Track: ...


class Kuaidi100:
    NEEDS = ("customer", "key")

    def __init__(self, url: str, secrets: dict[str, str], *, http: httpx.Client | None = None,
                 retries: int = 2, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url, self.customer, self.key = url, secrets["customer"], secrets["key"]
        self.retries, self.sleep = retries, sleep
        self.http = http or httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0))

    def track(self, carrier: str, number: str, phone: str) -> Track:
        top_code = shipments.courier_code(carrier)
        com = KUAIDI100.get(top_code or "", carrier.strip().lower())
        param = json.dumps({"com": com, "num": number, "phone": phone[-4:] if phone else "",
                            "resultv2": "1"}, ensure_ascii=False, separators=(",", ":"))
        return top.retried(lambda: self._once(param), retries=self.retries, sleep=self.sleep,
                           retryable=lambda err: isinstance(err, top.Unreachable))

    def _once(self, param: str) -> Track:
        sign = hashlib.md5((param + self.key + self.customer).encode()).hexdigest().upper()
        answer = top.post(self.http, self.url,
                          data={"customer": self.customer, "param": param, "sign": sign})
        body = top.json_of(answer, self.url)
        if body.get("result") is False or "returnCode" in body:
            code = str(body.get("returnCode", ""))
            said = text.scrub(str(body.get("message", "")))[:150]
            kind = top.SessionExpired if code in STOP else (
                top.Unreachable if code in ("501", "502") else top.TopError)
            raise kind(_("快递100 refused the query: {code} {message}").format(
                code=code, message=said), code=code)
        if str(body.get("message", "")).lower() != "ok" or "state" not in body:
            raise top.TopError(_("{url}: an answer of an unknown shape").format(url=self.url),
                               code="format")
        lines = [d for d in body.get("data") or [] if isinstance(d, dict)]
        latest = lines[0] if lines else {}
        state = str(body.get("state", ""))
        return Track(delivered=state == "3" or str(body.get("ischeck", "")) == "1",
                     state=state, latest=text.scrub(str(latest.get("context", "")))[:250],
                     at=_moment(str(latest.get("ftime") or latest.get("time") or "")))


def _moment(value: str) -> dt.datetime | None:
    try:
        at = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=top.BEIJING)
    except ValueError:
        return None
    return at.astimezone(dt.UTC).replace(tzinfo=None)


def plugins() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group="zhanggui.couriers")}


def is_courier(kind: str) -> bool:
    return kind in BUILTIN or kind in plugins()


def tracker_for(link: Any, **options: Any) -> Tracker:
    if link.kind == "kuaidi100":
        return Kuaidi100(link.url, links.secrets_of(link), **options)
    make = plugins()[link.kind].load()
    tracker: Tracker = make(link.url, links.secrets_of(link))
    return tracker


def check(link: Any) -> str:
    """One query for a number no courier has: the key and signature are good when the answer
    is "nothing yet" (500) rather than a bad signature (503) or an expired key (601)."""
    try:
        tracker_for(link, retries=0).track("ZTO", "0000000000000", "")
    except top.SessionExpired:
        raise
    except top.TopError as err:
        if err.code in ("500", "400", "408"):
            return _("the courier API answered: {message}").format(message=err)
        raise
    return _("the courier API answered")


@dataclass
class Refreshed:
    asked: int = 0
    delivered: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (order number, why)


def following(*, now: dt.datetime | None = None, limit: int = PER_RUN) -> list[SalesOrder]:
    """Orders shipped with a tracking number, not yet delivered, the least recently asked
    first."""
    since = (now or utcnow()) - dt.timedelta(days=TRACK_DAYS)
    return list(SalesOrder.select()
                .join(ChannelNotice, JOIN.LEFT_OUTER,
                      on=((ChannelNotice.order == SalesOrder.id)
                          & (ChannelNotice.kind == "track")))
                .where(SalesOrder.status.in_(shipments.SHIPPED) & (SalesOrder.tracking_no != "")
                       & (SalesOrder.updated_at >= since)
                       & (ChannelNotice.id.is_null() | (ChannelNotice.status != "done")))
                .order_by(ChannelNotice.created_at.asc(nulls="FIRST"), SalesOrder.id)
                .limit(limit))


def refresh(tracker: Tracker | None = None, *, now: dt.datetime | None = None
            ) -> Refreshed | None:
    """Ask the courier API about every order followed; None when none is connected. A key
    refused (bad signature, expired, out of credit) stops the run and is raised."""
    link_id = None
    if tracker is None:
        couriers = [v for v in links.links() if is_courier(v.kind)]
        if not couriers:
            return None
        link = links.get(couriers[0].name)
        tracker, link_id = tracker_for(link), link.id
    try:
        done = _ask(tracker, now)
    except top.SessionExpired as err:
        if link_id is not None:
            links.note(link_id, status="stopped", message=str(err))
        raise
    if link_id is not None:  # how it went, on the courier's line in the channels list
        links.note(link_id, status="retrying" if done.failed else "ok", message=_(
            "{asked} tracked, {delivered} delivered").format(asked=done.asked,
                                                           delivered=done.delivered)
            + "".join(f"; {n}: {why}" for n, why in done.failed[:1]))
    return done


def _ask(tracker: Tracker, now: dt.datetime | None) -> Refreshed:
    done = Refreshed()
    for order in following(now=now):
        done.asked += 1
        phone = recipient_of(order).phone if order.recipient_enc else ""
        try:
            found = tracker.track(order.carrier, order.tracking_no, phone)
        except top.SessionExpired:
            raise
        except top.TopError as err:
            _note(order.id, status="failed", message=str(err))
            if err.code != "500":  # "nothing yet" is not a failure: the parcel is new
                done.failed.append((order.number, str(err)))
            continue
        _note(order.id, status="done" if found.delivered else "pending",
              message=found.latest, at=found.at)
        if found.delivered:
            done.delivered += 1
    return done


@unit_of_work
def _note(order_id: int, *, status: str, message: str, at: dt.datetime | None = None) -> None:
    notice = ChannelNotice.get_or_none((ChannelNotice.order == order_id)
                                       & (ChannelNotice.kind == "track"))
    if notice is None:
        notice = ChannelNotice.create(order=order_id, kind="track")
    (ChannelNotice.update(status=status, attempts=ChannelNotice.attempts + 1,
                          message=message[:300], created_at=utcnow(),
                          done_at=(at or utcnow()) if status == "done" else None)
     .where(ChannelNotice.id == notice.id).execute())
    if status == "done":
        OrderEvent.create(order=order_id, at=at or utcnow(), status="delivered",
                          note=message[:200])
