"""The product editor from the shell (issue 16.3): `products add|set|barcodes|deactivate|
activate|prices --as USER` on a shop made by `init`, with the permissions checked in the store,
every price in the history and every change in the audit chain."""

from __future__ import annotations

import json
from decimal import Decimal

from store import bootstrap
from store.models import AuditEvent, Product
from store.security import audit
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_a_product_from_add_to_deactivate(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "products", "add", "TEA1", "龙井茶 250g",
                         "--price", "68.00", "--tax", "13%", "--name-en", "Longjing tea",
                         "--cost", "41.5", "--barcode", "6901234567892",
                         "--barcode", "16901234567899*12", "--as", "lao")
    assert code == 0 and "TEA1" in out and "68.00" in out, err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "products", "set", "tea1", "--price", "72",
                         "--as", "lao")
    assert code == 0 and "72.00" in out, err
    as_("2580")  # a name only: the price, cost and barcodes stay
    code, out, err = run(capsys, "--db", db_url, "products", "set", "TEA1", "--name",
                         "西湖龙井 250g", "--as", "lao")
    assert code == 0, err
    code, out, _e = run(capsys, "--db", db_url, "products", "prices", "TEA1", "--json")
    history = json.loads(out)
    assert [(h["old_price"], h["new_price"], h["user"], h["source"]) for h in history] == [
        ("68.00", "72.00", "lao", "editor"), (None, "68.00", "lao", "editor")]
    code, out, _e = run(capsys, "--db", db_url, "products", "prices", "TEA1")
    assert "68.00" in out and "72.00" in out and "lao" in out
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "products", "barcodes", "TEA1",
                         "6901234567892", "--as", "lao")
    assert code == 0, err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "products", "deactivate", "TEA1", "--as", "lao")
    assert code == 0, err
    bootstrap.open_store(db_url)
    tea = Product.get(Product.sku == "TEA1")
    assert (tea.name, tea.name_en, tea.price, tea.cost, tea.active) == (
        "西湖龙井 250g", "Longjing tea", Decimal("72.00"), Decimal("41.5"), False)
    assert [b.code for b in tea.barcodes] == ["6901234567892"]
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.reference == "TEA1")
             .order_by(AuditEvent.seq)]
    assert kinds == ["product_created"] + ["product_changed"] * 4
    assert audit.verify_chain()[1] is None
    bootstrap.close_store()


def test_who_may_change_a_product_and_what_is_refused(capsys, db_url, env,  # noqa: F811
                                                      monkeypatch) -> None:
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    run(capsys, "--db", db_url, "user", "add", "amy", "--role", "cashier", "--pin", "1357",
        "--as", "lao")
    as_("2580")
    run(capsys, "--db", db_url, "products", "add", "TEA1", "龙井茶", "--price", "68",
        "--tax", "13%", "--as", "lao")
    for argv, words in (
            (["add", "TEA2", "茶", "--price", "1", "--tax", "13%", "--as", "amy"], "may not"),
            (["set", "TEA1", "--price", "1", "--as", "amy"], "may not"),
            (["set", "TEA1", "--as", "lao"], "Nothing to change"),
            (["set", "NOPE", "--price", "1", "--as", "lao"], "No product"),
            (["set", "TEA1", "--price", "3,00", "--as", "lao"], "3.00"),
            (["set", "TEA1", "--price", "1e11", "--as", "lao"], "powers of ten"),
            (["set", "TEA1", "--price", "100000000000", "--as", "lao"], "the most a unit may cost"),
            (["set", "TEA1", "--unit", "盒子", "--as", "lao"], "unknown unit"),
            (["add", "tea1", "重复", "--price", "1", "--tax", "13%", "--as", "lao"], "other"),
            (["barcodes", "TEA1", "6901234567893", "--as", "lao"], "6901234567893")):
        as_("1357" if "amy" in argv else "2580")
        code, _o, err = run(capsys, "--db", db_url, "products", *argv)
        assert code == 1 and words in err and "Traceback" not in err, (argv, err)
    bootstrap.open_store(db_url)
    tea = Product.get(Product.sku == "TEA1")
    assert (tea.price, tea.unit.code, tea.active) == (Decimal("68.00"), "pcs", True)
    assert Product.select().count() == 1
    bootstrap.close_store()


def test_reprice_a_category_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    assert run(capsys, "--db", db_url, "categories", "add", "drink", "饮料", "--as", "lao")[0] == 0
    for sku, price in (("TEA1", "68.00"), ("TEA2", "12.30")):
        as_("2580")
        code, _o, err = run(capsys, "--db", db_url, "products", "add", sku, "茶", "--price",
                            price, "--tax", "13%", "--category", "DRINK", "--as", "lao")
        assert code == 0, err
    code, out, err = run(capsys, "--db", db_url, "products", "reprice", "--category", "DRINK",
                         "--percent", "10", "--round-to", "0.50")
    assert code == 0 and "74.80" not in out and "75.00" in out and "13.50" in out, err
    assert "nothing written" in out
    code, _o, err = run(capsys, "--db", db_url, "products", "reprice", "--category", "DRINK",
                        "--percent", "10", "--apply")
    assert code == 1 and "--as" in err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "products", "reprice", "--category", "DRINK",
                         "--percent", "10", "--round-to", "0.50", "--apply", "--json",
                         "--as", "lao")
    assert code == 0, err
    assert {(p["sku"], p["new_price"]) for p in json.loads(out)["products"]} == {
        ("TEA1", "75.00"), ("TEA2", "13.50")}
    code, out, _e = run(capsys, "--db", db_url, "products", "prices", "TEA2", "--json")
    newest = json.loads(out)[0]
    assert (newest["new_price"], newest["source"]) == ("13.50", "bulk")


