"""Sales and stock reports, every total summed in SQL: the day's figures, sales grouped by day,
hour, product, category, cashier, terminal, tender or channel, gross margin, tax by rate and
the inventory valuation.

Figures come from the sales journal (sale lines, payments), never from the ledger, so they can
be checked against it: net sales less tax is the revenue account, cost is cost of goods sold.
Amounts on lines include tax (Chinese retail prices do); "net" means after discounts and
returns, "revenue" means net without tax."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from store.books import ledger
from store.common import clock
from store.core.fields import from_scaled
from store.core.i18n import N_, _, channel_label
from store.core.money import ZERO, round_money
from store.core.reader import from_replica
from store.models import (
    Category,
    Payment,
    Product,
    ProductTemplate,
    Receivable,
    Sale,
    SaleLine,
    SalesOrder,
    Shop,
    StockValue,
    TenderType,
    Terminal,
    User,
    Warehouse,
    utcnow,
)
from store.security import scope
from store.security.auth import SessionUser
from store.shops import branches
from store.stock import expiry, inventory

DIMENSIONS = {
    "day": N_("Day"), "hour": N_("Hour"), "product": N_("Product"), "category": N_("Category"),
    "template": N_("Style"),  # variants added up per template; other products on their own
    "cashier": N_("Cashier"), "terminal": N_("Terminal"), "tender": N_("Tender"),
    "channel": N_("Channel"), "shop": N_("Shop"),
}


def _m(raw: Any) -> Decimal:
    return from_scaled(SaleLine.amount, raw)


def _q(raw: Any) -> Decimal:
    return from_scaled(SaleLine.qty, raw)


def _sum(expr: Any) -> Any:
    return fn.COALESCE(fn.SUM(expr), 0)


def _if(cond: Any, value: Any) -> Any:
    return Case(None, [(cond, value)], 0)


def margin_pct(margin: Decimal, revenue: Decimal) -> Decimal | None:
    return (margin * 100 / revenue).quantize(Decimal("0.1")) if revenue else None


@dataclass(frozen=True)
class Figures:
    """What a set of sale lines adds up to."""

    gross: Decimal = ZERO  # qty × price before discounts, goods sold only
    discounts: Decimal = ZERO
    returns: Decimal = ZERO  # refunded for goods back (a positive number)
    net: Decimal = ZERO  # gross − discounts − returns, tax included
    tax: Decimal = ZERO
    cost: Decimal = ZERO
    items: Decimal = ZERO  # units sold (net of none: returns are in `returned`)
    returned: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        return self.net - self.tax

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        return margin_pct(self.margin, self.revenue)


def _figures_columns() -> list[Any]:
    sold = SaleLine.qty > 0
    return [_sum(_if(sold, SaleLine.amount + SaleLine.discount)),
            _sum(_if(sold, SaleLine.discount)),
            _sum(_if(~sold, 0 - SaleLine.amount)),
            _sum(SaleLine.amount), _sum(SaleLine.tax), _sum(SaleLine.cost),
            _sum(_if(sold, SaleLine.qty)), _sum(_if(~sold, 0 - SaleLine.qty))]


def _figures(raw: tuple[Any, ...]) -> Figures:
    gross, discounts, returns, net, tax, cost, items, returned = raw
    return Figures(_m(gross), _m(discounts), _m(returns), _m(net), _m(tax), _m(cost),
                   _q(items), _q(returned))


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class DailyReport:
    date: dt.date
    sales: int  # receipts that sold (returns and exchanges are counted apart)
    return_receipts: int
    figures: Figures
    rounding: Decimal
    by_tender: list[Share]
    by_terminal: list[Share]
    # Sales orders (phone, trade, online) invoiced in the period, per channel: their revenue
    # is in the ledger from the invoice, apart from the till's receipts above.
    orders_invoiced: list[Share] = field(default_factory=list)

    @property
    def average_basket(self) -> Decimal:
        return round_money(self.figures.net / self.sales) if self.sales else ZERO


def daily(day: dt.date, *, until: dt.datetime | None = None, shop: str = "",
          viewer: SessionUser | None = None) -> DailyReport:
    """Everything one shop day took (up to `until`, naive UTC, when given), as `zhanggui
    report daily` prints it; of one shop of a chain (`shop`, its code) or of all — for a
    `viewer` who works for some shops only, of theirs only (another is refused)."""
    return period(day, day, until=until, shop=shop, viewer=viewer)


def shops_seen(shop: str, viewer: SessionUser | None) -> frozenset[int] | None:
    """The shops a report covers: `shop` (a code) or all (None), narrowed to the viewer's."""
    wanted = branches.get_shop(shop).id if shop else None  # NotFound names it
    mine = scope.shops_of(viewer.id) if viewer is not None else None
    if mine is None:
        return frozenset({wanted}) if wanted is not None else None
    if wanted is not None and viewer is not None:
        scope.check_shop(viewer, wanted, doing="report")
        return frozenset({wanted})
    return mine


