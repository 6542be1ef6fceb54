"""Goods sent back to a supplier (退货): from a goods receipt or a supplier bill.

Each unit sent back came on a receipt line, and is either not billed yet or billed on a bill
line; units not billed go first (the supplier has not charged for them). Posting one return,
in one transaction:
  Cr 1405 inventory                  the goods leave stock at the moving average
  Dr 220201 goods received not inv.  units not billed: what they were received at
  Dr 2202 accounts payable           units billed: the bill's price, and the bill's share of
     (or the account refunded into)  input VAT reversed (Cr 2221) — a debit note set against
                                     the supplier's bills, or a refund paid into cash/bank
  Dr/Cr 1405 and 6401                the price the supplier takes them back at, beside the
                                     average they left at: the share still in stock changes
                                     its value, the share already sold its cost (as a bill's
                                     price difference does)
The order's received (and billed) quantities go down: a replacement can be received against
it, or the order short-closed. A debit note is a supplier payment of kind "return": set
against the bills the goods came on first, then the oldest, and what is left waits for the
next bill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from store.books import ledger
from store.books.ledger import Posting
from store.buying import payables, purchasing, suppliers
from store.catalog import search
from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_qty, parse_decimal, round_money
from store.models import (
    Account,
    GoodsReceipt,
    GoodsReceiptLine,
    Product,
    PurchaseOrderLine,
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
    SupplierReturn,
    SupplierReturnLine,
)
from store.security import permissions
from store.security.auth import SessionUser
from store.stock import costing


@dataclass(frozen=True)
class Source:
    """Units of one receipt line that can go back: not billed (bill_line None), or billed on
    one bill line at its price."""

    receipt_line: int
    bill_line: int | None
    bill: int | None
    product: int
    warehouse: int
    qty: Decimal
    price: Decimal
    po_line: int | None = None  # the order line the receipt line came against


@dataclass(frozen=True)
class Returnable:
    sku: str
    name: str
    qty: Decimal  # can still go back
    not_billed: Decimal  # of which the supplier has not billed yet
    price: Decimal  # what the first of them would be credited at


@dataclass(frozen=True)
class ReturnLineView:
    sku: str
    name: str
    qty: Decimal
    billed: bool
    unit_price: Decimal
    amount: Decimal
    value: Decimal


@dataclass(frozen=True)
class ReturnView:
    number: str
    supplier_code: str
    supplier_name: str
    document: str  # the receipt or bill it was made from
    date: dt.date
    reason: str
    value: Decimal  # the stock's value that left
    grni: Decimal  # 220201 cleared for units not billed
    net: Decimal  # billed units at the bills' prices
    tax: Decimal
    refund_account: str  # "" for a debit note
    applied: list[tuple[str, Decimal]]  # the debit note set against these bills
    waiting: Decimal  # the debit note's part still waiting for the next bills
    lines: list[ReturnLineView]

    @property
    def credit(self) -> Decimal:
        """What the supplier owes back for billed units: net and tax."""
        return self.net + self.tax


def _document(number: str) -> tuple[GoodsReceipt | None, SupplierBill | None]:
    number = number.strip()
    receipt = GoodsReceipt.get_or_none(GoodsReceipt.number == number)
    if receipt is not None:
        if receipt.status != "posted" or receipt.supplier_id is None:
            raise StoreError(_("{number} is not a posted receipt from a supplier: nothing on it "
                               "can go back").format(number=number))
        return receipt, None
    bill = SupplierBill.get_or_none(SupplierBill.number == number)
    if bill is not None:
        return None, bill
    raise NotFound(_("No goods receipt or supplier bill '{number}'").format(number=number))


def _sources(receipt: GoodsReceipt | None, bill: SupplierBill | None) -> list[Source]:
    """Every unit of the document that can still go back, not-billed ones first."""
    out: list[Source] = []
    if receipt is not None:
        lines = list(GoodsReceiptLine.select().where(GoodsReceiptLine.receipt == receipt.id)
                     .order_by(GoodsReceiptLine.id))
        for ln in lines:
            open_qty = ln.qty - ln.billed_qty - ln.returned_qty
            if open_qty > 0:
                out.append(Source(ln.id, None, None, ln.product_id, receipt.warehouse_id,
                                  open_qty, ln.unit_cost, ln.po_line_id))
        billed: Any = (SupplierBillLine.select(SupplierBillLine, GoodsReceiptLine)
                       .join(GoodsReceiptLine)
                       .where(GoodsReceiptLine.receipt == receipt.id))
    else:
        assert bill is not None
        billed = (SupplierBillLine.select(SupplierBillLine, GoodsReceiptLine, GoodsReceipt)
                  .join(GoodsReceiptLine).join(GoodsReceipt)
                  .where(SupplierBillLine.bill == bill.id))
    for bl in billed.order_by(SupplierBillLine.id):
        open_qty = bl.qty - bl.returned_qty
        if open_qty > 0:
            out.append(Source(bl.receipt_line_id, bl.id, bl.bill_id, bl.product_id,
                              bl.receipt_line.receipt.warehouse_id, open_qty, bl.unit_price,
                              bl.receipt_line.po_line_id))
    return out


def returnable(document: str) -> list[Returnable]:
    """What of a receipt or bill can still go back, per product."""
    receipt, bill = _document(document)
    by_product: dict[int, list[Source]] = {}
    for s in _sources(receipt, bill):
        by_product.setdefault(s.product, []).append(s)
    products = {p.id: p for p in Product.select().where(Product.id.in_(list(by_product)))}
    return [Returnable(products[pid].sku, products[pid].local_name,
                       sum((s.qty for s in ss), ZERO),
                       sum((s.qty for s in ss if s.bill_line is None), ZERO), ss[0].price)
            for pid, ss in by_product.items()]


def _product(code: str, row: int) -> Product:
    code = code.strip()
    product = Product.get_or_none(Product.sku == code)
    if product is None:
        hit = search.lookup_code(code)
        product = Product.get_by_id(hit.id) if hit is not None else None
    if product is None:
        raise ValidationError(_("Line {n}: no product '{code}'").format(n=row, code=code),
                              field="sku", value=code, row=row)
    return product


def _wanted(items: Sequence[tuple[str, Decimal | str]]) -> dict[int, tuple[int, Decimal]]:
    """product id → (the last line naming it, the units to send back); a product named on
    two lines is sent back once, for the sum."""
    wanted: dict[int, tuple[int, Decimal]] = {}
    for i, (code, qty) in enumerate(items, start=1):
        product = _product(code, i)
        try:
            q = costing.positive_qty(qty)
        except ValidationError as err:
            raise ValidationError(_("Line {n}: {error}").format(n=i, error=err), field="qty",
                                  value=qty, row=i) from err
        wanted[product.id] = (i, wanted.get(product.id, (i, ZERO))[1] + q)
    return wanted


def _billed_amount(bill_line: int, qty: Decimal, price: Decimal) -> Decimal:
    """Billed units' credit at the bill's price; the last units of a bill line take exactly
    what is left of it, so a line sent back whole is credited to the cent."""
    bl = SupplierBillLine.get_by_id(bill_line)
    if bl.returned_qty + qty < bl.qty:
        return round_money(qty * price)
    before = (SupplierReturnLine.select(fn.COALESCE(fn.SUM(SupplierReturnLine.amount), 0))
              .where(SupplierReturnLine.bill_line == bill_line).scalar())
    return Decimal(bl.amount) - from_scaled(SupplierReturnLine.amount, before)


def _claim(source: Source, qty: Decimal, row: int) -> None:
    """Take the units with a guarded UPDATE: two clerks sending back (or billing) the same
    units at once cannot both."""
    if source.bill_line is None:
        claimed = (GoodsReceiptLine.update(returned_qty=GoodsReceiptLine.returned_qty + qty)
                   .where((GoodsReceiptLine.id == source.receipt_line)
                          & (GoodsReceiptLine.billed_qty + GoodsReceiptLine.returned_qty + qty
                             <= GoodsReceiptLine.qty)).execute())
    else:
        claimed = (SupplierBillLine.update(returned_qty=SupplierBillLine.returned_qty + qty)
                   .where((SupplierBillLine.id == source.bill_line)
                          & (SupplierBillLine.returned_qty + qty <= SupplierBillLine.qty))
                   .execute())
    if not claimed:
        raise StoreError(_("Line {n}: those goods were just billed or sent back by someone "
                           "else").format(n=row))


def _tax_back(net_by_bill: dict[int, Decimal], tax: Decimal | str | None) -> Decimal:
    """Input VAT to reverse: each bill's tax in proportion to what of it is credited, unless
    the supplier's red-letter invoice says another amount."""
    net = sum(net_by_bill.values(), ZERO)
    if tax not in (None, ""):
        amount = parse_decimal(tax, field="tax")
        if amount < 0 or (amount and not net):
            raise ValidationError(_("tax: '{value}' — only billed goods carry input VAT to "
                                    "reverse, and never below zero").format(value=amount),
                                  field="tax", value=amount)
        return amount
    total = ZERO
    for bill_id, credited in net_by_bill.items():
        bill = SupplierBill.get_by_id(bill_id)
        if bill.net:
            total += round_money(bill.tax * credited / bill.net)
    return total


