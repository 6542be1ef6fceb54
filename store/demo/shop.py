"""The demo shop: a realistic bilingual mini-market, from 3,000 to 1,000,000 products.

The set-up goes through the same validated services as a real shop; the catalog and its
opening stock are bulk-inserted (valid by construction, and checked by tests) because a
million products through the row-by-row services would take an hour instead of a minute.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from store.catalog import pinyin, search
from store.catalog import products as catalog
from store.common import clock
from store.core.db import database, insert_rows, is_postgres, unit_of_work
from store.core.money import from_minor, round_money, to_minor
from store.customers import parties
from store.demo.data import CATEGORIES, EDITIONS, GIVEN, ITEMS, SUPPLIERS, SURNAMES, Item
from store.demo.data import variants as category_kinds
from store.demo.history import DEFAULT_DAYS, SELLING_POOL, build_history
from store.models import (
    Barcode,
    Category,
    Product,
    ReorderRule,
    StockLevel,
    StockMove,
    StockValue,
    TaxRate,
    Unit,
    User,
    Warehouse,
    utcnow,
)
from store.pricing import price_lists
from store.security import audit, auth
from store.shops import org
from store.shops.setup import setup_shop
from store.stock import costing

DEMO_USERS = (
    # username, role, PIN, display name
    ("cashier", "cashier", "1234", "收银员小王"),
    ("manager", "supervisor", "2468", "店长老李"),
    ("owner", "owner", "8888", "老板"),
    ("keeper", "warehouse", "1357", "仓管小张"),
    ("accounts", "accountant", "3690", "会计小陈"),
)
DEFAULT_PRODUCTS = 3000
BATCH = 20000

Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    pass


def _variants() -> list[tuple[str, Item, str, str, str, str, Decimal]]:
    """Every (category, item, zh name, en name, ...) combination, in a stable order."""
    out = []
    for cat, items in ITEMS.items():
        for item in items:
            for (bzh, ben), (szh, sen, factor) in itertools.product(item.brands, item.sizes):
                # "可口可乐" already says 可乐: no "可口可乐可乐".
                zh_item = "" if bzh and item.zh in bzh else item.zh
                en_item = "" if ben and item.en.lower() in ben.lower() else item.en
                zh = "".join(p for p in (bzh, zh_item) if p) + (f" {szh}" if szh else "")
                en = " ".join(p for p in (ben, en_item, sen) if p)
                price = round_money(Decimal(item.price) * Decimal(factor))
                out.append((cat, item, zh, en, bzh, szh, price))
    return out


def _gs1_check(body: str) -> str:
    # The GS1 mod-10 check digit, inlined: stdnum's general version was 8 s of a 1M build.
    # tests/store/test_auth_demo.py validates every demo code with stdnum.
    odd = sum(map(int, body[-1::-2]))
    even = sum(map(int, body[-2::-2]))
    return str((10 - (odd * 3 + even) % 10) % 10)


def _timestamp() -> str:
    # One timestamp text for the whole load: both engines parse it, and it spares 3.5M
    # datetime adaptations.
    return utcnow().isoformat(sep=" ")


def _product_rows(n: int, ids: dict[str, dict[str, int]], start_id: int, rng: random.Random
                  ) -> Iterator[tuple[tuple, list[tuple], Item]]:
    """Yield (product row, barcode rows, item) for n products; weighed items get PLU SKUs."""
    variants = _variants()
    category_variants = {cat: category_kinds(cat) for cat in EDITIONS}
    now = _timestamp()
    plu = 10001
    for i in range(n):
        cat, item, zh, en, _bzh, _szh, price = variants[i % len(variants)]
        series = i // len(variants)
        if series:  # past the real combinations: the category's variants, then numbered ones
            kinds = category_variants[cat]
            vzh, ven, factor = kinds[(series - 1) % len(kinds)]
            rnd = (series - 1) // len(kinds)
            zh, en = f"{zh} {vzh}", f"{en} {ven}"
            if rnd:
                zh, en = f"{zh}{rnd + 1}", f"{en} {rnd + 1}"
            if not item.weighed:  # a weighed item keeps its price per kilogram
                price *= Decimal(factor)
            price = round_money(price * Decimal(100 + (series % 7) - 3) / 100)
        pid = start_id + i
        full, initials = pinyin.keys(zh)
        cost = round_money(price * Decimal(rng.randint(55, 80)) / 100)
        if item.weighed:
            sku = f"{plu:05d}" if plu < 100000 else f"F{pid:07d}"
            plu += 1
        else:
            sku = f"P{pid:07d}"
        row = (pid, sku, zh, en, full, initials, ids["cat"][cat], ids["unit"][item.unit],
               to_minor(price), ids["tax"][item.tax], to_minor(cost, 4), True, item.weighed, True,
               now, now)
        codes: list[tuple] = []
        if not item.weighed:
            # EAN-13 under the GS1 China prefixes 690–699, unique by product id.
            body = f"69{pid % 10}{pid // 10:09d}"
            codes.append((body + _gs1_check(body), pid, 1000))
            if item.case:
                case = "1" + body
                codes.append((case + _gs1_check(case), pid, item.case * 1000))
        yield row, codes, item


PRODUCT_COLUMNS = ("id", "sku", "name", "name_en", "pinyin", "initials", "category_id",
                   "unit_id", "price", "tax_rate_id", "cost", "stock_tracked", "sold_by_weight",
                   "active", "created_at", "updated_at")
BARCODE_COLUMNS = ("code", "product_id", "pack_qty")
MOVE_COLUMNS = ("uuid", "product_id", "warehouse_id", "qty", "unit_cost", "value", "reason",
                "reference", "created_at")
VALUE_COLUMNS = ("product_id", "qty", "value", "unit_cost")
LEVEL_COLUMNS = ("product_id", "warehouse_id", "on_hand")


FAST_MOVERS = SELLING_POOL  # the first products: the ones the demo's history sells
SEAL_BATCH = 2000  # moves per audit event: a few hundred kB of payload each


def _seal_moves(moves: list[tuple], at: str) -> None:
    """The opening moves written in bulk are sealed like any other (costing.move_seal's
    shape), so `audit verify` covers the demo's stock too."""
    for i in range(0, len(moves), SEAL_BATCH):
        audit.record("stock", {"moves": [
            [str(uuid.UUID(str(u))), p, w, q, v, c, reason, ref, None, at]
            for u, p, w, q, c, v, reason, ref, _at in moves[i:i + SEAL_BATCH]]},
            reference="DEMO-OPENING")


