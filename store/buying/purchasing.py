"""Purchase orders: what the shop asked a supplier for, what has arrived, what was billed.

Statuses: draft → ordered → partial → received → billed → closed, or cancelled. A draft is
edited freely and sent (ordered). Receiving (store/buying/receiving.py) moves an order to partial and
received; bills (store/buying/payables.py) to billed; paying those bills in full closes it. An order
whose rest will never come is short-closed: what arrived counts as all of it."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.catalog.products import find_product, get_product
from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _
from store.core.money import COST_PLACES, QTY_PLACES, ZERO, parse_decimal, round_money
from store.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierBill,
    SupplierBillLine,
    SupplierProduct,
    SupplierReturnLine,
    utcnow,
)
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.shops import org

OPEN_STATUSES = ("ordered", "partial")
# Every document status, for gettext: screens and messages show _(status).
STATUS_LABELS = (N_("draft"), N_("ordered"), N_("partial"), N_("received"), N_("billed"),
                 N_("closed"), N_("cancelled"), N_("posted"), N_("in_transit"), N_("done"),
                 N_("open"), N_("paid"))


@dataclass(frozen=True)
class OrderLineInput:
    sku: str
    qty: Decimal | str
    unit_cost: Decimal | str | None = None  # None: the supplier's last price, else the cost


@dataclass(frozen=True)
class OrderLineView:
    line_id: int
    sku: str
    name: str
    qty: Decimal
    unit_cost: Decimal
    received: Decimal
    billed: Decimal = ZERO
    supplier_sku: str = ""

    @property
    def outstanding(self) -> Decimal:
        return max(self.qty - self.received, Decimal(0))

    @property
    def amount(self) -> Decimal:
        return round_money(self.qty * self.unit_cost)


@dataclass(frozen=True)
class OrderView:
    number: str
    supplier_code: str
    supplier_name: str
    warehouse_code: str
    status: str
    lines: list[OrderLineView]
    created_at: object = None
    note: str = ""

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)


def _supplier(code: str) -> Supplier:
    """The supplier a new order goes to: one the shop still buys from."""
    row = Supplier.get_or_none(Supplier.code == code.strip())
    if row is None:
        raise NotFound(_("No supplier '{code}'").format(code=code))
    if not row.active:
        raise ValidationError(_("supplier: {code} is deactivated; activate it to order from "
                                "it").format(code=row.code), field="supplier", value=row.code)
    return row


def _order(number: str, *statuses: str) -> PurchaseOrder:
    order = PurchaseOrder.get_or_none(PurchaseOrder.number == number.strip())
    if order is None:
        raise NotFound(_("No purchase order '{number}'").format(number=number))
    if statuses and order.status not in statuses:
        raise StoreError(_("Purchase order {number} is {status}: it cannot be changed").format(
            number=order.number, status=_(order.status)))
    return order


def _default_cost(supplier_id: int, product: Product) -> Decimal:
    row = SupplierProduct.get_or_none((SupplierProduct.supplier == supplier_id)
                                      & (SupplierProduct.product == product.id))
    if row is not None and row.last_price is not None:
        return Decimal(row.last_price)
    return Decimal(product.cost)


def _line_values(i: int, line: OrderLineInput, supplier_id: int) -> tuple[Product, Decimal,
                                                                           Decimal]:
    product = find_product(line.sku.strip())
    if product is None:
        raise ValidationError(_("Line {n}: no product with SKU '{sku}'").format(
            n=i, sku=line.sku), field="sku", value=line.sku, row=i)
    qty = parse_decimal(line.qty, field="qty", places=QTY_PLACES, row=i)
    if qty <= 0:
        raise ValidationError(_("Line {n}: qty '{value}' must be greater than zero").format(
            n=i, value=qty), field="qty", value=qty, row=i)
    cost = (_default_cost(supplier_id, product) if line.unit_cost in (None, "")
            else parse_decimal(line.unit_cost, field="unit_cost", places=COST_PLACES, row=i))
    return product, qty, cost


@unit_of_work
def create_order(user: SessionUser, supplier_code: str, warehouse_code: str,
                 lines: Sequence[OrderLineInput], *, send: bool = True,
                 note: str = "") -> OrderView:
    """A purchase order with its lines; sent to the supplier (ordered) unless kept a draft."""
    permissions.check(user, "purchase")
    supplier, warehouse = _supplier(supplier_code), org.get_warehouse(warehouse_code)
    if not lines:
        raise ValidationError(_("A purchase order needs at least one line"), field="lines",
                              value=None)
    order = PurchaseOrder.create(number=document_number("PO", "purchase_order"),
                                 supplier=supplier, warehouse=warehouse, created_by=user.id,
                                 status="ordered" if send else "draft",
                                 ordered_at=utcnow() if send else None, note=note.strip()[:200])
    for i, line in enumerate(lines, start=1):
        product, qty, cost = _line_values(i, line, supplier.id)
        PurchaseOrderLine.create(order=order, line_no=i, product=product, qty=qty,
                                 unit_cost=cost)
    return get_order(order.number)


@unit_of_work
def set_line(user: SessionUser, number: str, sku: str, qty: Decimal | str,
             unit_cost: Decimal | str | None = None) -> OrderView:
    """Change a draft's line (0 takes it off), or add the product when it is not on it."""
    permissions.check(user, "purchase", reference=number)
    order = _order(number, "draft")
    q = parse_decimal(qty, field="qty", places=QTY_PLACES)
    product = get_product(sku)
    line = PurchaseOrderLine.get_or_none((PurchaseOrderLine.order == order.id)
                                         & (PurchaseOrderLine.product == product.id))
    if q == 0:
        if line is not None:
            line.delete_instance()
        return get_order(number)
    cost = (parse_decimal(unit_cost, field="unit_cost", places=COST_PLACES)
            if unit_cost not in (None, "") else None)
    if line is None:
        last = (PurchaseOrderLine.select(fn.MAX(PurchaseOrderLine.line_no))
                .where(PurchaseOrderLine.order == order.id).scalar()) or 0
        PurchaseOrderLine.create(order=order, line_no=last + 1, product=product, qty=q,
                                 unit_cost=cost if cost is not None
                                 else _default_cost(order.supplier_id, product))
    else:
        changes: dict = {PurchaseOrderLine.qty: q}
        if cost is not None:
            changes[PurchaseOrderLine.unit_cost] = cost
        PurchaseOrderLine.update(changes).where(PurchaseOrderLine.id == line.id).execute()
    return get_order(number)


