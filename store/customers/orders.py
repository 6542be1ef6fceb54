"""Sales orders: by phone, for the trade, or from an online channel.

quote → confirmed (stock reserved) → picked → partial (some shipped) → shipped → invoiced →
paid; or cancelled before anything ships; or held while a channel's item maps to no product.
Reserved stock is what confirmed, picked and partly shipped orders still have to ship; it is
summed in SQL where stock is shown (available = on hand − reserved), never stored.

Shipping moves the goods out at the moving average and posts cost of goods (Dr 6401 / Cr
1405). Invoicing what was shipped makes a receivable for the customer (Dr 1122 / Cr 6001, Cr
2221); the customer's payment settles it (store.customers.receivables) and the order is paid."""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from store.books import ledger
from store.books.ledger import Posting
from store.catalog.search import lookup_code
from store.common import clock
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import QTY_PLACES, ZERO, parse_decimal, round_money
from store.customers import lookup, receivables
from store.customers.order_items import remap
from store.customers.order_states import event, move
from store.models import Customer, OrderEvent, Product, SalesOrder, SalesOrderLine, User
from store.models.orders import RESERVING
from store.pricing import price_lists, promotions
from store.security import audit, crypto, permissions
from store.security.auth import SessionUser
from store.shops import branches, org
from store.stock import costing

STATUSES = (N_("quote"), N_("confirmed"), N_("picked"), N_("partial"), N_("shipped"),
            N_("invoiced"), N_("paid"), N_("cancelled"), N_("held"))

@dataclass(frozen=True)
class Recipient:
    name: str = ""
    phone: str = ""
    address: str = ""

    def sealed(self) -> str:
        if not (self.name or self.phone or self.address):
            return ""
        return crypto.seal(json.dumps([self.name, self.phone, self.address],
                                      ensure_ascii=False))


def recipient_of(order: SalesOrder) -> Recipient:
    """The sealed name, phone and address, opened (for a shipping label)."""
    if not order.recipient_enc:
        return Recipient()
    name, phone, address = json.loads(crypto.unseal(order.recipient_enc))
    return Recipient(name, phone, address)


@dataclass(frozen=True)
class LineInput:
    sku: str
    qty: Decimal | str
    unit_price: Decimal | str | None = None  # None: the customer's price (list or shelf)


@dataclass(frozen=True)
class OrderLineView:
    line_no: int
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    shipped: Decimal
    invoiced: Decimal
    mapped: bool
    discount: Decimal = ZERO  # what promotions took off
    promotions: str = ""


@dataclass(frozen=True)
class EventView:
    at: dt.datetime
    status: str
    note: str
    user: str


@dataclass(frozen=True)
class OrderView:
    number: str
    channel: str
    external_id: str
    status: str
    channel_status: str
    customer_code: str
    customer_name: str
    buyer: str
    warehouse: str
    total: Decimal
    paid: Decimal
    carrier: str
    tracking_no: str
    ordered_at: dt.datetime
    note: str
    lines: list[OrderLineView]
    events: list[EventView]


def _order(number: str) -> SalesOrder:
    row = SalesOrder.get_or_none(SalesOrder.number == number.strip())
    if row is None:
        raise NotFound(_("No sales order '{number}'").format(number=number))
    return row


