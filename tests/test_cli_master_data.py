"""Warehouses, tills, tenders, suppliers and customer groups changed and retired from the
shell (issue 16.2: "create / edit / deactivate (never delete what history refers to)"), with
the store refusing what would strand something, on a shop made by `init`."""

from __future__ import annotations

import json

from store import bootstrap
from store.models import AuditEvent
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_master_data_changed_and_retired(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)

    def lao(*argv: str) -> tuple[int, str, str]:
        as_("2580")
        return run(capsys, "--db", db_url, *argv, "--as", "lao")

    assert lao("products", "add", "TEA", "茶", "--price", "5", "--tax", "13%")[0] == 0
    assert lao("import", "stock", str(_stock_file(env)), "--warehouse", "WH")[0] == 0
    steps = [
        (["warehouses", "set", "wh", "--name", "后仓", "--name-en", "Back room"], 0, "后仓"),
        (["warehouses", "deactivate", "WH"], 1, "still holds stock"),
        (["warehouses", "deactivate", "STORE"], 1, "T1"),
        (["warehouses", "add", "ANNEX", "副仓"], 0, "ANNEX"),
        (["warehouses", "deactivate", "annex"], 0, "ANNEX"),
        (["terminals", "set", "T1", "--warehouse", "ANNEX"], 1, "not in use"),
        (["warehouses", "activate", "ANNEX"], 0, "ANNEX"),
        (["terminals", "set", "T1", "--name", "前台", "--warehouse", "annex"], 0, "ANNEX"),
        (["terminals", "deactivate", "T9"], 1, "No till"),
        (["tenders", "add", "unionpay", "银联", "--kind", "card", "--reference"], 0, "UNIONPAY"),
        (["tenders", "add", "UNIONPAY", "重复", "--kind", "card"], 1, "already exists"),
        (["tenders", "deactivate", "CASH"], 1, "only cash tender"),
        (["tenders", "deactivate", "voucher"], 0, "VOUCHER"),
        (["suppliers", "add", "S1", "饮料批发"], 0, "S1"),
        (["suppliers", "set", "s1", "--contact", "李经理", "--phone", "0571-88886666"], 0,
         "S1"),
        (["suppliers", "terms", "s1", "--payment-days", "45"], 0, "45"),
        (["suppliers", "terms", "S1"], 0, "45"),  # nothing to change: shown as they are
        (["suppliers", "terms", "s1"], 0, "45"),  # as typed, like the change above
        (["suppliers", "terms", "S1", "--lead-days", "400"], 1, "400"),
        (["suppliers", "deactivate", "S1"], 0, "S1"),
        (["purchase", "create", "--supplier", "S1", "--warehouse", "WH", "--line", "TEA:10:2"],
         1, "deactivated"),
        (["suppliers", "activate", "S1"], 0, "S1"),
        (["purchase", "create", "--supplier", "S1", "--warehouse", "WH", "--line", "TEA:10:2"],
         0, ""),
        (["customers", "groups", "add", "vip", "金卡会员"], 0, "VIP"),
        (["customers", "groups", "add", "VIP", "重复"], 1, "already exists"),
        (["customers", "groups", "add", "X", "坏", "--price-list", "NOPE"], 1, "NOPE"),
    ]
    for argv, expected, words in steps:
        code, out, err = lao(*argv)
        assert code == expected and words in out + err, (argv, out, err)
    code, out, _e = run(capsys, "--db", db_url, "tenders", "list", "--json")
    tenders = {t["code"]: t for t in json.loads(out)}
    assert tenders["UNIONPAY"]["needs_reference"] and not tenders["UNIONPAY"]["opens_drawer"]
    assert tenders["VOUCHER"]["active"] is False
    code, out, _e = run(capsys, "--db", db_url, "customers", "groups", "list", "--json")
    assert [g["code"] for g in json.loads(out)] == ["VIP"]
    code, out, _e = run(capsys, "--db", db_url, "terminals", "list", "--json")
    assert {(t["code"], t["warehouse"], t["name"]) for t in json.loads(out)} == {
        ("T1", "ANNEX", "前台")}
    assert lao("warehouses", "add", "OLD", "旧仓")[0] == 0
    assert lao("warehouses", "deactivate", "OLD")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "warehouses", "list", "--json")
    assert "OLD" not in {w["code"] for w in json.loads(out)}
    code, out, _e = run(capsys, "--db", db_url, "warehouses", "list", "--all", "--json")
    assert {w["code"]: w["active"] for w in json.loads(out)}["OLD"] is False
    code, out, _e = run(capsys, "--db", db_url, "--lang", "en", "warehouses", "list", "--all")
    assert "旧仓 (deactivated)" in out
    bootstrap.open_store(db_url)
    kinds = {e.kind for e in AuditEvent.select()}
    assert {"warehouse_changed", "warehouse_deactivated", "terminal_changed", "tender_added",
            "tender_deactivated", "supplier_changed", "supplier_deactivated",
            "customer_group_added"} <= kinds
    bootstrap.close_store()