@unit_of_work
def post_return(user: SessionUser, document: str, items: Sequence[tuple[str, Decimal | str]],
                *, reason: str, tax: Decimal | str | None = None, refund_account: str = "",
                day: dt.date | None = None) -> ReturnView:
    """Send goods of a receipt or a bill back to the supplier (see the module's docstring).
    `items` are (SKU or barcode, units); `tax` overrides the input VAT reversed; a
    `refund_account` (cash, bank, WeChat/Alipay) takes the money back now instead of a debit
    note."""
    permissions.check(user, "return_to_supplier", reference=document)
    reason = text.clean(reason, field="reason").strip()
    if not reason:
        raise ValidationError(_("reason: say why the goods go back (damaged, expired, wrong "
                                "goods …)"), field="reason", value=reason)
    if not items:
        raise ValidationError(_("A return needs at least one line"), field="lines", value=None)
    receipt, bill = _document(document)
    supplier_id = receipt.supplier_id if receipt is not None else bill.supplier_id  # type: ignore[union-attr]
    refund = payables.paying_account(refund_account) if refund_account.strip() else None
    date = day or clock.local_today()
    wanted = _wanted(items)
    sources = _sources(receipt, bill)
    ret = SupplierReturn.create(number=document_number("RTV", "supplier_return"),
                                supplier=supplier_id, receipt=receipt, bill=bill, date=date,
                                reason=reason[:200], refund_account=refund,
                                created_by=user.id)
    postings: list[Posting] = []
    value = grni = net = ZERO
    net_by_bill: dict[int, Decimal] = {}
    orders: set[int] = set()
    line_no = 0
    for product_id, (row, qty) in wanted.items():
        mine = [s for s in sources if s.product == product_id]
        available = sum((s.qty for s in mine), ZERO)
        if qty > available:
            sku = Product.get_by_id(product_id).sku
            raise ValidationError(_("Line {n}: {qty} of {sku} to send back, but only {open} "
                                    "came on {document} and have not gone back").format(
                n=row, qty=format_qty(qty), sku=sku, open=format_qty(available),
                document=document.strip()),
                field="qty", value=qty, row=row)
        left = qty
        for s in mine:
            if left <= 0:
                break
            take = min(left, s.qty)
            left -= take
            if s.bill_line is None:
                amount = payables.received_cost(GoodsReceiptLine.get_by_id(s.receipt_line), take)
                grni += amount
            else:
                amount = _billed_amount(s.bill_line, take, s.price)
                net += amount
                assert s.bill is not None
                net_by_bill[s.bill] = net_by_bill.get(s.bill, ZERO) + amount
            _claim(s, take, row)
            out = costing.stock_out(product_id, s.warehouse, take, reason="supplier_return",
                                    reference=ret.number, user_id=user.id,
                                    may_go_negative=False)
            value += out
            line_no += 1
            SupplierReturnLine.create(ret=ret.id, line_no=line_no, product=product_id,
                                      warehouse=s.warehouse, qty=take,
                                      receipt_line=s.receipt_line, bill_line=s.bill_line,
                                      unit_price=s.price, amount=amount, value=out)
            # Taken back dearer (or cheaper) than the average they left at: the rest of the
            # product's stock was bought cheaper (or dearer) than it stood.
            to_stock, to_cogs = costing.revalue(product_id, s.warehouse, take, out - amount,
                                                reference=ret.number, user_id=user.id)
            postings += [ledger.signed(ledger.INVENTORY, to_stock),
                         ledger.signed(ledger.COGS, to_cogs)]
            _order_back(s, take, orders)
    tax_back = _tax_back(net_by_bill, tax)
    credit = net + tax_back
    postings += [Posting(ledger.INVENTORY, credit=value), Posting(ledger.GRNI, debit=grni),
                 Posting(refund.code if refund is not None else ledger.AP, debit=credit),
                 Posting(ledger.VAT, credit=tax_back)]
    note = None
    if credit and refund is None:
        note = SupplierPayment.create(number=ret.number, supplier=supplier_id, date=date,
                                      amount=credit, account=_ap_account(), kind="return",
                                      reference=reason[:64], created_by=user.id)
        _apply_note(note, list(net_by_bill), date)
    (SupplierReturn.update(value=value, grni=grni, net=net, tax=tax_back, debit_note=note)
     .where(SupplierReturn.id == ret.id).execute())
    ledger.post_entry(phrase(N_("Goods {number} back to {supplier}: {reason}"),
                             number=ret.number, supplier=ret.supplier.code, reason=reason),
                      ret.number, postings, kind="return_out", date=date, user_id=user.id)
    for order_id in orders:
        purchasing.refresh_status(order_id)
    return view(ret.number)