@unit_of_work
def send_order(user: SessionUser, number: str) -> OrderView:
    """A draft becomes an order the supplier has (and receiving expects)."""
    permissions.check(user, "purchase", reference=number)
    order = _order(number, "draft")
    if not PurchaseOrderLine.select().where(PurchaseOrderLine.order == order.id).exists():
        raise ValidationError(_("A purchase order needs at least one line"), field="lines",
                              value=None)
    (PurchaseOrder.update(status="ordered", ordered_at=utcnow())
     .where((PurchaseOrder.id == order.id) & (PurchaseOrder.status == "draft")).execute())
    return get_order(number)


@unit_of_work
def cancel_order(user: SessionUser, number: str, reason: str) -> None:
    """Cancel an order nothing has arrived on yet, with a reason (recorded)."""
    permissions.check(user, "purchase", reference=number)
    reason = text.clean(reason, field="reason")
    if not reason:
        raise ValidationError(_("Give a reason to cancel"), field="reason", value=reason)
    order = _order(number)
    if order.status not in ("draft", "ordered") or GoodsReceipt.select().where(
            (GoodsReceipt.purchase_order == order.id)
            & (GoodsReceipt.status == "posted")).exists():
        raise StoreError(_("Purchase order {number} is {status}: it cannot be cancelled").format(
            number=order.number, status=_(order.status)))
    (PurchaseOrder.update(status="cancelled", cancel_reason=reason.strip()[:200])
     .where(PurchaseOrder.id == order.id).execute())
    audit.record("order_cancel", {"order": order.number, "reason": reason.strip()[:200]},
                 user_id=user.id, reference=order.number)