def test_catalog_master_data_changed_and_retired(capsys, db_url, env, monkeypatch,  # noqa: F811
                                                 tmp_path) -> None:
    """Categories, units, tax rates, tenders and customer groups: renamed, retired only when
    nothing on sale uses them, never given to a product or a customer while retired."""
    as_ = new_shop(capsys, db_url, monkeypatch)

    def lao(*argv: str) -> tuple[int, str, str]:
        as_("2580")
        return run(capsys, "--db", db_url, *argv, "--as", "lao")

    file = tmp_path / "p.csv"
    file.write_text("sku,name,price,tax_rate,unit,category\nT2,茶,5,13%,kg,OLD\n",
                    encoding="utf-8")
    steps = [
        (["categories", "add", "DRINK", "饮料"], 0, "DRINK"),
        (["categories", "add", "TEA", "茶", "--parent", "drink"], 0, "TEA"),
        (["categories", "add", "OLD", "旧类"], 0, "OLD"),
        (["products", "add", "T1", "龙井", "--price", "5", "--tax", "13%", "--unit", "kg",
          "--category", "TEA"], 0, "T1"),
        (["categories", "deactivate", "DRINK"], 1, "subcategories in use: TEA"),
        (["categories", "deactivate", "TEA"], 1, "1 product(s) on sale"),
        (["units", "deactivate", "kg"], 1, "1 product(s) on sale"),
        (["taxes", "deactivate", "VAT13"], 1, "1 product(s) on sale"),
        (["categories", "deactivate", "old"], 0, "OLD"),
        (["categories", "add", "NEW", "新", "--parent", "OLD"], 1, "deactivated"),
        (["products", "set", "T1", "--category", "OLD"], 1, "deactivated"),
        (["import", "products", str(file)], 1, "category: 'OLD' is deactivated"),
        (["products", "deactivate", "T1"], 0, "T1"),
        (["units", "deactivate", "KG"], 0, "kg"),
        (["taxes", "deactivate", "vat13"], 0, "VAT13"),
        (["products", "add", "T3", "茶", "--price", "5", "--tax", "13%"], 1, "deactivated"),
        # back on sale only with what is in use: the invariant holds both ways
        (["products", "activate", "T1"], 1, "tax_rate: 'VAT13' is deactivated"),
        (["units", "set", "kg", "--name", "公斤", "--name-en", "kilo"], 0, "公斤"),
        (["units", "set", "kg"], 1, "Nothing to change"),
        (["taxes", "set", "VAT13", "--name", "增值税13%"], 0, "增值税13%"),
        (["units", "activate", "kg"], 0, "kg"),
        (["taxes", "activate", "VAT13"], 0, "VAT13"),
        (["categories", "activate", "OLD"], 0, "OLD"),
        (["products", "activate", "T1"], 0, "T1"),
        (["import", "products", str(file)], 0, "1 created"),
        (["tenders", "set", "card", "--name", "银行卡", "--no-reference"], 0, "银行卡"),
        (["tenders", "set", "CARD", "--no-reference"], 1, "Nothing to change"),
        (["customers", "groups", "add", "VIP", "金卡"], 0, "VIP"),
        (["customers", "groups", "set", "vip", "--price-list", "NOPE"], 1, "NOPE"),
        (["customers", "groups", "set", "vip", "--name", "金卡会员"], 0, "金卡会员"),
        (["customers", "groups", "deactivate", "VIP"], 0, "VIP"),
        (["customers", "groups", "activate", "VIP"], 0, "VIP"),
    ]
    for argv, expected, words in steps:
        code, out, err = lao(*argv)
        assert code == expected and words in out + err, (argv, out, err)
    for what, key in (("units", "kg"), ("taxes", "VAT13"), ("categories", "OLD")):
        code, out, _e = run(capsys, "--db", db_url, what, "list", "--json")
        assert {r["code"]: r["active"] for r in json.loads(out)}[key] is True
    code, out, _e = run(capsys, "--db", db_url, "--lang", "en", "units", "list")
    assert "公斤" in out and "in use" in out
    code, out, _e = run(capsys, "--db", db_url, "tenders", "list", "--json")
    card = {t["code"]: t for t in json.loads(out)}["CARD"]
    assert (card["name"], card["needs_reference"]) == ("银行卡", False)
    bootstrap.open_store(db_url)
    kinds = {e.kind for e in AuditEvent.select()}
    assert {"category_deactivated", "category_activated", "unit_changed", "unit_deactivated",
            "tax_rate_changed", "tax_rate_activated", "tender_changed",
            "customer_group_changed", "customer_group_deactivated"} <= kinds
    bootstrap.close_store()