def _bulk(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    insert_rows(table, columns, rows)  # COPY on PostgreSQL, 10x faster than INSERTs


def _lookups() -> dict[str, dict[str, int]]:
    return {
        "cat": {c.code: c.id for c in Category.select()},
        "unit": {u.code: u.id for u in Unit.select()},
        "tax": {t.code: t.id for t in TaxRate.select()},
        "wh": {w.code: w.id for w in Warehouse.select()},
    }


@unit_of_work
def _master_data(rng: random.Random) -> None:
    for code, zh, en in CATEGORIES:
        catalog.create_category(code, zh, en)
    for code, name, contact, phone, lead in SUPPLIERS:
        parties.create_supplier(code, name, contact=contact, phone=phone, lead_time_days=lead)
    users = {username: auth.create_user(username, role, pin=pin, display_name=display)
             for username, role, pin, display in DEMO_USERS}
    for code, zh, en in (("RETAIL", "零售价", "Retail"), ("MEMBER", "会员价", "Member"),
                         ("WHOLESALE", "批发价", "Wholesale")):
        parties.create_price_list(users["owner"], code, zh, en)
    parties.create_customer_group("WALKIN", "散客", "Walk-in", "RETAIL")
    parties.create_customer_group("MEMBER", "会员", "Members", "MEMBER")
    parties.create_customer_group("TRADE", "批发客户", "Trade", "WHOLESALE")
    for i in range(1, 61):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        group = "TRADE" if i % 10 == 0 else "MEMBER"
        limit = Decimal(5000) if group == "TRADE" else Decimal(0)
        # Made-up numbers from the 138 0013 8000 range used in examples; sealed at rest.
        parties.create_customer(f"M{i:06d}", name, group=group, credit_limit=limit,
                                phone=f"1380013{8000 + i:04d}",
                                address=f"上海市长宁区愚园路{100 + i}号" if group == "TRADE"
                                else "")
    org.create_terminal("T2", "2号收银台", "STORE")


def _catalog(n: int, rng: random.Random, progress: Progress) -> None:
    ids = _lookups()
    store_id, wh_id = ids["wh"]["STORE"], ids["wh"]["WH"]
    start = (Product.select(Product.id).order_by(Product.id.desc()).scalar() or 0) + 1
    now = _timestamp()
    sealed_at = audit.iso_time(dt.datetime.fromisoformat(now))
    products: list[tuple] = []
    codes: list[tuple] = []
    moves: list[tuple] = []
    levels: list[tuple] = []
    values: list[tuple] = []
    rules: list[tuple] = []
    total_value = 0
    pg = is_postgres()
    uuid_base = rng.getrandbits(64) << 64
    move_seq = itertools.count()

    def flush() -> None:
        _bulk(Product._meta.table_name, PRODUCT_COLUMNS, products)
        _bulk(Barcode._meta.table_name, BARCODE_COLUMNS, codes)
        _bulk(StockMove._meta.table_name, MOVE_COLUMNS, moves)
        _seal_moves(moves, sealed_at)
        _bulk(StockLevel._meta.table_name, LEVEL_COLUMNS, levels)
        _bulk(StockValue._meta.table_name, VALUE_COLUMNS, values)
        _bulk(ReorderRule._meta.table_name, ("product_id", "warehouse_id", "min_qty", "max_qty"),
              rules)
        for buf in (products, codes, moves, levels, values, rules):
            buf.clear()

    for i, (row, barcodes, item) in enumerate(_product_rows(n, ids, start, rng)):
        pid, cost = row[0], row[10]
        products.append(row)
        codes.extend(barcodes)
        # Opening stock, entered as real moves: the level is their sum (invariant 2), and
        # its value (qty in thousandths × cost in ten-thousandths, to the cent) is the
        # product's stock value, all of it posted to the inventory account below.
        product_qty = product_value = 0
        # A mini-market's stock: a shelf's worth of each product in the shop (1–4 of a slow
        # one, 6–20 of a fast one; 2–10 kg of what is weighed) and, for half the fast movers
        # (the first products, which the history sells most), three times that in the back
        # room — not years of sales.
        for wid, share in ((store_id, 1), (wh_id, 3)):
            if wid == wh_id and (i % 2 or i >= FAST_MOVERS):
                continue
            r = rng.random()
            if item.weighed:
                qty = int(2000 + r * 8000)
            else:
                qty = int(6 + r * 15) if i < FAST_MOVERS else int(1 + r * 4)
                qty *= 1000
            qty *= share
            ref = "DEMO-OPENING"
            # Sequential UUIDs (random high half): unique like uuid4, but appended to the
            # unique index in order instead of scattered over 1.5M rows.
            move_id = uuid.UUID(int=uuid_base + next(move_seq))
            # Each move's value is what it adds to the product's running value, rounded to
            # the cent once on the total: Σ values = on hand × cost to the cent (the invariant
            # the moving average keeps), however the moves split the quantity.
            value = ((product_qty + qty) * cost + 50_000) // 100_000 - product_value
            moves.append((move_id if pg else str(move_id), pid, wid, qty, cost, value, "opening",
                          ref, now))
            levels.append((pid, wid, qty))
            product_qty += qty
            product_value += value
        values.append((pid, product_qty, product_value, cost))
        total_value += product_value
        if i < 5000:  # reorder below a few on the shelf (some fast movers already are)
            fast = i < FAST_MOVERS
            rules.append((pid, store_id, 2000 if item.weighed else (8000 if fast else 1000),
                          10000 if item.weighed else (30000 if fast else 4000)))
        if len(products) >= BATCH:
            flush()
            progress("products", i + 1, n)
    flush()
    progress("products", n, n)
    costing.post_opening_balance(from_minor(total_value), "DEMO-OPENING")
    if pg:
        for table in ("product",):
            database.obj.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM \"{table}\"))")


