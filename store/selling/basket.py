"""The basket at the till: plain Python, no database, so it stays on screen if the database
goes away, and every total is computed by the one rounding module."""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from decimal import Decimal

from store.catalog.scale import ScaleRead
from store.catalog.search import ProductHit
from store.common import clock
from store.core import text
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import QTY_PLACES, format_qty, line_tax, parse_decimal, round_money
from store.customers.lookup import CustomerView
from store.pricing.price_lists import NO_RULES, PriceRules
from store.pricing.promotions import Item, Promo, Share
from store.pricing.promotions import apply as apply_promotions

MAX_QTY = Decimal(9999)
_QTY_PREFIX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[*xX×]\s*(\S+)\s*$")


def parse_entry(text: str) -> tuple[Decimal | None, str]:
    """'3*6901234567892' → (3, '6901234567892'); a plain code → (None, code)."""
    match = _QTY_PREFIX.match(text)
    if not match:
        return None, text.strip()
    return parse_decimal(match.group(1), field="qty", places=QTY_PLACES), match.group(2)


def check_qty(qty: Decimal, product: ProductHit, maximum: Decimal = MAX_QTY) -> Decimal:
    if qty <= 0:
        raise ValidationError(_("qty: '{value}' must be greater than zero").format(
            value=format_qty(qty)), field="qty", value=qty)
    if qty > maximum:  # 99999, not '99999.000000': the quantity as the cashier typed it
        raise ValidationError(_("qty: '{value}' is more than {maximum}").format(
            value=format_qty(qty), maximum=format_qty(maximum)), field="qty", value=qty)
    if not product.sold_by_weight and qty != qty.to_integral_value():
        raise ValidationError(_("qty: '{value}' must be a whole number for {name}").format(
            value=format_qty(qty), name=product.local_name), field="qty", value=qty)
    return qty


@dataclass
class BasketLine:
    product: ProductHit
    qty: Decimal  # negative on a returned line
    unit_price: Decimal
    fixed_amount: Decimal | None = None  # a scale label's price, a return's refund: exactly
    list_price: Decimal | None = None  # the price before an override (None: not overridden)
    discount: Decimal = Decimal(0)  # taken off qty × unit_price
    discount_pct: Decimal | None = None  # a percentage discount follows the quantity
    note: str = ""  # the reason for an override or a discount
    approval_id: int | None = None  # a supervisor's approval for this line's price
    return_of: int | None = None  # the sale line this returns
    restock: bool = True  # a returned item goes back on the shelf (else: damaged)
    promos: list[Share] = field(default_factory=list)  # what promotions took off, by name
    lot: str = ""  # the lot a GS1-128 label scanned at the till names (else: first to expire)
    # A return's tax: its share of the sold line's, the last return of it taking the rest,
    # so a line returned in parts gives back exactly the tax it charged (None: by its amount).
    fixed_tax: Decimal | None = None

    @property
    def gross(self) -> Decimal:
        return round_money(self.qty * self.unit_price)

    @property
    def promo_off(self) -> Decimal:
        return sum((s.amount for s in self.promos), Decimal(0))

    @property
    def amount(self) -> Decimal:
        if self.fixed_amount is not None:
            return self.fixed_amount
        return self.gross - self.promo_off - self.discount

    @property
    def original_price(self) -> Decimal:
        return self.unit_price if self.list_price is None else self.list_price

    @property
    def discount_percent(self) -> Decimal:
        """How much is off the list price, in percent (overrides and discounts together)."""
        full = round_money(self.qty * self.original_price)
        if full <= 0:
            return Decimal(0)
        return ((full - self.amount) * 100 / full).quantize(Decimal("0.01"))


