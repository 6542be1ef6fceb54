"""A customer asks for a 发票 (issue 19.4): at the till for the sale just made, or afterwards
for one or more receipts. The request keeps who the invoice is for — the title, the
taxpayer's unified social credit code (统一社会信用代码, its check character verified), an
e-mail to send it to (sealed: a person's address) — and what it covers: the sales' lines
less what came back. Requested → issued (the platform's invoice number, imported or typed)
→ sent; cancelled before it is issued, its sales free to be asked for again."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as NumberError

from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _
from store.models import (
    Category,
    FapiaoRequest,
    FapiaoSale,
    Product,
    Sale,
    SaleLine,
    Terminal,
    Unit,
    User,
)
from store.models.base import utcnow
from store.security import audit, crypto, permissions, scope
from store.security.auth import SessionUser

KINDS = ("normal", "special")  # 普通发票, 增值税专用发票 (a company's, to deduct its input tax)
STATUSES = ("requested", "issued", "sent", "cancelled")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}")
INVOICE_NUMBER = re.compile(r"\d{8,20}")  # 数电票: 20 digits; a paper invoice's 8
MOST_SALES = 50


@dataclass(frozen=True)
class InvoiceLine:
    """A line of the invoice: one product at one tax rate across the request's sales."""

    sku: str
    name: str
    tax_code: str  # 商品和服务税收分类编码 (its category's)
    unit: str
    qty: Decimal
    amount: Decimal  # tax included, after discounts and returns
    tax: Decimal
    rate: Decimal  # 0.13

    @property
    def unit_price(self) -> Decimal:
        return (self.amount / self.qty).quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class RequestView:
    number: str
    status: str
    kind: str
    title: str
    tax_id: str
    email: str
    address: str
    bank: str
    note: str
    amount: Decimal
    tax: Decimal
    sales: tuple[str, ...]
    requested_by: str
    created_at: dt.datetime
    invoice_number: str
    issued_on: dt.date | None
    sent_at: dt.datetime | None


def check_tax_id(value: str, *, row: int | None = None) -> str:
    """A unified social credit code: 18 characters, its check character right."""
    code = text.clean(value, field="tax_id", row=row).upper().replace(" ", "")
    if not code:
        return ""
    try:
        return str(uscc.validate(code))
    except NumberError:
        raise ValidationError(_("tax_id: '{value}' is not a valid unified social credit code "
                                "(18 characters, the last a check character)").format(
            value=code[:24]), field="tax_id", value=code[:24], row=row) from None


def check_tax_code(value: str) -> str:
    """A tax classification code (商品和服务税收分类编码): 19 digits."""
    code = text.clean(value, field="tax_code").replace(" ", "")
    if code and not (code.isdigit() and len(code) == 19):
        raise ValidationError(_("tax_code: '{value}' must be 19 digits").format(
            value=code[:24]), field="tax_code", value=code[:24])
    return code


@unit_of_work
def request(user: SessionUser, sale_numbers: list[str], *, title: str, tax_id: str = "",
            email: str = "", kind: str = "normal", address: str = "", bank: str = "",
            note: str = "") -> RequestView:
    """Record a request for a 发票 covering these sales (of the user's shops)."""
    if kind not in KINDS:
        raise ValidationError(_("kind: '{value}' is not normal or special").format(
            value=str(kind)[:20]), field="kind", value=kind)
    buyer = text.name(title, field="title", longest=100)
    code = check_tax_id(tax_id)
    mail = text.short(email, field="email", longest=254)
    if mail and not EMAIL.fullmatch(mail):
        raise ValidationError(_("email: '{value}' is not an e-mail address").format(
            value=mail[:60]), field="email", value=mail[:60])
    where = text.prose(address, field="address", longest=200)
    account = text.prose(bank, field="bank", longest=200)
    if kind == "special" and not (code and where and account):
        raise ValidationError(_("A special VAT invoice (专票) needs the buyer's tax ID, address "
                                "and phone, bank and account"), field="tax_id", value=code)
    numbers = list(dict.fromkeys(n.strip() for n in sale_numbers if n.strip()))
    if not numbers or len(numbers) > MOST_SALES:
        raise ValidationError(_("sale: name 1 to {most} receipts").format(most=MOST_SALES),
                              field="sale", value=len(numbers))
    found = {s.number: s for s in Sale.select().where(Sale.number.in_(numbers))}
    for number in numbers:
        sale = found.get(number)
        if sale is None:
            raise NotFound(_("No sale with number '{number}'").format(number=number[:32]))
        scope.check_till(user.id, sale.terminal, doing="fapiao")
        if sale.original_id is not None and sale.total <= 0:
            raise ValidationError(_("Sale {number} is a refund: there is nothing to invoice")
                                  .format(number=number), field="sale", value=number)
    ids = [found[n].id for n in numbers]
    taken = (FapiaoSale.select(Sale.number, FapiaoRequest.number).join(Sale)
             .switch(FapiaoSale).join(FapiaoRequest).where(FapiaoSale.sale.in_(ids))
             .tuples().first())
    if taken:
        raise StoreError(_("Sale {sale} is on 发票 request {request} already").format(
            sale=taken[0], request=taken[1]))
    lines = invoice_lines(ids)
    amount = sum((ln.amount for ln in lines), Decimal(0))
    if amount <= 0:
        raise StoreError(_("Everything on these sales came back: there is nothing to invoice"))
    customers = {found[n].customer_id for n in numbers}
    row = FapiaoRequest.create(
        number=document_number("FP", "fapiao"), kind=kind, title=buyer, tax_id=code,
        email_enc=crypto.seal(mail), address=where, bank=account,
        note=text.prose(note, field="note", longest=200), amount=amount,
        tax=sum((ln.tax for ln in lines), Decimal(0)),
        customer=customers.pop() if len(customers) == 1 else None, requested_by=user.id)
    FapiaoSale.insert_many([{"request": row.id, "sale": i} for i in ids]).execute()
    audit.record("fapiao_requested", {"request": row.number, "sales": numbers,
                                      "amount": audit.minor(amount), "kind": kind,
                                      "tax_id": code}, user_id=user.id, reference=row.number)
    return get(row.number)


