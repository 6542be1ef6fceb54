"""Shopify's Admin GraphQL endpoint over real HTTP, as its documentation describes it: POST
/admin/api/<version>/graphql.json with `X-Shopify-Access-Token`, a JSON body of `query` and
`variables`; `orders(first, after, sortKey: UPDATED_AT, query: "updated_at:>='…' AND
updated_at:<='…'")` answered with edges, opaque cursors that name a position by (updatedAt,
id) and pageInfo; every answer carries `extensions.cost` with the throttle status, and a test
can make it throttle (errors THROTTLED), answer 429 with Retry-After or 401, or cut the
connection. It does not parse GraphQL: it knows the queries and mutations the shop sends by
their root field, and refuses anything else.

Back to the shop's own side: an order found by `name:#1001` with its fulfilment orders
(OPEN until fulfilled, then CLOSED); `fulfillmentCreate` checks the fulfilment orders are
the order's and open and the tracking has a number, then fulfils them; `location` is the
primary location; `inventorySetQuantities` checks the input as the API documents it (name
`available` or `on_hand`, a known reason, known inventory items at a known location) and
applies the whole call or, with any userError, none of it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from http.server import BaseHTTPRequestHandler
from typing import Any

from sims.server import LocalServer

SEARCH = re.compile(r"updated_at:>='([^']+)' AND updated_at:<='([^']+)'")


def iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ShopifyAdmin(LocalServer):
    PATH = "/admin/api/2025-01/graphql.json"

    def __init__(self, token: str = "shpat_test", shop: str = "laowang.myshopify.com") -> None:
        self.token, self.shop = token, shop
        self.orders: dict[int, dict[str, Any]] = {}
        self.currency = "CNY"  # the store's currency (shopMoney)
        self.fulfilments: dict[int, dict[str, Any]] = {}  # order number → what was sent
        self.inventory: dict[str, int] = {}  # inventory item gid → available
        self.location = "gid://shopify/Location/7001"
        self.calls: list[dict[str, Any]] = []
        self.planned: list[Any] = []  # next answers: "throttle", "drop", or an HTTP status
        self.after_page: Any = None
        super().__init__()

    def put(self, number: int, updated: dt.datetime, *, financial: str = "PAID",
            fulfilment: str = "UNFULFILLED", lines: list[dict[str, Any]],
            cancelled: bool = False) -> None:
        with self.lock:
            self.orders[number] = {
                "id": f"gid://shopify/Order/{number}", "name": f"#{number}",
                "updatedAt": iso(updated), "createdAt": iso(updated),
                "cancelledAt": iso(updated) if cancelled else None, "note": None,
                "displayFinancialStatus": financial, "displayFulfillmentStatus": fulfilment,
                "totalShippingPriceSet": {"shopMoney": {"amount": "10.0",
                                                         "currencyCode": self.currency}},
                "customer": {"displayName": "Mei Chen"},
                "shippingAddress": {"name": "Mei Chen", "phone": "+1 604 555 0101",
                                    "address1": "1 Main St", "address2": None,
                                    "city": "Vancouver", "province": "BC"},
                "lineItems": {"nodes": lines}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        admin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(size) or b"{}")
                with admin.lock:
                    admin.calls.append(body)
                    plan = admin.planned.pop(0) if admin.planned else None
                if plan == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if isinstance(plan, int):
                    self._send(plan, {"errors": "planned"}, {"Retry-After": "1.5"})
                    return
                if self.headers.get("X-Shopify-Access-Token") != admin.token:
                    self._send(401, {"errors": "[API] Invalid API key or access token"})
                    return
                self._send(200, admin.answer(body, throttled=plan == "throttle"))

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None
                      ) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def answer(self, body: dict[str, Any], *, throttled: bool) -> dict[str, Any]:
        query, variables = str(body.get("query", "")), body.get("variables") or {}
        cost = {"requestedQueryCost": 252, "actualQueryCost": None if throttled else 60,
                "throttleStatus": {"maximumAvailable": 2000.0,
                                   "currentlyAvailable": 52.0 if throttled else 1900.0,
                                   "restoreRate": 100.0}}
        if throttled:
            return {"errors": [{"message": "Throttled", "extensions": {
                "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": {"cost": cost}}
        if "shop {" in query:
            return {"data": {"shop": {"name": self.shop}}, "extensions": {"cost": cost}}
        if "fulfillmentCreate(" in query:
            return {"data": {"fulfillmentCreate": self._fulfil(variables)},
                    "extensions": {"cost": cost}}
        if "inventorySetQuantities(" in query:
            return {"data": {"inventorySetQuantities": self._set(variables)},
                    "extensions": {"cost": cost}}
        if "location {" in query:
            return {"data": {"location": {"id": self.location}}, "extensions": {"cost": cost}}
        if "orders(" not in query:
            return {"errors": [{"message": "Field doesn't exist on type 'QueryRoot'"}]}
        if str(variables.get("query", "")).startswith("name:"):
            return {"data": {"orders": {"nodes": self._named(str(variables["query"])[5:])}},
                    "extensions": {"cost": cost}}
        found = SEARCH.search(str(variables.get("query", "")))
        first = int(variables.get("first") or 0)
        if found is None or not 1 <= first <= 250:
            return {"errors": [{"message": "Invalid search or page size"}]}
        low, high = found.groups()
        after = variables.get("after")
        key = tuple(base64.b64decode(after).decode().split("|")) if after else None
        with self.lock:
            rows = sorted((o for o in self.orders.values() if low <= o["updatedAt"] <= high),
                          key=lambda o: (o["updatedAt"], o["id"]))
        if key is not None:
            rows = [o for o in rows if (o["updatedAt"], o["id"]) > key]
        page = rows[:first]
        edges = [{"cursor": base64.b64encode(f"{o['updatedAt']}|{o['id']}".encode()).decode(),
                  "node": json.loads(json.dumps(o))} for o in page]
        if self.after_page is not None:
            self.after_page()
        return {"data": {"orders": {"edges": edges, "pageInfo": {
            "hasNextPage": len(rows) > first,
            "endCursor": edges[-1]["cursor"] if edges else None}}},
            "extensions": {"cost": cost}}

    def _named(self, name: str) -> list[dict[str, Any]]:
        with self.lock:
            found = [o for o in self.orders.values() if o["name"] == name]
        return [{"id": o["id"], "name": o["name"], "fulfillmentOrders": {"nodes": [
            {"id": o["id"].replace("/Order/", "/FulfillmentOrder/"),
             "status": "CLOSED" if o["displayFulfillmentStatus"] == "FULFILLED" else "OPEN"}]}}
            for o in found]

    def _fulfil(self, variables: dict[str, Any]) -> dict[str, Any]:
        given = variables.get("fulfillment") or {}
        wanted = [g.get("fulfillmentOrderId", "") for g in
                  given.get("lineItemsByFulfillmentOrder") or []]
        number = (given.get("trackingInfo") or {}).get("number")
        with self.lock:
            for gid in wanted:
                key = int(str(gid).rsplit("/", 1)[-1]) if str(gid).rsplit("/", 1)[-1].isdigit() \
                    else -1
                order = self.orders.get(key)
                if order is None or not str(gid).startswith("gid://shopify/FulfillmentOrder/"):
                    return {"fulfillment": None, "userErrors": [
                        {"field": ["fulfillment"], "message": "Fulfillment order does not exist."}]}
                if order["displayFulfillmentStatus"] == "FULFILLED":
                    return {"fulfillment": None, "userErrors": [
                        {"field": ["fulfillment"],
                         "message": "Fulfillment order is not in an open state."}]}
            if not wanted or not number:
                return {"fulfillment": None, "userErrors": [
                    {"field": ["fulfillment"], "message": "Invalid fulfillment input."}]}
            for gid in wanted:
                key = int(str(gid).rsplit("/", 1)[-1])
                self.orders[key]["displayFulfillmentStatus"] = "FULFILLED"
                self.orders[key]["updatedAt"] = iso(dt.datetime.now(dt.UTC))
                self.fulfilments[key] = dict(given)
        return {"fulfillment": {"id": f"gid://shopify/Fulfillment/{key}", "status": "SUCCESS"},
                "userErrors": []}

    REASONS = ("correction", "cycle_count_available", "damaged", "movement_created",
               "movement_received", "movement_updated", "other", "promotion",
               "quality_control", "received", "reservation_created", "restock", "safety_stock",
               "shrinkage")

    def _set(self, variables: dict[str, Any]) -> dict[str, Any]:
        given = variables.get("input") or {}
        errors = []
        if given.get("name") not in ("available", "on_hand"):
            errors.append({"code": "INVALID_NAME", "field": ["input", "name"],
                           "message": "The quantity name must be either 'available' or 'on_hand'."})
        if given.get("reason") not in self.REASONS:
            errors.append({"code": "INVALID_REASON", "field": ["input", "reason"],
                           "message": "The specified reason is invalid."})
        rows = given.get("quantities") or []
        with self.lock:
            for i, q in enumerate(rows):
                if q.get("inventoryItemId") not in self.inventory:
                    errors.append({"code": "INVALID_INVENTORY_ITEM",
                                   "field": ["input", "quantities", str(i), "inventoryItemId"],
                                   "message": "The specified inventory item could not be found."})
                elif q.get("locationId") != self.location:
                    errors.append({"code": "INVALID_LOCATION",
                                   "field": ["input", "quantities", str(i), "locationId"],
                                   "message": "The specified location could not be found."})
                elif not isinstance(q.get("quantity"), int) or q["quantity"] > 1_000_000_000:
                    errors.append({"code": "INVALID_QUANTITY_TOO_HIGH",
                                   "field": ["input", "quantities", str(i), "quantity"],
                                   "message": "The quantity can't be higher than 1,000,000,000."})
            if errors:
                return {"inventoryAdjustmentGroup": None, "userErrors": errors}
            for q in rows:
                self.inventory[q["inventoryItemId"]] = q["quantity"]
        return {"inventoryAdjustmentGroup": {"id": "gid://shopify/InventoryAdjustmentGroup/1"},
                "userErrors": []}
