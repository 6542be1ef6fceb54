"""Transfers between warehouses, with a transfer document: in one step (out of one and into the
other at once), or two (shipped into TRANSIT, then received at the destination). A transfer
never takes the source below zero; value moves at the moving average and the inventory
account does not change (the goods are still the shop's).

In a chain (issue 18.1) a transfer between two shops always takes two steps: the goods are on
the road until the receiving shop counts them in, and each shop sees its goods in transit
(`transit_by_shop`). A user of some shops ships from their shops' warehouses only and
receives into them only; sending to another shop is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import EXCLUDED

from store.catalog.products import get_product
from store.common.numbering import document_number
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import _, current_language
from store.core.money import ZERO, round_money
from store.models import (
    Product,
    Shop,
    StockMove,
    StockTransfer,
    StockTransferLine,
    Warehouse,
    utcnow,
)
from store.security import permissions, scope
from store.security.auth import SessionUser
from store.stock import costing, scans

TRANSIT = "TRANSIT"


@dataclass(frozen=True)
class TransferLine:
    sku: str
    name: str
    qty: Decimal


@dataclass(frozen=True)
class TransferView:
    number: str
    source: str
    destination: str
    two_step: bool
    status: str
    lines: list[TransferLine]

    @property
    def total_qty(self) -> Decimal:
        return sum((ln.qty for ln in self.lines), ZERO)


def _warehouse(code: str) -> Warehouse:
    row = Warehouse.get_or_none(Warehouse.code == code.strip())
    if row is None:
        raise NotFound(_("No warehouse '{code}'").format(code=code))
    return row


def _transit() -> int:
    row, _created = Warehouse.get_or_create(
        code=TRANSIT, defaults=dict(name="在途", name_en="In transit", allow_negative=False))
    return int(row.id)


def _transfer(number: str, status: str | None = None) -> StockTransfer:
    row = StockTransfer.get_or_none(StockTransfer.number == number.strip())
    if row is None:
        raise NotFound(_("No transfer '{number}'").format(number=number))
    if status is not None and row.status != status:
        raise StoreError(_("Transfer {number} is {status}").format(number=row.number,
                                                                    status=_(row.status)))
    return row


@unit_of_work
def start(user: SessionUser, source_code: str, destination_code: str, *,
          two_step: bool = False) -> TransferView:
    permissions.check(user, "transfer")
    source, destination = _warehouse(source_code), _warehouse(destination_code)
    if source.id == destination.id:
        raise ValidationError(_("A transfer needs two different warehouses, not {code} twice")
                              .format(code=source.code), field="destination",
                              value=destination.code)
    scope.check_warehouse(user, source.id, doing="transfer")
    if source.shop_id != destination.shop_id:
        two_step = True  # between shops the goods travel: the other shop receives them
    row = StockTransfer.create(number=document_number("TR", "transfer"), source=source,
                               destination=destination, two_step=two_step, created_by=user.id)
    return view(row.number)


@unit_of_work
def scan(user: SessionUser, number: str, code: str, qty: Decimal | str = Decimal(1)
         ) -> TransferLine:
    permissions.check(user, "transfer", reference=number)
    transfer = _transfer(number, "draft")
    scope.check_warehouse(user, transfer.source_id, doing="transfer")
    q = costing.positive_qty(qty)
    hit = scans.scanned(code)
    (StockTransferLine.insert(transfer=transfer.id, product=hit.id, qty=q * hit.pack_qty)
     .on_conflict(conflict_target=[StockTransferLine.transfer, StockTransferLine.product],
                  update={StockTransferLine.qty: StockTransferLine.qty + EXCLUDED.qty})
     .execute())
    return next(ln for ln in view(number).lines if ln.sku == hit.sku)


@unit_of_work
def set_line(user: SessionUser, number: str, sku: str, qty: Decimal | str) -> None:
    permissions.check(user, "transfer", reference=number)
    transfer = _transfer(number, "draft")
    scope.check_warehouse(user, transfer.source_id, doing="transfer")
    product = get_product(sku)
    q = costing.line_qty(qty)
    where = ((StockTransferLine.transfer == transfer.id)
             & (StockTransferLine.product == product.id))
    if q == 0:
        StockTransferLine.delete().where(where).execute()
        return
    (StockTransferLine.insert(transfer=transfer.id, product=product.id, qty=q)
     .on_conflict(conflict_target=[StockTransferLine.transfer, StockTransferLine.product],
                  update={StockTransferLine.qty: q}).execute())


def _claim(transfer: StockTransfer, before: str, after: str, **changes: object) -> None:
    """Change the status only if nobody else did first (the WHERE is the guard)."""
    done = (StockTransfer.update(status=after, **changes)
            .where((StockTransfer.id == transfer.id) & (StockTransfer.status == before))
            .execute())
    if not done:
        current = StockTransfer.get_by_id(transfer.id).status
        raise StoreError(_("Transfer {number} is {status}").format(number=transfer.number,
                                                                    status=_(current)))


def _lines(transfer: StockTransfer) -> list[StockTransferLine]:
    rows = list(StockTransferLine.select().where((StockTransferLine.transfer == transfer.id)
                                                 & (StockTransferLine.qty > 0))
                .order_by(StockTransferLine.product))
    if not rows:
        raise ValidationError(_("Transfer {number} has nothing on it").format(
            number=transfer.number), field="lines", value=None)
    return rows


@unit_of_work
def post(user: SessionUser, number: str) -> TransferView:
    """Send the goods: straight into the destination, or into TRANSIT for a two-step one."""
    permissions.check(user, "transfer", reference=number)
    transfer = _transfer(number)
    scope.check_warehouse(user, transfer.source_id, doing="transfer")
    if transfer.two_step:
        _claim(transfer, "draft", "in_transit", shipped_at=utcnow())
        target = _transit()
    else:
        _claim(transfer, "draft", "done", shipped_at=utcnow(), received_at=utcnow(),
               received_by=user.id)
        target = transfer.destination_id
    for line in _lines(transfer):
        costing.relocate(line.product_id, transfer.source_id, target, line.qty,
                         reason="transfer", reference=transfer.number, user_id=user.id)
    return view(number)


@unit_of_work
def receive(user: SessionUser, number: str) -> TransferView:
    """The second step: the goods in transit arrive at the destination."""
    permissions.check(user, "transfer", reference=number)
    transfer = _transfer(number)
    scope.check_warehouse(user, transfer.destination_id, doing="receive a transfer")
    _claim(transfer, "in_transit", "done", received_at=utcnow(), received_by=user.id)
    transit = _transit()
    for line in _lines(transfer):
        costing.relocate(line.product_id, transit, transfer.destination_id, line.qty,
                         reason="transfer", reference=transfer.number, user_id=user.id)
    return view(number)


def view(number: str) -> TransferView:
    t = _transfer(number)
    rows = (StockTransferLine.select(StockTransferLine, Product).join(Product)
            .where(StockTransferLine.transfer == t.id).order_by(StockTransferLine.id))
    return TransferView(t.number, t.source.code, t.destination.code, t.two_step, t.status,
                        [TransferLine(r.product.sku, r.product.local_name, r.qty) for r in rows])


def in_transit(viewer: SessionUser | None = None, *, incoming: bool = False
               ) -> list[TransferView]:
    """Goods on the road; for a user of some shops, those from or to their warehouses
    (`incoming`: to them only — what they can receive)."""
    q = StockTransfer.select(StockTransfer.number).where(StockTransfer.status == "in_transit")
    seen = scope.warehouses_seen(viewer)
    if seen is not None:
        q = q.where(StockTransfer.destination.in_(seen) if incoming else
                    StockTransfer.destination.in_(seen) | StockTransfer.source.in_(seen))
    return [view(r.number) for r in q.order_by(StockTransfer.id)]


def drafts(viewer: SessionUser | None = None) -> list[TransferView]:
    """Transfers started and left before they were posted: offered again, never lost (to a
    user of some shops: those from their warehouses)."""
    q = StockTransfer.select(StockTransfer.number).where(StockTransfer.status == "draft")
    seen = scope.warehouses_seen(viewer)
    if seen is not None:
        q = q.where(StockTransfer.source.in_(seen))
    return [view(r.number) for r in q.order_by(StockTransfer.id)]


@dataclass(frozen=True)
class ShopTransit:
    """A shop's goods on the road: coming to it and sent by it, at the cost they left at."""

    shop: str
    name: str
    incoming: int  # transfers
    incoming_qty: Decimal
    incoming_value: Decimal
    outgoing: int
    outgoing_qty: Decimal
    outgoing_value: Decimal


