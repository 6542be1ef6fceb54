"""Receiving goods: a draft receipt filled by scanning, against a purchase order or without
one, then posted once: stock in at the moving average, the order's received quantities, and
the journal entry (inventory against goods received not invoiced), all in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import EXCLUDED

from store.books import ledger
from store.books.ledger import Posting
from store.buying import purchasing
from store.buying.purchasing import OPEN_STATUSES
from store.catalog.products import get_product
from store.common.numbering import document_number
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import COST_PLACES, ZERO, format_money, format_qty, parse_decimal
from store.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceiptLot,
    Supplier,
    UnknownBarcode,
    Warehouse,
    utcnow,
)
from store.security import approvals, permissions, scope
from store.security.auth import SessionUser
from store.stock import costing, lots, scans


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    name: str
    ordered: Decimal | None  # None: not on the order (or no order)
    before: Decimal  # received on earlier receipts of the order
    qty: Decimal  # on this receipt
    unit_cost: Decimal
    tracks_lots: bool = False
    # (lot, expires on, qty) of a lot-tracked product: they must account for all of `qty`
    lots: tuple[tuple[str, dt.date | None, Decimal], ...] = field(default=())

    @property
    def state(self) -> str:
        """ok, short, over or extra: what the screen highlights."""
        if self.ordered is None:
            return "extra"
        got = self.before + self.qty
        return "ok" if got == self.ordered else ("short" if got < self.ordered else "over")


@dataclass(frozen=True)
class ReceiptView:
    number: str
    status: str
    warehouse_code: str
    supplier_code: str
    order_number: str
    lines: list[ReceiptLine]

    @property
    def total_qty(self) -> Decimal:
        return sum((ln.qty for ln in self.lines), ZERO)

    @property
    def value(self) -> Decimal:
        return sum((ln.qty * ln.unit_cost for ln in self.lines), ZERO).quantize(Decimal("0.01"))


def _receipt(number: str) -> GoodsReceipt:
    row = GoodsReceipt.get_or_none(GoodsReceipt.number == number.strip())
    if row is None:
        raise NotFound(_("No goods receipt '{number}'").format(number=number))
    return row


def _draft(number: str) -> GoodsReceipt:
    row = _receipt(number)
    if row.status != "draft":
        raise StoreError(_("Goods receipt {number} is already {status}").format(
            number=row.number, status=_(row.status)))
    return row


@unit_of_work
def start(user: SessionUser, warehouse_code: str = "", *, order_number: str = "",
          supplier_code: str = "", approval_id: int | None = None) -> ReceiptView:
    """A new draft receipt: against an open purchase order, or without one with the
    receive_without_order permission or a supervisor's one-use approval."""
    permissions.check(user, "receive")
    order = supplier = None
    if order_number:
        order = PurchaseOrder.get_or_none(PurchaseOrder.number == order_number.strip())
        if order is None:
            raise NotFound(_("No purchase order '{number}'").format(number=order_number))
        if order.status not in OPEN_STATUSES:
            raise StoreError(_("Purchase order {number} is {status}: nothing is expected on "
                               "it").format(number=order.number, status=_(order.status)))
        supplier = order.supplier
    else:
        approvals.require(user, "receive_without_order", approval_id=approval_id,
                          reference=warehouse_code)
        if supplier_code:
            supplier = Supplier.get_or_none(Supplier.code == supplier_code.strip())
            if supplier is None:
                raise NotFound(_("No supplier '{code}'").format(code=supplier_code))
    if warehouse_code:
        warehouse = Warehouse.get_or_none(Warehouse.code == warehouse_code.strip())
        if warehouse is None:
            raise NotFound(_("No warehouse '{code}'").format(code=warehouse_code))
    elif order is not None:
        warehouse = order.warehouse
    else:
        raise ValidationError(_("Choose the warehouse the goods go into"), field="warehouse",
                              value="")
    scope.check_warehouse(user, warehouse.id, doing="receive")
    row = GoodsReceipt.create(number=document_number("GR", "goods_receipt"),
                              supplier=supplier, purchase_order=order, warehouse=warehouse,
                              created_by=user.id)
    return view(row.number)


