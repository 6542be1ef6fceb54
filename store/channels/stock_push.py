"""Stock goes back to Taobao/Tmall (issue 17.4): the web shop stops selling what the shop no
longer has.

Which listing is which product is learnt from the trades themselves: a trade line carries the
platform's item id (num_iid), its SKU id and the merchant's code (商家编码) that maps it to one
of our products. After each sync, every learnt listing whose product's available quantity in
the channel's warehouse (on hand − what open orders hold; never below 0, whole units) differs
from what was last pushed is sent to `taobao.item.quantity.update` (type=1: the full
quantity), one call a listing, paced by the client's retries on the platform's limits. A
refusal is kept on the listing and tried at the next sync."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from store.channels import parsing, top
from store.core.db import unit_of_work
from store.customers.order_items import products_by_code
from store.models import ChannelItem, Warehouse, utcnow
from store.stock import inventory


@dataclass
class Pushed:
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (item id/sku id, why)


def learn(channel: str, trades: Iterable[dict[str, Any]]) -> int:
    """Record the listings the trades show, by the product their 商家编码 maps to."""
    seen: dict[tuple[str, str], str] = {}
    for t in trades:
        lines = t.get("orders")
        lines = lines.get("order") if isinstance(lines, dict) else lines
        for o in lines if isinstance(lines, list) else []:
            if not isinstance(o, dict):
                continue
            item = parsing.text(str(o.get("num_iid") or ""))
            code = parsing.text(str(o.get("outer_sku_id") or o.get("outer_iid") or ""))
            if item.isdigit() and code:
                seen[(item, parsing.text(str(o.get("sku_id") or "")))] = code
    return remember(channel, seen)


@unit_of_work
def remember(channel: str, seen: dict[tuple[str, str], str]) -> int:
    """Listings by (item id, SKU id) → the merchant's code, kept by the product it maps to."""
    products = products_by_code(set(seen.values()))
    added = 0
    for (item, sku_id), code in seen.items():
        if code not in products or (sku_id and not sku_id.isdigit()):
            continue
        product_id = products[code][0]
        row = ChannelItem.get_or_none((ChannelItem.channel == channel)
                                      & (ChannelItem.item_id == item)
                                      & (ChannelItem.sku_id == sku_id))
        if row is None:
            ChannelItem.create(channel=channel, product=product_id, item_id=item, sku_id=sku_id)
            added += 1
        elif row.product_id != product_id:  # the merchant's code now names another product
            (ChannelItem.update(product=product_id, pushed_qty=None)
             .where(ChannelItem.id == row.id).execute())
    return added


def changed(channel: str, warehouse_code: str) -> list[tuple[ChannelItem, int]]:
    """Every learnt listing whose available quantity differs from what was last sent."""
    warehouse = Warehouse.get(Warehouse.code == warehouse_code)
    rows = list(ChannelItem.select().where(ChannelItem.channel == channel)
                .order_by(ChannelItem.id))
    ids = [r.product_id for r in rows]
    held = inventory.reserved_qty(ids) if rows else {}
    have = inventory.on_hand_in(ids, warehouse.id) if rows else {}
    out = []
    for row in rows:
        available = have[row.product_id] - held.get((row.product_id, warehouse.id), Decimal(0))
        qty = max(0, int(available.to_integral_value(rounding=ROUND_FLOOR)))
        if row.pushed_qty != qty:
            out.append((row, qty))
    return out


def label(row: ChannelItem) -> str:
    return row.item_id + (f"/{row.sku_id}" if row.sku_id else "")


def push(channel: str, warehouse_code: str, client: top.TopClient) -> Pushed:
    """Send every learnt listing whose available quantity changed since it was last sent."""
    pushed = Pushed()
    for row, qty in changed(channel, warehouse_code):
        try:
            client.call("taobao.item.quantity.update", num_iid=row.item_id,
                        sku_id=row.sku_id or None, quantity=qty, type=1)
        except top.SessionExpired:
            raise
        except top.TopError as err:
            note(row.id, None, str(err))
            pushed.failed.append((label(row), str(err)))
            continue
        note(row.id, qty, "")
        pushed.done += 1
    return pushed


@unit_of_work
def note(row_id: int, qty: int | None, message: str) -> None:
    values: dict[Any, Any] = {ChannelItem.message: message[:300]}
    if qty is not None:
        values |= {ChannelItem.pushed_qty: qty, ChannelItem.pushed_at: utcnow()}
    ChannelItem.update(values).where(ChannelItem.id == row_id).execute()
