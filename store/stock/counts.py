"""Stock counts: counters scan blind, several at once; a supervisor reviews the variances in
quantity and value, approves, and the posting adjusts stock and the books.

The rule that keeps sales during a count from turning into false variances: each line keeps
the book quantity at the moment it was first scanned (or recounted) as `expected`, and the
posting adjusts stock by counted − expected. A sale after the scan has already taken its unit
off the book, so it is neither counted twice nor reported as shrinkage. Count each product in
one go (all its shelves), or recount it: units sold between two scans of the same product
would otherwise show as a gain.

A product that tracks lots can be counted lot by lot: a GS1-128 label scanned while counting
counts its lot too (CountLot), and the posting sets each lot to what was found (lots.counted);
what was counted without a label is of no known lot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from peewee import EXCLUDED, fn

from store.books import ledger
from store.books.ledger import Posting
from store.catalog import search
from store.catalog.products import get_product
from store.common.numbering import document_number
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_qty, round_money
from store.models import (
    Category,
    CountLot,
    Product,
    StockCount,
    StockCountLine,
    StockLevel,
    StockValue,
    Warehouse,
    utcnow,
)
from store.security import permissions, scope
from store.security.auth import SessionUser
from store.stock import costing, lots, scans


@dataclass(frozen=True)
class CountedLine:
    """What a counter sees: no expected quantity (blind)."""

    sku: str
    name: str
    counted: Decimal | None
    lots: tuple[tuple[str, Decimal], ...] = ()  # of `counted`, by a label's lot

    @property
    def lots_text(self) -> str:
        """"L1 ×6 · L2 ×4" for the counter's list."""
        return " · ".join(f"{n} ×{format_qty(q)}" for n, q in self.lots)


@dataclass(frozen=True)
class VarianceLine:
    sku: str
    name: str
    expected: Decimal
    counted: Decimal | None  # None: in scope, not counted
    unit_cost: Decimal

    @property
    def variance(self) -> Decimal:
        return (self.counted if self.counted is not None else self.expected) - self.expected

    @property
    def value(self) -> Decimal:
        return round_money(self.variance * self.unit_cost)


@dataclass(frozen=True)
class CountInfo:
    number: str
    warehouse: str
    scope: str
    category: str
    status: str


def _count(number: str, status: str | None = "open") -> StockCount:
    row = StockCount.get_or_none(StockCount.number == number.strip())
    if row is None:
        raise NotFound(_("No stock count '{number}'").format(number=number))
    if status is not None and row.status != status:
        raise StoreError(_("Stock count {number} is {status}").format(number=row.number,
                                                                       status=_(row.status)))
    return row


def _categories(root: int) -> set[int]:
    """A category and all below it."""
    found, frontier = {root}, [root]
    while frontier:
        children = [c.id for c in Category.select(Category.id)
                    .where(Category.parent.in_(frontier))]
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


@unit_of_work
def start(user: SessionUser, warehouse_code: str, *, category_code: str = "",
          skus: Sequence[str] = ()) -> CountInfo:
    """A count of a whole warehouse, one category (with its subcategories) or a list of
    products (given by SKU or barcode)."""
    permissions.check(user, "count")
    warehouse = Warehouse.get_or_none(Warehouse.code == warehouse_code.strip())
    if warehouse is None:
        raise NotFound(_("No warehouse '{code}'").format(code=warehouse_code))
    scope.check_warehouse(user, warehouse.id, doing="count")
    category = None
    if category_code:
        category = Category.get_or_none(Category.code == category_code.strip())
        if category is None:
            raise NotFound(_("No category '{code}'").format(code=category_code))
    kind = "products" if skus else ("category" if category else "all")
    count = StockCount.create(number=document_number("SC", "stock_count"), warehouse=warehouse,
                              scope=kind, category=category, created_by=user.id)
    for i, code in enumerate(skus, start=1):
        hit = search.lookup_code(code)  # an SKU, or any of the product's barcodes
        if hit is None:
            raise ValidationError(_("Line {n}: no product with SKU or barcode '{code}'").format(
                n=i, code=code.strip()), field="sku", value=code, row=i)
        StockCountLine.insert(count=count.id, product=hit.id).on_conflict_ignore().execute()
    return info(count.number)