def _order_line(order_id: int | None, product_id: int) -> PurchaseOrderLine | None:
    if order_id is None:
        return None
    return (PurchaseOrderLine.select()
            .where((PurchaseOrderLine.order == order_id)
                   & (PurchaseOrderLine.product == product_id))
            .order_by(PurchaseOrderLine.line_no).first())


@unit_of_work
def scan(user: SessionUser, number: str, code: str, qty: Decimal | str = Decimal(1)
         ) -> ReceiptLine:
    """Add a scanned item: quantities add up per line, a case barcode counts its pack."""
    permissions.check(user, "receive", reference=number)
    receipt = _draft(number)
    scope.check_warehouse(user, receipt.warehouse_id, doing="receive")
    q = costing.positive_qty(qty)
    hit, lot = scans.scanned_lot(code)
    q *= hit.pack_qty
    po_line = _order_line(receipt.purchase_order_id, hit.id)
    cost = po_line.unit_cost if po_line is not None else costing.unit_cost(hit.id)
    (GoodsReceiptLine.insert(receipt=receipt.id, product=hit.id, qty=q, unit_cost=cost,
                             po_line=po_line.id if po_line else None)
     .on_conflict(conflict_target=[GoodsReceiptLine.receipt, GoodsReceiptLine.product],
                  update={GoodsReceiptLine.qty: GoodsReceiptLine.qty + EXCLUDED.qty})
     .execute())
    if lot is not None and hit.id in lots.tracked_ids():  # a GS1-128 label: its lot counts too
        line = GoodsReceiptLine.get((GoodsReceiptLine.receipt == receipt.id)
                                    & (GoodsReceiptLine.product == hit.id))
        _add_lot(line.id, lot, q)
    return next(ln for ln in view(number).lines if ln.sku == hit.sku)


def _add_lot(line_id: int, lot: lots.Lot, qty: Decimal) -> None:
    held = ReceiptLot.get_or_none((ReceiptLot.line == line_id) & (ReceiptLot.number == lot.number))
    lots.same_expiry(lot, held.expires_on if held is not None else None)
    (ReceiptLot.insert(line=line_id, number=lot.number, expires_on=lot.expires_on, qty=qty)
     .on_conflict(conflict_target=[ReceiptLot.line, ReceiptLot.number],
                  update={ReceiptLot.qty: ReceiptLot.qty + EXCLUDED.qty})
     .execute())


@unit_of_work
def set_lot(user: SessionUser, number: str, sku: str, lot: str,
            expires_on: dt.date | str | None, qty: Decimal | str) -> None:
    """Typed from the label: `qty` of the line are of lot `lot`, expiring on `expires_on`
    (a date, 2027-12-31; None or "" for goods that do not expire); 0 takes the lot off. The
    line grows to hold its lots."""
    permissions.check(user, "receive", reference=number)
    receipt = _draft(number)
    scope.check_warehouse(user, receipt.warehouse_id, doing="receive")
    product = get_product(sku)
    if not product.tracks_lots:
        raise StoreError(_("{sku} does not track lots").format(sku=product.sku))
    name = lots.lot_number(lot)
    day = _day(expires_on)
    q = costing.line_qty(qty)
    line = GoodsReceiptLine.get_or_none((GoodsReceiptLine.receipt == receipt.id)
                                        & (GoodsReceiptLine.product == product.id))
    if line is None:
        if q == 0:
            return
        set_line(user, number, sku, q)
        line = GoodsReceiptLine.get((GoodsReceiptLine.receipt == receipt.id)
                                    & (GoodsReceiptLine.product == product.id))
    ReceiptLot.delete().where((ReceiptLot.line == line.id) & (ReceiptLot.number == name)).execute()
    if q:
        _add_lot(line.id, lots.Lot(name, day), q)
    total = sum((r.qty for r in ReceiptLot.select().where(ReceiptLot.line == line.id)), ZERO)
    if total > line.qty:
        GoodsReceiptLine.update(qty=total).where(GoodsReceiptLine.id == line.id).execute()


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(_("expires_on: '{value}' is not a date (2027-12-31)").format(
            value=value.strip()[:20]), field="expires_on", value=value.strip()[:20]) from None


