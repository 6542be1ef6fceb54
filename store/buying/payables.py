"""Accounts payable: supplier bills matched to what was received, supplier payments, and how
much is owed to whom and since when.

A bill's goods lines each bill some units of a goods-receipt line, at the supplier's price.
They may not bill more than arrived and is not yet billed. Posting one bill, in one
transaction:
  Dr 220201 goods received not invoiced   what those units went into stock at
  Dr/Cr 1405 inventory and 6401 COGS      the price difference: the share still in stock
                                          changes its value, the share already sold its cost
  Dr 66xx (or any account)                expense lines (rent, electricity)
  Dr 2221 VAT                             the invoice's input tax
  Cr 2202 accounts payable                the total, due after the supplier's payment terms
Open prepayments to the supplier are set against the new bill at once.

A payment settles the oldest bills first (or those named); paying more than is owed is
refused unless it is a prepayment, which waits in 1123 for the next bills."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from store.books import ledger
from store.books.aging import AgingRow
from store.books.aging import aging as aging_of
from store.books.ledger import Posting
from store.buying import purchasing, suppliers
from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, phrase
from store.core.money import COST_PLACES, QTY_PLACES, ZERO, parse_decimal, round_money
from store.models import (
    Account,
    GoodsReceipt,
    GoodsReceiptLine,
    PaymentAllocation,
    Product,
    PurchaseOrderLine,
    Supplier,
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
    SupplierReturnLine,
)
from store.security import permissions
from store.security.auth import SessionUser
from store.stock import costing

# Accounts a supplier can be paid from: cash, bank, WeChat/Alipay balances and their
# sub-accounts.
PAYING_ACCOUNTS = (ledger.CASH, ledger.BANK, ledger.OTHER_FUNDS)


@dataclass(frozen=True)
class Unbilled:
    """Received goods not billed yet: what a new bill can charge for."""

    receipt_line_id: int
    receipt: str
    received_on: dt.date
    order: str
    sku: str
    name: str
    qty: Decimal  # received and not yet billed
    unit_cost: Decimal  # what they went into stock at (the order's price, usually)


@dataclass(frozen=True)
class BillLineInput:
    """Goods: a receipt line, the units billed and the supplier's unit price (None: the price
    they were received at). Or an expense: an account and an amount."""

    receipt_line_id: int | None = None
    qty: Decimal | str | None = None
    unit_price: Decimal | str | None = None
    account: str = ""
    amount: Decimal | str | None = None
    description: str = ""


@dataclass(frozen=True)
class BillLineView:
    description: str
    sku: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    received_cost: Decimal
    account: str

    @property
    def price_difference(self) -> Decimal:
        return self.amount - self.received_cost if self.sku else ZERO


@dataclass(frozen=True)
class BillView:
    number: str
    supplier_code: str
    supplier_name: str
    supplier_ref: str
    bill_date: dt.date
    due_date: dt.date
    status: str
    net: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    lines: list[BillLineView]
    opening: bool = False  # a balance from the shop's old books: no lines

    @property
    def open(self) -> Decimal:
        return self.total - self.paid


def _supplier(code: str) -> Supplier:
    return suppliers.get_supplier(code)


def unbilled(supplier_code: str) -> list[Unbilled]:
    """Posted receipts' lines from this supplier with units not yet billed, oldest first."""
    supplier = _supplier(supplier_code)
    rows: Any = (GoodsReceiptLine
                 .select(GoodsReceiptLine, GoodsReceipt, Product, PurchaseOrderLine)
                 .join(GoodsReceipt).switch(GoodsReceiptLine).join(Product)
                 .switch(GoodsReceiptLine).join(PurchaseOrderLine, JOIN.LEFT_OUTER)
                 .where((GoodsReceipt.supplier == supplier.id)
                        & (GoodsReceipt.status == "posted")
                        & (GoodsReceiptLine.qty > GoodsReceiptLine.billed_qty
                           + GoodsReceiptLine.returned_qty))
                 .order_by(GoodsReceipt.id, GoodsReceiptLine.id))
    out = []
    for r in rows:
        order = r.po_line.order.number if r.po_line_id else ""
        out.append(Unbilled(r.id, r.receipt.number, clock.local_date(r.receipt.posted_at),
                            order, r.product.sku, r.product.local_name,
                            r.qty - r.billed_qty - r.returned_qty,
                            r.unit_cost))
    return out


