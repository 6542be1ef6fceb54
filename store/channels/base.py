"""Online channels: their orders as plain values, a connector interface, and the one upsert
every channel goes through.

A connector reads a channel's orders since a cursor (a file importer reads one file; an API
connector would page through the channel's API) and hands them to `upsert`, which is
idempotent by (channel, external order number): the same orders twice change nothing; a later
status (paid → shipped, closed, refunded) moves the order on. Items map to products by the
merchant's code (商家编码 / SKU), then by barcode; an order with an item that maps to nothing
is held, never dropped. A closed order (交易关闭) never reserves stock.

Connectors are found by name among the built-in ones and the `zhanggui.channels` entry-point
group, so a plug-in package adds one without touching the core."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from store.books import ledger
from store.books.ledger import Posting
from store.core.db import bulk_insert, unit_of_work
from store.core.errors import StoreError
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO
from store.core.text import scrub
from store.customers.order_items import products_by_code, remap
from store.models import Counter, OrderEvent, Product, SalesOrder, SalesOrderLine, utcnow
from store.security import crypto, permissions
from store.security.auth import SessionUser
from store.shops import org
from store.stock import costing

CHUNK = 2000
Progress = Callable[[int, int], None]
# A channel's order moves only forward: a file with an older status changes nothing.
RANK = {"quote": 0, "held": 0, "confirmed": 1, "shipped": 2, "cancelled": 3}


@dataclass
class ItemInput:
    external_sku: str
    title: str
    qty: Decimal
    unit_price: Decimal
    row: int = 0


@dataclass
class OrderInput:
    external_id: str
    status: str  # quote, confirmed, shipped or cancelled: what the channel says, mapped
    channel_status: str
    buyer: str = ""
    recipient: tuple[str, str, str] = ("", "", "")  # name, phone, address
    total: Decimal = ZERO
    shipping: Decimal = ZERO
    ordered_at: dt.datetime | None = None
    carrier: str = ""
    tracking_no: str = ""
    note: str = ""
    items: list[ItemInput] = field(default_factory=list)
    row: int = 0
    doubt: str = ""  # why a person should look first (an absurd quantity, another currency)


@dataclass
class Batch:
    orders: list[OrderInput]
    cursor: str = ""  # where the next fetch starts ("" when there is no more)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)


class Connector(Protocol):
    """What a channel plug-in provides (entry-point group `zhanggui.channels`)."""

    name: str

    def fetch(self, cursor: str = "") -> Batch: ...


@dataclass
class ImportReport:
    channel: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)


@dataclass
class SyncReport(ImportReport):
    """A sync by a channel's API: its orders, and what went back to the channel."""

    told: int = 0  # shipments the channel accepted
    not_told: list[tuple[str, str]] = field(default_factory=list)  # (order, why): next sync
    pushed: int = 0  # listings whose quantity was sent
    not_pushed: list[tuple[str, str]] = field(default_factory=list)  # (listing, why)


def read_orders(raw: Sequence[dict[str, Any]], convert: Callable[[dict[str, Any], int], OrderInput],
                label: Callable[[dict[str, Any]], str]
                ) -> tuple[list[OrderInput], list[tuple[int, str]]]:
    """A channel's answer as orders; one that cannot be read is refused by its place in the
    answer and its own label (trade 123…, #1001), and the others go on."""
    orders, rejected = [], []
    for i, item in enumerate(raw, start=1):
        try:
            orders.append(convert(item, i))
        except StoreError as err:
            rejected.append((i, _("{name}: {reason}").format(
                name=scrub(label(item))[:30], reason=err)))
    return orders, rejected


# -- the upsert ---------------------------------------------------------------------------

class _DryRun(Exception):
    pass


