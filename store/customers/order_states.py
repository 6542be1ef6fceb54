"""A sales order's status: the steps it may take, each guarded by the UPDATE's WHERE and kept in
its history. Below both orders and receivables, since a customer's payment settles an order."""

from __future__ import annotations

from typing import Any

from store.core.errors import StoreError
from store.core.i18n import _
from store.models import OrderEvent, Receivable, SalesOrder, utcnow

NEXT = {"quote": ("confirmed", "cancelled", "held"), "held": ("quote", "confirmed", "cancelled"),
        "confirmed": ("picked", "partial", "shipped", "cancelled"),
        "picked": ("partial", "shipped", "cancelled"), "partial": ("partial", "shipped"),
        "shipped": ("invoiced",), "invoiced": ("paid",), "paid": (), "cancelled": ()}


def event(order_id: int, status: str, note: str = "", user_id: int | None = None) -> None:
    OrderEvent.create(order=order_id, status=status, note=note[:300], user=user_id)


def move(order: SalesOrder, status: str, *, note: str = "", user_id: int | None = None,
         **changes: Any) -> None:
    """Change the status only along the allowed steps, guarded by the UPDATE's WHERE."""
    if status not in NEXT.get(order.status, ()):
        raise StoreError(_("Order {number} is {status}: it cannot become {to}").format(
            number=order.number, status=_(order.status), to=_(status)))
    done = (SalesOrder.update(status=status, updated_at=utcnow(), **changes)
            .where((SalesOrder.id == order.id) & (SalesOrder.status == order.status)).execute())
    if not done:
        raise StoreError(_("Order {number} was changed meanwhile: look at it again").format(
            number=order.number))
    event(order.id, status, note, user_id)
    order.status = status


def settle_paid() -> int:
    """Invoiced orders whose receivable has been paid become paid (after a payment)."""
    paid = (SalesOrder.select()
            .join(Receivable, on=(Receivable.order == SalesOrder.id))
            .where((SalesOrder.status == "invoiced") & (Receivable.paid >= Receivable.amount)))
    count = 0
    for order in list(paid):  # read whole before the updates below change what matches
        move(order, "paid", paid=order.total + order.shipping)
        count += 1
    return count