@unit_of_work
def short_close(user: SessionUser, number: str, reason: str) -> OrderView:
    """The rest of a partly received order will not come: what arrived is all of it."""
    permissions.check(user, "purchase", reference=number)
    reason = text.clean(reason, field="reason")
    if not reason:
        raise ValidationError(_("Give a reason to close"), field="reason", value=reason)
    order = _order(number, "partial")
    (PurchaseOrder.update(closed_at=utcnow(), cancel_reason=reason.strip()[:200])
     .where(PurchaseOrder.id == order.id).execute())
    audit.record("order_close", {"order": order.number, "reason": reason.strip()[:200]},
                 user_id=user.id, reference=order.number)
    refresh_status(order.id)
    return get_order(number)


def refresh_status(order_id: int) -> str:
    """Set an order's status from its lines: what arrived, what was billed, what was paid.
    Called by receiving, billing and payments inside their transactions."""
    order = PurchaseOrder.get_by_id(order_id)
    if order.status in ("draft", "cancelled"):
        return str(order.status)
    lines = list(PurchaseOrderLine.select().where(PurchaseOrderLine.order == order_id))
    got_all = order.closed_at is not None or all(ln.received_qty >= ln.qty for ln in lines)
    got_some = any(ln.received_qty > 0 for ln in lines)
    billed_all = got_some and all(ln.billed_qty >= ln.received_qty for ln in lines)
    status = "ordered"
    if got_some:
        status = "partial"
    if got_some and got_all:
        status = "received"
        if billed_all:
            status = "closed" if _bills_paid(order_id) else "billed"
    PurchaseOrder.update(status=status).where(PurchaseOrder.id == order_id).execute()
    return status


def _bills_paid(order_id: int) -> bool:
    unpaid = (SupplierBill.select(SupplierBill.id)
              .join(SupplierBillLine).join(GoodsReceiptLine)
              .join(PurchaseOrderLine, on=(GoodsReceiptLine.po_line == PurchaseOrderLine.id))
              .where((PurchaseOrderLine.order == order_id)
                     & (SupplierBill.paid < SupplierBill.total)))
    return not unpaid.exists()


def get_order(number: str) -> OrderView:
    order = _order(number)
    sku_of = {sp.product_id: sp.supplier_sku for sp in SupplierProduct.select().where(
        SupplierProduct.supplier == order.supplier_id)}
    rows = (PurchaseOrderLine.select(PurchaseOrderLine, Product).join(Product)
            .where(PurchaseOrderLine.order == order.id).order_by(PurchaseOrderLine.line_no))
    return OrderView(order.number, order.supplier.code, order.supplier.name,
                     order.warehouse.code, order.status,
                     [OrderLineView(r.id, r.product.sku, r.product.local_name, r.qty, r.unit_cost,
                                    r.received_qty, r.billed_qty, sku_of.get(r.product_id, ""))
                      for r in rows], order.created_at, order.note)


def orders(*, status: str = "", supplier_code: str = "", limit: int = 200) -> list[OrderView]:
    """Orders, newest first; status "open" means ordered or partly received."""
    q = PurchaseOrder.select(PurchaseOrder.number).join(Supplier)
    if status == "open":
        q = q.where(PurchaseOrder.status.in_(OPEN_STATUSES))
    elif status:
        q = q.where(PurchaseOrder.status == status)
    if supplier_code:
        q = q.where(Supplier.code == supplier_code)
    return [get_order(o.number) for o in q.order_by(PurchaseOrder.id.desc()).limit(limit)]


def open_orders(supplier_code: str | None = None) -> list[OrderView]:
    """Orders still waiting for goods, oldest first."""
    return orders(status="open", supplier_code=supplier_code or "")[::-1]


# -- the three-way match -----------------------------------------------------------------

