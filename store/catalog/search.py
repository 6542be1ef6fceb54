"""Product lookup for the till and the back office: barcode, SKU, pinyin and name, ranked.

Nothing loads the catalog: each tier is one indexed query with a LIMIT, so a scan costs the
same few queries on 3,000 products or 1,000,000 (pinned by tests/store/test_search.py).
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from peewee import SQL, fn

from store.catalog import pinyin
from store.common.kept import Kept
from store.core.db import SCHEMA_CACHES, database, is_postgres
from store.core.i18n import current_language
from store.core.money import QTY_PLACES, from_minor
from store.core.text import sku_key
from store.models import Barcode, Product, ProductTemplate, SaleLine, ShopPrice, TaxRate, Unit


@dataclass(frozen=True)
class ProductHit:
    id: int
    sku: str
    name: str
    name_en: str
    price: Decimal
    unit: str
    unit_en: str
    tax_rate: Decimal
    sold_by_weight: bool
    active: bool
    matched: str  # barcode, sku, pinyin, name
    pack_qty: Decimal = Decimal(1)
    barcode: str = ""
    category_id: int | None = None  # for a price list's category rules

    @property
    def local_name(self) -> str:
        """The name in the interface's language: English where the product has one."""
        return self.name_en if self.name_en and current_language() == "en" else self.name


_SCAN_COLUMNS = (Product.id, Product.sku, Product.name, Product.name_en, Product.price, Unit.name,
                 Unit.name_en, TaxRate.rate_bp, Product.sold_by_weight, Product.active,
                 Product.category)
_scan_sql: dict[tuple[int, str, str], str] = {}


def _compiled(kind: str) -> str:
    """The scan queries as SQL text, built by peewee once per database and reused.

    Building a peewee query and three joined models costs ~0.7 ms a scan; the same SQL as
    text with tuples back costs a tenth of that (tests/bench/bench_store.py).
    """
    key = (id(database.obj), type(database.obj).__name__, kind)
    if key not in _scan_sql:
        if kind == "barcode":
            q = (Barcode.select(*_SCAN_COLUMNS, Barcode.pack_qty, Barcode.code)
                 .join(Product).join(Unit).switch(Product).join(TaxRate)
                 .where(Barcode.code == "?"))
        else:  # the SKU in any letter case (index of migration 0018), the exact one first
            q = _select().where(fn.LOWER(Product.sku) == "?").order_by(Product.sku != "?")
        sql, _params = q.limit(1).sql()
        _scan_sql[key] = sql
    return _scan_sql[key]


def _select():
    return Product.select(*_SCAN_COLUMNS).join(Unit).switch(Product).join(TaxRate)


def _rows(query) -> list[tuple]:
    # Raw rows, converted once by _row_hit: building peewee model instances for three joined
    # tables cost more than the query (bench: 3.0 ms -> see docs/BENCHMARKS.md).
    return list(database.obj.execute_sql(*query.sql()).fetchall())


def _row_hit(row: tuple, matched: str) -> ProductHit:
    pid, sku, name, name_en, price, unit, unit_en, rate_bp, weighed, active, category = row[:11]
    pack = from_minor(row[11], QTY_PLACES) if matched == "barcode" else Decimal(1)
    return ProductHit(id=pid, sku=sku, name=name, name_en=name_en, price=from_minor(price),
                      unit=unit, unit_en=unit_en, tax_rate=Decimal(rate_bp) / 10000,
                      sold_by_weight=bool(weighed), active=bool(active), matched=matched,
                      pack_qty=pack, barcode=row[12] if matched == "barcode" else "",
                      category_id=category)


def clean(text: str) -> str:
    """What was typed or scanned, without control characters: a scanner may send a GS or a
    NUL, which PostgreSQL refuses in text and no code contains."""
    if text.isprintable():
        return text.strip()
    return "".join(ch for ch in text if ch.isprintable()).strip()