def _tills_of(shops: frozenset[int]) -> Any:
    """The tills of those shops (by their warehouses), as a subquery of their codes."""
    return (Terminal.select(Terminal.code).join(Warehouse)
            .where(Warehouse.shop.in_(list(shops))))


def _scoped(where: Any, shops: frozenset[int] | None) -> Any:
    return where if shops is None else where & Sale.terminal.in_(_tills_of(shops))


@from_replica
def period(start: dt.date, end: dt.date, *, until: dt.datetime | None = None,
           shop: str = "", viewer: SessionUser | None = None) -> DailyReport:
    shops = shops_seen(shop, viewer)
    in_days = (Sale.day >= start) & (Sale.day <= end)
    if until is not None:
        in_days &= Sale.created_at < until
    in_days = _scoped(in_days, shops)
    raw: Any = (SaleLine.select(*_figures_columns()).join(Sale).where(in_days).tuples().get())
    counts: Any = (Sale.select(_sum(_if(Sale.original.is_null(), 1)),
                               _sum(_if(Sale.original.is_null(False), 1)),
                               _sum(Sale.rounding))
                   .where(in_days).tuples().get())
    return DailyReport(start, int(counts[0]), int(counts[1]), _figures(raw),
                       from_scaled(Sale.rounding, counts[2]),
                       tender_totals(start, end, until, shops=shops),
                       _terminal_totals(in_days), invoiced_orders(start, end, shops=shops))


def invoiced_orders(start: dt.date, end: dt.date, *, shops: frozenset[int] | None = None
                    ) -> list[Share]:
    """Sales orders invoiced from `start` to `end` (shipping included), per channel: one
    receivable per invoice, summed in SQL; of those shops' warehouses when given."""
    where = (Receivable.date >= start) & (Receivable.date <= end)
    if shops is not None:
        where &= SalesOrder.warehouse.in_(Warehouse.select(Warehouse.id).where(
            Warehouse.shop.in_(list(shops))))
    rows: Any = (Receivable.select(SalesOrder.channel, fn.COUNT(Receivable.id),
                                   _sum(Receivable.amount))
                 .join(SalesOrder, on=(Receivable.order == SalesOrder.id))
                 .where(where)
                 .group_by(SalesOrder.channel).order_by(SalesOrder.channel).tuples())
    return [Share(channel, channel_label(channel), int(n), _m(amount))
            for channel, n, amount in rows]


def tender_totals(start: dt.date, end: dt.date, until: dt.datetime | None = None, *,
                  shops: frozenset[int] | None = None) -> list[Share]:
    """What each tender took; cash net of the change given."""
    in_days = (Sale.day >= start) & (Sale.day <= end)
    if until is not None:
        in_days &= Sale.created_at < until
    in_days = _scoped(in_days, shops)
    rows: Any = (Payment.select(TenderType.code, TenderType.name, TenderType.name_en,
                                TenderType.kind, fn.COUNT(fn.DISTINCT(Payment.sale)),
                                _sum(Payment.amount))
                 .join(TenderType).switch(Payment).join(Sale).where(in_days)
                 .group_by(TenderType.code, TenderType.name, TenderType.name_en,
                           TenderType.kind, TenderType.sort_order)
                 .order_by(TenderType.sort_order).tuples())
    change = from_scaled(Sale.change, Sale.select(_sum(Sale.change)).where(in_days).scalar())
    en = _english()
    out = []
    for code, name, name_en, kind, count, amount in rows:
        kept = from_scaled(Payment.amount, amount) - (change if kind == "cash" else ZERO)
        out.append(Share(code, name_en if en and name_en else name, int(count), kept))
    return out