@dataclass(frozen=True)
class MatchLine:
    sku: str
    name: str
    ordered: Decimal
    order_price: Decimal
    received: Decimal
    billed: Decimal
    billed_amount: Decimal  # less what debit notes credited back for returned goods
    returned: Decimal = ZERO  # sent back to the supplier (received and billed are net of it)

    @property
    def qty_difference(self) -> Decimal:
        """Received minus ordered: negative when short."""
        return self.received - self.ordered

    @property
    def billed_price(self) -> Decimal | None:
        return (self.billed_amount / self.billed).quantize(Decimal("0.0001")) if self.billed \
            else None

    @property
    def price_difference(self) -> Decimal:
        """What the bills charged beyond the order's price for what they billed."""
        return self.billed_amount - round_money(self.billed * self.order_price)


def match(number: str) -> list[MatchLine]:
    """Order, receipts and bills side by side, per order line; goods sent back are netted out
    of what was received and billed (and their credit out of the billed amount)."""
    order = _order(number)

    def per_po_line(field: Any, joined: Any, *where: Any) -> dict[int, Decimal]:
        rows: Any = (joined.select(GoodsReceiptLine.po_line, fn.SUM(field))
                     .join(GoodsReceiptLine)
                     .join(PurchaseOrderLine,
                           on=(GoodsReceiptLine.po_line == PurchaseOrderLine.id))
                     .where(PurchaseOrderLine.order == order.id, *where)
                     .group_by(GoodsReceiptLine.po_line).tuples())
        return {po_line: from_scaled(field, amount) for po_line, amount in rows}

    billed = per_po_line(SupplierBillLine.amount, SupplierBillLine)
    credited = per_po_line(SupplierReturnLine.amount, SupplierReturnLine,
                           SupplierReturnLine.bill_line.is_null(False))
    returned = per_po_line(SupplierReturnLine.qty, SupplierReturnLine)
    return [MatchLine(ln.sku, ln.name, ln.qty, ln.unit_cost, ln.received, ln.billed,
                      billed.get(ln.line_id, ZERO) - credited.get(ln.line_id, ZERO),
                      returned.get(ln.line_id, ZERO)) for ln in get_order(number).lines]


# -- printing and export -----------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width:
            break
        out += ch
    return out + " " * (width - _width(out))


def export_order(number: str, fmt: str = "csv") -> str:
    """The order for the supplier: CSV (UTF-8 with BOM, for Excel), or plain text laid out
    for a 42-column receipt printer (a Chinese character is two columns)."""
    view = get_order(number)
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow([_("Order"), view.number, _("Supplier"), view.supplier_code,
                    view.supplier_name, _("Warehouse"), view.warehouse_code])
        w.writerow([_("Line"), _("SKU"), _("Supplier SKU"), _("Name"), _("Qty"), _("Price"),
                    _("Amount")])
        for i, ln in enumerate(view.lines, start=1):
            w.writerow([i, ln.sku, ln.supplier_sku, ln.name, ln.qty, ln.unit_cost, ln.amount])
        w.writerow(["", "", "", _("Total"), "", "", view.total])
        return "\ufeff" + out.getvalue()
    if fmt != "txt":
        raise ValidationError(_("format: '{value}' is not csv or txt").format(value=fmt),
                              field="format", value=fmt)
    width = 42
    lines = [_("Purchase order {number}").format(number=view.number),
             f"{view.supplier_name} ({view.supplier_code})",
             _("Deliver to {warehouse} · {date}").format(
                 warehouse=view.warehouse_code,
                 date=clock.local_date(view.created_at).isoformat()  # type: ignore[arg-type]
                 if view.created_at else ""), "-" * width]
    for ln in view.lines:
        lines.append(_fit(f"{ln.sku} {ln.supplier_sku}".strip() + " " + ln.name, width))
        qty = f"{ln.qty.normalize():f} × {ln.unit_cost:.2f}"
        amount = f"{ln.amount:.2f}"
        lines.append(" " * (width - _width(qty) - _width(amount) - 1) + qty + " " + amount)
    total = f"{view.total:.2f}"
    lines += ["-" * width, _fit(_("Total"), width - _width(total)) + total]
    return "\n".join(lines) + "\n"