def scan_key(code: str) -> str:
    """What a scan looks up: without control characters, and full-width digits typed through
    a Chinese input method (６９０１…) as the ASCII a barcode holds; "" for nothing."""
    code = clean(code)
    return unicodedata.normalize("NFKC", code) if code and not code.isascii() else code


def lookup_code(code: str, *, shop: int | None = None) -> ProductHit | None:
    """A scan: the product whose barcode (with its pack quantity) or SKU is exactly `code`,
    at `shop`'s own price where it has one (else the chain's).

    Two queries at most: the barcode join, then the SKU; and a shop's price, by its key.
    """
    code = scan_key(code)
    if not code:
        return None
    db = database.obj
    row = db.execute_sql(_compiled("barcode"), (code, 1)).fetchone()
    if row is not None:
        return at_shop([_row_hit(row, "barcode")], shop)[0]
    row = db.execute_sql(_compiled("sku"), (sku_key(code), code, 1)).fetchone()
    return at_shop([_row_hit(row, "sku")], shop)[0] if row else None


def at_shop(hits: list[ProductHit], shop: int | None) -> list[ProductHit]:
    """The hits at `shop`'s own prices (issue 18.1), where it set any: one query by the
    (shop, product) key; no shop, no query."""
    if shop is None or not hits:
        return hits
    db = database.obj
    marks = ", ".join([db.param] * len(hits))
    table = ShopPrice._meta.table_name
    rows = db.execute_sql(f'SELECT product_id, price FROM "{table}" WHERE shop_id = {db.param} '
                          f"AND product_id IN ({marks})", [shop, *(h.id for h in hits)])
    own = {pid: from_minor(price) for pid, price in rows.fetchall()}
    if not own:
        return hits
    return [replace(h, price=own[h.id]) if h.id in own else h for h in hits]


def _prefix_range(field, key: str):
    # A range, not LIKE 'x%': both engines use the plain b-tree index for it, whatever the
    # collation's LIKE rules (keys are [0-9a-z] only, so the bounds are exact).
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    return (field >= key) & (field < upper)


# How many near matches are ranked: enough for every variant of a brand a shop carries, few
# enough that ranking stays a fixed cost whatever the catalog's size.
RANK_POOL = 100
# Popularity is read from the most recent sale lines only: a bounded primary-key range, so a
# search costs the same after ten years of sales as after one week.
RECENT_LINES = 20_000


def search(query: str, limit: int = 20, *, include_inactive: bool = False,
           shop: int | None = None) -> list[ProductHit]:
    """Up to `limit` products for a typed query, best first.

    An exact barcode or SKU comes first. The rest are found by pinyin initials prefix (kkkl),
    full pinyin prefix (kekou), or name / English name containing the text, each tier one
    bounded query; they are then ranked by how well the query matches (it spells out whole
    words of the name before it only starts one), then by what sold most lately, so `kkkl`
    shows the cola people buy before nine variants of another bottle.
    """
    text = clean(query)
    if not text or limit <= 0:
        return []
    exact = lookup_code(text, shop=shop)
    if exact is not None and not (include_inactive or exact.active):
        exact = None
    seen: set[int] = {exact.id} if exact else set()
    found: list[ProductHit] = []
    pool = max(limit, RANK_POOL)
    styled = [h for h in _style_hits(text, include_inactive, limit) if h.id not in seen]
    seen.update(h.id for h in styled)
    key = pinyin.query_key(text)
    queries: list[tuple[str, Any]] = []  # (matched, (sql, params) or a peewee query)
    if key and key == text.lower().replace(" ", ""):
        upper = key[:-1] + chr(ord(key[-1]) + 1)
        for column in ("initials", "pinyin"):
            sql = _prefix_sql(column, include_inactive)
            params = [key, upper] + ([] if include_inactive else [True]) + [pool]
            queries.append(("pinyin", (sql, params)))
    if len(text) >= TRIGRAM and name_index() == "fts5":
        phrase = '"' + text.replace('"', '""') + '"'  # FTS5: the text as one phrase: a substring
        params = [phrase] + ([] if include_inactive else [True]) + [pool]
        queries.append(("name", (_fts_sql(include_inactive), params)))
    else:  # PostgreSQL's trigram index serves this query by itself (pg_trgm, migration 0031)
        q = _select().where(Product.name.contains(text) | Product.name_en.contains(text))
        if not include_inactive:
            q = q.where(Product.active == True)  # noqa: E712 (peewee expression)
        queries.append(("name", q.order_by(Product.id).limit(pool).sql()))
    db = database.obj
    for matched, (sql, params) in queries:
        if len(found) >= pool:
            break
        # Duplicates are skipped here, not by NOT IN (…100 ids…): peewee builds SQL value by
        # value, and that cost more than the query.
        for row in db.execute_sql(sql, params).fetchall():
            if row[0] not in seen and len(found) < pool:
                hit = _row_hit(row, matched)
                seen.add(hit.id)
                found.append(hit)
    sold = recent_sales([h.id for h in found])
    found.sort(key=lambda h: (0 if _whole_words(h, text, key) else 1, -sold.get(h.id, 0),
                              len(h.name)))
    return ([exact] if exact else []) + at_shop(
        (styled + found)[:limit - (1 if exact else 0)], shop)