def test_categories_units_and_taxes_from_the_shell(capsys, db_url, env,  # noqa: F811
                                                   monkeypatch) -> None:
    """Issue 16.2: a shop made by `init` had no way to add a category, a unit or a tax rate."""
    as_ = new_shop(capsys, db_url, monkeypatch)
    steps = [
        (["categories", "add", "food", "食品", "--name-en", "Food"], 0, "FOOD"),
        (["categories", "add", "snack", "零食", "--parent", "FOOD"], 0, "SNACK"),
        (["categories", "add", "nuts", "坚果", "--parent", "snack"], 0, "NUTS"),
        (["categories", "add", "Food", "重复"], 1, "already exists"),
        (["categories", "add", "x y", "空格"], 1, "letters, digits"),
        (["categories", "add", "TEA", "茶", "--parent", "NOPE"], 1, "No category"),
        (["categories", "set", "FOOD", "--parent", "NUTS"], 1, "subcategories"),
        (["categories", "set", "NUTS", "--parent", ""], 0, "NUTS"),
        (["categories", "set", "NUTS", "--name", "干果"], 0, "干果"),
        (["units", "add", "carton", "箱", "--name-en", "carton"], 0, "carton"),
        (["units", "add", "jin", "斤", "--decimals", "3"], 0, "jin"),
        (["units", "add", "BOX", "重复"], 1, "already exists"),
        (["units", "add", "g", "克", "--decimals", "7"], 2, ""),
        (["taxes", "add", "vat3", "小规模 3%", "3"], 0, "VAT3"),
        (["taxes", "add", "VAT3", "重复", "3"], 1, "already exists"),
        (["taxes", "add", "VAT200", "太高", "200"], 1, "above 100"),
        (["taxes", "add", "VATX", "坏", "3,5"], 1, "point"),
    ]
    for argv, expected, words in steps:
        as_("2580")
        try:
            code, out, err = run(capsys, "--db", db_url, *argv, "--as", "lao")
        except SystemExit as exc:  # argparse refuses --decimals 7 itself
            code, out, err = exc.code, "", ""
        assert code == expected and words in out + err, (argv, out, err)
    code, out, _e = run(capsys, "--db", db_url, "categories", "list", "--json")
    tree = [(c["code"], c["parent"], c["depth"], c["name"]) for c in json.loads(out)]
    assert tree == [("FOOD", None, 0, "食品"), ("SNACK", "FOOD", 1, "零食"),
                    ("NUTS", None, 0, "干果")]
    code, out, _e = run(capsys, "--db", db_url, "units", "list", "--json")
    assert {"code": "jin", "name": "斤", "name_en": "", "decimals": 3,
            "active": True} in json.loads(out)
    code, out, _e = run(capsys, "--db", db_url, "taxes", "list")
    assert "VAT3" in out and "小规模 3%" in out
    as_("2580")  # and a product uses them
    code, out, err = run(capsys, "--db", db_url, "products", "add", "PEANUT", "花生",
                         "--price", "18", "--tax", "VAT3", "--unit", "斤", "--category",
                         "干果", "--as", "lao")
    assert code == 0, err
    bootstrap.open_store(db_url)
    peanut = Product.get(Product.sku == "PEANUT")
    assert (peanut.unit.code, peanut.category.code, peanut.tax_rate.code,
            peanut.sold_by_weight) == ("jin", "NUTS", "VAT3", True)
    kinds = {e.kind for e in AuditEvent.select()}
    assert {"category_added", "category_changed", "unit_added", "tax_rate_added"} <= kinds
    bootstrap.close_store()


def test_a_style_and_its_variants_from_the_shell(capsys, db_url, env,  # noqa: F811
                                                 monkeypatch) -> None:
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "--lang", "en", "variants", "add", "TSHIRT",
                         "T恤", "--attribute", "尺码=S,M,L", "--attribute",
                         "颜色=RED:红,WHITE:白", "--price", "59", "--tax", "13%", "--as",
                         "lao")
    assert code == 0 and "TSHIRT: 6 variants added" in out, err
    assert "TSHIRT-L-WHITE" in out and "￥59.00" in out
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "--lang", "en", "variants", "add-value",
                         "TSHIRT", "颜色", "BLUE:蓝", "--as", "lao")
    assert code == 0 and "3 variants added" in out, err
    as_("2580")
    code, _o, err = run(capsys, "--db", db_url, "--lang", "en", "variants", "add", "CAP",
                        "帽子", "--attribute", "颜色=红", "--price", "20", "--tax", "13%",
                        "--as", "lao")
    assert code == 1 and "value code '红'" in err and "Traceback" not in err
    code, out, _e = run(capsys, "--db", db_url, "variants", "show", "tshirt", "--json")
    shown = json.loads(out)
    assert len(shown["variants"]) == 9 and shown["variants"][2]["values"] == ["S", "蓝"]
    code, out, _e = run(capsys, "--db", db_url, "variants", "list", "--json")
    assert json.loads(out) == [{"code": "TSHIRT", "name": "T恤", "variants": 9}]
    bootstrap.open_store(db_url)
    assert Product.get(Product.sku == "TSHIRT-M-BLUE").name == "T恤 M 蓝"
    assert AuditEvent.select().where(AuditEvent.kind == "template_created").count() == 1
    bootstrap.close_store()