def received_cost(line: GoodsReceiptLine, qty: Decimal) -> Decimal:
    """What `qty` more units of a receipt line stand at in 220201, billed or sent back before
    a bill. The last units take exactly what is left, so the account clears to the cent."""
    if line.billed_qty + line.returned_qty + qty >= line.qty:
        billed = (SupplierBillLine.select(fn.COALESCE(fn.SUM(SupplierBillLine.received_cost), 0))
                  .where(SupplierBillLine.receipt_line == line.id).scalar())
        returned = (SupplierReturnLine.select(fn.COALESCE(fn.SUM(SupplierReturnLine.amount), 0))
                    .where((SupplierReturnLine.receipt_line == line.id)
                           & SupplierReturnLine.bill_line.is_null()).scalar())
        return (round_money(line.qty * line.unit_cost)
                - from_scaled(SupplierBillLine.received_cost, billed)
                - from_scaled(SupplierReturnLine.amount, returned))
    return round_money(qty * line.unit_cost)


def _account_id(code: str, row: int) -> int:
    account = Account.get_or_none((Account.code == code.strip()) & Account.active)
    if account is None:
        raise ValidationError(_("Line {n}: unknown account '{code}'").format(n=row, code=code),
                              field="account", value=code, row=row)
    return int(account.id)


@unit_of_work
def post_bill(user: SessionUser, supplier_code: str, supplier_ref: str,
              lines: Sequence[BillLineInput], *, bill_date: dt.date | None = None,
              tax: Decimal | str = ZERO, due_date: dt.date | None = None,
              note: str = "") -> BillView:
    """Enter a supplier's invoice and post it (see the module's docstring)."""
    permissions.check(user, "bill", reference=supplier_ref)
    supplier = _supplier(supplier_code)
    ref = text.clean(supplier_ref, field="reference")
    note = text.clean(note, field="note", multiline=True)
    if not ref:
        raise ValidationError(_("supplier_ref: the supplier's invoice number is missing"),
                              field="supplier_ref", value=supplier_ref)
    if SupplierBill.select().where((SupplierBill.supplier == supplier.id)
                                   & (SupplierBill.supplier_ref == ref)).exists():
        raise ValidationError(_("Bill '{ref}' from {supplier} is already entered").format(
            ref=ref, supplier=supplier.code), field="supplier_ref", value=ref)
    if not lines:
        raise ValidationError(_("A bill needs at least one line"), field="lines", value=None)
    day = bill_date or clock.local_today()
    due = due_date or day + dt.timedelta(days=supplier.payment_days)
    if due < day:
        raise ValidationError(_("due_date: {due} is before the bill's date {day}").format(
            due=due, day=day), field="due_date", value=due)
    input_tax = parse_decimal(tax, field="tax")
    bill = SupplierBill.create(number=document_number("BILL", "supplier_bill"), supplier=supplier,
                               supplier_ref=ref[:64], bill_date=day, due_date=due,
                               note=note.strip()[:200], created_by=user.id)
    postings: list[Posting] = []
    net = ZERO
    orders: set[int] = set()
    for i, ln in enumerate(lines, start=1):
        if ln.receipt_line_id is not None:
            amount, extra = _bill_goods(bill, i, ln, supplier, day, user, orders)
        else:
            amount, extra = _bill_expense(bill, i, ln)
        net += amount
        postings += extra
    total = net + input_tax
    postings += [Posting(ledger.VAT, debit=input_tax), Posting(ledger.AP, credit=total)]
    (SupplierBill.update(net=net, tax=input_tax, total=total)
     .where(SupplierBill.id == bill.id).execute())
    ledger.post_entry(phrase(N_("Bill {number} from {supplier} ({ref})"),
        number=bill.number, supplier=supplier.code, ref=ref), bill.number, postings,
        kind="bill", date=day, user_id=user.id)
    _apply_prepayments(supplier.id, bill.id, day, user.id)
    for order_id in orders:
        purchasing.refresh_status(order_id)
    return bill_view(bill.number)