def invoice_lines(sale_ids: list[int]) -> list[InvoiceLine]:
    """What the sales sold less what came back of it, by product and tax rate."""
    sold = SaleLine.alias()
    net: dict[tuple[int, int], list[Any]] = {}
    kept: Any = (SaleLine.select(SaleLine.product, SaleLine.tax_rate_bp, fn.SUM(SaleLine.qty),
                            fn.SUM(SaleLine.amount), fn.SUM(SaleLine.tax))
            .where(SaleLine.sale.in_(sale_ids) & SaleLine.return_of.is_null())
            .group_by(SaleLine.product, SaleLine.tax_rate_bp).tuples())
    back: Any = (SaleLine.select(sold.product, sold.tax_rate_bp, fn.SUM(SaleLine.qty),
                            fn.SUM(SaleLine.amount), fn.SUM(SaleLine.tax))
            .join(sold, on=(SaleLine.return_of == sold.id))
            .where(sold.sale.in_(sale_ids))
            .group_by(sold.product, sold.tax_rate_bp).tuples())
    for rows in (kept, back):
        for product, rate, qty, amount, tax in rows:
            into = net.setdefault((product, rate), [Decimal(0), Decimal(0), Decimal(0)])
            into[0] += from_scaled(SaleLine.qty, qty)
            into[1] += from_scaled(SaleLine.amount, amount)
            into[2] += from_scaled(SaleLine.tax, tax)
    live = {k: v for k, v in net.items() if v[0] > 0 and v[1] > 0}
    if not live:
        return []
    info = {p.id: p for p in Product.select(Product, Unit, Category).join(Unit).switch(Product)
            .join(Category, JOIN.LEFT_OUTER, on=(Product.category == Category.id))
            .where(Product.id.in_([k[0] for k in live]))}
    out = []
    for (pid, rate), (qty, amount, tax) in sorted(live.items()):
        p = info[pid]
        category = p.category if p.category_id else None
        out.append(InvoiceLine(p.sku, p.name, category.tax_code if category else "",
                               p.unit.name, qty, amount, tax, Decimal(rate) / 10000))
    return out


@dataclass(frozen=True)
class Buyer:
    """What a customer's last 发票 said about them, to fill the next one in."""

    title: str
    tax_id: str
    email: str


def remembered_buyer(sale_number: str) -> Buyer | None:
    """The buyer details of the latest request by the customer on this sale (None: the sale
    has no customer, or they never asked)."""
    customer = (Sale.select(Sale.customer).where(Sale.number == sale_number.strip())
                .scalar())
    if customer is None:
        return None
    row = (FapiaoRequest.select().where((FapiaoRequest.customer == customer)
                                        & (FapiaoRequest.status != "cancelled"))
           .order_by(FapiaoRequest.id.desc()).first())
    if row is None:
        return None
    return Buyer(row.title, row.tax_id, crypto.unseal(row.email_enc))


def get(number: str) -> RequestView:
    row = FapiaoRequest.get_or_none(FapiaoRequest.number == number.strip())
    if row is None:
        raise NotFound(_("No 发票 request '{number}'").format(number=number.strip()[:20]))
    return _views([row])[0]


def requests(viewer: SessionUser, *, status: str | None = None,
             limit: int = 500) -> list[RequestView]:
    """The requests, newest first (those for the viewer's shops' sales), to those who issue
    them: they hold buyers' e-mail addresses."""
    permissions.check_apart(viewer, "fapiao", reference="list")
    q = FapiaoRequest.select().order_by(FapiaoRequest.id.desc()).limit(limit)
    if status:
        if status not in STATUSES:
            raise ValidationError(_("status: '{value}' is not one of {choices}").format(
                value=status[:20], choices=", ".join(STATUSES)), field="status", value=status)
        q = q.where(FapiaoRequest.status == status)
    seen = scope.warehouses_seen(viewer)
    if seen is not None:  # a user of some shops: requests for their tills' sales
        tills = Terminal.select(Terminal.code).where(Terminal.warehouse.in_(seen))
        q = q.where(FapiaoRequest.id.in_(
            FapiaoSale.select(FapiaoSale.request).join(Sale).where(Sale.terminal.in_(tills))))
    return _views(list(q))


