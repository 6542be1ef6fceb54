"""Each warehouse's stock of a lot-tracked product, lot by lot, moved with every stock move.

`costing` calls `follow` for every move it writes, in the same transaction: goods in go into
the lot they came with (a receipt's, a transfer's), goods out come out of the lot asked for
(scanned at the till) and then the first to expire (FEFO). Goods out beyond every lot's
quantity (a till selling below zero) take the unknown lot "" below zero, as the warehouse's
level goes. So for a tracked product Σ lots = the warehouse's level, always.

The value of stock stays one moving average per product (store.stock.costing): a lot says
which goods, not what they cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import EXCLUDED
from stdnum import gs1_128
from stdnum.exceptions import ValidationError as Gs1Error

from store.common.kept import Kept
from store.core import text
from store.core.db import is_postgres
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import ZERO
from store.models import LotMove, Product, StockLot

UNKNOWN = ""  # the lot of stock whose lot nobody knows


@dataclass(frozen=True)
class Lot:
    number: str
    expires_on: dt.date | None = None


def _tracked() -> frozenset[int]:
    ids: Any = Product.select(Product.id).where(Product.tracks_lots == True).tuples()  # noqa: E712
    return frozenset(i for (i,) in ids)


_kept = Kept(_tracked)


def tracked_ids() -> frozenset[int]:
    """The products that track lots (kept for moments: every stock move asks)."""
    return _kept.get()


def forget() -> None:
    """A product's tracking changed here: ask the database again."""
    _kept.forget()


def lot_number(value: str, *, field: str = "lot") -> str:
    """A lot number as typed or read from a label: GS1's (10) holds at most 20 characters."""
    return text.code(value, field=field, longest=20)


Parts = Sequence[tuple[Lot, Decimal]]  # a receipt line's lots and how many of each


def follow(product_id: int, warehouse_id: int, qty: Decimal,
           lot: Lot | Parts | str | None = None, *, reason: str = "",
           reference: str = "") -> list[tuple[str, Decimal]]:
    """The lots a move of `qty` (signed) changes, changed, and recorded as lot moves of the
    document; returns (lot, qty) of each. Goods in may come as parts in several lots (what
    the parts do not cover: the unknown lot)."""
    done = _follow(product_id, warehouse_id, qty, lot)
    record(product_id, warehouse_id, [(n, q if qty > 0 else -q) for n, q in done],
           reason=reason, reference=reference)
    return done


def record(product_id: int, warehouse_id: int, moved: Sequence[tuple[str, Decimal]], *,
           reason: str, reference: str) -> None:
    if moved:
        LotMove.insert_many([{"product": product_id, "warehouse": warehouse_id, "number": n,
                              "qty": q, "reason": reason, "reference": reference[:64]}
                             for n, q in moved if q]).execute()


def _follow(product_id: int, warehouse_id: int, qty: Decimal,
            lot: Lot | Parts | str | None) -> list[tuple[str, Decimal]]:
    if qty > 0:
        if isinstance(lot, Lot | str | None):
            lot = [(lot if isinstance(lot, Lot) else Lot(lot or UNKNOWN), qty)]
        done, left = [], qty
        for part_lot, part in lot:
            put(product_id, warehouse_id, part, part_lot)
            done.append((part_lot.number, part))
            left -= part
        if left > 0:
            put(product_id, warehouse_id, left, Lot(UNKNOWN))
            done.append((UNKNOWN, left))
        return done
    if qty < 0:
        asked = lot.number if isinstance(lot, Lot) else lot if isinstance(lot, str) else None
        return take(product_id, warehouse_id, -qty, asked)
    return []


def put(product_id: int, warehouse_id: int, qty: Decimal, lot: Lot) -> None:
    """`qty` into a lot (made if new). A lot keeps the expiry it first came with: another
    date for the same lot number is refused (a mistyped date, or another lot)."""
    row = StockLot.get_or_none((StockLot.product == product_id)
                               & (StockLot.warehouse == warehouse_id)
                               & (StockLot.number == lot.number))
    same_expiry(lot, row.expires_on if row is not None else None)
    update: dict[Any, Any] = {StockLot.qty: StockLot.qty + EXCLUDED.qty}
    if lot.expires_on is not None:
        update[StockLot.expires_on] = EXCLUDED.expires_on
    (StockLot.insert(product=product_id, warehouse=warehouse_id, number=lot.number,
                     expires_on=lot.expires_on, qty=qty)
     .on_conflict(conflict_target=[StockLot.product, StockLot.warehouse, StockLot.number],
                  update=update).execute())


def same_expiry(lot: Lot, known: dt.date | None) -> None:
    """Refuse a lot arriving with another date than the one it is known by (a mistyped date,
    or another lot under the same number)."""
    if lot.expires_on is not None and known is not None and known != lot.expires_on:
        raise ValidationError(_("Lot {lot} expires on {day}, not {other}").format(
            lot=lot.number, day=known, other=lot.expires_on), field="expires_on",
            value=lot.expires_on)


