"""Returns: what can still come back from a receipt, and what each item refunds.

A return is a sale with negative lines that point at the lines they return (an exchange is
the same sale with new lines too). The refund of a line is its share of what was paid for it,
discounts included; the last units back take exactly what is left, so a receipt returned in
parts refunds to the cent what it took."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.catalog.search import by_ids
from store.core.db import is_postgres
from store.core.errors import NotFound, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import _
from store.core.money import round_money
from store.models import Payment, Sale, SaleLine, TenderType
from store.selling.basket import Basket, BasketLine

# A receipt's barcode carries its number: T1-000123.
RECEIPT_NUMBER = re.compile(r"^[A-Za-z0-9]{1,20}-\d{6}$")


@dataclass(frozen=True)
class ReturnableLine:
    line_id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    unit_price: Decimal
    sold_qty: Decimal
    amount: Decimal  # what the line took, after discounts
    returned_qty: Decimal
    refunded: Decimal  # what earlier returns of this line gave back

    @property
    def remaining(self) -> Decimal:
        return self.sold_qty - self.returned_qty


@dataclass(frozen=True)
class Returnable:
    sale_id: int
    number: str
    lines: tuple[ReturnableLine, ...]
    paid: dict[str, Decimal]  # tender code → what the customer paid with it (net of change)
    refunded: dict[str, Decimal]  # tender code → what earlier returns gave back with it
    paid_kinds: dict[str, str]  # tender code → kind
    customer_id: int | None = None  # whose account a refund "on account" goes back to


def refund_limits(receipt: Returnable) -> dict[str, Decimal]:
    """Tender code → what can still go back by it: what the sale was paid with it less what
    earlier returns gave back by it. Cash is not limited here (a refund in cash of a card
    payment needs the `refund_to_cash` approval instead)."""
    return {code: paid - receipt.refunded.get(code, Decimal(0))
            for code, paid in receipt.paid.items() if receipt.paid_kinds.get(code) != "cash"}


def refund_amount(line: ReturnableLine, qty: Decimal) -> Decimal:
    """What returning `qty` of a line gives back (positive)."""
    left = line.amount - line.refunded
    if qty == line.remaining:
        return left
    # Rounded shares of tiny amounts could add up to more than the line took: never beyond.
    return min(round_money(line.amount * qty / line.sold_qty), left)


def looks_like_receipt(code: str) -> bool:
    """A scanned receipt barcode (T1-000123), not a product code."""
    return bool(RECEIPT_NUMBER.match(code.strip()))


def returnable(number: str, *, lock: bool = False) -> Returnable:
    """A receipt's lines with what is left to return. With `lock` (inside a unit of work),
    its lines stay locked until commit, so two tills cannot return the same item twice."""
    sale = Sale.get_or_none(Sale.number == number.strip())
    if sale is None:
        raise NotFound(_("No sale with number '{number}'").format(number=number.strip()))
    q = (SaleLine.select().where((SaleLine.sale == sale.id) & SaleLine.return_of.is_null())
         .order_by(SaleLine.line_no))
    if lock and is_postgres():
        q = q.for_update()
    sold = list(q)
    if not sold:
        raise ValidationError(_("Sale {number} has nothing to return").format(
            number=sale.number), field="number", value=sale.number)
    back: dict[int, tuple[Decimal, Decimal]] = {}
    sums: Any = (SaleLine.select(SaleLine.return_of, fn.SUM(SaleLine.qty),
                                 fn.SUM(SaleLine.amount))
                 .where(SaleLine.return_of.in_([ln.id for ln in sold]))
                 .group_by(SaleLine.return_of).tuples())
    for line_id, qty, amount in sums:
        back[line_id] = (-from_scaled(SaleLine.qty, qty), -from_scaled(SaleLine.amount, amount))
    lines = tuple(ReturnableLine(ln.id, ln.line_no, ln.product_id, ln.sku,  # type: ignore[attr-defined]
                                 ln.name,
                                 ln.unit_price, ln.qty, ln.amount,
                                 *back.get(ln.id, (Decimal(0), Decimal(0))))
                  for ln in sold)
    paid, kinds = _tender_sums(Payment.sale == sale.id)
    if sale.change:  # change came out of the cash
        cash = next((c for c, k in kinds.items() if k == "cash"), None)
        if cash:
            paid[cash] -= sale.change
    refunded, more_kinds = _tender_sums(Sale.original == sale.id)
    return Returnable(sale.id, sale.number, lines, paid,
                      {c: -v for c, v in refunded.items()}, {**more_kinds, **kinds},
                      sale.customer_id)


def _tender_sums(where) -> tuple[dict[str, Decimal], dict[str, str]]:  # type: ignore[no-untyped-def]
    sums: dict[str, Decimal] = {}
    kinds: dict[str, str] = {}
    rows: Any = (Payment.select(TenderType.code, TenderType.kind, fn.SUM(Payment.amount))
                 .join(TenderType).switch(Payment).join(Sale)
                 .where(where).group_by(TenderType.code, TenderType.kind).tuples())
    for code, kind, amount in rows:
        sums[code] = from_scaled(Payment.amount, amount)
        kinds[code] = kind
    return sums, kinds


def add_return(basket: Basket, receipt: Returnable, line_id: int, qty: Decimal, *,
               restock: bool = True) -> int:
    """Put `qty` of a receipt's line into the basket as a returned line; returns its index."""
    if basket.original not in (None, receipt.number):
        raise ValidationError(_("This basket already returns sale {number}: one receipt at a "
                                "time").format(number=basket.original), field="number",
                              value=receipt.number)
    line = next((ln for ln in receipt.lines if ln.line_id == line_id), None)
    if line is None:
        raise NotFound(_("Sale {number} has no such line").format(number=receipt.number))
    in_basket = sum((-b.qty for b in basket.lines if b.return_of == line_id), Decimal(0))
    left = line.remaining - in_basket
    if qty <= 0 or qty > left:
        raise ValidationError(_("qty: '{value}' is more than the {left} that can be returned "
                                "of {name}").format(value=qty, left=left, name=line.name)
                              if qty > 0 else
                              _("qty: '{value}' must be greater than zero").format(value=qty),
                              field="qty", value=qty)
    # Refund what this return takes, given what earlier lines of this basket take already.
    taken = sum((-b.amount for b in basket.lines if b.return_of == line_id), Decimal(0))
    merged = ReturnableLine(**{**line.__dict__, "returned_qty": line.returned_qty + in_basket,
                               "refunded": line.refunded + taken})
    hit = by_ids([line.product_id])[0]
    basket.original = receipt.number
    basket.lines.append(BasketLine(hit, -qty, line.unit_price,
                                   fixed_amount=-refund_amount(merged, qty),
                                   return_of=line_id, restock=restock))
    return len(basket.lines) - 1