@unit_of_work
def create(user: SessionUser, lines: Sequence[LineInput], *, channel: str = "phone",
           customer_code: str = "", warehouse_code: str = "STORE",
           recipient: Recipient | None = None, note: str = "", confirm: bool = False
           ) -> OrderView:
    """A quote (or a confirmed order) for a customer, priced by their price list over the
    prices and promotions of the warehouse's shop."""
    permissions.check(user, "sell_orders")
    note = text.clean(note, field="note", multiline=True)
    customer = None
    if customer_code:
        customer = Customer.get_or_none(Customer.code == customer_code.strip())
        if customer is None:
            raise NotFound(_("No customer '{code}'").format(code=customer_code))
    if not lines:
        raise ValidationError(_("An order needs at least one line"), field="lines", value=None)
    warehouse = org.get_warehouse(warehouse_code)
    rules = price_lists.rules_for(lookup.price_list_of(customer.id) if customer else None)
    order = SalesOrder.create(number=document_number("SO", "sales_order"), uuid=uuidlib.uuid4(),
                              channel=channel, status="quote", customer=customer,
                              warehouse=warehouse, created_by=user.id, note=note[:500],
                              recipient_enc=(recipient or Recipient()).sealed())
    priced = []
    for i, ln in enumerate(lines, start=1):
        hit = lookup_code(ln.sku, shop=warehouse.shop_id)
        if hit is None:
            raise ValidationError(_("Line {n}: no product with SKU or barcode '{code}'").format(
                n=i, code=ln.sku), field="sku", value=ln.sku, row=i)
        qty = parse_decimal(ln.qty, field="qty", places=QTY_PLACES, row=i) * hit.pack_qty
        if qty <= 0:
            raise ValidationError(_("Line {n}: qty '{value}' must be greater than zero").format(
                n=i, value=qty), field="qty", value=qty, row=i)
        own = ln.unit_price not in (None, "")  # a price agreed by hand takes no promotion
        price = (parse_decimal(ln.unit_price, field="unit_price", row=i)  # type: ignore[arg-type]
                 if own else rules.price(hit, qty))
        priced.append((i, hit, qty, price, own))
    # The same promotions, by the same rule, as at the till.
    shares = promotions.per_line(promotions.apply(
        promotions.at_shop(promotions.current(fresh=True), warehouse.shop_id),
        [promotions.Item(i, hit.id, hit.category_id, qty, price, not hit.sold_by_weight)
         for i, hit, qty, price, own in priced if not own],
        moment=clock.local_now(branches.zone_of_shop(warehouse.shop_id)),
        member=customer is not None, rule=promotions.rule()))
    total = ZERO
    for i, hit, qty, price, _own in priced:
        mine = shares.get(i, [])
        off = sum((sh.amount for sh in mine), ZERO)
        amount = round_money(qty * price) - off
        SalesOrderLine.create(order=order.id, line_no=i, product=hit.id, external_sku=hit.sku,
                              title=hit.name, qty=qty, unit_price=price, amount=amount,
                              tax_rate_bp=int(hit.tax_rate * 10000), discount=off,
                              promotions="; ".join(sh.name for sh in mine)[:200])
        total += amount
    SalesOrder.update(total=total).where(SalesOrder.id == order.id).execute()
    event(order.id, "quote", "", user.id)
    if confirm:
        move(order, "confirmed", user_id=user.id)
    return view(order.number)


@unit_of_work
def confirm(user: SessionUser, number: str) -> OrderView:
    """The customer agrees: the stock is reserved for the order."""
    permissions.check(user, "sell_orders", reference=number)
    order = _order(number)
    remap(order.id)  # items whose code the shop has given a product since
    missing = [ln.external_sku for ln in SalesOrderLine.select(SalesOrderLine.external_sku)
               .where((SalesOrderLine.order == order.id) & SalesOrderLine.product.is_null())]
    if missing:
        raise StoreError(_("Order {number}: no product has the code {codes}; add it (or give "
                           "a product that SKU or barcode) and confirm again").format(
                               number=order.number, codes=", ".join(missing)))
    move(order, "confirmed", user_id=user.id)
    return view(number)


@unit_of_work
def pick(user: SessionUser, number: str) -> OrderView:
    permissions.check(user, "ship_orders", reference=number)
    move(_order(number), "picked", user_id=user.id)
    return view(number)


@unit_of_work
def cancel(user: SessionUser, number: str, reason: str) -> OrderView:
    permissions.check(user, "sell_orders", reference=number)
    reason = text.clean(reason, field="reason")
    if not reason:
        raise ValidationError(_("Give a reason to cancel"), field="reason", value=reason)
    order = _order(number)
    move(order, "cancelled", note=reason, user_id=user.id, cancel_reason=reason.strip()[:200])
    audit.record("order_cancel", {"order": order.number, "reason": reason.strip()[:200]},
                 user_id=user.id, reference=order.number)
    return view(number)


