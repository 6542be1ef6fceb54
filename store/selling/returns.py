"""Returns: what can still come back from a receipt, and what each item refunds.

A return is a sale with negative lines that point at the lines they return (an exchange is
the same sale with new lines too). The refund of a line is its share of what was paid for it,
discounts included; the last units back take exactly what is left, so a receipt returned in
parts refunds to the cent what it took."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.catalog.search import ProductHit, by_ids
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
    tax: Decimal | None = None  # the tax the line charged (None: not known, an older copy)
    tax_back: Decimal = Decimal(0)  # what earlier returns of it gave back of that

    @property
    def remaining(self) -> Decimal:
        return self.sold_qty - self.returned_qty

    def after(self, qty: Decimal, refund: Decimal, tax: Decimal) -> ReturnableLine:
        """The line once `qty` more of it came back, giving back `refund` and `tax` of it."""
        return dataclasses.replace(self, returned_qty=self.returned_qty + qty,
                                   refunded=self.refunded + refund,
                                   tax_back=self.tax_back + tax)


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


def refund_tax(line: ReturnableLine, qty: Decimal) -> Decimal | None:
    """The tax returning `qty` of a line gives back (positive): its share of what the line
    charged, the last of it the rest — so the parts add up to the line's tax to the cent.
    None when the line's tax is not known (the return's amount decides it, as for a sale)."""
    if line.tax is None:
        return None
    left = line.tax - line.tax_back
    if qty == line.remaining:
        return left
    return min(round_money(line.tax * qty / line.sold_qty), left)


def looks_like_receipt(code: str) -> bool:
    """A scanned receipt barcode (T1-000123), not a product code."""
    return bool(RECEIPT_NUMBER.match(code.strip()))


def returnable(number: str, *, lock: bool = False) -> Returnable:
    """A receipt's lines with what is left to return. With `lock` (inside a unit of work),
    its lines stay locked until commit, so two tills cannot return the same item twice."""
    sale = Sale.get_or_none(Sale.number == number.strip())
    if sale is None:
        raise NotFound(_("No sale with number '{number}'").format(number=number.strip()))
    if lock and is_postgres():
        list(SaleLine.select(SaleLine.id).where(SaleLine.sale == sale.id).for_update())
    found = returnables([sale])
    if not found:
        raise ValidationError(_("Sale {number} has nothing to return").format(
            number=sale.number), field="number", value=sale.number)
    return found[0]


def returnables(sales: list[Sale]) -> list[Returnable]:
    """Each of these sales that has lines to return, with what is left of them, in five
    queries whatever their number (an offline till's copy reads a month of receipts)."""
    ids = [s.id for s in sales]
    if not ids:
        return []
    sold: dict[int, list[SaleLine]] = {}
    for ln in (SaleLine.select().where(SaleLine.sale.in_(ids) & SaleLine.return_of.is_null())
               .order_by(SaleLine.sale, SaleLine.line_no)):
        sold.setdefault(ln.sale_id, []).append(ln)  # type: ignore[attr-defined]
    back: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    sums: Any = (SaleLine.select(SaleLine.return_of, fn.SUM(SaleLine.qty),
                                 fn.SUM(SaleLine.amount), fn.SUM(SaleLine.tax))
                 .where(SaleLine.return_of.in_([ln.id for lines in sold.values()
                                                for ln in lines]))
                 .group_by(SaleLine.return_of).tuples()) if sold else []
    for line_id, qty, amount, tax in sums:
        back[line_id] = (-from_scaled(SaleLine.qty, qty), -from_scaled(SaleLine.amount, amount),
                         -from_scaled(SaleLine.tax, tax))
    paid, kinds = _tender_sums(Payment.sale, Payment.sale.in_(ids))
    refunded, more_kinds = _tender_sums(Sale.original, Sale.original.in_(ids))
    out = []
    for sale in sales:
        if sale.id not in sold:
            continue
        lines = tuple(ReturnableLine(ln.id, ln.line_no, ln.product_id,  # type: ignore[attr-defined]
                                     ln.sku, ln.name, ln.unit_price, ln.qty, ln.amount,
                                     *_back(back.get(ln.id), ln.tax))
                      for ln in sold[sale.id])
        its_paid = dict(paid.get(sale.id, {}))
        its_kinds = {**more_kinds.get(sale.id, {}), **kinds.get(sale.id, {})}
        if sale.change:  # change came out of the cash
            cash = next((c for c, k in kinds.get(sale.id, {}).items() if k == "cash"), None)
            if cash:
                its_paid[cash] -= sale.change
        out.append(Returnable(sale.id, sale.number, lines, its_paid,
                              {c: -v for c, v in refunded.get(sale.id, {}).items()},
                              its_kinds, sale.customer_id))
    return out


def _back(back: tuple[Decimal, Decimal, Decimal] | None, tax: Decimal
          ) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(returned qty, refunded, the line's tax, its tax given back)."""
    qty, amount, tax_back = back or (Decimal(0), Decimal(0), Decimal(0))
    return qty, amount, tax, tax_back


def _tender_sums(key, where  # type: ignore[no-untyped-def]
                 ) -> tuple[dict[int, dict[str, Decimal]], dict[int, dict[str, str]]]:
    """Sale id (`key`: the sale, or the one returned) → tender code → the sum, and its kind."""
    sums: dict[int, dict[str, Decimal]] = {}
    kinds: dict[int, dict[str, str]] = {}
    rows: Any = (Payment.select(key, TenderType.code, TenderType.kind, fn.SUM(Payment.amount))
                 .join(TenderType).switch(Payment).join(Sale)
                 .where(where).group_by(key, TenderType.code, TenderType.kind).tuples())
    for sale_id, code, kind, amount in rows:
        sums.setdefault(sale_id, {})[code] = from_scaled(Payment.amount, amount)
        kinds.setdefault(sale_id, {})[code] = kind
    return sums, kinds


def add_return(basket: Basket, receipt: Returnable, line_id: int, qty: Decimal, *,
               restock: bool = True, product: ProductHit | None = None) -> int:
    """Put `qty` of a receipt's line into the basket as a returned line; returns its index.
    `product`: the line's product as the caller has it (an offline till: from its copy)."""
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
    mine = [b for b in basket.lines if b.return_of == line_id]
    merged = line.after(in_basket, sum((-b.amount for b in mine), Decimal(0)),
                        sum((-basket.tax_of(b) for b in mine), Decimal(0)))
    hit = product if product is not None else by_ids([line.product_id])[0]
    tax = refund_tax(merged, qty)
    basket.original = receipt.number
    basket.lines.append(BasketLine(hit, -qty, line.unit_price,
                                   fixed_amount=-refund_amount(merged, qty),
                                   return_of=line_id, restock=restock,
                                   fixed_tax=-tax if tax is not None else None))
    return len(basket.lines) - 1