def _style_hits(text: str, include_inactive: bool, limit: int) -> list[ProductHit]:
    """A style's code typed (TSHIRT): its variants together, in the order they were made,
    before what the name search finds (their names hold the style's name, not its code)."""
    if not STYLE_CODE.match(text) or text.upper() not in _styles.get():
        return []
    q = (_select().switch(Product)
         .join(ProductTemplate, on=(Product.template == ProductTemplate.id))
         .where(fn.UPPER(ProductTemplate.code) == text.upper()))
    if not include_inactive:
        q = q.where(Product.active == True)  # noqa: E712 (peewee expression)
    return [_row_hit(row, "style") for row in _rows(q.order_by(Product.id).limit(limit))]


STYLE_CODE = re.compile(r"^[A-Za-z0-9]{1,40}$")  # as store.catalog.variants makes them


def _style_codes() -> frozenset[str]:
    codes: Any = ProductTemplate.select(fn.UPPER(ProductTemplate.code)).tuples()
    return frozenset(c for (c,) in codes)


# The styles' codes, kept for moments: a search asks for a style's variants only when the text
# is one (the search's queries stay as many as before styles). A style made here is seen at
# once (`styles_changed`), one made at another terminal within the half-minute.
_styles = Kept(_style_codes, seconds=30)


def styles_changed() -> None:
    _styles.forget()


TRIGRAM = 3  # shorter text has no trigram to look up: it scans the names


def name_index() -> str:
    """The names' trigram index of this database: "fts5", "pg_trgm" or "" (none: migration
    0031 could not make it, and name searches scan)."""
    db = database.obj
    if db not in _name_index:
        if is_postgres(db):
            found = db.execute_sql("SELECT 1 FROM pg_indexes WHERE tablename = 'product' "
                                   "AND indexname = 'product_name_trgm'").fetchone()
            _name_index[db] = "pg_trgm" if found else ""
        else:
            found = db.execute_sql("SELECT 1 FROM sqlite_master "
                                   "WHERE name = 'product_name_fts'").fetchone()
            _name_index[db] = "fts5" if found else ""
    return _name_index[db]


# By the database object itself, not its id: a database closed and collected leaves its id
# to the next one, which may be PostgreSQL where this was SQLite (CI found that).
_name_index: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
SCHEMA_CACHES.append(_name_index.clear)