def record_opening(supplier_id: int, amount: Decimal, day: dt.date, due: dt.date,
                   reference: str, user_id: int) -> str:
    """What the shop owed a supplier in its old books, as a bill with no lines (the old
    invoice's number as the supplier's reference), paid like any other; the caller posts it
    to 2202 in the same entry as the rest of the opening balances."""
    if reference and SupplierBill.select().where((SupplierBill.supplier == supplier_id)
                                                 & (SupplierBill.supplier_ref == reference)
                                                 ).exists():
        raise ValidationError(_("Bill '{ref}' from {supplier} is already entered").format(
            ref=reference, supplier=Supplier.get_by_id(supplier_id).code),
            field="reference", value=reference)
    bill = SupplierBill.create(number=document_number("BILL", "supplier_bill"),
                               supplier=supplier_id, supplier_ref=reference[:64], bill_date=day,
                               due_date=due, net=amount, total=amount, opening=True,
                               created_by=user_id)
    _apply_prepayments(supplier_id, bill.id, day, user_id)
    return str(bill.number)


def _bill_goods(bill: SupplierBill, i: int, ln: BillLineInput, supplier: Supplier,
                day: dt.date, user: SessionUser, orders: set[int]) -> tuple[Decimal,
                                                                            list[Posting]]:
    line = (GoodsReceiptLine.select(GoodsReceiptLine, GoodsReceipt).join(GoodsReceipt)
            .where(GoodsReceiptLine.id == ln.receipt_line_id).first())
    if line is None or line.receipt.supplier_id != supplier.id \
            or line.receipt.status != "posted":
        raise ValidationError(_("Line {n}: no goods received from {supplier} on that line")
                              .format(n=i, supplier=supplier.code), field="receipt_line",
                              value=ln.receipt_line_id, row=i)
    open_qty = line.qty - line.billed_qty - line.returned_qty
    qty = parse_decimal(ln.qty if ln.qty not in (None, "") else open_qty,
                        field="qty", places=QTY_PLACES, row=i)
    if qty <= 0 or qty > open_qty:
        raise ValidationError(_("Line {n}: {qty} billed, but only {open} of {sku} received and "
                                "not yet billed on {receipt}").format(
            n=i, qty=qty, open=open_qty, sku=line.product.sku, receipt=line.receipt.number),
            field="qty", value=qty, row=i)
    price = (line.unit_cost if ln.unit_price in (None, "")
             else parse_decimal(ln.unit_price, field="unit_price", places=COST_PLACES, row=i))
    amount = round_money(qty * price)
    received = received_cost(line, qty)
    # Claim the units with a guarded UPDATE: two clerks billing the same receipt at once
    # cannot both bill it.
    claimed = (GoodsReceiptLine.update(billed_qty=GoodsReceiptLine.billed_qty + qty)
               .where((GoodsReceiptLine.id == line.id)
                      & (GoodsReceiptLine.billed_qty + GoodsReceiptLine.returned_qty + qty
                         <= GoodsReceiptLine.qty)).execute())
    if not claimed:
        raise StoreError(_("Line {n}: those goods were just billed on another bill").format(n=i))
    if line.po_line_id:
        (PurchaseOrderLine.update(billed_qty=PurchaseOrderLine.billed_qty + qty)
         .where(PurchaseOrderLine.id == line.po_line_id).execute())
        orders.add(PurchaseOrderLine.get_by_id(line.po_line_id).order_id)
    SupplierBillLine.create(bill=bill.id, line_no=i, receipt_line=line.id,
                            product=line.product_id, qty=qty, unit_price=price, amount=amount,
                            received_cost=received,
                            description=(ln.description or line.product.name)[:200])
    suppliers.note_purchase(supplier.id, line.product_id, price, day)
    postings = [Posting(ledger.GRNI, debit=received)]
    difference = amount - received
    if difference:
        to_stock, to_cogs = costing.revalue(line.product_id, line.receipt.warehouse_id, qty,
                                            difference, reference=bill.number, user_id=user.id)
        postings += [ledger.signed(ledger.INVENTORY, to_stock),
                     ledger.signed(ledger.COGS, to_cogs)]
    return amount, postings