@unit_of_work
def set_line(user: SessionUser, number: str, sku: str, qty: Decimal | str,
             unit_cost: Decimal | str | None = None) -> None:
    """Correct a line: its quantity (0 takes it off) and, if given, its unit cost."""
    permissions.check(user, "receive", reference=number)
    receipt = _draft(number)
    scope.check_warehouse(user, receipt.warehouse_id, doing="receive")
    product = get_product(sku)
    q = costing.line_qty(qty)
    line = GoodsReceiptLine.get_or_none((GoodsReceiptLine.receipt == receipt.id)
                                        & (GoodsReceiptLine.product == product.id))
    if q == 0:
        if line is not None:
            line.delete_instance()
        return
    cost = (parse_decimal(unit_cost, field="unit_cost", places=COST_PLACES)
            if unit_cost is not None else None)
    if cost is not None and cost < 0:
        raise ValidationError(_("unit_cost: '{value}' cannot be negative").format(value=cost),
                              field="unit_cost", value=cost)
    if line is None:
        po_line = _order_line(receipt.purchase_order_id, product.id)
        default = po_line.unit_cost if po_line is not None else costing.unit_cost(product.id)
        GoodsReceiptLine.create(receipt=receipt.id, product=product.id, qty=q,
                                unit_cost=default if cost is None else cost,
                                po_line=po_line.id if po_line else None)
        return
    changes: dict = {GoodsReceiptLine.qty: q}
    if cost is not None:
        changes[GoodsReceiptLine.unit_cost] = cost
    GoodsReceiptLine.update(changes).where(GoodsReceiptLine.id == line.id).execute()


def view(number: str) -> ReceiptView:
    """The receipt's lines, with the order's lines not yet scanned (so shortfalls show)."""
    receipt = _receipt(number)
    lines: list[ReceiptLine] = []
    seen: set[int] = set()
    order_lines: dict[int, PurchaseOrderLine] = {}
    ol: PurchaseOrderLine | None
    if receipt.purchase_order_id:
        for ol in (PurchaseOrderLine.select(PurchaseOrderLine, Product).join(Product)
                   .where(PurchaseOrderLine.order == receipt.purchase_order_id)
                   .order_by(PurchaseOrderLine.line_no)):
            order_lines.setdefault(ol.product_id, ol)
    rows = list(GoodsReceiptLine.select(GoodsReceiptLine, Product).join(Product)
                .where(GoodsReceiptLine.receipt == receipt.id).order_by(GoodsReceiptLine.id))
    by_line: dict[int, list[tuple[str, dt.date | None, Decimal]]] = {}
    tracked = [r.id for r in rows if r.product.tracks_lots]
    if tracked:
        for lot in ReceiptLot.select().where(ReceiptLot.line.in_(tracked)).order_by(ReceiptLot.id):
            by_line.setdefault(lot.line_id, []).append((lot.number, lot.expires_on, lot.qty))
    for r in rows:
        ol = order_lines.get(r.product_id)
        before = ol.received_qty if ol is not None and receipt.status == "draft" else ZERO
        if ol is not None and receipt.status == "posted":
            before = ol.received_qty - r.qty
        lines.append(ReceiptLine(r.product.sku, r.product.local_name, ol.qty if ol else None, before,
                                 r.qty, r.unit_cost, bool(r.product.tracks_lots),
                                 tuple(by_line.get(r.id, ()))))
        seen.add(r.product_id)
    for pid, pending in order_lines.items():
        if pid not in seen and receipt.status == "draft":
            lines.append(ReceiptLine(pending.product.sku, pending.product.local_name, pending.qty,
                                     pending.received_qty, ZERO, pending.unit_cost))
    supplier, order = receipt.supplier, receipt.purchase_order
    return ReceiptView(receipt.number, receipt.status, receipt.warehouse.code,
                       supplier.code if supplier is not None else "",
                       order.number if order is not None else "", lines)


