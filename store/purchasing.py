"""Purchase orders: what the shop asked a supplier for, and how much of it has arrived.

Receiving (store/receiving.py) raises `received_qty` and moves an order from ordered to
partial to received. Bills, payments and reorder suggestions build on these (issue 6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import permissions
from .auth import SessionUser
from .db import unit_of_work
from .errors import NotFound, StoreError, ValidationError
from .i18n import N_, _
from .models import Product, PurchaseOrder, PurchaseOrderLine, Supplier, Warehouse, utcnow
from .money import COST_PLACES, QTY_PLACES, parse_decimal
from .numbering import document_number

OPEN_STATUSES = ("ordered", "partial")
# Every document status, for gettext: screens and messages show _(status).
STATUS_LABELS = (N_("draft"), N_("ordered"), N_("partial"), N_("received"), N_("billed"),
                 N_("closed"), N_("cancelled"), N_("posted"), N_("in_transit"), N_("done"),
                 N_("open"))


@dataclass(frozen=True)
class OrderLineInput:
    sku: str
    qty: Decimal | str
    unit_cost: Decimal | str


@dataclass(frozen=True)
class OrderLineView:
    line_id: int
    sku: str
    name: str
    qty: Decimal
    unit_cost: Decimal
    received: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.qty - self.received, Decimal(0))


@dataclass(frozen=True)
class OrderView:
    number: str
    supplier_code: str
    supplier_name: str
    warehouse_code: str
    status: str
    lines: list[OrderLineView]


def _supplier(code: str) -> Supplier:
    row = Supplier.get_or_none(Supplier.code == code.strip())
    if row is None:
        raise NotFound(_("No supplier '{code}'").format(code=code))
    return row


def _warehouse(code: str) -> Warehouse:
    row = Warehouse.get_or_none(Warehouse.code == code.strip())
    if row is None:
        raise NotFound(_("No warehouse '{code}'").format(code=code))
    return row


@unit_of_work
def create_order(user: SessionUser, supplier_code: str, warehouse_code: str,
                 lines: Sequence[OrderLineInput], *, send: bool = True) -> OrderView:
    """A purchase order with its lines; sent to the supplier (status ordered) unless draft."""
    permissions.check(user, "purchase")
    supplier, warehouse = _supplier(supplier_code), _warehouse(warehouse_code)
    if not lines:
        raise ValidationError(_("A purchase order needs at least one line"), field="lines",
                              value=None)
    order = PurchaseOrder.create(number=document_number("PO", "purchase_order"),
                                 supplier=supplier, warehouse=warehouse, created_by=user.id,
                                 status="ordered" if send else "draft",
                                 ordered_at=utcnow() if send else None)
    for i, line in enumerate(lines, start=1):
        product = Product.get_or_none(Product.sku == line.sku)
        if product is None:
            raise ValidationError(_("Line {n}: no product with SKU '{sku}'").format(
                n=i, sku=line.sku), field="sku", value=line.sku, row=i)
        qty = parse_decimal(line.qty, field="qty", places=QTY_PLACES, row=i)
        if qty <= 0:
            raise ValidationError(_("Line {n}: qty '{value}' must be greater than zero").format(
                n=i, value=qty), field="qty", value=qty, row=i)
        cost = parse_decimal(line.unit_cost, field="unit_cost", places=COST_PLACES, row=i)
        PurchaseOrderLine.create(order=order, line_no=i, product=product, qty=qty,
                                 unit_cost=cost)
    return get_order(order.number)


def get_order(number: str) -> OrderView:
    order = PurchaseOrder.get_or_none(PurchaseOrder.number == number.strip())
    if order is None:
        raise NotFound(_("No purchase order '{number}'").format(number=number))
    rows = (PurchaseOrderLine.select(PurchaseOrderLine, Product).join(Product)
            .where(PurchaseOrderLine.order == order.id).order_by(PurchaseOrderLine.line_no))
    return OrderView(order.number, order.supplier.code, order.supplier.name,
                     order.warehouse.code, order.status,
                     [OrderLineView(r.id, r.product.sku, r.product.name, r.qty, r.unit_cost,
                                    r.received_qty) for r in rows])


def open_orders(supplier_code: str | None = None) -> list[OrderView]:
    """Orders still waiting for goods, oldest first."""
    q = (PurchaseOrder.select(PurchaseOrder.number).join(Supplier)
         .where(PurchaseOrder.status.in_(OPEN_STATUSES)).order_by(PurchaseOrder.id))
    if supplier_code:
        q = q.where(Supplier.code == supplier_code)
    return [get_order(o.number) for o in q]


@unit_of_work
def cancel_order(user: SessionUser, number: str, reason: str) -> None:
    permissions.check(user, "purchase", reference=number)
    if not reason.strip():
        raise ValidationError(_("Give a reason to cancel"), field="reason", value=reason)
    order = PurchaseOrder.get_or_none(PurchaseOrder.number == number)
    if order is None:
        raise NotFound(_("No purchase order '{number}'").format(number=number))
    if order.status not in ("draft", "ordered"):
        raise StoreError(_("Purchase order {number} is {status}: it cannot be cancelled").format(
            number=number, status=order.status))
    (PurchaseOrder.update(status="cancelled", cancel_reason=reason.strip()[:200])
     .where(PurchaseOrder.id == order.id).execute())