def _stock_file(folder):
    path = folder / "stock.csv"
    path.write_text("sku,qty,unit_cost\nTEA,10,2\n", encoding="utf-8")
    return path


def test_a_till_with_a_shift_open_stays_and_a_retired_one_sells_nothing(shop) -> None:
    import pytest

    from store.core.errors import StoreError, ValidationError
    from store.security import auth
    from store.selling import sales
    from store.shops import retiring

    boss = auth.authenticate("boss", "8888")
    shift = sales.open_shift("T1", boss.id, "100")
    with pytest.raises(ValidationError, match="shift open"):
        retiring.set_terminal_active(boss, "T1", False)
    with pytest.raises(ValidationError, match="shift open"):
        retiring.change_terminal(boss, "T1", warehouse="WH")
    sales.close_shift("T1", boss, "100")
    retiring.set_terminal_active(boss, "t1", False)
    with pytest.raises(StoreError, match="out of use"):
        sales.open_shift("T1", boss.id, "100")
    retiring.set_terminal_active(boss, "T1", True)
    assert sales.open_shift("T1", boss.id, "100").number == shift.number + 1


def test_scale_layouts_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    assert run(capsys, "--db", db_url, "products", "add", "10002", "香蕉", "--price", "6.98",
               "--tax", "9%", "--unit", "kg", "--as", "lao")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "--lang", "en", "settings", "scale-layouts",
                        "--sample", "2210002015003")
    assert code == 0 and "21CCCCCPPPPPK  price" in out and "10002, 1.5 kg: 香蕉" in out
    code, _o, err = run(capsys, "--db", db_url, "settings", "scale-layouts", "23CCCCPPPPPPK")
    assert code == 1 and "--as" in err
    as_("2580")  # the sample reads as code 2, which the shop does not sell: nothing saved
    code, _o, err = run(capsys, "--db", db_url, "--lang", "en", "settings", "scale-layouts",
                        "23CCCCPPPPPPK", "--sample", "2300020012341", "--as", "lao")
    assert code == 1 and "no product has code 2" in err and "Traceback" not in err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "settings", "scale-layouts", "23CCCCCPPPPPK",
                         "--sample", "2310002009900", "--as", "lao")
    assert code == 0 and "23CCCCCPPPPPK" in out and "10002" in out, err
    code, out, _e = run(capsys, "--db", db_url, "--lang", "en", "settings", "scale-layouts")
    assert out.split() == ["23CCCCCPPPPPK", "price"]