# More than ordered by over this share, or a unit cost this far from the product's cost, is
# an exception a supervisor approves: 72 against 60 ordered, or 9,999,999 for a 2.00 item.
OVER_TOLERANCE = Decimal("0.10")
COST_DEVIATION = Decimal("0.50")


def exceptions(number: str) -> list[str]:
    """What on a draft receipt needs a supervisor: goods over the order beyond the tolerance,
    goods not on the order, unit costs far from the product's cost — each said in words."""
    receipt = _receipt(number)
    said: list[str] = []
    rows = (GoodsReceiptLine.select(GoodsReceiptLine, Product).join(Product)
            .where((GoodsReceiptLine.receipt == receipt.id) & (GoodsReceiptLine.qty > 0))
            .order_by(GoodsReceiptLine.id))
    for r in rows:
        sku = r.product.sku
        if receipt.purchase_order_id:
            ol = PurchaseOrderLine.get_or_none(PurchaseOrderLine.id == r.po_line_id) \
                if r.po_line_id else None
            if ol is None:
                said.append(_("{sku} is not on the order").format(sku=sku))
            elif ol.received_qty + r.qty > ol.qty * (1 + OVER_TOLERANCE):
                said.append(_("{sku}: {qty} received against {ordered} ordered").format(
                    sku=sku, qty=format_qty(ol.received_qty + r.qty), ordered=format_qty(ol.qty)))
        usual = costing.unit_cost(r.product_id)
        if usual > 0 and abs(r.unit_cost - usual) > usual * COST_DEVIATION:
            said.append(_("{sku}: unit cost {cost} against {usual} before").format(
                sku=sku, cost=format_money(r.unit_cost), usual=format_money(usual)))
    return said


@unit_of_work
def post(user: SessionUser, number: str, *, approval_id: int | None = None) -> ReceiptView:
    """Confirm the receipt: once only (a second confirm, from any terminal, is refused).
    Exceptions (see `exceptions`) need the receive_exceptions permission or a supervisor's
    one-use approval."""
    permissions.check(user, "receive", reference=number)
    receipt = _receipt(number)
    scope.check_warehouse(user, receipt.warehouse_id, doing="receive")
    if receipt.status == "draft":
        said = exceptions(number)
        if said and not permissions.allowed(user, "receive_exceptions") and approval_id is None:
            err = permissions.denied(user, "receive_exceptions", reference=number)
            err.message = str(err) + " " + "; ".join(said)  # the supervisor sees why
            raise err
        if said:
            approvals.require(user, "receive_exceptions", approval_id=approval_id,
                              reference=number)
    # The guard is the UPDATE's WHERE: two terminals confirming at once cannot both pass.
    claimed = (GoodsReceipt.update(status="posted", posted_by=user.id, posted_at=utcnow())
               .where((GoodsReceipt.id == receipt.id) & (GoodsReceipt.status == "draft"))
               .execute())
    if not claimed:
        raise StoreError(_("Goods receipt {number} is already {status}").format(
            number=receipt.number, status=_(GoodsReceipt.get_by_id(receipt.id).status)))
    rows = list(GoodsReceiptLine.select().where((GoodsReceiptLine.receipt == receipt.id)
                                                & (GoodsReceiptLine.qty > 0))
                .order_by(GoodsReceiptLine.product))
    if not rows:
        raise ValidationError(_("Goods receipt {number} has nothing on it").format(
            number=receipt.number), field="lines", value=None)
    parts = _lot_parts(rows)
    value = correction = ZERO
    for r in rows:
        got = costing.stock_in(r.product_id, receipt.warehouse_id, r.qty, r.unit_cost,
                               reason="receipt", reference=receipt.number, user_id=user.id,
                               lot=parts.get(r.id))
        value += got.value
        correction += got.correction
        if r.po_line_id:
            (PurchaseOrderLine.update(received_qty=PurchaseOrderLine.received_qty + r.qty)
             .where(PurchaseOrderLine.id == r.po_line_id).execute())
    if receipt.purchase_order_id:
        purchasing.refresh_status(receipt.purchase_order_id)
    GoodsReceipt.update(value=value).where(GoodsReceipt.id == receipt.id).execute()
    postings = [Posting(ledger.INVENTORY, debit=value), Posting(ledger.GRNI, credit=value)]
    if correction:  # units sold below zero, re-priced at this receipt's cost
        postings += [ledger.signed(ledger.INVENTORY, correction),
                     ledger.signed(ledger.COGS, -correction)]
    ledger.post_entry(phrase(N_("Goods receipt {number}"), number=receipt.number),
                      receipt.number, postings, kind="receipt", user_id=user.id)
    return view(receipt.number)