def _fts_sql(include_inactive: bool) -> str:
    """The name tier through SQLite's FTS5 trigram index: driven by the index in product id
    order, so a common word stops at the LIMIT and a miss reads nothing. Parameters: (the
    phrase, [active,] limit)."""
    key = (id(database.obj), type(database.obj).__name__, "fts", include_inactive)
    if key not in _prefix_cache:
        q = _select().where(SQL('"f"."product_name_fts" MATCH ?', ["?"]))
        if not include_inactive:
            q = q.where(Product.active == True)  # noqa: E712
        sql, _params = q.order_by(SQL('"f"."rowid"')).limit(1).sql()
        joined = sql.replace('FROM "product" AS "t1"', 'FROM "product_name_fts" AS "f" '
                             'INNER JOIN "product" AS "t1" ON ("t1"."id" = "f"."rowid")', 1)
        assert joined != sql, sql
        _prefix_cache[key] = joined
    return _prefix_cache[key]


def _prefix_sql(column: str, include_inactive: bool) -> str:
    """A pinyin tier's SQL text, built by peewee once per database (0.8 ms a build); its
    parameters are (key, key's successor, [active,] limit)."""
    key = (id(database.obj), type(database.obj).__name__, column, include_inactive)
    if key not in _prefix_cache:
        field = getattr(Product, column)
        q = _select().where(_prefix_range(field, "a"))
        if not include_inactive:
            q = q.where(Product.active == True)  # noqa: E712
        sql, params = q.order_by(field).limit(1).sql()
        assert len(params) == (3 if include_inactive else 4), params
        _prefix_cache[key] = sql
    return _prefix_cache[key]


_prefix_cache: dict[tuple[int, str, str, bool], str] = {}  # and the FTS tier's


def _whole_words(hit: ProductHit, text: str, key: str) -> bool:
    """Whether the query is the name's first words, whole: 'kkkl', 'kekoukele' and '可口可乐'
    all spell 可口可乐 of '可口可乐 330ml', where 'kk' only starts it."""
    low = text.lower()
    for name in (hit.name, hit.name_en):
        full = initials = words = ""
        for word in name.lower().split():
            f, i = _word_keys(word)
            full, initials, words = full + f, initials + i, (words + " " + word).strip()
            if low == words or (key and key in (full, initials)):
                return True
    return False


@lru_cache(maxsize=100_000)
def _word_keys(word: str) -> tuple[str, str]:
    return pinyin.keys(word)  # a catalog repeats its words: brands, sizes, 家庭装


def recent_sales(product_ids: list[int]) -> dict[int, Decimal]:
    """Quantity sold (scaled, for ranking) of each product among the shop's latest
    RECENT_LINES sale lines."""
    if not product_ids:
        return {}
    db = database.obj
    marks = ", ".join([db.param] * len(product_ids))
    line = SaleLine._meta.table_name
    # SQL text, not a peewee query: building IN (…100 ids…) value by value cost 1 ms.
    rows = db.execute_sql(
        f'SELECT product_id, SUM(qty) FROM "{line}" WHERE id > '
        f'(SELECT COALESCE(MAX(id), 0) FROM "{line}") - {int(RECENT_LINES)} '
        f"AND product_id IN ({marks}) GROUP BY product_id", list(product_ids)).fetchall()
    return {pid: Decimal(qty or 0) for pid, qty in rows}


def barcodes_of(product_id: int) -> list[tuple[str, Decimal]]:
    return [(b.code, b.pack_qty)
            for b in Barcode.select().where(Barcode.product == product_id).order_by(Barcode.id)]


def count_products(*, include_inactive: bool = True) -> int:
    q = Product.select()
    if not include_inactive:
        q = q.where(Product.active == True)  # noqa: E712
    return q.count()



def first_products(limit: int = 50) -> list[ProductHit]:
    """The catalog's first products by SKU, for a listing without a query."""
    return [_row_hit(row, "list") for row in _rows(_select().order_by(Product.sku).limit(limit))]


def by_ids(ids: list[int], *, shop: int | None = None) -> list[ProductHit]:
    """Products by id (recalling a parked basket), read as today's data, at `shop`'s
    prices."""
    if not ids:
        return []
    return at_shop([_row_hit(row, "id")
                    for row in _rows(_select().where(Product.id.in_(ids)))], shop)