def take(product_id: int, warehouse_id: int, qty: Decimal, lot: str | None = None
         ) -> list[tuple[str, Decimal]]:
    """`qty` out: of the lot asked for first, then the first to expire (those without a date
    last); beyond them all, the unknown lot goes below zero."""
    q = (StockLot.select().where((StockLot.product == product_id)
                                 & (StockLot.warehouse == warehouse_id) & (StockLot.qty > 0))
         .order_by(StockLot.expires_on.asc(nulls="LAST"), StockLot.number))
    rows = list(q.for_update() if is_postgres() else q)
    rows.sort(key=lambda r: r.number != lot)  # stable: the asked lot first, then FEFO
    taken: list[tuple[str, Decimal]] = []
    left = qty
    for row in rows:
        if not left:
            break
        part = min(left, row.qty)
        StockLot.update(qty=StockLot.qty - part).where(StockLot.id == row.id).execute()
        taken.append((row.number, part))
        left -= part
    if left > 0:
        put(product_id, warehouse_id, -left, Lot(UNKNOWN))
        taken.append((UNKNOWN, left))
    return taken


def back_from(product_id: int, sold_in: str, returns: Sequence[str], qty: Decimal
              ) -> list[tuple[Lot, Decimal]]:
    """The lots goods coming back from sale `sold_in` are of: what that sale took of each,
    less what its earlier `returns` brought back, first taken first (with the lot's expiry);
    beyond that, none (the unknown lot takes the rest)."""
    taken: dict[str, Decimal] = {}
    for m in LotMove.select().where((LotMove.product == product_id)
                                    & (LotMove.reference == sold_in)
                                    & (LotMove.qty < 0)).order_by(LotMove.id):
        taken[m.number] = taken.get(m.number, ZERO) - m.qty
    if returns:
        for m in LotMove.select().where((LotMove.product == product_id)
                                        & LotMove.reference.in_(list(returns))
                                        & (LotMove.qty > 0)):
            taken[m.number] = taken.get(m.number, ZERO) - m.qty
    parts: list[tuple[Lot, Decimal]] = []
    left = qty
    for number, have in taken.items():
        if left <= 0 or have <= 0 or number == UNKNOWN:
            continue
        part = min(left, have)
        parts.append((Lot(number, known_expiry(product_id, number)), part))
        left -= part
    return parts


def counted(product_id: int, warehouse_id: int, parts: Parts, *, reference: str) -> None:
    """After a count's adjustment of a product's level: its lots as the count found them —
    each counted lot to what was counted of it, the rest of the level the unknown lot, every
    other lot empty. Goods sold between the count and its posting come off the counted lots
    first to expire. A relabelling between lots: the level and the value do not move."""
    rows = StockLot.select().where((StockLot.product == product_id)
                                   & (StockLot.warehouse == warehouse_id))
    held = {r.number: r for r in (rows.for_update() if is_postgres() else rows)}
    level = sum((r.qty for r in held.values()), ZERO)
    target = {lot.number: qty for lot, qty in parts}
    dated = {lot.number: lot.expires_on for lot, qty in parts}
    over = sum(target.values(), ZERO) - level
    for lot, _qty in sorted(parts, key=lambda p: (p[0].expires_on is None,
                                                  p[0].expires_on or dt.date.min)):
        if over <= 0:
            break
        cut = min(over, target[lot.number])
        target[lot.number] -= cut
        over -= cut
    target[UNKNOWN] = target.get(UNKNOWN, ZERO) + level - sum(target.values(), ZERO)
    moved = []
    for number in sorted(set(held) | set(target)):
        change = target.get(number, ZERO) - (held[number].qty if number in held else ZERO)
        if change:
            put(product_id, warehouse_id, change, Lot(number, dated.get(number)))
            moved.append((number, change))
    record(product_id, warehouse_id, moved, reason="count", reference=reference)


def known_expiry(product_id: int, number: str) -> dt.date | None:
    """The date a lot of a product is known by, in any warehouse (None: not known)."""
    found: Any = (StockLot.select(StockLot.expires_on)
                  .where((StockLot.product == product_id) & (StockLot.number == number)
                         & StockLot.expires_on.is_null(False)).scalar())
    return found  # type: ignore[no-any-return]


def on_hand(product_id: int, warehouse_id: int) -> Decimal:
    rows: Any = (StockLot.select(StockLot.qty).where((StockLot.product == product_id)
                                                    & (StockLot.warehouse == warehouse_id)))
    return sum((r.qty for r in rows), ZERO)


@dataclass(frozen=True)
class Gs1:
    gtin: str
    expires_on: dt.date | None
    lot: str


def parse_gs1(code: str) -> Gs1 | None:
    """A GS1-128 code's product (01), expiry (17) and lot (10), as a scanner sends it
    ("]C1" first, FNC1 as GS between fields) or as printed "(01)…(17)…(10)…"; None for
    anything else (an EAN-13, a SKU)."""
    raw = code.strip()
    if raw.startswith("]C1"):
        raw = raw[3:]
    if not (raw.startswith("(01)") or (raw.startswith("01") and len(raw) > 16)):
        return None
    fields: dict[str, Any] = {}
    try:
        for part in raw.split("\x1d"):
            if part:
                fields.update(gs1_128.info(part))
    except (Gs1Error, ValueError):
        return None
    if "01" not in fields:
        return None
    return Gs1(str(fields["01"]), fields.get("17"), str(fields.get("10", "")).strip()[:20])