def info(number: str) -> CountInfo:
    c = _count(number, None)
    category = c.category
    return CountInfo(c.number, c.warehouse.code, c.scope,
                     category.code if category is not None else "", c.status)


def _in_scope(count: StockCount, product_id: int) -> bool:
    if count.scope == "all":
        return True
    if count.scope == "products":
        return StockCountLine.select().where((StockCountLine.count == count.id)
                                             & (StockCountLine.product == product_id)).exists()
    category = Product.select(Product.category).where(Product.id == product_id).scalar()
    root = count.category_id
    return category is not None and root is not None and category in _categories(root)


def _book(product_id: int, warehouse_id: int) -> Decimal:
    row = StockLevel.get_or_none((StockLevel.product == product_id)
                                 & (StockLevel.warehouse == warehouse_id))
    return row.on_hand if row is not None else ZERO


@unit_of_work
def scan(user: SessionUser, number: str, code: str, qty: Decimal | str = Decimal(1)
         ) -> CountedLine:
    """A counter's scan: adds to the product's count (a case barcode counts its pack; a
    GS1-128 label of a product that tracks lots, its lot too)."""
    permissions.check(user, "count", reference=number)
    count = _count(number)
    scope.check_warehouse(user, count.warehouse_id, doing="count")
    q = costing.positive_qty(qty)
    hit, lot = scans.scanned_lot(code)
    if not _in_scope(count, hit.id):
        raise ValidationError(_("{product} is not part of count {number}").format(
            product=f"{hit.sku} {hit.local_name}", number=count.number), field="code", value=code)
    q *= hit.pack_qty
    # Several counters at once: the first scan fixes `expected`, later ones only add.
    (StockCountLine.insert(count=count.id, product=hit.id, counted=q,
                           expected=_book(hit.id, count.warehouse_id), counted_by=user.id,
                           scanned_at=utcnow())
     .on_conflict(conflict_target=[StockCountLine.count, StockCountLine.product],
                  update={StockCountLine.counted: fn.COALESCE(StockCountLine.counted, 0)
                          + EXCLUDED.counted,
                          StockCountLine.expected: fn.COALESCE(StockCountLine.expected,
                                                               EXCLUDED.expected),
                          StockCountLine.scanned_at: fn.COALESCE(StockCountLine.scanned_at,
                                                                 EXCLUDED.scanned_at),
                          StockCountLine.counted_by: fn.COALESCE(StockCountLine.counted_by,
                                                                 EXCLUDED.counted_by_id)})
     .execute())
    if lot is not None and hit.id in lots.tracked_ids():
        _count_lot(count, hit.id, lot, q)
    line = StockCountLine.get((StockCountLine.count == count.id)
                              & (StockCountLine.product == hit.id))
    counted_lots = _lot_parts(count.id, hit.id).get(hit.id, [])
    return CountedLine(hit.sku, hit.local_name, line.counted,
                       tuple((lot.number, q) for lot, q in counted_lots))


def _count_lot(count: StockCount, product_id: int, lot: lots.Lot, qty: Decimal) -> None:
    """`qty` of the line counted in `lot`: a date another label of the lot gave, or the
    stock knows, refuses it (a mistyped date, or another lot under the same number)."""
    here = CountLot.get_or_none((CountLot.count == count.id) & (CountLot.product == product_id)
                                & (CountLot.number == lot.number))
    lots.same_expiry(lot, (here.expires_on if here is not None and here.expires_on
                           else lots.known_expiry(product_id, lot.number)))
    update: dict[object, object] = {CountLot.qty: CountLot.qty + EXCLUDED.qty}
    if lot.expires_on is not None:
        update[CountLot.expires_on] = EXCLUDED.expires_on
    (CountLot.insert(count=count.id, product=product_id, number=lot.number,
                     expires_on=lot.expires_on, qty=qty)
     .on_conflict(conflict_target=[CountLot.count, CountLot.product, CountLot.number],
                  update=update).execute())