@dataclass
class Basket:
    prices_include_tax: bool = True
    merge_same: bool = True  # scanning a product again adds to its line
    max_qty: Decimal = MAX_QTY  # a line's largest quantity (a typo guard: 3000* for 3*)
    uuid: uuidlib.UUID = field(default_factory=uuidlib.uuid4)
    lines: list[BasketLine] = field(default_factory=list)
    original: str | None = None  # the receipt this basket returns items of
    approvals: dict[str, int] = field(default_factory=dict)  # basket-wide: refund, …
    customer: CustomerView | None = None
    rules: PriceRules = NO_RULES  # the customer's price list, read when they were attached
    promotions: tuple[Promo, ...] = ()  # those running, read when the basket was started
    promotion_rule: str = "best"
    priced_at: dt.datetime | None = None  # the local time promotions were last applied at
    zone: dt.tzinfo | None = None  # the till's shop's time zone (None: the company's)

    def promotion_shares(self, promotions: tuple[Promo, ...], moment: dt.datetime,
                         rule: str | None = None) -> list[Share]:
        """What `promotions` would take off this basket's lines at `moment` (keys: line
        indexes), before any manual discount."""
        items = [Item(i, ln.product.id, ln.product.category_id, ln.qty, ln.unit_price,
                      not ln.product.sold_by_weight)
                 for i, ln in enumerate(self.lines)
                 if ln.return_of is None and ln.list_price is None and ln.fixed_amount is None]
        return apply_promotions(promotions, items, moment=moment,
                                member=self.customer is not None,
                                rule=rule or self.promotion_rule)

    def reprice_promotions(self, moment: dt.datetime | None = None) -> None:
        """Apply the promotions afresh (after every change): sold lines at their own price —
        not overridden, not a scale label's printed price — by the documented rule. A
        manual discount stays and comes off what the promotion left."""
        for line in self.lines:
            line.promos = []
        if self.promotions:  # (no clock without promotions: a bare basket needs no database)
            self.priced_at = moment or clock.local_now(self.zone)
            for share in self.promotion_shares(self.promotions, self.priced_at):
                self.lines[share.key].promos.append(share)
        for line in self.lines:
            if line.discount_pct is not None:
                line.discount = _pct_of(line.gross - line.promo_off, line.discount_pct)
            _trim(line)

    def price_of(self, product: ProductHit, qty: Decimal) -> Decimal:
        return self.rules.price(product, qty)

    def attach(self, customer: CustomerView | None, rules: PriceRules) -> None:
        """Attach (or, with None, detach) a customer: their list re-prices every sold line
        that has no price of its own (an override or a scale label's printed price)."""
        self.customer, self.rules = customer, rules
        for line in self.lines:
            self._reprice(line)
        self.reprice_promotions()

    def _reprice(self, line: BasketLine) -> None:
        if (line.return_of is not None or line.list_price is not None
                or line.fixed_amount is not None):
            return
        line.unit_price = self.price_of(line.product, line.qty)

    def add(self, product: ProductHit, qty: Decimal | None = None, lot: str = "") -> int:
        """Add a product (qty defaults to the scanned pack's quantity); returns the line index.
        `lot`: a GS1-128 label's lot (a line holds one lot: another lot is another line)."""
        qty = check_qty(product.pack_qty if qty is None else qty * product.pack_qty, product,
                        self.max_qty)
        if self.merge_same and not product.sold_by_weight:
            for i, line in enumerate(self.lines):
                if (line.product.id == product.id and line.return_of is None
                        and line.list_price is None and line.fixed_amount is None
                        and line.lot == lot):
                    self.set_qty(i, line.qty + qty)
                    return i
        self.lines.append(BasketLine(product, qty, self.price_of(product, qty), lot=lot))
        self.reprice_promotions()
        return len(self.lines) - 1

    def add_scale_label(self, product: ProductHit, read: ScaleRead) -> int:
        """A weighed item from the scale: by weight, or by the price printed on the label
        (its amount is exactly that price; the weight is derived to the gram)."""
        if read.kind == "weight":
            qty = check_qty(read.value, product, self.max_qty)
            self.lines.append(BasketLine(product, qty, self.price_of(product, qty)))
        else:
            if product.price <= 0:
                raise ValidationError(_("{name} has no price to derive a weight from").format(
                    name=product.local_name), field="price", value=product.price)
            qty = check_qty((read.value / product.price).quantize(Decimal("0.001")), product,
                            self.max_qty)
            self.lines.append(BasketLine(product, qty, product.price, read.value))
        self.reprice_promotions()
        return len(self.lines) - 1

    def set_qty(self, index: int, qty: Decimal) -> None:
        line = self.lines[index]
        if line.return_of is not None:
            raise ValidationError(_("Change a returned line in the return screen"),
                                  field="qty", value=qty)
        new = check_qty(qty, line.product, self.max_qty)
        if line.discount_pct is None and line.discount > round_money(new * line.unit_price):
            raise ValidationError(_("qty: '{value}' leaves less than the discount of {amount}")
                                  .format(value=new, amount=line.discount), field="qty",
                                  value=new)
        line.qty = new
        line.fixed_amount = None  # a changed quantity is priced by the quantity
        self._reprice(line)  # a quantity break may apply now
        self.reprice_promotions()  # (and a percentage discount follows the new amount)

    def override_price(self, index: int, price: Decimal, *, reason: str,
                       approval_id: int | None = None) -> None:
        """A new unit price for a line, with the reason; the list price is kept."""
        line = self._sold_line(index)
        if price < 0:
            raise ValidationError(_("price: '{value}' cannot be negative").format(value=price),
                                  field="price", value=price)
        reason = text.clean(reason, field="reason")
        if not reason:
            raise ValidationError(_("reason: say why"), field="reason", value=reason)
        if line.list_price is None:
            line.list_price = line.unit_price
        line.unit_price = price
        line.fixed_amount = None
        line.discount, line.discount_pct = Decimal(0), None
        line.note, line.approval_id = reason.strip()[:200], approval_id
        if line.unit_price == line.list_price:
            line.list_price = None
        self.reprice_promotions()

    def discount_line(self, index: int, *, amount: Decimal | None = None,
                      percent: Decimal | None = None, reason: str = "",
                      approval_id: int | None = None) -> None:
        """Take an amount or a percentage off one line."""
        line = self._sold_line(index)
        off, pct = _discount(line.gross - line.promo_off, amount, percent)
        line.fixed_amount = None
        line.discount, line.discount_pct = off, pct
        line.note, line.approval_id = reason.strip()[:200], approval_id
        self.reprice_promotions()

    def discount_sale(self, *, amount: Decimal | None = None, percent: Decimal | None = None,
                      reason: str = "", approval_id: int | None = None) -> None:
        """Take an amount or a percentage off the whole basket: spread over the sold lines in
        proportion to their amounts, to the cent (the largest lines take the odd cents)."""
        sold = [ln for ln in self.lines if ln.return_of is None]
        base = sum((ln.amount for ln in sold), Decimal(0))
        off, _pct = _discount(base, amount, percent)
        if not off:
            return
        shares = [round_money(off * ln.amount / base) for ln in sold]
        rest = off - sum(shares, Decimal(0))
        order = sorted(range(len(sold)), key=lambda i: -sold[i].amount)
        step = Decimal("0.01") if rest > 0 else Decimal("-0.01")
        for i in order:
            if not rest:
                break
            shares[i] += step
            rest -= step
        for ln, share in zip(sold, shares, strict=True):
            if ln.fixed_amount is not None:  # a scale label's price becomes a discount
                ln.discount = ln.gross - ln.fixed_amount
                ln.fixed_amount = None
            ln.discount += share
            ln.discount_pct = None
            ln.note, ln.approval_id = reason.strip()[:200], approval_id

    def _sold_line(self, index: int) -> BasketLine:
        line = self.lines[index]
        if line.return_of is not None:
            raise ValidationError(_("A returned line keeps the price it was sold at"),
                                  field="price", value=None)
        return line

    def remove(self, index: int) -> BasketLine:
        line = self.lines.pop(index)
        if not self.returning:
            self.original = None
        self.reprice_promotions()
        return line

    def tax_of(self, line: BasketLine) -> Decimal:
        if line.fixed_tax is not None:
            return line.fixed_tax
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

    @property
    def returning(self) -> bool:
        return any(ln.return_of is not None for ln in self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)


