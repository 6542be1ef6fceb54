"""The demo's past: about 60 days of a mini-market's work, made through the same services as
real work (never by writing tables), so the dashboard and every report show real figures on
the first start.

Each day two tills open with a float and sell from morning to night — more at weekends and at
lunch and after work — in cash, WeChat Pay, Alipay and by card, now and then with a discount
or a return; both shifts close with the drawer counted (a few jiao over or short sometimes).
Every Monday the reorder suggestions become orders to the preferred suppliers, the goods
arrive after the supplier's lead time, the bill follows a few days later (sometimes a little
dearer than the order), and bills are paid when they fall due. Rent and electricity are billed
monthly. Each day is one transaction: an hour of history costs one commit, not hundreds."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from store.books import ledger
from store.buying import payables, purchasing, receiving, reorder, suppliers
from store.catalog import search
from store.common import clock
from store.core.db import database, unit_of_work
from store.core.errors import StoreError
from store.customers import lookup, receivables
from store.models import Product, PurchaseOrder, StockLevel, SupplierBill, User, Warehouse, utcnow
from store.pricing import price_lists
from store.security import auth
from store.security.auth import SessionUser
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput

DEFAULT_DAYS = 60
SELLING_POOL = 240  # the products the history sells: the first ones, some far more than others
SALES_PER_DAY = 14  # per till on a weekday: each goes through post_sale (~15 ms with its seal)
# Which demo supplier sells each category.
CATEGORY_SUPPLIER = {"DRINK": "S003", "SNACK": "S002", "GRAIN": "S005", "HOME": "S006",
                     "FRESH": "S004", "SEASON": "S001", "DAIRY": "S007", "ALCOHOL": "S008",
                     "CARE": "S006", "FROZEN": "S001"}
LANDLORD = "S009"
TENDERS = (("WECHAT", 45), ("ALIPAY", 28), ("CASH", 20), ("CARD", 7))
# Shoppers by hour (8:00–21:00): a lunch peak and an evening peak.
HOURS = {8: 3, 9: 4, 10: 4, 11: 7, 12: 9, 13: 6, 14: 4, 15: 4, 16: 5, 17: 8, 18: 10, 19: 9,
         20: 6, 21: 3}

Progress = Callable[[str, int, int], None]


class _Shop:
    """Who works, and what sells, in the demo's past."""

    def __init__(self, rng: random.Random, pool: int) -> None:
        self.rng = rng
        self.cashier = _user("cashier")
        self.manager = _user("manager")
        self.keeper = _user("keeper")
        self.accounts = _user("accounts")
        store = Warehouse.get(Warehouse.code == "STORE").id
        ids = [r.product_id for r in StockLevel.select(StockLevel.product)
               .join(Product).where((StockLevel.warehouse == store) & (StockLevel.on_hand > 0)
                                    & (Product.sold_by_weight == False))  # noqa: E712
               .order_by(StockLevel.product).limit(pool)]
        self.products = [p for p in Product.select().where(Product.id.in_(ids))
                         .order_by(Product.id)]
        # A few products sell far more than the rest, as in any shop.
        self.weights = [1.0 / (1 + i * 0.05) for i in range(len(self.products))]
        self.recent: list[str] = []


def _user(name: str) -> SessionUser:
    return auth.get_user_by_id(User.get(User.username == name).id)


@unit_of_work
def _supplier_products(shop: _Shop) -> None:
    """Each sold product comes from its category's supplier, in cases of 6, 12 or 24."""
    for p in shop.products:
        code = CATEGORY_SUPPLIER.get(p.category.code if p.category else "", "S001")
        suppliers.set_product(shop.manager, code, p.sku, supplier_sku=f"{code}-{p.id:05d}",
                              price=p.cost, pack_qty=Decimal(shop.rng.choice((6, 12, 24))),
                              preferred=True)


def _sale_times(rng: random.Random, day: dt.date, n: int) -> list[dt.datetime]:
    hours = rng.choices(list(HOURS), weights=list(HOURS.values()), k=n)
    times = [clock.local_moment(day, dt.time(h, rng.randrange(60), rng.randrange(60)))
             for h in hours]
    return sorted(times)


def _pay(rng: random.Random, total: Decimal) -> list[PaymentInput]:
    tender = rng.choices([t for t, _w in TENDERS], weights=[w for _t, w in TENDERS])[0]
    if tender == "CASH":
        # What a customer hands over: the next 10 or 50 or 100 元 above the total.
        step = Decimal(rng.choice((10, 50, 100)))
        given = (total / step).to_integral_value(ROUND_CEILING) * step
        return [PaymentInput("CASH", max(given, step))]
    ref = f"{rng.getrandbits(40):012d}" if tender in ("WECHAT", "ALIPAY") else ""
    if tender == "CARD":
        ref = f"{rng.randrange(10000):04d}"
    return [PaymentInput(tender, total, ref)]