def _lot_parts(count_id: int, product_id: int | None = None
               ) -> dict[int, list[tuple[lots.Lot, Decimal]]]:
    """What a count found of each lot, by product (of one product: `product_id`), first to
    expire first."""
    q = CountLot.select().where(CountLot.count == count_id)
    if product_id is not None:
        q = q.where(CountLot.product == product_id)
    parts: dict[int, list[tuple[lots.Lot, Decimal]]] = {}
    for r in q.order_by(CountLot.expires_on.asc(nulls="LAST"), CountLot.number):
        parts.setdefault(r.product_id, []).append((lots.Lot(r.number, r.expires_on), r.qty))
    return parts


@unit_of_work
def recount(user: SessionUser, number: str, sku: str, qty: Decimal | str) -> CountedLine:
    """Count a line again from scratch: the new quantity, against the book as of now."""
    permissions.check(user, "count", reference=number)
    count = _count(number)
    scope.check_warehouse(user, count.warehouse_id, doing="count")
    product = get_product(sku)
    if not _in_scope(count, product.id):
        raise ValidationError(_("{product} is not part of count {number}").format(
            product=f"{product.sku} {product.name}", number=count.number), field="sku",
            value=sku)
    q = costing.line_qty(qty)
    (StockCountLine.insert(count=count.id, product=product.id, counted=q,
                           expected=_book(product.id, count.warehouse_id), counted_by=user.id,
                           scanned_at=utcnow(), recounts=1)
     .on_conflict(conflict_target=[StockCountLine.count, StockCountLine.product],
                  update={StockCountLine.counted: EXCLUDED.counted,
                          StockCountLine.expected: EXCLUDED.expected,
                          StockCountLine.scanned_at: EXCLUDED.scanned_at,
                          StockCountLine.counted_by: EXCLUDED.counted_by_id,
                          StockCountLine.recounts: StockCountLine.recounts + 1})
     .execute())
    # From scratch: its lots too (scan their labels again to count them by lot).
    CountLot.delete().where((CountLot.count == count.id)
                            & (CountLot.product == product.id)).execute()
    return CountedLine(product.sku, product.local_name, q)


def counted(number: str) -> list[CountedLine]:
    """The counter's list: what has been counted so far, never what the book says."""
    count = _count(number, None)
    rows = (StockCountLine.select(StockCountLine, Product).join(Product)
            .where(StockCountLine.count == count.id)
            .order_by(StockCountLine.scanned_at.desc(nulls="LAST"), StockCountLine.id))
    parts = _lot_parts(count.id)
    return [CountedLine(r.product.sku, r.product.local_name, r.counted,
                        tuple((lot.number, q) for lot, q in parts.get(r.product_id, [])))
            for r in rows]


def _uncounted(count: StockCount) -> list[tuple[Product, Decimal]]:
    """Products in scope with stock on the book in this warehouse that nobody counted."""
    counted_ids = StockCountLine.select(StockCountLine.product).where(
        (StockCountLine.count == count.id) & StockCountLine.counted.is_null(False))
    q = (StockLevel.select(StockLevel.on_hand, Product).join(Product)
         .where((StockLevel.warehouse == count.warehouse_id) & (StockLevel.on_hand != 0)
                & Product.id.not_in(counted_ids)))
    if count.scope == "category" and count.category_id is not None:
        q = q.where(Product.category.in_(list(_categories(count.category_id))))
    elif count.scope == "products":
        q = q.where(Product.id.in_(StockCountLine.select(StockCountLine.product)
                                   .where(StockCountLine.count == count.id)))
    return [(r.product, r.on_hand) for r in q.order_by(Product.sku)]


def review(user: SessionUser, number: str) -> list[VarianceLine]:
    """The supervisor's view: expected, counted, variance in quantity and value. Uncounted
    products in scope come last, with counted None."""
    permissions.check(user, "approve_count", reference=number)
    count = _count(number, None)
    scope.check_warehouse(user, count.warehouse_id, doing="count")
    costs: dict[int, Decimal] = dict(StockValue.select(StockValue.product, StockValue.unit_cost)
                                 .tuples())  # type: ignore[arg-type]
    rows = (StockCountLine.select(StockCountLine, Product).join(Product)
            .where((StockCountLine.count == count.id) & StockCountLine.counted.is_null(False))
            .order_by(Product.sku))
    out = [VarianceLine(r.product.sku, r.product.local_name, r.expected or ZERO, r.counted,
                        _cost(costs, r.product)) for r in rows]
    out += [VarianceLine(p.sku, p.local_name, book, None, _cost(costs, p))
            for p, book in _uncounted(count)]
    return out