def _views(rows: list[FapiaoRequest]) -> list[RequestView]:
    ids = [r.id for r in rows]
    sales: dict[int, list[str]] = {}
    for request_id, number in (FapiaoSale.select(FapiaoSale.request, Sale.number).join(Sale)
                               .where(FapiaoSale.request.in_(ids)).order_by(Sale.id)
                               .tuples() if ids else []):
        sales.setdefault(request_id, []).append(number)
    names: dict[int, str] = dict(User.select(User.id, User.username)  # type: ignore[arg-type]
                 .where(User.id.in_({r.requested_by_id for r in rows})).tuples()) if ids else {}
    return [RequestView(r.number, r.status, r.kind, r.title, r.tax_id,
                        crypto.unseal(r.email_enc), r.address, r.bank, r.note, r.amount, r.tax,
                        tuple(sales.get(r.id, ())), names.get(r.requested_by_id, ""),
                        r.created_at, r.invoice_number, r.issued_on, r.sent_at)
            for r in rows]


def _row(number: str, *states: str) -> FapiaoRequest:
    row = FapiaoRequest.get_or_none(FapiaoRequest.number == number.strip())
    if row is None:
        raise NotFound(_("No 发票 request '{number}'").format(number=number.strip()[:20]))
    if row.status not in states:
        raise StoreError(_("发票 request {number} is {status}").format(
            number=row.number, status=_(STATUS_WORDS[row.status])))
    return row


@unit_of_work
def issue(user: SessionUser, number: str, invoice_number: str,
          issued_on: dt.date | None = None) -> RequestView:
    """The platform issued it: its invoice number (and date), kept with the request."""
    permissions.check(user, "fapiao", reference=number[:32])
    row = _row(number, "requested")
    given = text.clean(invoice_number, field="invoice_number").replace(" ", "")
    if not INVOICE_NUMBER.fullmatch(given):
        raise ValidationError(_("invoice_number: '{value}' must be 8 to 20 digits").format(
            value=given[:24]), field="invoice_number", value=given[:24])
    other = FapiaoRequest.get_or_none(FapiaoRequest.invoice_number == given)
    if other is not None:
        raise ValidationError(_("invoice_number: {value} is on {request} already").format(
            value=given, request=other.number), field="invoice_number", value=given)
    row.status, row.invoice_number = "issued", given
    row.issued_on = issued_on or clock.local_today()  # the shop's day, not UTC's
    row.save()
    audit.record("fapiao_issued", {"request": row.number, "invoice": given,
                                   "issued_on": row.issued_on.isoformat()},
                 user_id=user.id, reference=row.number)
    return get(row.number)


@unit_of_work
def mark_sent(user: SessionUser, number: str) -> RequestView:
    permissions.check(user, "fapiao", reference=number[:32])
    row = _row(number, "issued")
    row.status, row.sent_at = "sent", utcnow()
    row.save()
    audit.record("fapiao_sent", {"request": row.number}, user_id=user.id,
                 reference=row.number)
    return get(row.number)


@unit_of_work
def cancel(user: SessionUser, number: str, reason: str) -> RequestView:
    """A request not issued yet, withdrawn: its sales may be asked for again."""
    permissions.check(user, "fapiao", reference=number[:32])
    why = text.name(reason, field="reason", longest=200)
    row = _row(number, "requested")
    numbers: Any = (FapiaoSale.select(Sale.number).join(Sale)
                    .where(FapiaoSale.request == row.id).tuples())
    sales = [n for (n,) in numbers]
    FapiaoSale.delete().where(FapiaoSale.request == row.id).execute()
    row.status, row.note = "cancelled", f"{why} ({', '.join(sales)})"[:200]
    row.save()
    audit.record("fapiao_cancelled", {"request": row.number, "sales": sales, "reason": why},
                 user_id=user.id, reference=row.number)
    return get(row.number)


@unit_of_work
def set_tax_code(user: SessionUser, category: str, code: str) -> None:
    """A category's tax classification code, which every invoice line of its products takes."""
    permissions.check(user, "manage_catalog", reference=category[:40])
    row = Category.get_or_none(Category.code == category.strip().upper())
    if row is None:
        raise NotFound(_("No category '{code}'").format(code=category.strip()[:40]))
    row.tax_code = check_tax_code(code)
    row.save()
    audit.record("tax_code_set", {"category": row.code, "tax_code": row.tax_code},
                 user_id=user.id, reference=row.code)


STATUS_WORDS = {"requested": N_("requested"), "issued": N_("issued"), "sent": N_("sent"),
                "cancelled": N_("cancelled")}