@unit_of_work
def ship(user: SessionUser, number: str, *, carrier: str = "", tracking_no: str = "",
         quantities: dict[str, Decimal | str] | None = None) -> OrderView:
    """Ship all that is left (or `quantities` by SKU): stock out at the moving average, cost
    of goods posted; partial until everything has gone."""
    permissions.check(user, "ship_orders", reference=number)
    carrier = text.clean(carrier, field="carrier")
    tracking_no = text.clean(tracking_no, field="tracking")
    order = _order(number)
    if order.status not in RESERVING:
        raise StoreError(_("Order {number} is {status}: only a confirmed order ships").format(
            number=order.number, status=_(order.status)))
    cost = ZERO
    lines = list(SalesOrderLine.select(SalesOrderLine, Product).join(Product)
                 .where(SalesOrderLine.order == order.id).order_by(SalesOrderLine.product))
    for line in lines:
        product = line.product
        assert product is not None and line.product_id is not None  # confirmed: all mapped
        left = line.qty - line.shipped_qty
        want = left if quantities is None else parse_decimal(
            quantities.get(product.sku, "0"), field="qty", places=QTY_PLACES)
        if want > left:
            raise ValidationError(_("{sku}: {qty} to ship, but only {left} is left on the "
                                    "order").format(sku=product.sku, qty=want, left=left),
                                  field="qty", value=want)
        if want <= 0:
            continue
        if product.stock_tracked:
            cost += costing.stock_out(line.product_id, order.warehouse_id, want,
                                      reason="shipment", reference=order.number,
                                      user_id=user.id)
        (SalesOrderLine.update(shipped_qty=SalesOrderLine.shipped_qty + want)
         .where(SalesOrderLine.id == line.id).execute())
    remaining = (SalesOrderLine.select(fn.COUNT(SalesOrderLine.id))
                 .where((SalesOrderLine.order == order.id)
                        & (SalesOrderLine.shipped_qty < SalesOrderLine.qty)).scalar())
    if cost:
        ledger.post_entry(phrase(N_("Shipment of {number}"), number=order.number), order.number,
                          [Posting(ledger.COGS, debit=cost), Posting(ledger.INVENTORY,
                                                                     credit=cost)],
                          kind="shipment", user_id=user.id)
    move(order, "partial" if remaining else "shipped",
         note=" ".join(p for p in (carrier, tracking_no) if p), user_id=user.id,
         carrier=carrier.strip()[:40] or order.carrier,
         tracking_no=tracking_no.strip()[:64] or order.tracking_no)
    return view(number)


def _channel_customer(channel: str) -> int:
    """Orders from a channel without a customer of ours are owed by the channel itself."""
    code = f"CH-{channel.upper()}"[:32]
    row, _created = Customer.get_or_create(code=code, defaults={"name": channel,
                                                                "payment_days": 7})
    return int(row.id)


@unit_of_work
def invoice(user: SessionUser, number: str) -> OrderView:
    """Invoice what was shipped and not invoiced: a receivable, revenue and output VAT."""
    _invoice(user, number)
    return view(number)


def _invoice(user: SessionUser, number: str) -> None:
    permissions.check(user, "sell_orders", reference=number)
    order = _order(number)
    if order.status != "shipped":
        raise StoreError(_("Order {number} is {status}: invoice it once it has shipped")
                         .format(number=order.number, status=_(order.status)))
    total = tax = ZERO
    for line in SalesOrderLine.select().where(SalesOrderLine.order == order.id):
        qty = line.shipped_qty - line.invoiced_qty
        if qty <= 0:
            continue
        # A part invoices its share of the line (its promotion included); the last part
        # takes what is left, so the parts add up to the line to the cent.
        amount = (line.amount - round_money(line.amount * line.invoiced_qty / line.qty)
                  if line.shipped_qty == line.qty
                  else round_money(line.amount * line.shipped_qty / line.qty)
                  - round_money(line.amount * line.invoiced_qty / line.qty))
        rate = Decimal(line.tax_rate_bp) / 10000
        tax += round_money(amount * rate / (1 + rate))
        total += amount
        (SalesOrderLine.update(invoiced_qty=SalesOrderLine.shipped_qty)
         .where(SalesOrderLine.id == line.id).execute())
    total += order.shipping
    customer = order.customer_id or _channel_customer(order.channel)
    day = clock.local_today()
    receivables.record_order(order.id, customer, total, day)
    ledger.post_entry(phrase(N_("Invoice for {number}"), number=order.number), order.number,
                      [Posting(ledger.AR, debit=total), Posting(ledger.REVENUE,
                                                                credit=total - tax),
                       Posting(ledger.VAT, credit=tax)], kind="invoice", date=day,
                      user_id=user.id)
    move(order, "invoiced", user_id=user.id)