def _cost(costs: dict[int, Decimal], product: Product) -> Decimal:
    cost = costs.get(product.id)  # a plain column: peewee made it a Decimal already
    return cost if cost is not None else Decimal(product.cost)


@unit_of_work
def post(user: SessionUser, number: str, *, zero_uncounted: bool = False) -> list[VarianceLine]:
    """Approve and post: adjustment moves at the moving average, and one journal entry against
    待处理财产损溢 (inventory gains and losses pending). Uncounted products are left as they are
    unless zero_uncounted, which counts them as none."""
    permissions.check(user, "approve_count", reference=number)
    count = _count(number)
    scope.check_warehouse(user, count.warehouse_id, doing="count")
    done = (StockCount.update(status="posted", approved_by=user.id, posted_at=utcnow())
            .where((StockCount.id == count.id) & (StockCount.status == "open")).execute())
    if not done:
        raise StoreError(_("Stock count {number} is {status}").format(
            number=count.number, status=_(StockCount.get_by_id(count.id).status)))
    adjustments: list[tuple[Product, Decimal]] = []
    for line in (StockCountLine.select(StockCountLine, Product).join(Product)
                 .where((StockCountLine.count == count.id)
                        & StockCountLine.counted.is_null(False)).order_by(Product.id)):
        adjustments.append((line.product, line.counted - (line.expected or ZERO)))
    if zero_uncounted:
        adjustments += [(p, -book) for p, book in _uncounted(count)]
    gain = loss = ZERO
    for product, delta in sorted(adjustments, key=lambda a: a[0].id):
        if delta > 0:
            got = costing.stock_in(product.id, count.warehouse_id, delta, None, reason="count",
                                   reference=count.number, user_id=user.id)
            gain += got.value + got.correction
        elif delta < 0:
            try:
                loss += costing.stock_out(product.id, count.warehouse_id, -delta, reason="count",
                                          reference=count.number, user_id=user.id,
                                          may_go_negative=False)
            except costing.InsufficientStock as exc:
                raise StoreError(_("Posting count {number} would take {product} below zero "
                                   "(sold since it was counted?): recount it").format(
                    number=count.number, product=f"{product.sku} {product.name}")) from exc
    _post_lots(count, user.id)
    net = gain - loss
    if net or gain:
        ledger.post_entry(phrase(N_("Stock count {number}"), number=count.number), count.number,
                          [Posting(ledger.INVENTORY, debit=gain),
                           Posting(ledger.INVENTORY, credit=loss),
                           Posting(ledger.INVENTORY_PENDING, debit=loss),
                           Posting(ledger.INVENTORY_PENDING, credit=gain)],
                          kind="count", user_id=user.id)
    return review(user, number)


def _post_lots(count: StockCount, user_id: int) -> None:
    """Each product counted by lot: its lots as found (after the level's adjustment)."""
    tracked = lots.tracked_ids()
    for product_id, counted in sorted(_lot_parts(count.id).items()):
        if product_id in tracked:  # (tracking may have stopped since the scan)
            lots.counted(product_id, count.warehouse_id, counted, reference=count.number)


@unit_of_work
def cancel(user: SessionUser, number: str) -> None:
    permissions.check(user, "approve_count", reference=number)
    count = _count(number)
    scope.check_warehouse(user, count.warehouse_id, doing="count")
    StockCount.update(status="cancelled").where(StockCount.id == count.id).execute()


def open_counts(viewer: SessionUser | None = None) -> list[CountInfo]:
    """Counts under way (to a user of some shops: in their warehouses)."""
    q = StockCount.select(StockCount.number).where(StockCount.status == "open")
    seen = scope.warehouses_seen(viewer)
    if seen is not None:
        q = q.where(StockCount.warehouse.in_(seen))
    return [info(r.number) for r in q.order_by(StockCount.id)]