def _terminal_totals(where: Any) -> list[Share]:
    rows: Any = (Sale.select(Sale.terminal, fn.COALESCE(Terminal.name, Sale.terminal),
                             fn.COUNT(Sale.id), _sum(Sale.total))
                 .join(Terminal, JOIN.LEFT_OUTER, on=(Terminal.code == Sale.terminal))
                 .where(where).group_by(Sale.terminal, Terminal.name).order_by(Sale.terminal)
                 .tuples())
    return [Share(code, name, int(n), from_scaled(Sale.total, total))
            for code, name, n, total in rows]


def _english() -> bool:
    from store.core.i18n import current_language

    return current_language() == "en"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    sales: int
    figures: Figures = field(default_factory=Figures)


@from_replica
def sales_by(dimension: str, start: dt.date, end: dt.date, *, limit: int = 1000,
             shop: str = "", viewer: SessionUser | None = None) -> list[Row]:
    """Sales from `start` to `end` (both included) grouped by one dimension, biggest first
    (by day and hour: in order); of one shop or all, a viewer's shops only."""
    shops = shops_seen(shop, viewer)
    if dimension not in DIMENSIONS:
        from store.core.errors import ValidationError

        raise ValidationError(_("report: '{value}' is not one of {names}").format(
            value=dimension, names=", ".join(DIMENSIONS)), field="by", value=dimension)
    if dimension == "tender":
        return [Row(s.key, s.label, s.count, Figures(net=s.amount))
                for s in tender_totals(start, end, shops=shops)]
    en = _english()
    # Grouped by plain columns (a label is chosen here between its Chinese and English
    # names): PostgreSQL binds literals as parameters, and an expression with one in SELECT
    # never matches the same expression in GROUP BY.
    keys: list[Any]
    q: Any = SaleLine.select().join(Sale)
    if dimension == "day":
        keys = [Sale.day]
    elif dimension == "hour":
        keys = [Sale.hour]
    elif dimension == "product":
        keys = [Product.sku, Product.name, Product.name_en]
        q = q.switch(SaleLine).join(Product)
    elif dimension == "template":  # a variant counts for its template, a product for itself
        keys = [fn.COALESCE(ProductTemplate.code, Product.sku),
                fn.COALESCE(ProductTemplate.name, Product.name),
                fn.COALESCE(ProductTemplate.name_en, Product.name_en)]
        q = (q.switch(SaleLine).join(Product)
             .join(ProductTemplate, JOIN.LEFT_OUTER, on=(Product.template == ProductTemplate.id)))
    elif dimension == "category":  # products without one group under NULL, shown as ""
        keys = [Category.code, Category.name, Category.name_en]
        q = q.switch(SaleLine).join(Product).join(Category, JOIN.LEFT_OUTER)
    elif dimension == "cashier":
        keys = [User.username, User.display_name, User.display_name]
        q = q.switch(Sale).join(User, on=(Sale.cashier == User.id))
    elif dimension == "terminal":
        keys = [Sale.terminal]
    elif dimension == "shop":  # by the till's warehouse's shop; a till since removed: ""
        keys = [Shop.code, Shop.name, Shop.name_en]
        q = (q.switch(Sale).join(Terminal, JOIN.LEFT_OUTER, on=(Terminal.code == Sale.terminal))
             .join(Warehouse, JOIN.LEFT_OUTER, on=(Terminal.warehouse == Warehouse.id))
             .join(Shop, JOIN.LEFT_OUTER, on=(Warehouse.shop == Shop.id)))
    else:
        keys = [Sale.channel]
    cols = [*keys, fn.COUNT(fn.DISTINCT(Sale.id)), *_figures_columns()]
    q = (q.select(*cols).where(_scoped((Sale.day >= start) & (Sale.day <= end), shops))
         .group_by(*{id(k): k for k in keys}.values()))
    if dimension in ("day", "hour"):
        q = q.order_by(keys[0])
    else:
        q = q.order_by(_sum(SaleLine.amount).desc(), keys[0])
    n = len(keys)
    out = []
    for row in q.limit(limit).tuples():
        key, label = row[0], ""
        if n == 3:
            label = (row[2] if en and row[2] else row[1]) or ""
        if dimension == "day":
            key = key.isoformat() if isinstance(key, dt.date) else str(key)
        elif dimension == "hour":
            label = f"{int(key):02d}:00"
            key = str(int(key))
        elif dimension == "channel":
            label = channel_label(str(key or ""))
        out.append(Row(str(key or ""), str(label or key or ""), int(row[n]),
                       _figures(row[n + 1:])))
    return out


