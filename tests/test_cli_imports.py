"""`zhanggui import products|customers|suppliers|stock|balances|template` on a shop made by `init`:
a new shop's data brought in from the files it kept, with a template for each (issue 16.4)."""

from __future__ import annotations

import json

from store import bootstrap
from store.books import ledger
from store.models import Customer, Product, StockLevel, Supplier
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_a_new_shop_from_its_files(capsys, db_url, env, tmp_path, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    for name in ("products", "customers", "suppliers", "stock", "balances"):
        code, out, err = run(capsys, "--db", db_url, "import", "template", name,
                             str(tmp_path / f"{name}.xlsx"))
        assert code == 0 and name in out, err
    code, _o, err = run(capsys, "--db", db_url, "import", "template", "products",
                        str(tmp_path / "products.xlsx"))
    assert code == 1 and "--force" in err  # never over a file
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "import", "stock",
                         str(tmp_path / "stock.xlsx"), "--as", "lao")
    assert code == 1 and "COKE330" in err  # no such product yet: named, nothing written
    for name in ("products", "customers", "suppliers", "stock"):
        made = 2 if name == "products" else 1  # products: a style's variant too
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "import", name,
                             str(tmp_path / f"{name}.xlsx"), "--dry-run", "--as", "lao")
        if name != "stock":  # the dry run of the stock still lacks the product
            assert code == 0 and "Dry run" in out and f"{made} created" in out, (name, err)
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "import", name,
                             str(tmp_path / f"{name}.xlsx"), "--json", "--as", "lao")
        assert code == 0 and json.loads(out)["created"] == made, (name, err)
    as_("2580")  # the balances: M000001 owes 1280, S001 is owed 5600, cash 3000, bank 48000
    code, out, err = run(capsys, "--db", db_url, "import", "balances",
                         str(tmp_path / "balances.xlsx"), "--as", "lao")
    assert code == 0 and "4 created" in out and "-￥46,680.00" in out, err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "import", "balances",
                         str(tmp_path / "balances.xlsx"), "--as", "lao")
    assert code == 1 and "line 2: code: M000001 already has an opening balance" in err
    code, out, err = run(capsys, "--db", db_url, "bills", "list", "--json")
    (bill,) = json.loads(out)
    assert bill["opening"] and bill["total"] == "5600.00" and bill["supplier_ref"] == "FP-88231"
    bootstrap.open_store(db_url)
    assert ledger.balance(ledger.AR) == 1280 and ledger.balance(ledger.AP) == -5600
    assert sum(r.balance for r in ledger.trial_balance()) == 0
    assert Customer.select().count() == Supplier.select().count() == 1
    assert [p.sku for p in Product.select().order_by(Product.id)] == ["COKE330", "TSHIRT-M-WHITE"]
    assert StockLevel.get().on_hand == 48
    assert ledger.balance(ledger.INVENTORY) == 48 * Product.get(Product.sku == "COKE330").cost
    bootstrap.close_store()
    as_("2580")  # the orders and tracking imports are where they were
    code, _o, err = run(capsys, "--db", db_url, "import", "tracking",
                        str(tmp_path / "nothing.csv"), "--as", "lao")
    assert code == 1 and "nothing.csv" in err
