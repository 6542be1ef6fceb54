"""The customers in a till's local copy (issue 18.2): who can be attached to a sale while the
database cannot be reached — by member number, phone (its keyed hash, as online: the phone
itself is never in the copy, only its last four digits to tell two apart) or name — with
their price list's rules, their credit limit and what they owed at the last refresh. Read
whole on each refresh: a few rows per customer, and what they owe moves with every sale."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from store.core.db import database
from store.core.i18n import current_language
from store.core.money import QTY_PLACES, from_minor
from store.customers.lookup import CustomerView
from store.customers.parties import normalize_phone
from store.models import (
    Customer,
    CustomerGroup,
    MemberTier,
    PriceList,
    PriceListItem,
    Receivable,
)
from store.pricing.price_lists import NO_RULES, PriceRules
from store.security import crypto

from .localfile import contains

SCHEMA = """
CREATE TABLE IF NOT EXISTS customer (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, grp TEXT NOT NULL,
    price_list_id INTEGER, phone_hash TEXT NOT NULL, phone_hint TEXT NOT NULL,
    credit_limit INTEGER NOT NULL, owed INTEGER NOT NULL, points INTEGER NOT NULL DEFAULT 0,
    tier TEXT NOT NULL DEFAULT '', tier_en TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS customer_code ON customer (code);
CREATE INDEX IF NOT EXISTS customer_phone ON customer (phone_hash);
CREATE TABLE IF NOT EXISTS price_list (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS price_rule (
    list_id INTEGER NOT NULL, product_id INTEGER, category_id INTEGER, min_qty INTEGER,
    price INTEGER, percent_bp INTEGER
);
CREATE INDEX IF NOT EXISTS price_rule_list ON price_rule (list_id);
"""

BATCH = 5_000


def write(db: sqlite3.Connection) -> int:
    """Replace the copy's customers and price lists with the database's (inside the
    caller's local transaction); returns the customers written. Raw rows a page at a time
    (model objects cost four times the copy), and a phone opened only when the copy has not
    seen it before: its last four digits are kept by its keyed hash."""
    hints = dict(db.execute("SELECT phone_hash, phone_hint FROM customer WHERE phone_hash != ''"))
    for table in ("customer", "price_list", "price_rule"):
        db.execute(f"DELETE FROM {table}")
    lists: Any = PriceList.select(PriceList.id, PriceList.name).where(PriceList.active).tuples()
    db.executemany("INSERT INTO price_list VALUES (?, ?)", list(lists))
    rules = (PriceListItem.select(PriceListItem.price_list, PriceListItem.product,
                                  PriceListItem.category, PriceListItem.min_qty,
                                  PriceListItem.price, PriceListItem.percent_off)
             .join(PriceList).where(PriceList.active))
    db.executemany("INSERT INTO price_rule VALUES (?, ?, ?, ?, ?, ?)", _raw(rules))
    owed = {cid: int(cents) for cid, cents in _raw(
        Receivable.select(Receivable.customer, fn.SUM(Receivable.amount - Receivable.paid))
        .group_by(Receivable.customer))}
    q = (Customer.select(Customer.id, Customer.code, Customer.name, CustomerGroup.code,
                         fn.COALESCE(Customer.price_list, MemberTier.price_list,
                                     CustomerGroup.price_list),
                         Customer.phone_hash, Customer.phone_enc, Customer.credit_limit,
                         Customer.points, MemberTier.name, MemberTier.name_en)
         .join(CustomerGroup, JOIN.LEFT_OUTER).switch(Customer)
         .join(MemberTier, JOIN.LEFT_OUTER).where(Customer.active)
         .order_by(Customer.id).limit(BATCH))
    written, last = 0, 0
    while rows := _raw(q.where(Customer.id > last)):
        page = []
        for (cid, code, name, group, price_list, phone_hash, phone_enc, limit, points, tier,
             tier_en) in rows:
            hint = hints.get(phone_hash) if phone_hash else ""
            if hint is None:
                hint = crypto.unseal(phone_enc)[-4:]
            page.append((cid, code, name, group or "", price_list, phone_hash or "", hint,
                         int(limit or 0), owed.get(cid, 0), int(points or 0), tier or "",
                         tier_en or ""))
        db.executemany("INSERT INTO customer VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", page)
        written += len(page)
        last = rows[-1][0]
    return written


def _raw(query: Any) -> list[tuple[Any, ...]]:
    return database.obj.execute_sql(*query.sql()).fetchall()  # type: ignore[no-any-return]


_COLUMNS = "id, code, name, grp, price_list_id, phone_hint, points, tier, tier_en"
# Columns a copy written by an older version lacks: added, empty until the next refresh.
LATER = {"customer": (("points", "INTEGER NOT NULL DEFAULT 0"),
                      ("tier", "TEXT NOT NULL DEFAULT ''"), ("tier_en", "TEXT NOT NULL DEFAULT ''"))}


def _view(row: tuple[Any, ...]) -> CustomerView:
    """Points and tier as at the last refresh (what the member has now may differ: the
    database counts the sale's points when it posts)."""
    cid, code, name, group, price_list, hint, points, tier, tier_en = row
    tier_name = tier_en if tier_en and current_language() == "en" else tier
    return CustomerView(cid, code, name, group, price_list, f"…{hint}" if hint else "",
                        int(points), tier_name)


def find(db: sqlite3.Connection, text: str, limit: int = 20) -> list[CustomerView]:
    """As `lookup.find` answers online: member number (exact), then phone (exact, by its
    keyed hash), then name (contains)."""
    text = text.strip()
    if not text:
        return []
    row = db.execute(f"SELECT {_COLUMNS} FROM customer WHERE code = ?", (text,)).fetchone()
    if row is not None:
        return [_view(row)]
    if text.replace("-", "").replace(" ", "").lstrip("+").isdigit():
        digits = normalize_phone(text)
        rows = db.execute(f"SELECT {_COLUMNS} FROM customer WHERE phone_hash = ? ORDER BY id",
                          (crypto.blind_index(digits),)).fetchall()
        if rows:
            return [_view(r) for r in rows]
    like = contains(text)
    return [_view(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM customer WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",
        (like, limit)).fetchall()]


def rules(db: sqlite3.Connection, price_list_id: int | None) -> PriceRules:
    """A price list's rules as `price_lists.rules_for` reads them online."""
    if price_list_id is None:
        return NO_RULES
    row = db.execute("SELECT name FROM price_list WHERE id = ?", (price_list_id,)).fetchone()
    if row is None:
        return NO_RULES
    breaks, off = [], {}
    for pid, category, min_qty, price, percent_bp in db.execute(
            "SELECT product_id, category_id, min_qty, price, percent_bp FROM price_rule "
            "WHERE list_id = ?", (price_list_id,)):
        if pid is not None and price is not None:
            breaks.append((pid, from_minor(min_qty, QTY_PLACES), from_minor(price)))
        elif category is not None and percent_bp is not None:
            off[category] = Decimal(percent_bp) / 100
    return PriceRules.of(price_list_id, row[0], breaks, off)


def credit(db: sqlite3.Connection, customer_id: int) -> tuple[Decimal, Decimal] | None:
    """(credit limit, owed at the last refresh) of a customer in the copy."""
    row = db.execute("SELECT credit_limit, owed FROM customer WHERE id = ?",
                     (customer_id,)).fetchone()
    return (from_minor(row[0]), from_minor(row[1])) if row else None