@unit_of_work
def _price_lists() -> None:
    """Members pay 5 % less for drinks and 2.80 for a Coke 330ml (2.50 each from 12);
    the trade pays 10 % less for everything in grain & oil."""
    owner = _owner()
    price_lists.set_category_discount(owner, "MEMBER", "DRINK", "5")
    coke = search.lookup_code("6910000000006")
    if coke is not None:
        price_lists.set_product_price(owner, "MEMBER", coke.sku, "2.80")
        price_lists.set_product_price(owner, "MEMBER", coke.sku, "2.50", min_qty="12")
    price_lists.set_category_discount(owner, "WHOLESALE", "GRAIN", "10")


def _owner() -> auth.SessionUser:
    # The demo's set-up is done as its owner, through the same checks as anyone's.
    u = User.get(User.username == "owner")
    return auth.SessionUser(u.id, u.username, u.display_name, u.role)


def _promotions() -> None:
    """Three promotions to see at the till: a bundle, a weekend buy-2-get-1 and a members'
    price, on products the walkthroughs in the docs do not use for anything else."""
    from store.pricing.promotions import PromotionInput, create

    owner = _owner()
    picked = [search.lookup_code(f"P{n:07d}") for n in (20, 30, 40)]
    bundle, weekend, members = picked
    if bundle is not None:
        create(owner, PromotionInput("DEMO3", "三件特惠", "bundle",
                                     str(round_money(bundle.price * 3 * Decimal("0.8"))),
                                     bundle_qty=3, skus=[bundle.sku], name_en="3 for less"))
    if weekend is not None:
        create(owner, PromotionInput("WEEKEND", "周末买2送1", "buy_get", buy=2, get=1,
                                     skus=[weekend.sku], weekdays="67",
                                     name_en="Weekend: buy 2 get 1"))
    if members is not None:
        create(owner, PromotionInput("MEMBER10", "会员九折", "percent", "10",
                                     skus=[members.sku], members_only=True,
                                     name_en="Members 10% off"))
    from store.selling import cards

    cards.set_bonus(owner, "100", "10")  # 充100送10, 充500送60: stored-value cards' top-ups
    cards.set_bonus(owner, "500", "60")
    from store.selling import points

    # 1 point a 元 (100 points pay 1 元), twice on drinks; members reach 银卡 at 500 元
    # spent and 金卡 at 2,000 元 (half as many points again, and the member price list).
    points.set_rule(owner, "1")
    points.set_rule(owner, "2", category="DRINK")
    points.set_tier(owner, "SILVER", "银卡会员", "500", name_en="Silver")
    points.set_tier(owner, "GOLD", "金卡会员", "2000", name_en="Gold", earn_pct=150,
                    price_list="MEMBER")