def _lot_parts(rows: list[GoodsReceiptLine]) -> dict[int, list[tuple[lots.Lot, Decimal]]]:
    """Each lot-tracked line's lots; refused when a line's lots do not account for it all
    (nothing is received: the transaction rolls back)."""
    tracked = lots.tracked_ids()
    ids = [r.id for r in rows if r.product_id in tracked]
    if not ids:
        return {}
    parts: dict[int, list[tuple[lots.Lot, Decimal]]] = {i: [] for i in ids}
    for lot in ReceiptLot.select().where(ReceiptLot.line.in_(ids)).order_by(ReceiptLot.id):
        parts[lot.line_id].append((lots.Lot(lot.number, lot.expires_on), lot.qty))
    for r in rows:
        if r.id in parts:
            have = sum((q for _l, q in parts[r.id]), ZERO)
            if have != r.qty:
                raise ValidationError(_("{sku}: {have} of {qty} have a lot: scan the GS1 label "
                                        "or enter each lot and its expiry").format(
                    sku=Product.get_by_id(r.product_id).sku, have=format_qty(have),
                    qty=format_qty(r.qty)), field="lot", value=r.product_id)
    return parts


@unit_of_work
def receive_order(user: SessionUser, order_number: str, quantities: dict[str, str] | None = None,
                  *, warehouse_code: str = "") -> ReceiptView:
    """An order received in one step, as an owner does from the office when the delivery
    matches the paper: every line still expected (or only `quantities`, SKU → qty), posted
    at once with the same checks as a receipt scanned in the stockroom — goods over the
    order, off it or at a strange cost still need `receive_exceptions`."""
    receipt = start(user, warehouse_code, order_number=order_number)
    if quantities is None:
        for line in receipt.lines:
            if line.ordered is not None and line.ordered > line.before:
                set_line(user, receipt.number, line.sku, line.ordered - line.before)
    else:
        for sku, qty in quantities.items():
            set_line(user, receipt.number, sku, qty)
    return post(user, receipt.number)


@unit_of_work
def cancel(user: SessionUser, number: str) -> None:
    permissions.check(user, "receive", reference=number)
    receipt = _draft(number)
    scope.check_warehouse(user, receipt.warehouse_id, doing="receive")
    GoodsReceipt.update(status="cancelled").where(GoodsReceipt.id == receipt.id).execute()


def drafts(warehouse_code: str = "", viewer: SessionUser | None = None) -> list[ReceiptView]:
    """Receipts under way (to a user of some shops: into their warehouses)."""
    q = GoodsReceipt.select(GoodsReceipt.number).where(GoodsReceipt.status == "draft")
    if warehouse_code:
        q = q.join(Warehouse).where(Warehouse.code == warehouse_code)
    seen = scope.warehouses_seen(viewer)
    if seen is not None:
        q = q.where(GoodsReceipt.warehouse.in_(seen))
    return [view(r.number) for r in q.order_by(GoodsReceipt.id)]


@unit_of_work
def note_unknown(user: SessionUser | None, code: str, where: str, reference: str = "") -> None:
    """Keep a barcode nobody recognised, for the manager to add as a product."""
    UnknownBarcode.create(code=code.strip()[:64], where=where, reference=reference,
                          user=user.id if user else None)


def unknown_barcodes(limit: int = 100) -> list[UnknownBarcode]:
    return list(UnknownBarcode.select().order_by(UnknownBarcode.id.desc()).limit(limit))
