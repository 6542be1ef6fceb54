"""The books and the stock against the audit chain: every journal entry with its lines and every
stock move compared with its seal, then the daily account totals recomputed from the lines and
every stock level and value from the moves. Each finds the first differences and names them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from store.books.ledger import entry_seal
from store.core.fields import from_scaled, scaled_sum
from store.core.i18n import _
from store.models import (
    Account,
    AccountDay,
    AuditEvent,
    JournalEntry,
    JournalLine,
    StockLevel,
    StockMove,
    StockValue,
)
from store.stock.costing import move_seal

BATCH = 2000


def _rows(query: Any) -> Any:
    """A query's rows as tuples (peewee's stubs do not know what .tuples() yields)."""
    return query.tuples()


def _sealed(kind: str) -> Iterator[tuple[str, int | None, Any]]:
    for ref, user, payload in (AuditEvent.select(AuditEvent.reference, AuditEvent.user,
                                                 AuditEvent.payload)
                               .where(AuditEvent.kind == kind).tuples().iterator()):
        try:
            yield ref, user, json.loads(payload)
        except ValueError:
            yield ref, user, None  # the chain's own check names the damaged event


def _batches(model: Any) -> Iterator[list[Any]]:
    """Every row of a table in id order, BATCH at a time (a year's moves do not fit in one
    list)."""
    last_id = 0
    while rows := list(model.select().where(model.id > last_id).order_by(model.id)
                       .limit(BATCH)):
        last_id = rows[-1].id
        yield rows


def _jsonable(value: Any) -> Any:
    """A seal as it reads back from its JSON (lists, not tuples)."""
    return json.loads(json.dumps(value))


def verify_entries(problems: list[str]) -> int:
    sealed = {ref: data for ref, _user, data in _sealed("entry")}
    codes: dict[int, str] = dict(_rows(Account.select(Account.id, Account.code)))
    count = 0
    for entries in _batches(JournalEntry):
        lines: dict[int, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
        for ln in JournalLine.select().where(JournalLine.entry.in_([e.id for e in entries])):
            lines[ln.entry_id].append((codes.get(ln.account_id, "?"), ln.debit, ln.credit))
        for e in entries:
            count += 1
            data = sealed.pop(str(e.uuid), None)
            if data is None:
                problems.append(_("journal entry {id} is not in the audit chain (inserted?)")
                                .format(id=e.id))
            elif data != _jsonable(entry_seal(e.date, e.kind, e.description, e.reference,
                                              e.created_by_id, e.reverses_id, lines[e.id],
                                              e.text_key, e.text_args)):
                problems.append(_("journal entry {id} or its lines differ from its sealed "
                                  "record (changed?)").format(id=e.id))
    for ref in sorted(sealed)[:10]:
        problems.append(_("journal entry {ref} is sealed in the audit chain but missing from "
                          "the journal (deleted?)").format(ref=ref))
    return count


def verify_moves(problems: list[str]) -> int:
    sealed: dict[str, list[Any]] = {}
    for _ref, _user, data in _sealed("stock"):
        for m in (data or {}).get("moves", []):
            sealed[str(m[0])] = m
    count = 0
    for moves in _batches(StockMove):
        for m in moves:
            count += 1
            seal = sealed.pop(str(m.uuid), None)
            row = move_seal({"uuid": m.uuid, "product": m.product_id,
                             "warehouse": m.warehouse_id,
                             "qty": m.qty, "value": m.value, "unit_cost": m.unit_cost,
                             "reason": m.reason, "reference": m.reference,
                             "user": m.user_id,
                             "created_at": m.created_at})
            if seal is None:
                problems.append(_("stock move {id} is not in the audit chain (inserted?)")
                                .format(id=m.id))
            elif seal != _jsonable(row):
                problems.append(_("stock move {id} differs from its sealed record (changed?)")
                                .format(id=m.id))
    for ref in sorted(sealed)[:10]:
        problems.append(_("stock move {ref} is sealed in the audit chain but missing from "
                          "the moves (deleted?)").format(ref=ref))
    return count


def verify_balances(problems: list[str]) -> None:
    """The daily account totals (what the trial balance and reports read) against the sum of
    the journal lines they stand for."""
    codes: dict[int, str] = dict(_rows(Account.select(Account.id, Account.code)))
    days: dict[tuple[int, str], tuple[Any, Any]] = {
        (a, str(d)): (dr, cr) for a, d, dr, cr in _rows(AccountDay.select(
            AccountDay.account, AccountDay.date, AccountDay.debit, AccountDay.credit))}
    sums = _rows(JournalLine.select(JournalLine.account, JournalEntry.date,
                                    scaled_sum(JournalLine.debit), scaled_sum(JournalLine.credit))
                 .join(JournalEntry).group_by(JournalLine.account, JournalEntry.date))
    for account, day, raw_dr, raw_cr in sums:
        debit = from_scaled(JournalLine.debit, raw_dr)
        credit = from_scaled(JournalLine.credit, raw_cr)
        kept = days.pop((account, str(day)), (Decimal(0), Decimal(0)))
        if kept != (debit, credit):
            problems.append(_("account {code} on {day}: the daily total says debit {kept_dr} "
                              "credit {kept_cr}, its journal lines add up to debit {dr} "
                              "credit {cr}").format(code=codes.get(account, account), day=day,
                                                    kept_dr=kept[0], kept_cr=kept[1],
                                                    dr=debit, cr=credit))
    for (account, day), (debit, credit) in sorted(days.items()):
        if debit or credit:
            problems.append(_("account {code} on {day}: a daily total of debit {dr} credit "
                              "{cr} with no journal line behind it").format(
                code=codes.get(account, account), day=day, dr=debit, cr=credit))


def verify_levels(problems: list[str]) -> None:
    """Every stock level (per product and warehouse) and stock value (per product) against
    the sum of its moves."""
    by_place: dict[tuple[int, int], Decimal] = {
        (p, w): from_scaled(StockMove.qty, q) for p, w, q in _rows(StockMove.select(
            StockMove.product, StockMove.warehouse, scaled_sum(StockMove.qty))
        .group_by(StockMove.product, StockMove.warehouse))}
    for level in StockLevel.select():
        moved = by_place.pop((level.product_id, level.warehouse_id), Decimal(0))
        if level.on_hand != moved:
            problems.append(_("stock of product {product} in warehouse {warehouse}: {level} "
                              "on hand, its moves add up to {moved}").format(
                product=level.product_id, warehouse=level.warehouse_id, level=level.on_hand,
                moved=moved))
    for (product, warehouse), moved in sorted(by_place.items()):
        if moved:
            problems.append(_("stock of product {product} in warehouse {warehouse}: moves of "
                              "{moved} with no stock level").format(
                product=product, warehouse=warehouse, moved=moved))
    by_product = {p: (from_scaled(StockMove.qty, q), from_scaled(StockMove.value, v))
                  for p, q, v in _rows(StockMove.select(
        StockMove.product, scaled_sum(StockMove.qty), scaled_sum(StockMove.value))
        .group_by(StockMove.product))}
    for row in StockValue.select():
        qty, value = by_product.get(row.product_id, (Decimal(0), Decimal(0)))
        if (row.qty, row.value) != (qty, value):
            problems.append(_("stock value of product {product}: {qty} worth {value} kept, "
                              "its moves add up to {mqty} worth {mvalue}").format(
                product=row.product_id, qty=row.qty, value=row.value, mqty=qty, mvalue=value))
