"""Taobao/Tmall orders by the API (issue 17.2): what changed since the last sync, a day's
window at a time, imported through the same upsert as the seller-centre files.

Each window asks `taobao.trades.sold.increment.get` for the trades modified in it (at most a
day, the platform's limit), learns how many there are, then reads the pages from the last to
the first: the list is sorted newest-modified first, so a trade modified while we page leaves
the window and the ones after it move up a place — read backwards, that shows one trade twice
(the upsert takes it once), never skips one. A window ends a little before now, so a trade
being modified as we ask is caught by the next sync. The cursor moves to the window's end only
after its orders are committed: a cut network, a killed process or a refused call leaves the
cursor where it was, and the next sync asks for the same window again."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from store.channels import links, parsing, shipments, stock_push, top
from store.channels.base import ItemInput, OrderInput, SyncReport, read_orders, upsert
from store.core.errors import ValidationError
from store.core.i18n import _
from store.security.auth import SessionUser

FIELDS = ("tid,status,payment,post_fee,buyer_nick,receiver_name,receiver_mobile,receiver_phone,"
          "receiver_state,receiver_city,receiver_district,receiver_address,created,modified,"
          "buyer_message,orders")
STATUSES = {
    "TRADE_NO_CREATE_PAY": "quote", "WAIT_BUYER_PAY": "quote", "PAY_PENDING": "quote",
    "WAIT_PRE_AUTH_CONFIRM": "quote", "PAID_FORBID_CONSIGN": "confirmed",
    "WAIT_SELLER_SEND_GOODS": "confirmed", "SELLER_CONSIGNED_PART": "confirmed",
    "WAIT_BUYER_CONFIRM_GOODS": "shipped", "TRADE_BUYER_SIGNED": "shipped",
    "TRADE_FINISHED": "shipped", "TRADE_CLOSED": "cancelled", "TRADE_CLOSED_BY_TAOBAO": "cancelled",
}
WINDOW = dt.timedelta(days=1)  # the platform's longest window
SETTLE = dt.timedelta(minutes=2)  # a window ends this long before now
FIRST_LOOK = dt.timedelta(days=1)  # how far back a channel's first sync looks
PAGE = 100


def client_for(link: Any, **options: Any) -> top.TopClient:
    s = links.secrets_of(link)
    return top.TopClient(link.url, s["app_key"], s["app_secret"], s["session"], **options)


def sync(actor: SessionUser, link: Any, *, client: top.TopClient | None = None,
         now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
         since: dt.datetime | None = None) -> SyncReport:
    """Fetch and import every window from the link's cursor to a little before now, then tell
    the channel what shipped here and what stock is left. A refusal stops the sync where it
    is, says so on the link (links.running), and is raised; what was imported before stays."""
    client = client or client_for(link)
    report = SyncReport(link.name)
    with links.running(link) as cursor:
        start = cursor or since or now() - FIRST_LOOK
        end_all = now() - SETTLE
        if start >= end_all:
            links.note(link.id, status="ok", message=_("nothing new yet"))
        while start < end_all:
            end = min(start + WINDOW, end_all)
            trades = fetch_window(client, start, end)
            orders, rejected = _orders(trades)
            report.rejected.extend(rejected)
            upsert(actor, link.name, orders, warehouse_code=link.warehouse, report=report)
            stock_push.learn(link.name, trades)
            links.note(link.id, status="ok", cursor=end.isoformat(),
                       message=links.so_far(report, top.beijing(end)))
            start = end
        links.told_back(link.id, report, shipments.tell(link.name, client),
                        stock_push.push(link.name, link.warehouse, client))
    return report


def check(link: Any, *, client: top.TopClient | None = None) -> int:
    """One signed call over the last hour (the app key, the secret and the session all
    checked by the platform): how many trades changed in it. Records nothing."""
    client = client or client_for(link, retries=0)
    end = dt.datetime.now(dt.UTC) - SETTLE
    answer = client.call("taobao.trades.sold.increment.get", fields="tid",
                         start_modified=end - dt.timedelta(hours=1), end_modified=end,
                         page_no=1, page_size=1, use_has_next=False)
    return int(answer.get("total_results") or 0)


def fetch_window(client: top.TopClient, start: dt.datetime, end: dt.datetime,
                 page_size: int = PAGE) -> list[dict[str, Any]]:
    """Every trade modified in [start, end], the last page first (see the module's note)."""
    ask = {"fields": FIELDS, "start_modified": start, "end_modified": end,
           "page_size": page_size, "use_has_next": False}
    first = client.call("taobao.trades.sold.increment.get", page_no=1, **ask)
    total = int(first.get("total_results") or 0)
    pages = max(1, math.ceil(total / page_size))
    trades: list[dict[str, Any]] = []
    for page in range(pages, 0, -1):
        answer = first if page == 1 and pages == 1 else client.call(
            "taobao.trades.sold.increment.get", page_no=page, **ask)
        trades.extend(_listed(answer.get("trades"), "trade"))
    return [_whole(client, t) for t in trades]


NEEDED = ("orders", "status", "payment")  # without these no order can be made


def _whole(client: top.TopClient, trade: dict[str, Any]) -> dict[str, Any]:
    """A trade the list answered without the fields an order needs (its lines, its status,
    what was paid) is read whole by `taobao.trade.fullinfo.get`."""
    tid = str(trade.get("tid", ""))
    if all(trade.get(k) for k in NEEDED) or not tid.isdigit():
        return trade
    full = client.call("taobao.trade.fullinfo.get", tid=tid, fields=FIELDS).get("trade")
    return full if isinstance(full, dict) and str(full.get("tid", "")) == tid else trade


def _listed(value: object, key: str) -> list[dict[str, Any]]:
    """TOP wraps a list as {"trade": [...]} (or leaves it out when empty)."""
    if isinstance(value, dict):
        value = value.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _orders(trades: list[dict[str, Any]]) -> tuple[list[OrderInput], list[tuple[int, str]]]:
    return read_orders(trades, trade_order, lambda t: _("trade {tid}").format(
        tid=str(t.get("tid", "?"))))


def trade_order(t: dict[str, Any], row: int = 0) -> OrderInput:
    """A TOP trade as the upsert's order: its items by 商家编码 (outer_sku_id, else outer_iid)."""
    tid = parsing.text(str(t.get("tid", "")))
    if not tid.isdigit():
        raise ValidationError(_("tid: '{value}' is not a trade number").format(value=tid[:30]),
                              field="tid", value=tid[:30], row=row)
    raw = parsing.text(str(t.get("status", "")))
    status = STATUSES.get(raw)
    if status is None:
        raise ValidationError(_("unknown status '{status}'").format(status=raw[:40]),
                              field="status", value=raw[:40], row=row)
    items: list[ItemInput] = []
    doubts: list[str] = []
    for o in _listed(t.get("orders"), "order"):
        qty = parsing.qty(str(o.get("num", "1")), field="num", row=row, doubts=doubts)
        paid = parsing.amount(str(o.get("payment") or o.get("price") or "0"), field="payment",
                              row=row, doubts=doubts)
        code = parsing.text(str(o.get("outer_sku_id") or o.get("outer_iid") or ""))
        unit = (paid / qty).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        items.append(ItemInput(code, parsing.text(str(o.get("title", ""))), qty, unit, row))
    if not items:
        raise ValidationError(_("trade {tid} has no items").format(tid=tid), field="orders",
                              value=tid, row=row)
    address = " ".join(parsing.text(str(t.get(k) or "")) for k in (
        "receiver_state", "receiver_city", "receiver_district", "receiver_address")).strip()
    phone = parsing.phone(str(t.get("receiver_mobile") or t.get("receiver_phone") or ""),
                          row=row)
    return OrderInput(
        external_id=tid, status=status, channel_status=raw,
        buyer=parsing.text(str(t.get("buyer_nick") or "")),
        recipient=(parsing.text(str(t.get("receiver_name") or "")), phone, address),
        total=sum((i.qty * i.unit_price for i in items), Decimal(0)).quantize(Decimal("0.01")),
        shipping=parsing.amount(str(t.get("post_fee") or "0"), field="post_fee", row=row),
        ordered_at=_moment(t.get("created")), note=parsing.text(str(t.get("buyer_message") or "")),
        items=items, row=row, doubt="; ".join(doubts))


def _moment(value: object) -> dt.datetime | None:
    """TOP's Beijing wall-clock time as naive UTC, as orders store times."""
    if not value:
        return None
    try:
        at = dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=top.BEIJING)
    except ValueError:
        return None
    return at.astimezone(dt.UTC).replace(tzinfo=None)