def _order_back(source: Source, qty: Decimal, orders: set[int]) -> None:
    """The order's line has `qty` fewer received (and, if billed, billed): a replacement can
    come against it, or the order is short-closed."""
    po_line = source.po_line
    if po_line is None:
        return
    changes: dict[Any, Any] = {PurchaseOrderLine.received_qty:
                               PurchaseOrderLine.received_qty - qty}
    if source.bill_line is not None:
        changes[PurchaseOrderLine.billed_qty] = PurchaseOrderLine.billed_qty - qty
    PurchaseOrderLine.update(changes).where(PurchaseOrderLine.id == po_line).execute()
    orders.add(PurchaseOrderLine.get_by_id(po_line).order_id)


def _ap_account() -> int:
    return int(Account.get(Account.code == ledger.AP).id)


def _apply_note(note: SupplierPayment, first_bills: list[int], day: dt.date) -> None:
    """Set a debit note against open bills: those its goods were billed on first, then the
    oldest due; what is left waits for the next bills."""
    open_bills = list(SupplierBill.select()
                      .where((SupplierBill.supplier == note.supplier_id)
                             & (SupplierBill.paid < SupplierBill.total))
                      .order_by(SupplierBill.due_date, SupplierBill.id))
    open_bills.sort(key=lambda b: b.id not in first_bills)  # stable: theirs first
    payables.settle(note.id, open_bills, Decimal(note.amount), day)


