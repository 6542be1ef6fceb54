"""The receipts in a till's local copy (issue 18.2): the last RETURN_DAYS of its shop's sales,
each line with what is left to return and each tender with what is left to refund, so goods
can come back while the database cannot be reached. A return taken offline is counted here
at once (`take`), so the same item cannot come back twice at this till before the database
has the first; the database judges it again when it posts (a return taken meanwhile at
another till is flagged for a person there, never refused: the money was given back)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from typing import Any

from store.core.money import QTY_PLACES, from_minor, to_minor
from store.models import Sale, Terminal, Warehouse
from store.selling.returns import Returnable, ReturnableLine, returnables
from store.selling.sales import SaleView

SCHEMA = """
CREATE TABLE IF NOT EXISTS receipt (
    sale_id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, customer_id INTEGER,
    sold_at TEXT NOT NULL, paid TEXT NOT NULL, refunded TEXT NOT NULL, kinds TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS receipt_line (
    line_id INTEGER PRIMARY KEY, sale_id INTEGER NOT NULL, line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL,
    unit_price INTEGER NOT NULL, sold_qty INTEGER NOT NULL, amount INTEGER NOT NULL,
    returned_qty INTEGER NOT NULL, refunded INTEGER NOT NULL, tax INTEGER,
    tax_back INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS receipt_line_sale ON receipt_line (sale_id);
"""
# Since the first version: a line's tax (NULL: not known yet) and what returns gave back.
LATER = {"receipt_line": (("tax", "INTEGER"), ("tax_back", "INTEGER NOT NULL DEFAULT 0"))}

Taken = tuple[int, Decimal, Decimal, Decimal]  # a line back: (line id, qty, amount, tax)
RETURN_DAYS = 30  # receipts older than this come back only through the database
CHUNK = 1_000


def write(db: sqlite3.Connection, shop: int | None, since: dt.datetime | None,
          now: dt.datetime) -> int:
    """The shop's receipts of the last RETURN_DAYS (those sold, or returned from, since
    `since`: all of them when None) into the copy, inside the caller's local transaction;
    older ones leave it. Returns the receipts written."""
    cutoff = now - dt.timedelta(days=RETURN_DAYS)
    db.execute("DELETE FROM receipt_line WHERE sale_id IN "
               "(SELECT sale_id FROM receipt WHERE sold_at < ?)", (cutoff.isoformat(),))
    db.execute("DELETE FROM receipt WHERE sold_at < ?", (cutoff.isoformat(),))
    here = Sale.created_at >= cutoff
    if shop is not None:  # a chain: this shop's tills only
        tills = Terminal.select(Terminal.code).join(Warehouse).where(Warehouse.shop == shop)
        here &= Sale.terminal.in_(tills)
    if since is not None:
        returned = Sale.select(Sale.original).where(
            Sale.original.is_null(False) & (Sale.created_at >= since))
        here &= (Sale.created_at >= since) | Sale.id.in_(returned)
    else:
        db.execute("DELETE FROM receipt_line")
        db.execute("DELETE FROM receipt")
    written, last = 0, 0
    while True:
        page = list(Sale.select(Sale.id, Sale.number, Sale.customer, Sale.change,
                                Sale.created_at)
                    .where(here & (Sale.id > last)).order_by(Sale.id).limit(CHUNK))
        if not page:
            return written
        last = page[-1].id
        when = {s.id: s.created_at for s in page}
        found = returnables(page)
        ids = [r.sale_id for r in found]
        marks = ", ".join("?" * len(ids))
        if ids:
            db.execute(f"DELETE FROM receipt_line WHERE sale_id IN ({marks})", ids)
            db.execute(f"DELETE FROM receipt WHERE sale_id IN ({marks})", ids)
        db.executemany("INSERT INTO receipt VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(r.sale_id, r.number, r.customer_id, when[r.sale_id].isoformat(),
                         _cents(r.paid), _cents(r.refunded), json.dumps(r.paid_kinds))
                        for r in found])
        db.executemany("INSERT INTO receipt_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(ln.line_id, r.sale_id, ln.line_no, ln.product_id, ln.sku, ln.name,
                         to_minor(ln.unit_price), to_minor(ln.sold_qty, QTY_PLACES),
                         to_minor(ln.amount), to_minor(ln.returned_qty, QTY_PLACES),
                         to_minor(ln.refunded),
                         to_minor(ln.tax) if ln.tax is not None else None,
                         to_minor(ln.tax_back))
                        for r in found for ln in r.lines])
        written += len(found)


def _cents(sums: dict[str, Decimal]) -> str:
    return json.dumps({code: to_minor(v) for code, v in sums.items()})


def _sums(text: str) -> dict[str, Decimal]:
    return {code: from_minor(v) for code, v in json.loads(text).items()}


def find(db: sqlite3.Connection, number: str) -> Returnable | None:
    """A receipt as `returns.returnable` reads it online; None: not in the copy."""
    row = db.execute("SELECT sale_id, number, customer_id, paid, refunded, kinds FROM receipt "
                     "WHERE number = ?", (number.strip(),)).fetchone()
    if row is None:
        return None
    sale_id, num, customer, paid, refunded, kinds = row
    lines = tuple(
        ReturnableLine(line_id, line_no, pid, sku, name, from_minor(price),
                       from_minor(qty, QTY_PLACES), from_minor(amount),
                       from_minor(back, QTY_PLACES), from_minor(refund),
                       from_minor(tax) if tax is not None else None, from_minor(tax_back))
        for (line_id, line_no, pid, sku, name, price, qty, amount, back, refund, tax,
             tax_back) in db.execute(
            "SELECT line_id, line_no, product_id, sku, name, unit_price, sold_qty, amount, "
            "returned_qty, refunded, tax, tax_back FROM receipt_line WHERE sale_id = ? "
            "ORDER BY line_no", (sale_id,)))
    return Returnable(sale_id, num, lines, _sums(paid), _sums(refunded), json.loads(kinds),
                      customer)


def remember(db: sqlite3.Connection, view: SaleView) -> None:
    """A sale this till just made online, into the copy at once (the next refresh may be
    minutes away, and the customer may be back with it before the network is): what it
    sold as a receipt, what it took back counted against its receipt."""
    back = [(ln.return_of, -ln.qty, -ln.amount, -ln.tax) for ln in view.lines
            if ln.return_of is not None]
    if back and view.original:
        take(db, view.original, back, {p.tender: -p.amount for p in view.payments
                                       if p.amount < 0})
    sold = [ln for ln in view.lines if ln.return_of is None and ln.id]
    if not sold or not view.id:
        return
    paid: dict[str, Decimal] = {}
    for p in view.payments:
        if p.amount > 0:
            paid[p.tender] = paid.get(p.tender, Decimal(0)) + p.amount
    cash = next((p.tender for p in view.payments if p.kind == "cash"), None)
    if view.change and cash in paid:  # change came out of the cash
        paid[cash] -= view.change
    customer = db.execute("SELECT id FROM customer WHERE code = ?",
                          (view.customer_code,)).fetchone() if view.customer_code else None
    db.execute("INSERT OR REPLACE INTO receipt VALUES (?, ?, ?, ?, ?, ?, ?)",
               (view.id, view.number, customer[0] if customer else None,
                view.created_at.isoformat(), _cents(paid), "{}",
                json.dumps({p.tender: p.kind for p in view.payments})))
    products = dict(db.execute(f"SELECT sku, id FROM product WHERE sku IN "
                               f"({', '.join('?' * len(sold))})", [ln.sku for ln in sold]))
    db.executemany("INSERT OR REPLACE INTO receipt_line VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 0)",
                   [(ln.id, view.id, n, products[ln.sku], ln.sku, ln.name,
                     to_minor(ln.unit_price), to_minor(ln.qty, QTY_PLACES), to_minor(ln.amount),
                     to_minor(ln.tax))
                    for n, ln in enumerate(view.lines, start=1)
                    if ln.return_of is None and ln.id and ln.sku in products])


def take(db: sqlite3.Connection, number: str,
         lines: list[Taken], refunds: dict[str, Decimal]) -> None:
    """A return this till took offline, counted against its receipt in the copy: (line id,
    qty back, amount refunded, tax given back) per line, and what went back by each tender
    (positive)."""
    row = db.execute("SELECT sale_id, refunded FROM receipt WHERE number = ?",
                     (number,)).fetchone()
    if row is None:
        return
    db.executemany("UPDATE receipt_line SET returned_qty = returned_qty + ?, "
                   "refunded = refunded + ?, tax_back = tax_back + ? "
                   "WHERE line_id = ? AND sale_id = ?",
                   [(to_minor(qty, QTY_PLACES), to_minor(amount), to_minor(tax), line_id,
                     row[0]) for line_id, qty, amount, tax in lines])
    refunded: dict[str, Any] = json.loads(row[1])
    for code, amount in refunds.items():
        refunded[code] = refunded.get(code, 0) + to_minor(amount)
    db.execute("UPDATE receipt SET refunded = ? WHERE sale_id = ?",
               (json.dumps(refunded), row[0]))
