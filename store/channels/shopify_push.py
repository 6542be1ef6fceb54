"""What goes back to Shopify (issue 17.3, 17.4): shipments as fulfilments with their tracking,
and the available quantity of each listing the orders showed.

A shipment: the order is found by its name (`orders(first: 1, query: "name:#1001")`) with its
fulfilment orders; every one still open is fulfilled by `fulfillmentCreate` with the courier
and tracking number, the customer notified. Told once, like Taobao's (shipments.py); an order
already fulfilled there is recorded told.

Stock: the orders' lines carry each variant's inventory item; after a sync the quantities
that changed are set at the shop's primary location by `inventorySetQuantities` (name
`available`, reason `correction`), BATCH to a call. Shopify applies a call whole or not at
all, so a refusal marks the whole batch to try again, each with the reason given."""

from __future__ import annotations

from typing import Any, Protocol

from store.channels import parsing, shipments, stock_push, top
from store.channels.stock_push import Pushed
from store.core.i18n import _
from store.models import SalesOrder


class ShopifyClient(Protocol):
    """shopify_api's client, as this module uses it (shopify_api calls this module)."""

    def query(self, text: str, variables: dict[str, Any]) -> dict[str, Any]: ...

BATCH = 100
GID_ITEM = "gid://shopify/InventoryItem/"
OPEN = ("OPEN", "IN_PROGRESS", "SCHEDULED")  # a fulfilment order that can still be fulfilled
UNSHIPPED = ("UNFULFILLED", "PARTIALLY_FULFILLED", "SCHEDULED", "ON_HOLD", "IN_PROGRESS",
             "OPEN", "PENDING_FULFILLMENT", "REQUEST_DECLINED")
FIND = """query Find($query: String!) {
  orders(first: 1, query: $query) { nodes { id name
    fulfillmentOrders(first: 10) { nodes { id status } } } }
}"""
FULFIL = """mutation Fulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status } userErrors { field message } }
}"""
LOCATION = "query Location { location { id } }"
SET = """mutation SetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id } userErrors { code field message } }
}"""


def learn(channel: str, nodes: list[dict[str, Any]]) -> int:
    """The listings the orders show: each line's variant's inventory item by its SKU."""
    seen: dict[tuple[str, str], str] = {}
    for node in nodes:
        for line in ((node.get("lineItems") or {}).get("nodes") or []):
            if not isinstance(line, dict):
                continue
            item = str((((line.get("variant") or {}).get("inventoryItem")) or {}).get("id") or "")
            code = parsing.text(str(line.get("sku") or ""))
            number = item.removeprefix(GID_ITEM)
            if item.startswith(GID_ITEM) and number.isdigit() and code:
                seen[(number, "")] = code
    return stock_push.remember(channel, seen)


def _unshipped() -> Any:
    clause = None
    for status in UNSHIPPED:
        one = SalesOrder.channel_status.endswith("/" + status)
        clause = one if clause is None else clause | one
    return clause


def tell(channel: str, client: ShopifyClient) -> shipments.Told:
    told = shipments.Told()
    for order in shipments.waiting(channel, _unshipped()):
        financial = order.channel_status.split("/")[0]
        try:
            why = _fulfil(client, order)
        except top.SessionExpired:
            raise
        except top.TopError as err:
            why = str(err)
        shipments.record(order.id, ok=not why, message=why, now_shows=f"{financial}/FULFILLED")
        if why:
            told.failed.append((order.number, why))
        else:
            told.done += 1
    return told


def _fulfil(client: ShopifyClient, order: SalesOrder) -> str:
    """"" when Shopify has the shipment (now or already); else why not, in words."""
    found = client.query(FIND, {"query": f"name:{order.external_id}"})
    nodes = [n for n in ((found.get("orders") or {}).get("nodes") or []) if isinstance(n, dict)]
    match = [n for n in nodes if n.get("name") == order.external_id]
    if not match:
        return _("Shopify has no order {name}").format(name=order.external_id)
    open_ = [f["id"] for f in ((match[0].get("fulfillmentOrders") or {}).get("nodes") or [])
             if isinstance(f, dict) and f.get("status") in OPEN and f.get("id")]
    if not open_:
        return ""  # fulfilled there already (by hand, or a notice whose answer was lost)
    data = client.query(FULFIL, {"fulfillment": {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": i} for i in open_],
        "notifyCustomer": True,
        "trackingInfo": {"company": order.carrier, "number": order.tracking_no}}})
    result = data.get("fulfillmentCreate") or {}
    errors = [e for e in result.get("userErrors") or [] if isinstance(e, dict)]
    if errors or not isinstance(result.get("fulfillment"), dict):
        said = "; ".join(str(e.get("message", ""))[:120] for e in errors)
        return _("Shopify refused the fulfilment: {message}").format(
            message=said or _("no fulfilment in the answer"))
    return ""


def push(channel: str, warehouse_code: str, client: ShopifyClient) -> Pushed:
    pushed = Pushed()
    todo = stock_push.changed(channel, warehouse_code)
    if not todo:
        return pushed
    location = str(((client.query(LOCATION, {}).get("location")) or {}).get("id") or "")
    if not location:
        raise top.TopError(_("Shopify named no primary location to set stock at"),
                           code="format")
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        try:
            errors = _set(client, location, batch)
        except top.SessionExpired:
            raise
        except top.TopError as err:
            errors = {i: str(err) for i in range(len(batch))}
        if errors:
            general = "; ".join(sorted(set(errors.values())))
            for i, (row, _qty) in enumerate(batch):
                why = errors.get(i) or _("not set: {reason}").format(reason=general)
                stock_push.note(row.id, None, why)
                pushed.failed.append((stock_push.label(row), why))
            continue
        for row, qty in batch:
            stock_push.note(row.id, qty, "")
        pushed.done += len(batch)
    return pushed


def _set(client: ShopifyClient, location: str, batch: list[tuple[Any, int]]
         ) -> dict[int, str]:
    """{} when Shopify set them all; else the refusals by the batch's index (-1: general)."""
    data = client.query(SET, {"input": {
        "name": "available", "reason": "correction", "ignoreCompareQuantity": True,
        "quantities": [{"inventoryItemId": GID_ITEM + row.item_id, "locationId": location,
                        "quantity": qty} for row, qty in batch]}})
    result = data.get("inventorySetQuantities") or {}
    out: dict[int, str] = {}
    for e in result.get("userErrors") or []:
        if not isinstance(e, dict):
            continue
        where = [str(f) for f in e.get("field") or []]
        index = int(where[2]) if len(where) > 2 and where[2].isdigit() else -1
        out[index if 0 <= index < len(batch) else -1] = _(
            "Shopify refused the quantity: {message}").format(
                message=str(e.get("message", ""))[:150])
    if -1 in out:
        general = out.pop(-1)
        out = {i: out.get(i, general) for i in range(len(batch))}
    return out
