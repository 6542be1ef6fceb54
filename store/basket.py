"""The basket at the till: plain Python, no database, so it stays on screen if the database
goes away, and every total is computed by the one rounding module."""

from __future__ import annotations

import re
import uuid as uuidlib
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import ValidationError
from .i18n import _
from .money import QTY_PLACES, line_tax, parse_decimal, round_money
from .scale import ScaleRead
from .search import ProductHit

MAX_QTY = Decimal(9999)
_QTY_PREFIX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[*xX×]\s*(\S+)\s*$")


def parse_entry(text: str) -> tuple[Decimal | None, str]:
    """'3*6901234567892' → (3, '6901234567892'); a plain code → (None, code)."""
    match = _QTY_PREFIX.match(text)
    if not match:
        return None, text.strip()
    return parse_decimal(match.group(1), field="qty", places=QTY_PLACES), match.group(2)


def check_qty(qty: Decimal, product: ProductHit) -> Decimal:
    if qty <= 0:
        raise ValidationError(_("qty: '{value}' must be greater than zero").format(value=qty),
                              field="qty", value=qty)
    if qty > MAX_QTY:
        raise ValidationError(_("qty: '{value}' is more than {maximum}").format(
            value=qty, maximum=MAX_QTY), field="qty", value=qty)
    if not product.sold_by_weight and qty != qty.to_integral_value():
        raise ValidationError(_("qty: '{value}' must be a whole number for {name}").format(
            value=qty, name=product.name), field="qty", value=qty)
    return qty


@dataclass
class BasketLine:
    product: ProductHit
    qty: Decimal
    unit_price: Decimal
    fixed_amount: Decimal | None = None  # a scale label's printed price: the line is that

    @property
    def amount(self) -> Decimal:
        if self.fixed_amount is not None:
            return self.fixed_amount
        return round_money(self.qty * self.unit_price)


@dataclass
class Basket:
    prices_include_tax: bool = True
    merge_same: bool = True  # scanning a product again adds to its line
    uuid: uuidlib.UUID = field(default_factory=uuidlib.uuid4)
    lines: list[BasketLine] = field(default_factory=list)

    def add(self, product: ProductHit, qty: Decimal | None = None) -> int:
        """Add a product (qty defaults to the scanned pack's quantity); returns the line index."""
        qty = check_qty(product.pack_qty if qty is None else qty * product.pack_qty, product)
        if self.merge_same and not product.sold_by_weight:
            for i, line in enumerate(self.lines):
                if line.product.id == product.id and line.unit_price == product.price:
                    self.set_qty(i, line.qty + qty)
                    return i
        self.lines.append(BasketLine(product, qty, product.price))
        return len(self.lines) - 1

    def add_scale_label(self, product: ProductHit, read: ScaleRead) -> int:
        """A weighed item from the scale: by weight, or by the price printed on the label
        (its amount is exactly that price; the weight is derived to the gram)."""
        if read.kind == "weight":
            qty = check_qty(read.value, product)
            self.lines.append(BasketLine(product, qty, product.price))
        else:
            if product.price <= 0:
                raise ValidationError(_("{name} has no price to derive a weight from").format(
                    name=product.name), field="price", value=product.price)
            qty = check_qty((read.value / product.price).quantize(Decimal("0.001")), product)
            self.lines.append(BasketLine(product, qty, product.price, read.value))
        return len(self.lines) - 1

    def set_qty(self, index: int, qty: Decimal) -> None:
        line = self.lines[index]
        line.qty = check_qty(qty, line.product)
        line.fixed_amount = None  # a changed quantity is priced by the quantity

    def remove(self, index: int) -> BasketLine:
        return self.lines.pop(index)

    def tax_of(self, line: BasketLine) -> Decimal:
        return line_tax(line.amount, line.product.tax_rate, self.prices_include_tax)

    @property
    def tax(self) -> Decimal:
        return sum((self.tax_of(ln) for ln in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        gross = sum((ln.amount for ln in self.lines), Decimal(0))
        return gross if self.prices_include_tax else gross + self.tax

    @property
    def items(self) -> Decimal:
        """Pieces count as pieces, a weighed line as one item."""
        return sum((ln.qty if not ln.product.sold_by_weight else Decimal(1)
                    for ln in self.lines), Decimal(0))

    def __bool__(self) -> bool:
        return bool(self.lines)