def _sell(shop: _Shop, terminal: str, at: dt.datetime) -> None:
    rng = shop.rng
    b = Basket()
    for product in rng.choices(shop.products, weights=shop.weights, k=rng.choice((1, 1, 2, 2,
                                                                                  3, 4, 6))):
        hit = search.lookup_code(product.sku)
        if hit is not None:
            b.add(hit, Decimal(rng.choice((1, 1, 1, 2, 3))))
    if not b.lines:
        return
    if rng.random() < 0.04:
        b.discount_line(0, percent=Decimal(rng.choice((5, 10))), reason="临期")
    with clock.at(at):
        view = sales.post_sale(b, _pay(rng, b.total), terminal=terminal,
                               cashier_id=shop.cashier.id)
    shop.recent.append(view.number)


TRADE_CUSTOMERS = tuple(f"M{i:06d}" for i in range(10, 61, 10))  # the demo's trade buyers


def _trade_on_account(shop: _Shop, at: dt.datetime) -> None:
    """A corner shop nearby buys a few cases on account, at its trade price list."""
    rng = shop.rng
    customer = lookup.find(rng.choice(TRADE_CUSTOMERS))[0]
    b = Basket()
    b.attach(customer, price_lists.rules_for(lookup.price_list_of(customer.id)))
    for product in rng.sample(shop.products[:40], 3):
        hit = search.lookup_code(product.sku)
        if hit is not None:
            b.add(hit, Decimal(rng.choice((6, 12, 24))))
    with clock.at(at):
        sales.post_sale(b, [PaymentInput("ACCOUNT", b.total)], terminal="T2",
                        cashier_id=shop.manager.id)


def _trade_pays(shop: _Shop, day: dt.date) -> None:
    """Fridays: the trade customers pay what has fallen due, by bank transfer."""
    with clock.at(clock.local_moment(day, dt.time(16, 30))):
        for row in receivables.accounts(day):
            if row.overdue > 0:
                receivables.receive_payment(shop.accounts, row.code, row.overdue,
                                            account=ledger.BANK, day=day, reference="转账")


def _give_back(shop: _Shop, at: dt.datetime) -> None:
    """A customer brings one item back from a sale of the last days, for their money."""
    number = shop.rng.choice(shop.recent[-60:])
    receipt = returns.returnable(number)
    line = next((ln for ln in receipt.lines if ln.remaining > 0), None)
    if line is None:
        return
    b = Basket()
    returns.add_return(b, receipt, line.line_id, Decimal(1))
    refund = [PaymentInput(tender, -min(-b.total, amount)) for tender, amount in
              list(receipt.paid.items())[:1]]
    # A savepoint: a refund the rules refuse must leave nothing of itself in the day's
    # transaction.
    with clock.at(at), contextlib.suppress(StoreError), database.obj.atomic():
        sales.post_sale(b, refund, terminal="T1", cashier_id=shop.manager.id)


def _close_shifts(shop: _Shop, at: dt.datetime) -> None:
    with clock.at(at):
        for terminal in ("T1", "T2"):
            shift = sales.current_shift(terminal)
            if shift is None:
                continue
            expected = sales.shift_totals(shift.id).expected_cash
            off = Decimal(shop.rng.choice((0, 0, 0, 0, 0, 0, 0, 0, "0.5", "-0.5", "-1")))
            sales.close_shift(terminal, shop.manager, expected + off)


def _buy(shop: _Shop, day: dt.date, until: dt.datetime | None) -> None:
    """Mondays: order what the suggestions say; goods come after the lead time; the bill a few
    days later; bills are paid on their due date. Nothing after `until` (today's now)."""
    rng = shop.rng

    def by(hour: int, minute: int = 0) -> bool:
        return until is None or clock.local_moment(day, dt.time(hour, minute)) <= until

    if day.weekday() == 0 and by(7, 30):
        with clock.at(clock.local_moment(day, dt.time(7, 30))):
            picked = [s for s in reorder.suggestions(warehouse_code="STORE") if s.supplier_code]
            for order in reorder.draft_orders(shop.manager, picked):
                purchasing.send_order(shop.manager, order.number)
    for po in PurchaseOrder.select().where((PurchaseOrder.status == "ordered")
                                           & PurchaseOrder.ordered_at.is_null(False)):
        sent = po.ordered_at
        assert sent is not None
        arrives = clock.local_date(sent) + dt.timedelta(days=po.supplier.lead_time_days)
        if arrives == day and by(7, 45):
            _receive(shop, po.number, clock.local_moment(day, dt.time(7, 45)))
    if day.weekday() == 0 and by(10):  # Mondays: takings to the bank
        _bank_the_takings(shop, day)
    if day.weekday() == 2 and by(9):  # Wednesdays: what is still missing will not come
        with clock.at(clock.local_moment(day, dt.time(9, 0))):
            for po in PurchaseOrder.select().where(PurchaseOrder.status == "partial"):
                purchasing.short_close(shop.manager, po.number, "余货不再到")
    if day.weekday() == 3 and by(10):  # Thursdays: the week's bills come in
        with clock.at(clock.local_moment(day, dt.time(10, 0))):
            for code in sorted(set(CATEGORY_SUPPLIER.values())):
                lines = [payables.BillLineInput(
                    u.receipt_line_id, None,
                    (u.unit_cost * Decimal("1.02")).quantize(Decimal("0.0001"))
                    if rng.random() < 0.1 else None)
                    for u in payables.unbilled(code)]
                if lines:
                    payables.post_bill(shop.accounts, code, f"FP{day:%y%m%d}{code[-2:]}", lines)
    if day.day == 1 and by(9):
        with clock.at(clock.local_moment(day, dt.time(9, 0))):
            payables.post_bill(shop.accounts, LANDLORD, f"RENT-{day:%Y%m}", [
                payables.BillLineInput(account="6602", amount="6000", description="店铺租金"),
                payables.BillLineInput(account="6601",
                                       amount=f"{rng.randrange(900, 1400)}.00",
                                       description="电费")], due_date=day + dt.timedelta(days=5))
    if not by(16):
        return
    with clock.at(clock.local_moment(day, dt.time(16, 0))):
        due = (SupplierBill.select().where((SupplierBill.due_date <= day)
                                           & (SupplierBill.paid < SupplierBill.total)))
        for bill in due:
            payables.pay(shop.accounts, bill.supplier.code, bill.total - bill.paid,
                         bills=[bill.number], reference=f"网银{rng.randrange(10**6):06d}")