def _bill_expense(bill: SupplierBill, i: int, ln: BillLineInput) -> tuple[Decimal,
                                                                         list[Posting]]:
    if not ln.account.strip():
        raise ValidationError(_("Line {n}: give a receipt line or an account").format(n=i),
                              field="account", value="", row=i)
    account_id = _account_id(ln.account, i)
    amount = parse_decimal(ln.amount if ln.amount is not None else "", field="amount", row=i)
    if amount <= 0:
        raise ValidationError(_("Line {n}: amount '{value}' must be greater than zero").format(
            n=i, value=amount), field="amount", value=amount, row=i)
    SupplierBillLine.create(bill=bill.id, line_no=i, account=account_id, amount=amount,
                            description=ln.description.strip()[:200])
    return amount, [Posting(ln.account.strip(), debit=amount)]


def _allocate(payment_id: int, bill_id: int, amount: Decimal, day: dt.date) -> None:
    PaymentAllocation.create(payment=payment_id, bill=bill_id, amount=amount, date=day)
    (SupplierBill.update(paid=SupplierBill.paid + amount,
                         status=Case(None, [(SupplierBill.paid + amount >= SupplierBill.total,
                                             "paid")], "posted"))
     .where(SupplierBill.id == bill_id).execute())


def settle(payment_id: int, open_bills: Sequence[SupplierBill], amount: Decimal,
           day: dt.date) -> Decimal:
    """Set `amount` of a payment (or a debit note) against these bills in their order; what
    is left waits as the payment's unallocated part. Returns what is left."""
    left = amount
    for b in open_bills:
        if left <= 0:
            break
        take = min(b.total - b.paid, left)
        _allocate(payment_id, b.id, take, day)
        left -= take
    if left:
        (SupplierPayment.update(unallocated=left)
         .where(SupplierPayment.id == payment_id).execute())
    return left


def _apply_prepayments(supplier_id: int, bill_id: int, day: dt.date, user_id: int) -> None:
    """Set what waits for the supplier's next bills against this one, oldest first:
    prepayments (moved from 1123 to 2202) and debit notes for returned goods (already in
    2202: nothing to post)."""
    bill = SupplierBill.get_by_id(bill_id)
    left = bill.total
    prepaid = ZERO
    for pay in (SupplierPayment.select()
                .where((SupplierPayment.supplier == supplier_id)
                       & (SupplierPayment.unallocated > 0))
                .order_by(SupplierPayment.id)):
        if left <= 0:
            break
        take = min(pay.unallocated, left)
        (SupplierPayment.update(unallocated=SupplierPayment.unallocated - take)
         .where(SupplierPayment.id == pay.id).execute())
        _allocate(pay.id, bill_id, take, day)
        left -= take
        if pay.kind == "payment":
            prepaid += take
    if prepaid:
        ledger.post_entry(phrase(N_("Prepayment set against {number}"), number=bill.number),
                          bill.number, [Posting(ledger.AP, debit=prepaid),
                                        Posting(ledger.PREPAYMENTS, credit=prepaid)],
                          kind="payment", date=day, user_id=user_id)


def paying_account(code: str) -> Account:
    code = code.strip()
    account = Account.get_or_none((Account.code == code) & Account.active)
    if account is None or not any(code.startswith(p) for p in PAYING_ACCOUNTS):
        raise ValidationError(_("account: pay from cash, bank or WeChat/Alipay ({codes}), not "
                                "'{value}'").format(codes=", ".join(PAYING_ACCOUNTS),
                                                    value=code), field="account", value=code)
    return account


