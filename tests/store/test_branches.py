"""Shops of a chain (issue 18.1, the first step): MAIN made with the company and owning the
warehouses made before; more shops added by an owner only, their warehouses and tills theirs;
an existing database's warehouses given MAIN by the migration."""

from __future__ import annotations

import pytest

from store import bootstrap
from store.core import schema
from store.core.db import connect, database
from store.core.errors import NotFound, PermissionDenied, ValidationError
from store.models import AuditEvent
from store.security import auth
from store.shops import branches, org


def test_a_new_shop_has_main_and_owns_its_warehouses_and_tills(shop) -> None:
    (main,) = branches.shops()
    assert (main.code, main.name, main.warehouses, main.terminals) == (
        "MAIN", "测试商店", ["STORE", "WH"], ["T1"])
    boss = auth.authenticate("boss", "8888")
    cashier = auth.create_user("c1", "cashier", pin="1357")
    with pytest.raises(PermissionDenied):
        branches.add_shop(cashier, "BJ", "北京店")
    with pytest.raises(ValidationError, match="Mars/Olympus"):
        branches.add_shop(boss, "BJ", "北京店", timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match="already exists"):
        branches.add_shop(boss, "main", "又一个")
    bj = branches.add_shop(boss, "bj", "北京店", name_en="Beijing", timezone="Asia/Shanghai")
    assert (bj.code, bj.timezone, bj.warehouses) == ("BJ", "Asia/Shanghai", [])
    org.add_warehouse(boss, "BJ1", "北京店门店", shop="bj")
    org.add_terminal(boss, "BJT1", "BJ1")
    with pytest.raises(NotFound, match="No shop 'SH'"):
        org.add_warehouse(boss, "SH1", "上海店", shop="SH")
    listed = {s.code: s for s in branches.shops()}
    assert listed["BJ"].warehouses == ["BJ1"] and listed["BJ"].terminals == ["BJT1"]
    assert listed["MAIN"].warehouses == ["STORE", "WH"] and listed["MAIN"].terminals == ["T1"]
    kinds = [(e.kind, e.reference) for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert ("shop_added", "BJ") in kinds and ("warehouse_added", "BJ1") in kinds


def test_an_older_database_gives_its_warehouses_to_main(engine: str, tmp_path) -> None:
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import create_pg_database

        url = create_pg_database("zg_shops")
    connect(url)
    schema.upgrade("0026_jobs")
    db = database.obj
    p = "?" if engine == "sqlite" else "%s"
    db.execute_sql(f'INSERT INTO "company" (name, name_en, address, phone, tax_id, currency, '
                   f'prices_include_tax, receipt_footer) VALUES ({p},{p},{p},{p},{p},{p},{p},{p})',
                   ("老王便利店", "Lao Wang Mart", "", "", "", "CNY", True, ""))
    for code in ("STORE", "WH"):
        db.execute_sql(f'INSERT INTO "warehouse" (code, name, name_en, active, allow_negative) '
                       f'VALUES ({p},{p},{p},{p},{p})', (code, code, "", True, True))
    schema.upgrade()
    (main,) = branches.shops()
    assert (main.code, main.name, main.name_en, main.warehouses) == (
        "MAIN", "老王便利店", "Lao Wang Mart", ["STORE", "WH"])
    bootstrap.close_store()


def test_reports_of_one_shop_and_shops_side_by_side(shop) -> None:
    from decimal import Decimal

    from store.common import clock
    from store.reporting import reports
    from tests.store.stock_helpers import sell, stock_shop

    users = stock_shop()
    boss = users["owner"]
    branches.add_shop(boss, "BJ", "北京店", name_en="Beijing")
    org.add_warehouse(boss, "BJ1", "北京店门店", shop="BJ")
    org.add_terminal(boss, "BJT1", "BJ1")
    sell(users["cashier"], "COKE", 2, terminal="T1")  # 2 × 3.50 at MAIN
    sell(users["cashier"], "TEA", 3, terminal="BJT1")  # 3 × 4.00 in Beijing
    today = clock.local_today()
    everything, bj, main = (reports.daily(today), reports.daily(today, shop="bj"),
                            reports.daily(today, shop="MAIN"))
    assert (everything.sales, bj.sales, main.sales) == (2, 1, 1)
    assert (bj.figures.net, main.figures.net) == (Decimal("12.00"), Decimal("7.00"))
    assert everything.figures.net == bj.figures.net + main.figures.net
    assert [t.key for t in bj.by_terminal] == ["BJT1"]
    assert sum(t.amount for t in bj.by_tender) == Decimal("12.00")
    side = {r.key: (r.label, r.figures.net) for r in reports.sales_by("shop", today, today)}
    assert side == {"BJ": ("Beijing", Decimal("12.00")), "MAIN": ("Test Shop", Decimal("7.00"))}
    with pytest.raises(NotFound, match="No shop 'SH'"):
        reports.daily(today, shop="SH")


def test_a_shop_in_another_time_zone_counts_its_own_days(shop) -> None:
    import datetime as dt

    from store.common import clock
    from store.models import Sale
    from tests.store.stock_helpers import sell, stock_shop

    users = stock_shop()
    clock.set_shop_zone("Asia/Shanghai")
    branches.add_shop(users["owner"], "KS", "喀什店", timezone="Asia/Kashgar")  # UTC+6
    org.add_warehouse(users["owner"], "KS1", "喀什店门店", shop="KS")
    org.add_terminal(users["owner"], "KST1", "KS1")
    # 17:30 UTC: already the 5th in Shanghai (01:30), still the 4th in Kashgar (23:30).
    with clock.freeze(dt.datetime(2026, 12, 4, 17, 30)):
        sell(users["cashier"], "COKE", 1, terminal="T1")
        sell(users["cashier"], "COKE", 1, terminal="KST1")
    days = {s.terminal: (s.day, s.hour) for s in Sale.select()}
    assert days == {"T1": (dt.date(2026, 12, 5), 1), "KST1": (dt.date(2026, 12, 4), 23)}
    assert branches.zone_of("KST1").key == "Asia/Kashgar"  # type: ignore[attr-defined]
    assert str(branches.zone_of("T1")) == "Asia/Shanghai"


def test_reorder_suggestions_of_one_shop(shop) -> None:
    from store.models import Product, ReorderRule, Warehouse
    from tests.store.stock_helpers import stock_shop

    users = stock_shop()
    branches.add_shop(users["owner"], "BJ", "北京店")
    org.add_warehouse(users["owner"], "BJ1", "北京店门店", shop="BJ")
    for house in ("STORE", "BJ1"):
        ReorderRule.create(product=Product.get(Product.sku == "TEA"),
                           warehouse=Warehouse.get(Warehouse.code == house),
                           min_qty=5, max_qty=20)
    from store.buying import reorder

    assert {s.warehouse for s in reorder.suggestions()} == {"STORE", "BJ1"}
    assert {s.warehouse for s in reorder.suggestions(shop="BJ")} == {"BJ1"}
    assert {s.warehouse for s in reorder.suggestions(shop="MAIN")} == {"STORE"}


def test_a_chain_s_users_work_for_their_own_shop_only(shop) -> None:
    """Issue 18's chain proof, in the store's services: 3 shops, 6 tills, shop-scoped users —
    a manager of one shop cannot see or approve for another; a cashier sells at their own
    shop's tills only; the owner sees all."""
    from decimal import Decimal

    from store.common import clock
    from store.reporting import reports
    from store.security import approvals
    from store.selling import sales
    from tests.store.stock_helpers import sell, stock_shop

    users = stock_shop()
    boss = users["owner"]
    org.add_terminal(boss, "T2", "STORE")
    for code in ("BJ", "SH"):
        branches.add_shop(boss, code, code)
        org.add_warehouse(boss, f"{code}1", code, shop=code)
        org.add_terminal(boss, f"{code}T1", f"{code}1")
        org.add_terminal(boss, f"{code}T2", f"{code}1")
    mgr = auth.create_user("mgr_bj", "supervisor", pin="2468")
    till = auth.create_user("cash_bj", "cashier", pin="1111")
    cashier = users["cashier"]  # works for every shop, as before shops existed
    cashier_bj = auth.authenticate("cash_bj", "1111")
    with pytest.raises(PermissionDenied):  # only who may manage users assigns shops
        branches.assign(cashier, "mgr_bj", ["BJ"])
    assert branches.assign(boss, "mgr_bj", ["bj"]) == ["BJ"]
    assert branches.assign(boss, "cash_bj", ["BJ"]) == ["BJ"]
    sell(cashier_bj, "COKE", 1, terminal="BJT1")
    sell(cashier, "COKE", 2, terminal="SHT1")
    sell(cashier, "COKE", 3, terminal="T1")
    with pytest.raises(PermissionDenied, match="not for till SHT2's shop"):
        sales.open_shift("SHT2", till.id, "0")
    with pytest.raises(PermissionDenied, match="not for till SHT1's shop"):
        sell(cashier_bj, "COKE", 1, terminal="SHT1")  # its shift is open, by someone else
    with pytest.raises(PermissionDenied, match="not for till SHT1's shop"):
        approvals.grant("discount", username="mgr_bj", secret="2468", requested_by=cashier,
                        reason="damaged box", terminal="SHT1")
    given = approvals.grant("discount", username="mgr_bj", secret="2468",
                            requested_by=cashier_bj, reason="damaged box", terminal="BJT2")
    assert given.approver.username == "mgr_bj"
    today = clock.local_today()
    mine = reports.daily(today, viewer=auth.authenticate("mgr_bj", "2468"))
    assert (mine.sales, mine.figures.net) == (1, Decimal("3.50"))
    with pytest.raises(PermissionDenied, match="sees BJ only"):
        reports.daily(today, shop="SH", viewer=auth.authenticate("mgr_bj", "2468"))
    with pytest.raises(PermissionDenied, match="sees BJ only"):
        reports.sales_by("product", today, today, shop="MAIN",
                         viewer=auth.authenticate("mgr_bj", "2468"))
    assert [r.key for r in reports.sales_by("shop", today, today, viewer=mgr)] == ["BJ"]
    # The dashboard of BJ's manager: BJ's sales, its tills' open shifts, its low stock only.
    from store.models import Product, ReorderRule, Warehouse

    for house in ("BJ1", "SH1"):
        ReorderRule.create(product=Product.get(Product.sku == "TEA"),
                           warehouse=Warehouse.get(Warehouse.code == house), min_qty=5,
                           max_qty=20)
    theirs = reports.dashboard(viewer=mgr)  # BJ1: TEA under its minimum, COKE sold below 0
    assert (theirs.today.sales, theirs.open_shifts, theirs.low_stock) == (1, ["BJT1"], 2)
    whole = reports.dashboard(viewer=boss)  # and SH1's two, and STORE's COKE below zero
    assert whole.open_shifts == ["BJT1", "SHT1", "T1"] and whole.low_stock == 5
    assert reports.dashboard(shop="SH", viewer=boss).open_shifts == ["SHT1"]
    with pytest.raises(PermissionDenied, match="sees BJ only"):
        reports.dashboard(shop="SH", viewer=mgr)
    everything = reports.daily(today, viewer=boss)
    assert (everything.sales, everything.figures.net) == (3, Decimal("21.00"))
    denied = [e for e in AuditEvent.select() if e.kind == "permission_denied"
              and '"shop_scope"' in e.payload]
    assert len(denied) == 3  # each refusal at a till (shift, sale, approval) kept
    assert branches.assign(boss, "mgr_bj", []) == []  # every shop again
    assert reports.daily(today, shop="SH", viewer=mgr).sales == 1


def test_goods_between_shops_travel_and_each_shop_sees_its_own(shop) -> None:
    """Issue 18.1: a transfer between shops goes through goods in transit (always two steps),
    each shop sees what is on the road to and from it, and a user of one shop ships, receives,
    counts and takes deliveries in their own shop's warehouses only."""
    from decimal import Decimal

    from store.buying import receiving
    from store.stock import counts, inventory, transfers
    from tests.store.stock_helpers import check_stock_invariants, stock_shop

    users = stock_shop()
    boss = users["owner"]
    branches.add_shop(boss, "BJ", "北京店", name_en="Beijing")
    org.add_warehouse(boss, "BJ1", "北京店仓", shop="BJ")
    keeper_bj = auth.create_user("keep_bj", "warehouse", pin="2468")
    branches.assign(boss, "keep_bj", ["BJ"])
    keeper_main = users["warehouse"]  # works for every shop
    auth.create_user("mgr_bj", "supervisor", pin="2469")  # may receive without an order
    branches.assign(boss, "mgr_bj", ["BJ"])
    boss_of_bj = auth.authenticate("mgr_bj", "2469")

    t = transfers.start(keeper_main, "WH", "BJ1")  # asked for one step: between shops, two
    assert t.two_step
    transfers.scan(keeper_main, t.number, "COKE", Decimal(4))
    with pytest.raises(PermissionDenied, match="not for warehouse WH's shop"):
        transfers.post(keeper_bj, t.number)  # BJ's keeper cannot ship MAIN's goods
    transfers.post(keeper_main, t.number)
    by_shop = {r.shop: r for r in transfers.transit_by_shop()}
    assert (by_shop["BJ"].incoming, by_shop["BJ"].incoming_qty,
            by_shop["BJ"].incoming_value) == (1, Decimal(4), Decimal("8.00"))
    assert (by_shop["MAIN"].outgoing, by_shop["MAIN"].outgoing_value) == (1, Decimal("8.00"))
    assert [r.shop for r in transfers.transit_by_shop(keeper_bj)] == ["BJ"]
    assert [v.number for v in transfers.in_transit(keeper_bj, incoming=True)] == [t.number]
    import datetime as dt

    from store.reporting import export

    table = export.table("transit", export.Params(dt.date.today(), dt.date.today()))
    assert [r[:5] for r in table.rows] == [["BJ", "Beijing", 1, Decimal(4), Decimal("8.00")],
                                          ["MAIN", "Test Shop", 0, Decimal(0), Decimal(0)]]

    # Only the shop the goods go to receives them; then nothing is on the road.
    with pytest.raises(PermissionDenied, match="not for warehouse WH's shop"):
        transfers.start(keeper_bj, "WH", "BJ1")
    transfers.receive(keeper_bj, t.number)
    assert inventory.on_hand(search_id("COKE"), warehouse_id("BJ1")) == Decimal(4)
    assert all(r.incoming == r.outgoing == 0 for r in transfers.transit_by_shop())

    # Within one shop a one-step transfer stays one step.
    back = transfers.start(keeper_bj, "BJ1", "WH")
    assert back.two_step
    org.add_warehouse(boss, "BJ2", "北京店后仓", shop="BJ")
    assert not transfers.start(keeper_bj, "BJ1", "BJ2").two_step
    assert [v.number for v in transfers.drafts(keeper_bj)] != []
    assert all(v.source.startswith("BJ") for v in transfers.drafts(keeper_bj))

    # Counting and receiving: their own shop's warehouses only, and they see only those.
    with pytest.raises(PermissionDenied, match="not for warehouse WH's shop"):
        counts.start(keeper_bj, "WH")
    counts.start(keeper_main, "WH")
    mine = counts.start(keeper_bj, "BJ1")
    assert [c.number for c in counts.open_counts(keeper_bj)] == [mine.number]
    assert len(counts.open_counts(keeper_main)) == 2
    with pytest.raises(PermissionDenied, match="not for warehouse STORE's shop"):
        receiving.start(boss_of_bj, "STORE", supplier_code="S1")
    assert receiving.start(boss_of_bj, "BJ1", supplier_code="S1").number
    assert [w.code for w in org.warehouses(keeper_bj)] == ["BJ1", "BJ2"]
    check_stock_invariants()


def search_id(sku: str) -> int:
    from store.catalog import products

    return products.get_product(sku).id


def warehouse_id(code: str) -> int:
    from store.models import Warehouse

    return Warehouse.get(Warehouse.code == code).id