def transit_by_shop(viewer: SessionUser | None = None) -> list[ShopTransit]:
    """Per shop (of the viewer's, or all), what is in transit to and from it: the transfers,
    their quantity and the value they carried into transit (the moving average they left at),
    which together are the TRANSIT warehouse's stock value."""
    transit = Warehouse.get_or_none(Warehouse.code == TRANSIT)
    shops = {s.id: s for s in Shop.select()}
    totals: dict[tuple[int | None, str], list[Decimal]] = {}
    if transit is not None:
        moved: dict[str, tuple[Decimal, Decimal]] = {}
        for m in (StockMove.select(StockMove.reference, StockMove.qty, StockMove.value)
                  .join(StockTransfer, on=(StockMove.reference == StockTransfer.number))
                  .where((StockMove.warehouse == transit.id) & (StockMove.qty > 0)
                         & (StockTransfer.status == "in_transit"))):
            qty, value = moved.get(m.reference, (ZERO, ZERO))
            moved[m.reference] = (qty + m.qty, value + m.value)
        src, dst = Warehouse.alias(), Warehouse.alias()
        rows: Any = (StockTransfer.select(StockTransfer.number, src.shop, dst.shop)
                     .join(src, on=(StockTransfer.source == src.id))
                     .switch(StockTransfer).join(dst, on=(StockTransfer.destination == dst.id))
                     .where(StockTransfer.status == "in_transit").tuples())
        for number, from_shop, to_shop in rows:
            qty, value = moved.get(number, (ZERO, ZERO))
            for shop, side in ((to_shop, "in"), (from_shop, "out")):
                t = totals.setdefault((shop, side), [ZERO, ZERO, ZERO])
                t[0] += 1
                t[1] += qty
                t[2] += value
    mine = scope.shops_of(viewer.id) if viewer is not None else None
    out = []
    for shop_id, shop in sorted(shops.items(), key=lambda kv: kv[1].code):
        if mine is not None and shop_id not in mine:
            continue
        i = totals.get((shop_id, "in"), [ZERO, ZERO, ZERO])
        o = totals.get((shop_id, "out"), [ZERO, ZERO, ZERO])
        name = shop.name_en if current_language() == "en" and shop.name_en else shop.name
        out.append(ShopTransit(shop.code, name, int(i[0]), i[1], round_money(i[2]), int(o[0]),
                               o[1], round_money(o[2])))  # 0.00, as money reads
    return out