@dataclass(frozen=True)
class PaymentView:
    number: str
    supplier_code: str
    date: dt.date
    amount: Decimal
    account: str
    reference: str
    allocations: list[tuple[str, Decimal]]  # (bill number, amount)
    unallocated: Decimal


@unit_of_work
def pay(user: SessionUser, supplier_code: str, amount: Decimal | str, *,
        account: str = ledger.BANK, day: dt.date | None = None, reference: str = "",
        bills: Sequence[str] = (), prepayment: bool = False) -> PaymentView:
    """Pay a supplier: the named bills (else the oldest due first). More than is owed only as
    a prepayment."""
    permissions.check(user, "pay_suppliers", reference=supplier_code)
    reference = text.clean(reference, field="reference")
    supplier = _supplier(supplier_code)
    money = parse_decimal(amount, field="amount")
    if money <= 0:
        raise ValidationError(_("amount: '{value}' must be greater than zero").format(
            value=money), field="amount", value=money)
    source = paying_account(account)
    date = day or clock.local_today()
    q = SupplierBill.select().where((SupplierBill.supplier == supplier.id)
                                    & (SupplierBill.paid < SupplierBill.total))
    if bills:
        wanted = [b.strip() for b in bills]
        q = q.where(SupplierBill.number.in_(wanted))
        found = {b.number for b in q}
        missing = [b for b in wanted if b not in found]
        if missing:
            raise ValidationError(_("No open bill '{number}' from {supplier}").format(
                number=missing[0], supplier=supplier.code), field="bills", value=missing[0])
    open_bills = list(q.order_by(SupplierBill.due_date, SupplierBill.id))
    owed = sum((b.total - b.paid for b in open_bills), ZERO)
    if money > owed and not prepayment:
        raise ValidationError(_("{amount} is more than the {owed} owed to {supplier}: pay the "
                                "difference as a prepayment").format(
            amount=money, owed=owed, supplier=supplier.code), field="amount", value=money)
    payment = SupplierPayment.create(number=document_number("PAY", "supplier_payment"),
                                     supplier=supplier, date=date, amount=money,
                                     account=source.id, reference=reference.strip()[:64],
                                     created_by=user.id)
    left = settle(payment.id, open_bills, money, date)
    ledger.post_entry(phrase(N_("Payment {number} to {supplier}"), number=payment.number,
                                                                 supplier=supplier.code),
                      payment.number,
                      [Posting(ledger.AP, debit=money - left),
                       Posting(ledger.PREPAYMENTS, debit=left),
                       Posting(source.code, credit=money)],
                      kind="payment", date=date, user_id=user.id)
    for order_id in _orders_of([b.id for b in open_bills]):
        purchasing.refresh_status(order_id)
    return payment_view(payment.number)


def _orders_of(bill_ids: list[int]) -> set[int]:
    if not bill_ids:
        return set()
    rows = (PurchaseOrderLine.select(PurchaseOrderLine.order).distinct()
            .join(GoodsReceiptLine, on=(GoodsReceiptLine.po_line == PurchaseOrderLine.id))
            .join(SupplierBillLine, on=(SupplierBillLine.receipt_line == GoodsReceiptLine.id))
            .where(SupplierBillLine.bill.in_(bill_ids)))
    return {r.order_id for r in rows}


def payment_view(number: str) -> PaymentView:
    p = SupplierPayment.get_or_none(SupplierPayment.number == number.strip())
    if p is None:
        raise NotFound(_("No payment '{number}'").format(number=number))
    allocations = [(a.bill.number, a.amount) for a in
                   PaymentAllocation.select(PaymentAllocation, SupplierBill).join(SupplierBill)
                   .where(PaymentAllocation.payment == p.id).order_by(PaymentAllocation.id)]
    return PaymentView(p.number, p.supplier.code, p.date, p.amount, p.account.code,
                       p.reference, allocations, p.unallocated)


