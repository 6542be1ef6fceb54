"""A till's local copy (issue 18.2): what it needs to keep selling when the database cannot be
reached — its shop's products at its shop's prices, their barcodes, the promotions that run
there, the tenders, the shop's receipt settings, the users who may log in and approve at
this till (with their PIN hashes), the role rules, the customers with their price lists
(copy_customers.py) and the shop's last month of receipts (copy_receipts.py) — in a local
SQLite file. Read-only for
the till; refreshed from the database while it answers: products changed since the last
refresh (by `updated_at`, with a margin for transactions that committed late), and all of it
again once a day. A scan in it is one primary-key read, as fast offline as online."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import JOIN, fn

from store.catalog import pinyin, variants
from store.catalog.search import ProductHit, clean, scan_key
from store.catalog.variants import VariantView
from store.core.db import database
from store.core.i18n import current_language
from store.core.money import QTY_PLACES, from_minor
from store.core.text import sku_key
from store.customers.lookup import CustomerView
from store.models import (
    AttributeValue,
    Barcode,
    Product,
    ProductTemplate,
    ShopPrice,
    TaxRate,
    TemplateAttribute,
    TenderType,
    Unit,
    User,
    UserShop,
)
from store.models.base import utcnow
from store.pricing import promotions
from store.pricing.price_lists import PriceRules
from store.pricing.promotions import Promo
from store.security import permissions
from store.security.permissions import Policy
from store.selling import sales
from store.selling.returns import Returnable
from store.shops import branches, org

from . import copy_customers, copy_receipts
from .copy_receipts import Taken
from .localfile import LocalFile, contains

# The indexes apart: a full refresh drops them, copies, and makes them again (inserting a
# million rows into indexed tables took eight times as long).
INDEXES = {"product_sku_key": "product (sku_key)", "product_pinyin": "product (pinyin)",
           "product_initials": "product (initials)", "barcode_product": "barcode (product_id)",
           "product_style": "product (style)"}
MAKE_INDEXES = [f"CREATE INDEX IF NOT EXISTS {name} ON {on}" for name, on in INDEXES.items()]
SCHEMA = """
CREATE TABLE IF NOT EXISTS product (
    id INTEGER PRIMARY KEY, sku TEXT NOT NULL, sku_key TEXT NOT NULL, name TEXT NOT NULL,
    name_en TEXT NOT NULL, price INTEGER NOT NULL, unit TEXT NOT NULL, unit_en TEXT NOT NULL,
    rate_bp INTEGER NOT NULL, weighed INTEGER NOT NULL, active INTEGER NOT NULL,
    category_id INTEGER, pinyin TEXT NOT NULL, initials TEXT NOT NULL,
    style TEXT NOT NULL DEFAULT '', style_pos INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS barcode (
    code TEXT PRIMARY KEY, product_id INTEGER NOT NULL, pack_qty INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""" + copy_customers.SCHEMA + copy_receipts.SCHEMA
# Columns since the first version (a copy an older till wrote gets them, filled at the next
# refresh, which is a full one): a variant's style (its template's code) and place in it.
LATER = {"product": (("style", "TEXT NOT NULL DEFAULT ''"),
                     ("style_pos", "INTEGER NOT NULL DEFAULT 0")), **copy_customers.LATER,
         **copy_receipts.LATER}

MARGIN = dt.timedelta(minutes=15)  # a product saved by a transaction that committed late
FULL_EVERY = dt.timedelta(days=1)  # and everything again, whatever the marks missed
BATCH = 5_000


@dataclass(frozen=True)
class CachedUser:
    id: int
    username: str
    display_name: str
    role: str
    pin_hash: str


@dataclass(frozen=True)
class Refreshed:
    products: int  # rows written
    full: bool
    at: dt.datetime
    customers: int = 0
    receipts: int = 0  # written (all of the last RETURN_DAYS on a full refresh)


class LocalCopy(LocalFile):
    def __init__(self, path: Path | str, terminal: str) -> None:
        super().__init__(path, SCHEMA, later=LATER,
                         after="".join(f"{sql};\n" for sql in MAKE_INDEXES))
        self.terminal = terminal
        self._write = threading.Lock()
        if self.upgraded:  # what the new columns say comes with a full refresh
            self._db().execute("DELETE FROM meta WHERE key = 'full_at'")

    # -- refreshing (online) ------------------------------------------------------------
    def refresh(self, *, full: bool = False) -> Refreshed:
        """Bring the copy up to the database: what changed since the last refresh (all of it
        when `full`, on the first refresh and once a day). One local transaction: a till
        reading meanwhile sees the old copy or the new, never half."""
        with self._write:
            now = utcnow()
            last_full = self._meta("full_at")
            since = self._meta("mark")
            if full or since is None or last_full is None or (
                    now - dt.datetime.fromisoformat(last_full) > FULL_EVERY):
                full, since_at = True, None
            else:
                since_at = dt.datetime.fromisoformat(since) - MARGIN
            shop = branches.shop_of(self.terminal)
            meta = self._read_meta(shop)
            with self._db() as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    if full:
                        db.execute("DELETE FROM product")
                        db.execute("DELETE FROM barcode")
                        for name in INDEXES:
                            db.execute(f"DROP INDEX IF EXISTS {name}")
                    written = self._copy_products(db, shop, since_at)
                    customers = copy_customers.write(db)
                    receipts = copy_receipts.write(db, shop, since_at, now)
                    for sql in MAKE_INDEXES:
                        db.execute(sql)
                    for key, value in {**meta, "mark": now.isoformat()}.items():
                        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                   (key, value))
                    if full:
                        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                   "('full_at', ?)", (now.isoformat(),))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            return Refreshed(written, full, now, customers, receipts)

    def _copy_products(self, db: sqlite3.Connection, shop: int | None,
                       since: dt.datetime | None) -> int:
        """The products (changed since `since`) with their barcodes, in batches by id: raw
        rows, no model objects (a million of them cost ten times the copy), and a page at a
        time, so neither engine holds the whole catalog in memory or in one long read."""
        price = fn.COALESCE(ShopPrice.price, Product.price)
        q = (Product.select(Product.id, Product.sku, Product.name, Product.name_en,
                            price.alias("price"), Unit.name, Unit.name_en, TaxRate.rate_bp,
                            Product.sold_by_weight, Product.active, Product.category,
                            Product.pinyin, Product.initials, Product.template,
                            Product.variant_key)
             .join(Unit).switch(Product).join(TaxRate).switch(Product)
             .join(ShopPrice, JOIN.LEFT_OUTER,
                   on=((ShopPrice.product == Product.id) & (ShopPrice.shop == (shop or -1))))
             .order_by(Product.id).limit(BATCH))
        if since is not None:
            q = q.where(Product.updated_at >= since)
        written, last = 0, 0
        while True:
            rows = database.obj.execute_sql(*q.where(Product.id > last).sql()).fetchall()
            if not rows:
                return written
            styles = _styles({r[13] for r in rows if r[13] is not None})
            db.executemany("INSERT OR REPLACE INTO product VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(pid, sku, sku_key(sku), name, name_en, int(cents), unit, unit_en,
                             rate, int(bool(weighed)), int(bool(active)), cat, py, ini,
                             *_style_of(styles, template, key))
                            for pid, sku, name, name_en, cents, unit, unit_en, rate, weighed,
                            active, cat, py, ini, template, key in rows])
            first, last = rows[0][0], rows[-1][0]
            if since is None:  # every product from first to last: their barcodes by range
                where = (Barcode.product >= first) & (Barcode.product <= last)
            else:  # some: theirs replace what the copy had
                ids = [r[0] for r in rows]
                db.execute(f"DELETE FROM barcode WHERE product_id IN "
                           f"({', '.join('?' * len(ids))})", ids)
                where = Barcode.product.in_(ids)
            codes = (Barcode.select(Barcode.code, Barcode.product, Barcode.pack_qty)
                     .where(where))
            db.executemany("INSERT OR REPLACE INTO barcode VALUES (?, ?, ?)",
                           database.obj.execute_sql(*codes.sql()).fetchall())
            written += len(rows)

    def _read_meta(self, shop: int | None) -> dict[str, str]:
        """Everything but the products, read whole each time: a few rows each."""
        running = promotions.at_shop(promotions.current(fresh=True), shop)
        tenders = [{f: getattr(t, f) for f in ("id", "code", "name", "name_en", "kind",
                                               "opens_drawer", "needs_reference")}
                   for t in org.tender_types()]
        scoped = {r.user_id for r in UserShop.select(UserShop.user)}  # of some shops only
        here = {r.user_id for r in UserShop.select(UserShop.user)
                .where(UserShop.shop == (shop or -1))}
        users = [asdict(CachedUser(u.id, u.username, u.display_name or u.username, u.role,
                                   str(u.pin_hash)))
                 for u in User.select().where(User.active & User.pin_hash.is_null(False))
                 if u.id not in scoped or u.id in here]
        rules = permissions.policy()
        shift = sales.current_shift(self.terminal)
        last = sales.last_number(self.terminal)
        return {
            "settings": json.dumps({k: str(v) if isinstance(v, Decimal) else v
                                    for k, v in asdict(org.settings()).items()}),
            "zone": _zone_text(branches.zone_of(self.terminal)),
            "promotions": json.dumps([_promo_json(p) for p in running]),
            "promotion_rule": promotions.rule(),
            "tenders": json.dumps(tenders),
            "users": json.dumps(users),
            "policy": json.dumps({"matrix": {r: sorted(p) for r, p in rules.matrix.items()},
                                  "limits": {r: str(v)
                                             for r, v in rules.discount_limits.items()}}),
            "shift": _shift_json(shift),
            "shop": json.dumps(shop),
            "last_number": last or "",
        }

    # -- reading (offline) --------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _json(self, key: str, default: Any) -> Any:
        text = self._meta(key)
        return json.loads(text) if text else default

    @property
    def refreshed_at(self) -> dt.datetime | None:
        mark = self._meta("mark")
        return dt.datetime.fromisoformat(mark) if mark else None

    def lookup_code(self, code: str) -> ProductHit | None:
        """A scan, as `search.lookup_code` answers it online: the barcode, else the SKU."""
        code = scan_key(code)
        if not code:
            return None
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS}, b.pack_qty, b.code FROM barcode b "
                             "JOIN product p ON p.id = b.product_id WHERE b.code = ?",
                             (code,)).fetchone()
            if row is not None:
                return _hit(row, "barcode")
            row = db.execute(f"SELECT {_COLUMNS} FROM product p WHERE p.sku_key = ? "
                             "ORDER BY p.sku != ? LIMIT 1", (sku_key(code), code)).fetchone()
        return _hit(row, "sku") if row else None

    def search(self, query: str, limit: int = 20) -> list[ProductHit]:
        """Active products by code, pinyin (initials or full) or name, at most `limit`."""
        text = clean(query)
        if not text or limit <= 0:
            return []
        exact = self.lookup_code(text)
        found = [exact] if exact is not None and exact.active else []
        key = pinyin.query_key(text)
        with self._db() as db:
            # A style's code: its variants together, as online (search._style_hits).
            seen = {h.id for h in found}
            for row in db.execute(f"SELECT {_COLUMNS} FROM product p WHERE p.style = ? AND "
                                  "p.active = 1 ORDER BY p.id LIMIT ?",
                                  (text.upper(), limit)).fetchall():
                if row[0] not in seen and len(found) < limit:
                    found.append(_hit(row, "style"))
            tiers: list[tuple[str, str, tuple[Any, ...]]] = []
            if key:
                upper = key[:-1] + chr(ord(key[-1]) + 1)
                for column in ("initials", "pinyin"):
                    tiers.append(("pinyin", f"p.{column} >= ? AND p.{column} < ?",
                                  (key, upper)))
            like = contains(text)
            tiers.append(("name", "(p.name LIKE ? ESCAPE '\\' OR p.name_en LIKE ? ESCAPE '\\')",
                          (like, like)))
            for matched, where, params in tiers:
                if len(found) >= limit:
                    break
                seen = {h.id for h in found}
                for row in db.execute(f"SELECT {_COLUMNS} FROM product p WHERE {where} AND "
                                      f"p.active = 1 ORDER BY p.id LIMIT ?",
                                      (*params, limit)).fetchall():
                    if row[0] not in seen and len(found) < limit:
                        found.append(_hit(row, matched))
        return found

    def product(self, product_id: int) -> ProductHit | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM product p WHERE p.id = ?",
                             (product_id,)).fetchone()
        return _hit(row, "id") if row else None

    def variants_of(self, code: str) -> list[VariantView]:
        """A style's variants, as `variants.variants_of` lists them online; what each has
        in stock is not known here (None)."""
        if not code.strip():
            return []
        english = current_language() == "en"
        with self._db() as db:
            rows = db.execute("SELECT sku, name, name_en, price, active FROM product "
                              "WHERE style = ? ORDER BY style_pos, id",
                              (code.strip().upper(),)).fetchall()
        return [VariantView(sku, name_en if english and name_en else name, (),
                            from_minor(price), None, bool(active))
                for sku, name, name_en, price, active in rows]

    def customers(self, text: str, limit: int = 20) -> list[CustomerView]:
        with self._db() as db:
            return copy_customers.find(db, text, limit)

    def price_rules(self, price_list_id: int | None) -> PriceRules:
        with self._db() as db:
            return copy_customers.rules(db, price_list_id)

    def credit(self, customer_id: int) -> tuple[Decimal, Decimal] | None:
        """(credit limit, owed) of a customer as last copied."""
        with self._db() as db:
            return copy_customers.credit(db, customer_id)

    def receipt(self, number: str) -> Returnable | None:
        with self._db() as db:
            return copy_receipts.find(db, number)

    def take_return(self, number: str, lines: list[Taken],
                    refunds: dict[str, Decimal]) -> None:
        """A return taken offline, counted against its receipt here at once."""
        self._change(copy_receipts.take, number, lines, refunds)

    def remember(self, view: sales.SaleView) -> None:
        """A sale this till made online, into the copy's receipts at once."""
        self._change(copy_receipts.remember, view)

    def _change(self, fn: Callable[..., None], *args: Any) -> None:
        with self._write, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                fn(db, *args)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def promotions(self) -> tuple[tuple[Promo, ...], str]:
        return (tuple(_promo_of(p) for p in self._json("promotions", [])),
                self._meta("promotion_rule") or "best")

    def tenders(self) -> list[TenderType]:
        return [TenderType(**t) for t in self._json("tenders", [])]

    def settings(self) -> org.ShopSettings:
        data = self._json("settings", None)
        if data is None:
            return org.ShopSettings("", "", "CNY", True, None)
        rounding = data.get("cash_rounding")
        return org.ShopSettings(**{**data, "cash_rounding": Decimal(rounding)
                                   if rounding is not None else None})

    def zone_name(self) -> str:
        return self._meta("zone") or ""

    def zone(self) -> dt.tzinfo:
        """The till's shop's time zone as last copied (never the database's to ask)."""
        name = self.zone_name()
        if name.startswith("offset:"):
            return dt.timezone(dt.timedelta(seconds=int(name[7:])))
        try:
            return ZoneInfo(name) if name else dt.UTC
        except (ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    def users(self) -> list[CachedUser]:
        return [CachedUser(**u) for u in self._json("users", [])]

    def policy(self) -> Policy:
        data = self._json("policy", {"matrix": {}, "limits": {}})
        return Policy({r: frozenset(p) for r, p in data["matrix"].items()},
                      {r: Decimal(v) for r, v in data["limits"].items()})

    def shift(self) -> sales.ShiftInfo | None:
        """The till's open shift as it last knew it."""
        data = self._json("shift", None)
        if not isinstance(data, dict):
            return None
        return sales.ShiftInfo(int(data["id"]), self.terminal, int(data["number"]),
                               str(data["opened_by"]), dt.datetime.fromisoformat(
                                   data["opened_at"]), Decimal(data["opening_float"]))

    def shift_id(self) -> int | None:
        shift = self.shift()
        return shift.id if shift else None

    def set_shift(self, shift: sales.ShiftInfo | None) -> None:
        """The till opened (or closed) its shift: the copy knows at once, not at the next
        refresh — a till that starts offline sells in it."""
        with self._write, self._db() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('shift', ?)",
                       (_shift_json(shift),))

    def shop_id(self) -> int | None:
        value = self._json("shop", None)
        return int(value) if value is not None else None

    def ready(self) -> bool:
        """Whether a till could start from this copy: refreshed, with users to log in."""
        return self.path.exists() and self.refreshed_at is not None and bool(self.users())

    def last_number(self) -> str:
        return self._meta("last_number") or ""


# A batch's styles: each template's code, and its values' places (variants.place_in_style).
Styles = tuple[dict[int, str], dict[int, dict[tuple[int, str], int]]]


def _styles(template_ids: set[int]) -> Styles:
    """The templates' codes and their values' places, for the variants in a batch."""
    if not template_ids:
        return {}, {}
    codes = dict(database.obj.execute_sql(*ProductTemplate.select(
        ProductTemplate.id, ProductTemplate.code).where(
        ProductTemplate.id.in_(template_ids)).sql()).fetchall())
    values = (AttributeValue.select(TemplateAttribute.template, TemplateAttribute.position,
                                    AttributeValue.code, AttributeValue.position)
              .join(TemplateAttribute).where(TemplateAttribute.template.in_(template_ids)))
    places: dict[int, dict[tuple[int, str], int]] = {}
    for t, a, c, p in database.obj.execute_sql(*values.sql()).fetchall():
        places.setdefault(t, {})[(a, c)] = p
    return codes, places


def _style_of(styles: Styles, template: int | None, key: str | None) -> tuple[str, int]:
    """(the style's code, the variant's place in it as one number, in the order the till's
    picker lists them online) — ("", 0) for a product of no style."""
    codes, places = styles
    if template is None or template not in codes:
        return "", 0
    pos = 0
    for place in variants.place_in_style(places.get(template, {}), key):
        pos = pos * 1000 + place  # a value's place is below 1000 (MAX_VARIANTS)
    return codes[template], pos


def _shift_json(shift: sales.ShiftInfo | None) -> str:
    if shift is None:
        return "null"
    return json.dumps({"id": shift.id, "number": shift.number, "opened_by": shift.opened_by,
                       "opened_at": shift.opened_at.isoformat(),
                       "opening_float": str(shift.opening_float)})


def _zone_text(zone: dt.tzinfo) -> str:
    """An IANA name, or (the machine's own zone, nameless) its offset now."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = dt.datetime.now(zone).utcoffset() or dt.timedelta(0)
    return f"offset:{int(offset.total_seconds())}"


_COLUMNS = ("p.id, p.sku, p.name, p.name_en, p.price, p.unit, p.unit_en, p.rate_bp, "
            "p.weighed, p.active, p.category_id")


def _hit(row: tuple[Any, ...], matched: str) -> ProductHit:
    pid, sku, name, name_en, price, unit, unit_en, rate_bp, weighed, active, category = row[:11]
    barcode = matched == "barcode"
    return ProductHit(id=pid, sku=sku, name=name, name_en=name_en, price=from_minor(price),
                      unit=unit, unit_en=unit_en, tax_rate=Decimal(rate_bp) / 10000,
                      sold_by_weight=bool(weighed), active=bool(active), matched=matched,
                      pack_qty=from_minor(row[11], QTY_PLACES) if barcode else Decimal(1),
                      barcode=row[12] if barcode else "", category_id=category)


def _promo_json(p: Promo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in asdict(p).items():
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out


def _promo_of(data: dict[str, Any]) -> Promo:
    values = dict(data)
    for key in ("percent", "amount", "bundle_price"):
        values[key] = Decimal(values[key])
    for key in ("weekdays", "products", "categories", "shops"):
        values[key] = frozenset(values[key])
    for key in ("starts_on", "ends_on"):
        values[key] = dt.date.fromisoformat(values[key]) if values[key] else None
    return Promo(**values)