def test_shops_from_the_command_line(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    en = ["--db", db_url, "--lang", "en"]
    as_("2580")
    code, out, err = run(capsys, *en, "shops", "add", "BJ", "北京店", "--timezone",
                         "Asia/Urumqi", "--as", "lao")
    assert code == 0 and "Shop BJ 北京店 added" in out, err
    as_("2580")
    code, out, err = run(capsys, *en, "warehouses", "add", "BJ1", "北京店门店", "--shop", "BJ",
                         "--as", "lao")
    assert code == 0 and "added to shop BJ" in out, err
    as_("2580")
    code, out, err = run(capsys, *en, "warehouses", "add", "X1", "无店", "--shop", "NOPE",
                         "--as", "lao")
    assert code == 1 and "No shop 'NOPE'" in err
    code, out, _e = run(capsys, *en, "shops", "list", "--json")
    listed = {s["code"]: s for s in json.loads(out)}
    assert listed["BJ"]["warehouses"] == ["BJ1"] and listed["BJ"]["timezone"] == "Asia/Urumqi"
    assert "STORE" in listed["MAIN"]["warehouses"]
    code, out, _e = run(capsys, *en, "warehouses", "list", "--json")
    assert {w["code"]: w["shop"] for w in json.loads(out)}["BJ1"] == "BJ"
    code, out, _e = run(capsys, *en, "report", "daily", "--shop", "BJ", "--json")
    assert code == 0 and json.loads(out)["shop"] == "BJ" and json.loads(out)["sales"] == 0
    code, out, err = run(capsys, *en, "report", "daily", "--shop", "SH")
    assert code == 1 and "No shop 'SH'" in err
    code, out, err = run(capsys, *en, "report", "sales", "--by", "shop", "--json")
    assert code == 0 and json.loads(out) == []  # no sales yet: nothing side by side
    as_("2580")
    code, out, err = run(capsys, *en, "user", "add", "mgr", "--role", "supervisor", "--pin",
                         "2468", "--as", "lao")
    assert code == 0, err
    as_("2580")
    code, out, err = run(capsys, *en, "user", "shops", "mgr", "BJ", "--as", "lao")
    assert code == 0 and "mgr works for BJ" in out, err
    as_("2580")
    code, out, err = run(capsys, *en, "user", "shops", "mgr", "SH", "--as", "lao")
    assert code == 1 and "No shop 'SH'" in err
    as_("2580")
    code, out, err = run(capsys, *en, "user", "shops", "mgr", "--as", "lao")
    assert code == 0 and "mgr works for every shop" in out, err


def test_a_shop_s_own_prices_and_promotions_from_the_command_line(capsys, db_url, env,  # noqa: F811
                                                                  monkeypatch) -> None:
    as_ = new_shop(capsys, db_url, monkeypatch)
    en = ["--db", db_url, "--lang", "en"]

    def lao(*argv: str) -> tuple[int, str, str]:
        as_("2580")
        return run(capsys, *en, *argv, "--as", "lao")

    assert lao("products", "add", "TEA", "茶", "--price", "5", "--tax", "13%")[0] == 0
    assert lao("shops", "add", "BJ", "北京店")[0] == 0
    code, out, err = lao("shops", "prices", "set", "bj", "tea", "5.80")
    assert code == 0 and "BJ sells TEA at ￥5.80 (the chain: ￥5.00)" in out, err
    code, out, err = lao("shops", "prices", "set", "BJ", "TEA", "=5")
    assert code == 1 and "price" in err and "'=5'" in err
    code, out, err = run(capsys, *en, "shops", "prices", "list", "BJ", "--json")
    assert json.loads(out) == [{"shop": "BJ", "sku": "TEA", "name": "茶",
                                "chain_price": "5.00", "price": "5.80"}]
    code, out, err = lao("promotions", "add", "BJ1", "北京茶", "--kind", "percent", "--value",
                         "10", "--sku", "TEA", "--shop", "BJ")
    assert code == 0 and "at BJ" in out, err
    code, out, err = lao("promotions", "add", "SH1", "上海茶", "--kind", "percent", "--value",
                         "10", "--sku", "TEA", "--shop", "SH")
    assert code == 1 and "No shop 'SH'" in err
    code, out, err = run(capsys, *en, "promotions", "list", "--json")
    assert [(p["code"], p["shops"]) for p in json.loads(out)] == [("BJ1", "BJ")]
    code, out, err = lao("shops", "prices", "remove", "BJ", "TEA")
    assert code == 0 and "chain's price again" in out, err
    code, out, err = lao("shops", "prices", "remove", "BJ", "TEA")
    assert code == 1 and "no price of its own" in err
    prices = env / "bj.csv"
    prices.write_text("sku,price\nTEA,5.60\nTEA9,1\n", encoding="utf-8")
    code, out, err = lao("import", "shop-prices", str(prices), "--shop", "bj")
    assert code == 1 and "TEA9" in out + err  # the bad row named; nothing written
    code, out, err = run(capsys, *en, "shops", "prices", "list", "BJ", "--json")
    assert json.loads(out) == []
    prices.write_text("sku,price\nTEA,5.60\n", encoding="utf-8")
    code, out, err = lao("import", "shop-prices", str(prices), "--shop", "bj")
    assert code == 0, err
    code, out, err = run(capsys, *en, "shops", "prices", "list", "BJ", "--json")
    assert [r["price"] for r in json.loads(out)] == ["5.60"]