@dataclass(frozen=True)
class TaxRow:
    rate_pct: Decimal
    net: Decimal  # without tax
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@from_replica
def tax_summary(start: dt.date, end: dt.date) -> list[TaxRow]:
    """Output VAT by rate: what the sales (less returns) carried."""
    rows: Any = (SaleLine.select(SaleLine.tax_rate_bp, _sum(SaleLine.amount), _sum(SaleLine.tax))
                 .join(Sale).where((Sale.day >= start) & (Sale.day <= end))
                 .group_by(SaleLine.tax_rate_bp).order_by(SaleLine.tax_rate_bp.desc()).tuples())
    return [TaxRow(Decimal(bp).scaleb(-2), _m(amount) - _m(tax), _m(tax))
            for bp, amount, tax in rows]


@dataclass(frozen=True)
class ValuationRow:
    sku: str
    name: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal


@from_replica
def valuation(*, limit: int | None = None) -> tuple[list[ValuationRow], Decimal]:
    """Stock on hand at its moving average, product by product, and the total (which is the
    inventory account's balance)."""
    en = _english()
    # The English name where the product has one: many have only the Chinese.
    name = fn.COALESCE(fn.NULLIF(Product.name_en, ""), Product.name) if en else Product.name
    q: Any = (StockValue.select(Product.sku, name,
                                StockValue.qty, StockValue.unit_cost, StockValue.value)
              .join(Product).where((StockValue.qty != 0) | (StockValue.value != 0))
              .order_by(StockValue.value.desc(), Product.sku))
    if limit is not None:
        q = q.limit(limit)
    rows = [ValuationRow(s, n, qty, c, v) for s, n, qty, c, v in q.tuples()]
    total = from_scaled(StockValue.value,
                        StockValue.select(_sum(StockValue.value)).scalar())
    return rows, total


# -- the owner's dashboard ---------------------------------------------------------------

@dataclass(frozen=True)
class Dashboard:
    today: DailyReport
    last_week: DailyReport  # the same weekday a week ago, up to the same time of day
    by_hour: list[Decimal]  # 24 net amounts
    low_stock: int
    open_shifts: list[str]  # terminal codes
    over_short: Decimal  # counted − expected cash of today's closed shifts
    expiring: int = 0  # lots expiring within the warning days, or expired (store.stock.expiry)