def _trim(line: BasketLine) -> None:
    """Promotion and manual discount together never take a line below zero: the promotion
    gives way (its last shares first)."""
    over = line.promo_off + line.discount - line.gross
    while over > 0 and line.promos:
        last = line.promos[-1]
        cut = min(over, last.amount)
        over -= cut
        if cut == last.amount:
            line.promos.pop()
        else:
            line.promos[-1] = Share(last.key, last.promo_id, last.code, last.name,
                                    last.amount - cut)


def _pct_of(base: Decimal, percent: Decimal) -> Decimal:
    return round_money(base * percent / 100)


def _discount(base: Decimal, amount: Decimal | None,
              percent: Decimal | None) -> tuple[Decimal, Decimal | None]:
    """(the amount off, the percentage if it was given as one), checked against the base."""
    if (amount is None) == (percent is None):
        raise ValueError("give an amount or a percentage")
    if percent is not None:
        if not Decimal(0) <= percent <= Decimal(100):
            raise ValidationError(_("discount: '{value}%' must be 0 to 100").format(
                value=percent), field="discount", value=percent)
        return _pct_of(base, percent), percent
    assert amount is not None
    if amount < 0 or amount > base:
        raise ValidationError(_("discount: '{value}' must be 0 to {maximum}").format(
            value=amount, maximum=base), field="discount", value=amount)
    return round_money(amount), None