_invoice_alone = unit_of_work(_invoice)  # one order's own transaction, without its view


def invoice_shipped(user: SessionUser, channel: str = "") -> list[str]:
    """Invoice every shipped order (of one channel, or all): what an online shop does after
    importing a day's 交易成功 orders. Each order is its own transaction, whole or not at
    all; returns the numbers invoiced, oldest first."""
    numbers = _shipped(user, channel)
    for number in numbers:
        _invoice_alone(user, number)
    return numbers


@unit_of_work  # so that a refusal is recorded after its rollback, like every other
def _shipped(user: SessionUser, channel: str) -> list[str]:
    permissions.check(user, "sell_orders", reference=channel or "all")
    q = SalesOrder.select(SalesOrder.number).where(SalesOrder.status == "shipped")
    if channel:
        q = q.where(SalesOrder.channel == channel)
    return [row.number for row in q.order_by(SalesOrder.id)]


def view(number: str) -> OrderView:
    o = _order(number)
    lines = [OrderLineView(ln.line_no, ln.product.sku if ln.product else ln.external_sku,
                           ln.title, ln.qty, ln.unit_price, ln.amount, ln.shipped_qty,
                           ln.invoiced_qty, ln.product_id is not None, ln.discount,
                           ln.promotions)
             for ln in (SalesOrderLine.select(SalesOrderLine, Product)
                        .join(Product, JOIN.LEFT_OUTER)
                        .where(SalesOrderLine.order == o.id).order_by(SalesOrderLine.line_no))]
    events = [EventView(e.at, e.status, e.note, e.user.username if e.user else "")
              for e in (OrderEvent.select(OrderEvent, User).join(User, JOIN.LEFT_OUTER)
                        .where(OrderEvent.order == o.id).order_by(OrderEvent.id))]
    customer = o.customer
    return OrderView(o.number, o.channel, o.external_id or "", o.status, o.channel_status,
                     customer.code if customer else "", customer.name if customer else "",
                     o.buyer, o.warehouse.code, o.total, o.paid, o.carrier, o.tracking_no,
                     o.ordered_at, o.note, lines, events)


@dataclass(frozen=True)
class OrderRow:
    number: str
    channel: str
    external_id: str
    status: str
    customer: str
    total: Decimal
    ordered_at: dt.datetime
    tracking_no: str


def orders(*, status: str = "", channel: str = "", limit: int = 200) -> list[OrderRow]:
    """Orders, newest first: "open" means not yet shipped (quote, held, reserving)."""
    q = (SalesOrder.select(SalesOrder, Customer).join(Customer, JOIN.LEFT_OUTER)
         .order_by(SalesOrder.ordered_at.desc(), SalesOrder.id.desc()))
    if status == "open":
        q = q.where(SalesOrder.status.in_(("quote", "held", *RESERVING)))
    elif status:
        q = q.where(SalesOrder.status == status)
    if channel:
        q = q.where(SalesOrder.channel == channel)
    return [OrderRow(o.number, o.channel, o.external_id or "", o.status,
                     o.customer.name if o.customer else o.buyer, o.total, o.ordered_at,
                     o.tracking_no) for o in q.limit(limit)]


def channels() -> list[str]:
    """The channels orders have come from, for filters."""
    rows: Any = SalesOrder.select(SalesOrder.channel).distinct().order_by(SalesOrder.channel)
    return [c for (c,) in rows.tuples()]