def _sales_orders() -> None:
    """Orders to see on the order-tracking screen: a trade customer's phone order (confirmed,
    stock reserved) and a quote, and four Taobao orders as an import brings them — paid,
    shipped with a tracking number, closed, and one held for an item the shop has no code
    for."""
    from store.channels.base import ItemInput, OrderInput, upsert
    from store.customers.orders import LineInput, create

    owner = _owner()
    skus = [hit.sku for hit in (search.lookup_code(f"P{n:07d}") for n in (11, 12, 13, 14))
            if hit is not None]
    if len(skus) < 4:
        return  # a catalog too small for the walkthrough
    create(owner, [LineInput(skus[0], "24"), LineInput(skus[1], "12")], customer_code="M000010",
           note="电话订货：明早送到", confirm=True)
    create(owner, [LineInput(skus[2], "48")], customer_code="M000020", note="报价单")
    who = ("张小姐", "13800139001", "浙江省杭州市西湖区文三路 90 号")

    def taobao(number: str, status: str, label: str, sku: str, carrier: str = "",
               tracking_no: str = "") -> OrderInput:
        hit = search.lookup_code(sku)
        price = hit.price if hit is not None else Decimal("9.90")
        return OrderInput(number, status, label, buyer="tb_buyer" + number[-3:],
                          recipient=who, total=price * 2,
                          items=[ItemInput(sku, hit.name if hit else "未知宝贝", Decimal(2),
                                           price)], carrier=carrier, tracking_no=tracking_no)

    upsert(owner, "taobao", [
        taobao("3901000000000001", "confirmed", "买家已付款，等待卖家发货", skus[3]),
        taobao("3901000000000002", "shipped", "卖家已发货，等待买家确认", skus[0],
               carrier="中通快递", tracking_no="75312345678901"),
        taobao("3901000000000003", "cancelled", "交易关闭", skus[1]),
        taobao("3901000000000004", "confirmed", "买家已付款，等待卖家发货", "TB-GIFT-BOX"),
    ])


def build_demo(products: int = DEFAULT_PRODUCTS, *, progress: Progress = _noop,
               seed: int = 20261125, history_days: int = DEFAULT_DAYS) -> float:
    """Fill an empty, migrated database with the demo shop and `history_days` days of its
    past work; returns seconds taken."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    # The shop opens the morning before its history starts, with its opening stock.
    opened = clock.local_moment(clock.local_today() - dt.timedelta(days=history_days + 1),
                                dt.time(7, 0))
    with clock.at(opened):
        setup_shop("掌柜便利店", name_en="Zhanggui Mini-Mart", cash_rounding=Decimal("0.10"))
        _master_data(rng)
        db = database.obj
        with db.atomic():
            _catalog(products, rng, progress)
        _price_lists()
        _promotions()
    if history_days:
        build_history(history_days, progress=progress)
    _sales_orders()
    if not is_postgres():
        db.execute_sql("PRAGMA optimize")
    else:
        db.execute_sql("ANALYZE")
    return time.perf_counter() - t0


__all__ = ["DEFAULT_PRODUCTS", "DEMO_USERS", "build_demo"]