def bill_view(number: str) -> BillView:
    b = SupplierBill.get_or_none(SupplierBill.number == number.strip())
    if b is None:
        raise NotFound(_("No bill '{number}'").format(number=number))
    lines = []
    for ln in (SupplierBillLine.select(SupplierBillLine, Product, Account)
               .join(Product, JOIN.LEFT_OUTER).switch(SupplierBillLine)
               .join(Account, JOIN.LEFT_OUTER)
               .where(SupplierBillLine.bill == b.id).order_by(SupplierBillLine.line_no)):
        product, account = ln.product, ln.account
        lines.append(BillLineView(ln.description, product.sku if product is not None else "",
                                  ln.qty, ln.unit_price, ln.amount, ln.received_cost,
                                  account.code if account is not None else ledger.GRNI))
    return BillView(b.number, b.supplier.code, b.supplier.name, b.supplier_ref, b.bill_date,
                    b.due_date, b.status, b.net, b.tax, b.total, b.paid, lines, b.opening)


def bills(*, supplier_code: str = "", open_only: bool = False, limit: int = 200
          ) -> list[BillView]:
    q = SupplierBill.select(SupplierBill.number).join(Supplier)
    if supplier_code:
        q = q.where(Supplier.code == supplier_code.strip())
    if open_only:
        q = q.where(SupplierBill.paid < SupplierBill.total)
    return [bill_view(b.number) for b in q.order_by(SupplierBill.id.desc()).limit(limit)]


# -- what is owed ------------------------------------------------------------------------

def aging(as_of: dt.date | None = None) -> list[AgingRow]:
    """What each supplier is owed on `as_of`, by how long it has been overdue; summed in SQL
    from bills dated by then less what was allocated to them by then."""
    return aging_of(SupplierBill, Supplier, amount=SupplierBill.total,
                    dated=SupplierBill.bill_date, due=SupplierBill.due_date,
                    allocation=PaymentAllocation, allocated_to=PaymentAllocation.bill,
                    day=as_of or clock.local_today())


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    document: str
    description: str
    charge: Decimal  # a bill: owed more
    payment: Decimal  # a payment: owed less
    balance: Decimal


def statement(supplier_code: str, start: dt.date | None = None,
              end: dt.date | None = None) -> tuple[Decimal, list[StatementLine]]:
    """The supplier's account: the balance brought forward, then bills and payments in date
    order with the running balance (what the shop owes them, less prepayments)."""
    supplier = _supplier(supplier_code)
    first = start or dt.date.min
    last = end or clock.local_today()

    def total(model: Any, field: Any, date: Any, where: Any) -> Decimal:
        value = model.select(fn.COALESCE(fn.SUM(field), 0)).where(
            (model.supplier == supplier.id) & where(date)).scalar()
        return from_scaled(field, value)

    before = (total(SupplierBill, SupplierBill.total, SupplierBill.bill_date,
                    lambda d: d < first)
              - total(SupplierPayment, SupplierPayment.amount, SupplierPayment.date,
                      lambda d: d < first))
    events: list[tuple[dt.date, dt.datetime, str, str, Decimal, Decimal]] = []
    for b in SupplierBill.select().where((SupplierBill.supplier == supplier.id)
                                         & (SupplierBill.bill_date >= first)
                                         & (SupplierBill.bill_date <= last)):
        events.append((b.bill_date, b.created_at, b.number, b.supplier_ref, b.total, ZERO))
    for p in SupplierPayment.select().where((SupplierPayment.supplier == supplier.id)
                                            & (SupplierPayment.date >= first)
                                            & (SupplierPayment.date <= last)):
        events.append((p.date, p.created_at, p.number, p.reference, ZERO, p.amount))
    running = before
    out = []
    for date, _at, doc, what, charge, paid in sorted(events):
        running += charge - paid
        out.append(StatementLine(date, doc, what, charge, paid, running))
    return before, out