@from_replica
def dashboard(day: dt.date | None = None, *, shop: str = "",
              viewer: SessionUser | None = None) -> Dashboard:
    """Today's figures against last week's, of one shop or all; for a viewer who works for
    some shops only, of theirs only — the sales, the low stock of their warehouses, their
    tills' open shifts and their drawers' over/short."""
    from store.models import Shift

    shops = shops_seen(shop, viewer)
    today = day or clock.local_today()
    hours = [ZERO] * 24
    for row in sales_by("hour", today, today, shop=shop, viewer=viewer):
        hours[int(row.key)] = row.figures.net

    def tills(where: Any) -> Any:  # at the tills of the shops seen
        return where if shops is None else where & Shift.terminal.in_(_tills_of(shops))

    open_shifts = [s.terminal for s in Shift.select(Shift.terminal)
                   .where(tills(Shift.status == "open")).order_by(Shift.terminal)]
    start, end = clock.day_bounds(today)
    closed: Any = (Shift.select(_sum(Shift.counted_cash - Shift.expected_cash))
                   .where(tills((Shift.closed_at >= start) & (Shift.closed_at < end))).scalar())
    # Today so far against last week's day so far: at 10:00 a morning is compared with a
    # morning, not with a whole day.
    week_ago = utcnow() - dt.timedelta(days=7) if day is None else None
    return Dashboard(daily(today, shop=shop, viewer=viewer),
                     daily(today - dt.timedelta(days=7), until=week_ago, shop=shop,
                           viewer=viewer), hours,
                     inventory.alert_count(shops=shops), open_shifts,
                     from_scaled(Shift.counted_cash, closed), expiry.expiring_count(shops=shops))


# -- financial statements ----------------------------------------------------------------

@dataclass(frozen=True)
class StatementRow:
    code: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ProfitAndLoss:
    start: dt.date
    end: dt.date
    income: list[StatementRow]
    expenses: list[StatementRow]

    @property
    def total_income(self) -> Decimal:
        return sum((r.amount for r in self.income), ZERO)

    @property
    def total_expenses(self) -> Decimal:
        return sum((r.amount for r in self.expenses), ZERO)

    @property
    def revenue(self) -> Decimal:
        return sum((r.amount for r in self.income if r.code.startswith(ledger.REVENUE)), ZERO)

    @property
    def cost_of_sales(self) -> Decimal:
        return sum((r.amount for r in self.expenses if r.code.startswith(ledger.COGS)), ZERO)

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue - self.cost_of_sales

    @property
    def net_profit(self) -> Decimal:
        return self.total_income - self.total_expenses


def _name(row: ledger.BalanceRow) -> str:
    return row.name_en if _english() and row.name_en else row.name


@from_replica
def pnl(start: dt.date, end: dt.date) -> ProfitAndLoss:
    """Profit and loss from the ledger: income (credit − debit) and expenses (debit − credit)
    of the period, from the daily balances."""
    income, expenses = [], []
    for r in ledger.period_balances(start, end):
        if r.kind == "income" and r.balance:
            income.append(StatementRow(r.code, _name(r), -r.balance))
        elif r.kind == "expense" and r.balance:
            expenses.append(StatementRow(r.code, _name(r), r.balance))
    return ProfitAndLoss(start, end, income, expenses)


@dataclass(frozen=True)
class BalanceSheet:
    as_of: dt.date
    assets: list[StatementRow]
    liabilities: list[StatementRow]
    equity: list[StatementRow]  # with the profit not yet closed to equity

    @property
    def total_assets(self) -> Decimal:
        return sum((r.amount for r in self.assets), ZERO)

    @property
    def total_liabilities(self) -> Decimal:
        return sum((r.amount for r in self.liabilities), ZERO)

    @property
    def total_equity(self) -> Decimal:
        return sum((r.amount for r in self.equity), ZERO)

    @property
    def balances(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity


@from_replica
def balance_sheet(as_of: dt.date) -> BalanceSheet:
    assets, liabilities, equity = [], [], []
    earnings = ZERO
    for r in ledger.trial_balance(as_of):
        if r.kind == "asset" and r.balance:
            assets.append(StatementRow(r.code, _name(r), r.balance))
        elif r.kind == "liability" and r.balance:
            liabilities.append(StatementRow(r.code, _name(r), -r.balance))
        elif r.kind == "equity" and r.balance:
            equity.append(StatementRow(r.code, _name(r), -r.balance))
        elif r.kind in ("income", "expense"):
            earnings -= r.balance
    if earnings:
        equity.append(StatementRow("", _("Profit not yet closed"), earnings))
    return BalanceSheet(as_of, assets, liabilities, equity)