def upsert(user: SessionUser, channel: str, orders: Sequence[OrderInput], *,
           warehouse_code: str = "STORE", dry_run: bool = False,
           progress: Progress | None = None, report: ImportReport | None = None
           ) -> ImportReport:
    """Create or move on the channel's orders, a chunk per transaction."""
    permissions.check(user, "import_orders", reference=channel)
    report = report or ImportReport(channel, dry_run=dry_run)
    warehouse = org.get_warehouse(warehouse_code)
    seen: set[str] = set()
    unique: list[OrderInput] = []
    for o in orders:  # the same order twice in one file: the later row wins
        if o.external_id in seen:
            unique = [u for u in unique if u.external_id != o.external_id]
        seen.add(o.external_id)
        unique.append(o)
    done = 0
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start:start + CHUNK]
        with contextlib.suppress(_DryRun):  # raised to roll a dry run's chunk back
            _chunk(user, channel, chunk, warehouse.id, report, dry_run)
        done += len(chunk)
        if progress is not None:
            progress(done, len(unique))
    return report


def _numbers(count: int) -> list[str]:
    """`count` sales order numbers at once: one UPDATE for the block, still gap-free."""
    updated = (Counter.update(value=Counter.value + count)
               .where((Counter.terminal == "") & (Counter.name == "sales_order")).execute())
    if not updated:
        Counter.create(terminal="", name="sales_order", value=count)
    last = Counter.get((Counter.terminal == "") & (Counter.name == "sales_order")).value
    return [f"SO-{n:06d}" for n in range(last - count + 1, last + 1)]


@unit_of_work
def _chunk(user: SessionUser, channel: str, chunk: list[OrderInput], warehouse_id: int,
           report: ImportReport, dry_run: bool) -> None:
    existing = {o.external_id: o for o in SalesOrder.select(
        SalesOrder.id, SalesOrder.external_id, SalesOrder.status, SalesOrder.channel_status,
        SalesOrder.number).where((SalesOrder.channel == channel)
                                 & SalesOrder.external_id.in_([o.external_id for o in chunk]))}
    products = products_by_code(i.external_sku for o in chunk for i in o.items)
    fresh = [o for o in chunk if o.external_id not in existing]
    now = utcnow()
    shipped: dict[int, Decimal] = defaultdict(lambda: ZERO)  # product → qty that left
    if fresh:
        numbers = _numbers(len(fresh))
        rows = []
        for o, number in zip(fresh, numbers, strict=True):
            status = _status_of(o, products, report)
            sealed = (crypto.seal(json.dumps(list(o.recipient), ensure_ascii=False))
                      if any(o.recipient) else "")
            rows.append(dict(number=number, uuid=uuidlib.uuid4(), channel=channel,
                             external_id=o.external_id, status=status,
                             channel_status=o.channel_status[:40], warehouse=warehouse_id,
                             buyer=o.buyer[:100], recipient_enc=sealed, total=o.total,
                             shipping=o.shipping, carrier=o.carrier[:40],
                             tracking_no=o.tracking_no[:64], note=o.note[:500],
                             ordered_at=o.ordered_at or now, created_at=now, updated_at=now,
                             created_by=user.id))
        bulk_insert(SalesOrder, rows)
        made: Any = (SalesOrder.select(SalesOrder.external_id, SalesOrder.id)
                     .where((SalesOrder.channel == channel)
                            & SalesOrder.external_id.in_([o.external_id for o in fresh])).tuples())
        ids = dict(made)
        lines, events = [], []
        for o, row in zip(fresh, rows, strict=True):
            oid = ids[o.external_id]
            for n, item in enumerate(o.items, start=1):
                product = products.get(item.external_sku)
                done = row["status"] == "shipped" and product is not None
                lines.append(dict(order=oid, line_no=n,
                                  product=product[0] if product else None,
                                  external_sku=item.external_sku[:64], title=item.title[:200],
                                  qty=item.qty, unit_price=item.unit_price,
                                  amount=(item.qty * item.unit_price).quantize(Decimal("0.01")),
                                  tax_rate_bp=product[1] if product else 0,
                                  shipped_qty=item.qty if done else ZERO))
                if done and product is not None and product[2]:
                    shipped[product[0]] += item.qty
            events.append(dict(order=oid, at=now, status=row["status"],
                               note=_("imported: {status}").format(status=o.channel_status)[:300],
                               user=user.id))
        bulk_insert(SalesOrderLine, lines)
        bulk_insert(OrderEvent, events)
        report.created += len(fresh)
    for o in chunk:
        old = existing.get(o.external_id)
        if old is None:
            continue
        _update(user, old, o, products, report, shipped)
    if shipped:
        _ship_stock(channel, warehouse_id, shipped, user)
    if dry_run:
        raise _DryRun


