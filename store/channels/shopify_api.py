"""Shopify orders by the Admin GraphQL API (issue 17.2).

`orders(first:, after:, sortKey: UPDATED_AT, query: "updated_at:>='…' AND updated_at:<='…'")`
pages forward by cursor: a cursor names a position by the sort key itself, not by an
offset, so an order updated while we page (and so leaving the window) shifts nothing. Each
page's orders are imported through the same upsert as the files and only then is the
channel's cursor moved to the page's last `updatedAt` — a cut network or a killed process
resumes from there, and the upsert doubles nothing.

Limits: Shopify answers a query over its cost budget with `errors: [{extensions: {code:
THROTTLED}}]` and `extensions.cost.throttleStatus`; the client waits until enough of the
budget has refilled (`(requested − available) / restoreRate` seconds) and asks again. An
HTTP 429 is waited out by its Retry-After; 401/403 mean the token is no longer good: the
channel stops in words."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from store.channels import links, parsing, shopify_push, top
from store.channels.base import ItemInput, OrderInput, SyncReport, read_orders, upsert
from store.core.errors import ValidationError
from store.core.i18n import _
from store.security.auth import SessionUser
from store.shops import org

VERSION = "2025-01"
PAGE = 100
SETTLE = dt.timedelta(minutes=2)
FIRST_LOOK = dt.timedelta(days=1)
ORDERS = """query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    edges { cursor node {
      id name updatedAt createdAt cancelledAt note
      displayFinancialStatus displayFulfillmentStatus
      totalShippingPriceSet { shopMoney { amount currencyCode } }
      customer { displayName }
      shippingAddress { name phone address1 address2 city province }
      lineItems(first: 100) { nodes { sku title quantity
        discountedUnitPriceSet { shopMoney { amount currencyCode } }
        variant { inventoryItem { id } } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""


class Throttled(top.Unreachable):
    """Over the cost budget (or HTTP 429) after the retries."""


class ShopifyClient:
    def __init__(self, url: str, token: str, *, http: httpx.Client | None = None,
                 retries: int = 4, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url, self.token, self.retries, self.sleep = url, token, retries, sleep
        self.http = http or httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0))

    def query(self, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The query's `data`; a refusal raises (SessionExpired for a token no longer good)."""
        return top.retried(lambda: self._once(text, variables), retries=self.retries,
                           sleep=self.sleep,
                           retryable=lambda err: isinstance(err, top.Unreachable))

    def _once(self, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        answer = top.post(self.http, self.url, json={"query": text, "variables": variables},
                          headers={"X-Shopify-Access-Token": self.token})
        if answer.status_code in (401, 403):
            raise top.SessionExpired(_("Shopify refused the access token (HTTP {status}): "
                                       "make a new one").format(status=answer.status_code),
                                     code=str(answer.status_code))
        if answer.status_code == 429:
            raise Throttled(_("Shopify: too many requests"), code="429",
                            wait=_seconds(answer.headers.get("Retry-After")))
        body = top.json_of(answer, self.url)
        errors = body.get("errors")
        if errors:
            codes = [str((e.get("extensions") or {}).get("code", "")) for e in errors
                     if isinstance(e, dict)]
            if "THROTTLED" in codes:
                raise Throttled(_("Shopify: over the query cost budget"), code="THROTTLED",
                                wait=_refill(body))
            said = "; ".join(str(e.get("message", ""))[:120] for e in errors
                             if isinstance(e, dict))
            raise top.TopError(_("Shopify refused the query: {message}").format(message=said),
                               code="graphql")
        data = body.get("data")
        if not isinstance(data, dict):
            raise top.TopError(_("{url}: an answer of an unknown shape").format(url=self.url),
                               code="format")
        return data


# Waits in seconds and the cost budget's points: floats, as time.sleep takes them; no money.
def _seconds(value: str | None) -> float:
    try:
        return min(60.0, max(0.5, float(value or "2")))
    except ValueError:
        return 2.0


def _refill(body: dict[str, Any]) -> float:
    """How long until the budget holds what the query asked for."""
    cost = ((body.get("extensions") or {}).get("cost") or {})
    status = cost.get("throttleStatus") or {}
    try:
        wanted = float(cost.get("requestedQueryCost") or 0)
        have = float(status.get("currentlyAvailable") or 0)
        rate = float(status.get("restoreRate") or 50)
    except (TypeError, ValueError):
        return 2.0
    return min(60.0, max(0.5, (wanted - have) / rate if rate > 0 else 2.0))


def client_for(link: Any, **options: Any) -> ShopifyClient:
    return ShopifyClient(link.url, links.secrets_of(link)["token"], **options)


def sync(actor: SessionUser, link: Any, *, client: ShopifyClient | None = None,
         now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
         since: dt.datetime | None = None) -> SyncReport:
    """Fetch and import, page by page, every order updated since the channel's cursor."""
    client = client or client_for(link)
    report = SyncReport(link.name)
    with links.running(link) as cursor:
        start = cursor or since or now() - FIRST_LOOK
        end = now() - SETTLE
        search = f"updated_at:>='{_iso(start)}' AND updated_at:<='{_iso(end)}'"
        after: str | None = None
        while True:
            page = client.query(ORDERS, {"first": PAGE, "after": after, "query": search})
            orders = page.get("orders") or {}
            nodes = [e.get("node") or {} for e in orders.get("edges") or []
                     if isinstance(e, dict)]
            good, rejected = read_orders(nodes, order_of, lambda n: str(n.get("name", "?")))
            report.rejected.extend(rejected)
            upsert(actor, link.name, good, warehouse_code=link.warehouse, report=report)
            shopify_push.learn(link.name, nodes)
            last = max((str(n.get("updatedAt", "")) for n in nodes), default="")
            info = orders.get("pageInfo") or {}
            more = bool(info.get("hasNextPage")) and bool(info.get("endCursor"))
            reached = (_moment(last) or start) if more else end
            links.note(link.id, status="ok", cursor=reached.isoformat(),
                       message=links.so_far(report, _iso(reached)))
            if not more:
                break
            after = str(info["endCursor"])
        links.told_back(link.id, report, shopify_push.tell(link.name, client),
                        shopify_push.push(link.name, link.warehouse, client))
    return report


def order_of(node: dict[str, Any], row: int = 0) -> OrderInput:
    """A Shopify order as the upsert's: its number (#1001) the channel's order number."""
    name = parsing.text(str(node.get("name", "")))
    if not name:
        raise ValidationError(_("an order without a name"), field="name", value="", row=row)
    financial = str(node.get("displayFinancialStatus") or "")
    fulfilment = str(node.get("displayFulfillmentStatus") or "")
    if node.get("cancelledAt") or financial in ("REFUNDED", "VOIDED"):
        status = "cancelled"
    elif fulfilment == "FULFILLED":
        status = "shipped"
    elif financial in ("PAID", "PARTIALLY_REFUNDED", "PARTIALLY_PAID"):
        status = "confirmed"
    else:
        status = "quote"
    items: list[ItemInput] = []
    doubts: list[str] = []
    currencies = set()
    for line in ((node.get("lineItems") or {}).get("nodes") or []):
        if not isinstance(line, dict):
            continue
        qty = parsing.qty(str(line.get("quantity", "1")), field="quantity", row=row,
                          doubts=doubts)
        shop_money = ((line.get("discountedUnitPriceSet") or {}).get("shopMoney") or {})
        currencies.add(str(shop_money.get("currencyCode") or ""))
        price = parsing.amount(str(shop_money.get("amount", "0")), field="price", row=row,
                               doubts=doubts)
        items.append(ItemInput(parsing.text(str(line.get("sku") or "")),
                               parsing.text(str(line.get("title") or "")), qty,
                               price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), row))
    if not items:
        raise ValidationError(_("{name} has no items").format(name=name), field="lineItems",
                              value=name, row=row)
    address = node.get("shippingAddress") or {}
    where = " ".join(parsing.text(str(address.get(k) or "")) for k in (
        "province", "city", "address1", "address2")).strip()
    shipping = (((node.get("totalShippingPriceSet") or {}).get("shopMoney") or {})
                .get("amount", "0"))
    return OrderInput(
        external_id=name, status=status, channel_status=f"{financial}/{fulfilment}"[:40],
        buyer=parsing.text(str((node.get("customer") or {}).get("displayName") or "")),
        recipient=(parsing.text(str(address.get("name") or "")),
                   parsing.phone(str(address.get("phone") or ""), row=row), where),
        total=sum((i.qty * i.unit_price for i in items), Decimal(0)).quantize(Decimal("0.01")),
        shipping=parsing.amount(str(shipping), field="shipping", row=row),
        ordered_at=_naive(_moment(str(node.get("createdAt") or ""))),
        note=parsing.text(str(node.get("note") or "")), items=items, row=row,
        doubt="; ".join(doubts + _currency(currencies)))


def _currency(seen: set[str]) -> list[str]:
    """The shop keeps its books in one currency; an order priced in another is held (a
    Shopify store set to USD while the books are in CNY would book dollars as yuan)."""
    ours = org.settings().currency
    other = sorted(c for c in seen if c and c != ours)
    return [_("amounts are in {theirs}; the shop keeps its books in {ours}").format(
        theirs=", ".join(other)[:20], ours=ours)] if other else []


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: str) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return at if at is None or at.tzinfo else at.replace(tzinfo=dt.UTC)


def _naive(at: dt.datetime | None) -> dt.datetime | None:
    return at.astimezone(dt.UTC).replace(tzinfo=None) if at else None