def _bank_the_takings(shop: _Shop, day: dt.date) -> None:
    """The owner takes the week's cash (less a float) to the bank, and WeChat/Alipay settle
    their balances to the bank account: a manual entry, as the accountant would post it."""
    cash = ledger.balance(ledger.CASH) - Decimal(2000)
    mobile = ledger.balance(ledger.OTHER_FUNDS)
    lines = [ledger.ManualLine(account, credit=amount) for account, amount in
             ((ledger.CASH, cash), (ledger.OTHER_FUNDS, mobile)) if amount > 0]
    if lines:
        total = sum((Decimal(str(ln.credit)) for ln in lines), Decimal(0))
        with clock.at(clock.local_moment(day, dt.time(10, 0))):
            ledger.post_manual(shop.accounts, day, "现金及微信/支付宝存入银行",
                               [ledger.ManualLine(ledger.BANK, debit=total), *lines])


def _receive(shop: _Shop, number: str, at: dt.datetime) -> None:
    with clock.at(at):
        r = receiving.start(shop.keeper, order_number=number)
        for line in purchasing.get_order(number).lines:
            short = line.qty if shop.rng.random() > 0.08 else line.qty - 1
            if short > 0:
                receiving.set_line(shop.keeper, r.number, line.sku, short)
        receiving.post(shop.keeper, r.number)


@unit_of_work
def _day(shop: _Shop, day: dt.date, until: dt.datetime | None) -> None:
    rng = shop.rng
    weekend = day.weekday() >= 5
    _buy(shop, day, until)
    opening = clock.local_moment(day, dt.time(7, 55))
    if until is not None and until < opening:
        return  # today, before the shop opens
    with clock.at(opening):
        for terminal in ("T1", "T2"):
            if sales.current_shift(terminal) is None:
                sales.open_shift(terminal, shop.cashier.id, "500")
    for terminal, share in (("T1", 1.0), ("T2", 0.7)):
        n = int(SALES_PER_DAY * share * (1.35 if weekend else 1.0) * rng.uniform(0.85, 1.15))
        for at in _sale_times(rng, day, n):
            if until is not None and at > until:
                break
            _sell(shop, terminal, at)
    at = clock.local_moment(day, dt.time(15, 20))
    if rng.random() < 0.5 and (until is None or at <= until):
        _trade_on_account(shop, at)
    if day.weekday() == 4 and (until is None or clock.local_moment(day, dt.time(16, 30))
                               <= until):
        _trade_pays(shop, day)
    if rng.random() < 0.5 and shop.recent:
        at = clock.local_moment(day, dt.time(19, 30))
        if until is None or at <= until:
            _give_back(shop, at)
    if until is None:
        _close_shifts(shop, clock.local_moment(day, dt.time(21, 55)))


def build_history(days: int = DEFAULT_DAYS, *, seed: int = 20261126, pool: int = SELLING_POOL,
                  progress: Progress | None = None) -> None:
    """`days` finished days before today and today until now."""
    rng = random.Random(seed)
    shop = _Shop(rng, pool)
    _supplier_products(shop)
    today = clock.local_today()
    now = clock.to_local(utcnow())
    for i in range(days, -1, -1):
        day = today - dt.timedelta(days=i)
        until = clock.local_moment(day, now.time()) if i == 0 else None
        _day(shop, day, until)
        if progress is not None:
            progress("history", days - i + 1, days + 1)
