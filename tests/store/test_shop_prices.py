"""A chain's prices and promotions per shop (issue 18.1): the chain's price with a shop's own
over it, at its tills, in its sales' price checks, under a customer's price list; promotions
that run at some shops only; a manager of one shop sets neither for another."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import search
from store.core.errors import NotFound, PermissionDenied, StoreError, ValidationError
from store.models import AuditEvent
from store.pricing import promotions, shop_prices
from store.pricing.promotions import PromotionInput
from store.security import auth
from store.selling import parking, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops import branches, org
from tests.store.stock_helpers import stock_shop

D = Decimal


@pytest.fixture
def chain(shop):
    users = stock_shop()
    boss = users["owner"]
    branches.add_shop(boss, "BJ", "北京店")
    org.add_warehouse(boss, "BJ1", "北京店门店", shop="BJ")
    org.add_terminal(boss, "BJT1", "BJ1")
    users["bj_boss"] = auth.create_user("bjm", "supervisor", pin="2468")
    branches.assign(boss, "bjm", ["BJ"])
    for till in ("T1", "BJT1"):
        sales.open_shift(till, users["cashier"].id, "0")
    return users


def _basket(terminal: str, *codes: str) -> Basket:
    shop = branches.shop_of(terminal)
    running, rule = promotions.for_basket(shop)
    b = Basket(promotions=running, promotion_rule=rule, zone=branches.zone_of(terminal))
    for code in codes:
        hit = search.lookup_code(code, shop=shop)
        assert hit is not None
        b.add(hit)
    return b


def _sell(user: auth.SessionUser, b: Basket, terminal: str) -> sales.SaleView:
    return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal=terminal,
                           cashier_id=user.id)


def test_a_shop_sells_at_its_own_price_and_the_chain_at_the_chain_s(chain) -> None:
    boss, cashier = chain["owner"], chain["cashier"]
    row = shop_prices.set_price(boss, "bj", "COKE", "4.20")
    assert (row.shop, row.sku, row.chain_price, row.price) == ("BJ", "COKE", D("3.50"),
                                                               D("4.20"))
    bj, main = branches.shop_of("BJT1"), branches.shop_of("T1")
    assert search.lookup_code("6901234567892", shop=bj).price == D("4.20")  # by barcode
    assert search.lookup_code("coke", shop=bj).price == D("4.20")  # by SKU
    assert search.lookup_code("COKE", shop=main).price == D("3.50")
    assert search.lookup_code("COKE").price == D("3.50")  # no shop: the chain's
    assert [h.price for h in search.search("可口", shop=bj)] == [D("4.20")]
    assert [h.price for h in search.by_ids([search.lookup_code("TEA").id], shop=bj)] == [
        D("4.00")]  # a product without its own price there: the chain's
    assert _sell(cashier, _basket("BJT1", "COKE", "TEA"), "BJT1").total == D("8.20")
    assert _sell(cashier, _basket("T1", "COKE", "TEA"), "T1").total == D("7.50")
    # A till that charged Beijing the chain's price has overridden it: the cashier may not.
    cheap = Basket()
    cheap.add(search.lookup_code("COKE", shop=main))
    with pytest.raises(PermissionDenied):
        _sell(cashier, cheap, "BJT1")
    # Changed again, then back to the chain's; each change recorded with the old price.
    shop_prices.set_price(boss, "BJ", "COKE", "4.00")
    assert [(r.sku, r.price) for r in shop_prices.prices("BJ")] == [("COKE", D("4.00"))]
    shop_prices.remove_price(boss, "BJ", "COKE")
    assert search.lookup_code("COKE", shop=bj).price == D("3.50")
    assert shop_prices.prices("BJ") == []
    with pytest.raises(NotFound, match="no price of its own"):
        shop_prices.remove_price(boss, "BJ", "COKE")
    events = [e.payload for e in AuditEvent.select().where(AuditEvent.kind == "shop_price")
              .order_by(AuditEvent.seq)]
    assert len(events) == 3 and '"old":420' in events[1] and '"price":null' in events[2]


def test_a_shop_price_is_checked_and_kept_to_its_shop(chain) -> None:
    boss, bj_boss, cashier = chain["owner"], chain["bj_boss"], chain["cashier"]
    with pytest.raises(ValidationError, match="negative"):
        shop_prices.set_price(boss, "BJ", "COKE", "-1")
    with pytest.raises(ValidationError, match="most a unit may cost"):
        shop_prices.set_price(boss, "BJ", "COKE", "99999999")
    with pytest.raises(ValidationError):
        shop_prices.set_price(boss, "BJ", "COKE", "=1+1")
    with pytest.raises(NotFound, match="No shop 'SH'"):
        shop_prices.set_price(boss, "SH", "COKE", "4")
    with pytest.raises(NotFound, match="No product"):
        shop_prices.set_price(boss, "BJ", "NOPE", "4")
    with pytest.raises(PermissionDenied):
        shop_prices.set_price(cashier, "BJ", "COKE", "4")
    shop_prices.set_price(bj_boss, "BJ", "COKE", "3.80")  # Beijing's manager, for Beijing
    with pytest.raises(PermissionDenied, match="BJ only"):
        shop_prices.set_price(bj_boss, "MAIN", "COKE", "3.00")
    with pytest.raises(PermissionDenied, match="BJ only"):
        shop_prices.prices("MAIN", viewer=bj_boss)
    assert shop_prices.prices("MAIN") == []
    assert search.lookup_code("COKE", shop=branches.shop_of("T1")).price == D("3.50")


def test_a_price_list_works_from_the_shop_s_price(chain) -> None:
    from store.customers import lookup, parties
    from store.pricing import price_lists

    boss = chain["owner"]
    parties.create_price_list(boss, "VIP", "贵宾价")
    price_lists.set_category_discount(boss, "VIP", "DRINK", "10")
    parties.create_customer("C1", "张三", price_list="VIP")
    shop_prices.set_price(boss, "BJ", "COKE", "5.00")
    b = _basket("BJT1", "COKE")
    who = lookup.find("C1")[0]
    b.attach(who, price_lists.rules_for(who.price_list_id))
    assert b.total == D("4.50")  # 10% off Beijing's 5.00, not the chain's 3.50
    assert _sell(chain["cashier"], b, "BJT1").total == D("4.50")


def test_a_promotion_runs_at_its_shops_only(chain) -> None:
    boss, bj_boss, cashier = chain["owner"], chain["bj_boss"], chain["cashier"]
    row = promotions.create(boss, PromotionInput("BJ10", "北京店可乐减1元", "amount", "1",
                                                 skus=["COKE"], shops=["bj"]))
    assert row.shops == "BJ"
    assert _basket("BJT1", "COKE").total == D("2.50")
    assert _basket("T1", "COKE").total == D("3.50")
    assert _sell(cashier, _basket("BJT1", "COKE"), "BJT1").total == D("2.50")
    # A basket claiming Beijing's promotion at a MAIN till is re-priced and refused.
    claimed = _basket("BJT1", "COKE")
    with pytest.raises(StoreError, match="promotions changed"):
        _sell(cashier, claimed, "T1")
    assert claimed.total == D("3.50")
    # Beijing's manager runs promotions for Beijing, not for the chain or another shop.
    bj_only = PromotionInput("BJTEA", "北京绿茶", "percent", "10", skus=["TEA"], shops=["BJ"])
    assert promotions.create(bj_boss, bj_only).shops == "BJ"
    for where in ([], ["MAIN"], ["BJ", "MAIN"]):
        with pytest.raises(PermissionDenied):
            promotions.create(bj_boss, PromotionInput(
                "X" + "".join(where), "x", "percent", "5", skus=["TEA"], shops=where))
    with pytest.raises(NotFound, match="No shop 'SH'"):
        promotions.create(boss, PromotionInput("SH1", "x", "percent", "5", skus=["TEA"],
                                               shops=["SH"]))
    promotions.create(boss, PromotionInput("ALL5", "全店", "percent", "5", skus=["TEA"]))
    with pytest.raises(PermissionDenied):
        promotions.set_active(bj_boss, "ALL5", False)  # the chain's, not Beijing's alone
    promotions.set_active(bj_boss, "BJ10", False)
    assert _basket("BJT1", "COKE").total == D("3.50")
    listed = {r.code: r.shops for r in promotions.promotions()}
    assert listed == {"ALL5": "", "BJ10": "BJ", "BJTEA": "BJ"}


def test_a_sales_order_takes_its_warehouse_s_shop_prices_and_promotions(chain) -> None:
    from store.customers import orders

    boss = chain["owner"]
    shop_prices.set_price(boss, "BJ", "COKE", "4.00")
    promotions.create(boss, PromotionInput("BJTEA", "北京绿茶", "amount", "0.50",
                                           skus=["TEA"], shops=["BJ"]))
    lines = [orders.LineInput("COKE", "1"), orders.LineInput("TEA", "1")]
    assert orders.create(boss, lines, warehouse_code="BJ1").total == D("7.50")
    assert orders.create(boss, lines, warehouse_code="STORE").total == D("7.50")
    by_main = orders.create(boss, lines, warehouse_code="STORE")
    assert [ln.unit_price for ln in by_main.lines] == [D("3.50"), D("4.00")]
    assert [ln.discount for ln in by_main.lines] == [D("0"), D("0")]


def test_a_basket_parked_in_one_shop_is_finished_there(chain) -> None:
    cashier = chain["cashier"]
    shop_prices.set_price(chain["owner"], "BJ", "COKE", "4.20")
    b = _basket("BJT1", "COKE")
    parking.park(b, terminal="BJT1", user_id=cashier.id)
    assert parking.parked("T1") == [] and len(parking.parked("BJT1")) == 1
    assert len(parking.parked()) == 1
    with pytest.raises(NotFound, match="another shop"):
        parking.recall(b.uuid, prices_include_tax=True, terminal="T1")
    back = parking.recall(b.uuid, prices_include_tax=True, terminal="BJT1")
    back.set_qty(0, D(2))  # re-priced at Beijing's price, not the chain's
    assert back.total == D("8.40")


def test_shop_prices_from_a_file(chain, tmp_path) -> None:
    """`zhanggui import shop-prices`: rows by shop and SKU, `-` back to the chain's price,
    every bad row named by line and field and nothing written, a dry run that writes
    nothing, and a shop's manager refused the rows of other shops by row."""
    from store.core.importing import ImportRejected
    from store.onboarding import imports, templates
    from store.pricing.shop_price_import import import_shop_prices

    boss, bjm = chain["owner"], chain["bj_boss"]
    branches.add_shop(boss, "SH", "上海店")
    shop_prices.set_price(boss, "BJ", "TEA", "4.50")
    path = tmp_path / "p.csv"
    path.write_text("门店,商家编码,门店价\nBJ,COKE,3.80\nbj,TEA,-\nSH,COKE,3.20\nBJ,TEA2,1\n"
                    "SH,TEA,=1+1\nSH,TEA,1e11\nBJ,COKE,3.90\n,COKE,\n", encoding="gb18030")
    with pytest.raises(ImportRejected) as refused:
        import_shop_prices(path, boss)
    said = {(e.line, e.field) for e in refused.value.report.errors}
    assert said == {(5, "sku"), (6, "price"), (7, "price"), (8, "sku"), (9, "shop")}
    assert [(r.sku, r.price) for r in shop_prices.prices("BJ")] == [("TEA", D("4.50"))]
    assert shop_prices.prices("SH") == []

    path.write_text("sku,price\nCOKE,3.80\nTEA,-\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no shop column"):
        import_shop_prices(path, boss)
    dry = imports.run_import("shop-prices", path, boss, shop="BJ", dry_run=True)
    assert (dry.created, dry.updated) == (1, 1)
    assert [(r.sku, r.price) for r in shop_prices.prices("BJ")] == [("TEA", D("4.50"))]
    done = imports.run_import("shop-prices", path, boss, shop="BJ")
    assert (done.created, done.updated, done.unchanged) == (1, 1, 0)
    assert [(r.sku, r.price) for r in shop_prices.prices("BJ")] == [("COKE", D("3.80"))]
    assert search.lookup_code("COKE", shop=branches.get_shop("BJ").id).price == D("3.80")
    again = imports.run_import("shop-prices", path, boss, shop="BJ")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    path.write_text("shop,sku,price\nBJ,TEA,4.20\nSH,TEA,4.10\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_shop_prices(path, bjm)
    assert [(e.line, e.field, e.value) for e in refused.value.report.errors] == [
        (3, "shop", "SH")]
    assert shop_prices.prices("SH") == []
    kinds = [e.kind for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert kinds.count("shop_prices_imported") == 2  # the real runs, not the dry one
    assert templates.template("shop-prices").columns == ["shop", "sku", "price"]