def _status_of(o: OrderInput, products: dict[str, tuple[int, int, bool]],
               report: ImportReport) -> str:
    if o.status == "cancelled":
        return "cancelled"  # a closed order reserves nothing, mapped or not
    if o.doubt:  # held: imported as it came, reserving nothing, for a person to confirm
        report.held.append((o.row, f"{o.external_id}: {o.doubt}"))
        return "held"
    unmapped = [i for i in o.items if i.external_sku not in products]
    if not o.items or unmapped:
        why = (_("no items") if not o.items else _("item '{sku}' ({title}) is no product")
               .format(sku=unmapped[0].external_sku or "—", title=unmapped[0].title[:30]))
        report.held.append((o.row, f"{o.external_id}: {why}"))
        return "held"
    return o.status


def _update(user: SessionUser, old: SalesOrder, o: OrderInput,
            products: dict[str, tuple[int, int, bool]], report: ImportReport,
            shipped: dict[int, Decimal]) -> None:
    if o.doubt and old.status == "held":  # still in doubt: nothing moves until a person looked
        report.held.append((o.row, f"{o.external_id}: {o.doubt}"))
        report.unchanged += 1
        return
    if old.status == "held":  # its products may exist now: map the lines again
        remap(old.id, products)
        if SalesOrderLine.select().where((SalesOrderLine.order == old.id)
                                         & SalesOrderLine.product.is_null()).exists():
            report.held.append((o.row, f"{o.external_id}: " + _("still has items that are no "
                                                                 "product")))
            report.unchanged += 1
            return
    target = o.status
    if old.channel_status == o.channel_status and old.status != "held":
        report.unchanged += 1
        return
    if old.status in ("invoiced", "paid") or RANK.get(target, 0) < RANK.get(old.status, 0):
        report.unchanged += 1  # older news, or ours went further: nothing to take back
        return
    if target == "cancelled" and old.status in ("shipped", "partial"):
        report.rejected.append((o.row, _("{id}: refunded after shipping: take the goods back as "
                                         "a return").format(id=o.external_id)))
        return
    changes: dict[Any, Any] = {SalesOrder.status: target, SalesOrder.updated_at: utcnow(),
                               SalesOrder.channel_status: o.channel_status[:40]}
    if o.tracking_no:
        changes[SalesOrder.tracking_no] = o.tracking_no[:64]
        changes[SalesOrder.carrier] = o.carrier[:40]
    if target == "shipped" and old.status != "shipped":
        for line in SalesOrderLine.select(SalesOrderLine, Product).join(Product).where(
                (SalesOrderLine.order == old.id) & (SalesOrderLine.shipped_qty
                                                    < SalesOrderLine.qty)):
            if line.product_id is not None and line.product is not None \
                    and line.product.stock_tracked:
                shipped[line.product_id] += line.qty - line.shipped_qty
        (SalesOrderLine.update(shipped_qty=SalesOrderLine.qty)
         .where(SalesOrderLine.order == old.id).execute())
    (SalesOrder.update(changes)
     .where((SalesOrder.id == old.id) & (SalesOrder.status == old.status)).execute())
    OrderEvent.create(order=old.id, status=target, user=user.id,
                      note=_("imported: {status}").format(status=o.channel_status)[:300])
    report.updated += 1


def _ship_stock(channel: str, warehouse_id: int, shipped: dict[int, Decimal],
                user: SessionUser) -> None:
    """What the channel shipped in this chunk leaves the warehouse: one move per product at
    the moving average (reference: the import), and one cost-of-goods entry."""
    reference = f"{channel.upper()}-{utcnow():%Y%m%d%H%M%S}"[:64]
    cost = costing.stock_out_many(warehouse_id, dict(shipped), reason="shipment",
                                  reference=reference, user_id=user.id)
    if cost:
        ledger.post_entry(phrase(N_("Shipped by {channel}"), channel=channel), reference,
                          [Posting(ledger.COGS, debit=cost), Posting(ledger.INVENTORY,
                                                                     credit=cost)],
                          kind="shipment", user_id=user.id)