def view(number: str) -> ReturnView:
    r = SupplierReturn.get_or_none(SupplierReturn.number == number.strip())
    if r is None:
        raise NotFound(_("No return to a supplier '{number}'").format(number=number))
    source = r.receipt or r.bill
    document = source.number if source is not None else ""
    lines = [ReturnLineView(ln.product.sku, ln.product.local_name, ln.qty,
                            ln.bill_line_id is not None, ln.unit_price, ln.amount, ln.value)
             for ln in (SupplierReturnLine.select(SupplierReturnLine, Product).join(Product)
                        .where(SupplierReturnLine.ret == r.id)
                        .order_by(SupplierReturnLine.line_no))]
    applied: list[tuple[str, Decimal]] = []
    waiting = ZERO
    if r.debit_note is not None:
        note = payables.payment_view(r.debit_note.number)
        applied, waiting = note.allocations, note.unallocated
    return ReturnView(r.number, r.supplier.code, r.supplier.name, document, r.date, r.reason,
                      r.value, r.grni, r.net, r.tax,
                      r.refund_account.code if r.refund_account is not None else "",
                      applied, waiting, lines)


def returns(*, supplier_code: str = "", limit: int = 200) -> list[ReturnView]:
    """Returns to suppliers, newest first."""
    q = SupplierReturn.select(SupplierReturn.number)
    if supplier_code:
        q = q.where(SupplierReturn.supplier == suppliers.get_supplier(supplier_code).id)
    return [view(r.number) for r in q.order_by(SupplierReturn.id.desc()).limit(limit)]
