"""`zhanggui customers`, `pricelists` and `keys rotate`; a key file others can read is refused."""

from __future__ import annotations

import io
import json
import os

from store import bootstrap
from store.core.db import database
from store.security import crypto
from store.shops.setup import setup_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


def _shop(db_url: str) -> None:
    from store.catalog import products
    from store.catalog.products import ProductInput
    from store.customers import parties
    from store.security import auth

    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    products.create_product(ProductInput("A1", "可口可乐", "3.50", "13%"))
    parties.create_price_list(auth.authenticate("lao", "2580"), "VIP", "贵宾价")
    bootstrap.close_store()


def test_customers_price_lists_and_key_rotation(capsys, db_url, env, tmp_path,  # noqa: F811
                                                monkeypatch) -> None:
    monkeypatch.setenv(crypto.KEY_ENV, str(tmp_path / "shop.key"))
    crypto.forget()
    _shop(db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _o, err = run(capsys, "--db", db_url, "customers", "add", "M1", "王芳",
                        "--phone", "138 0013 8000", "--price-list", "VIP", "--address",
                        "上海市愚园路1号", "--email", "wf@example.cn", "--as", "lao")
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _o, err = run(capsys, "--db", db_url, "customers", "add", "M3", "赵", "--email",
                        "not-an-address", "--as", "lao")
    assert code == 1 and "not-an-address" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _o, err = run(capsys, "--db", db_url, "customers", "add", "M3", "赵", "--id-number",
                        "110105194912310021", "--as", "lao")
    assert code == 1 and "check digit" in err and "110105" not in err  # never repeated
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, err = run(capsys, "--db", db_url, "customers", "set", "M1", "--id-number",
                         "11010519491231002X", "--as", "lao")
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, _e = run(capsys, "--db", db_url, "customers", "show", "M1", "--json", "--as",
                        "lao")
    shown = json.loads(out)
    assert (shown["address"], shown["email"], shown["id_number"]) == (
        "上海市愚园路1号", "wf@example.cn", "1101**********002X")
    code, out, _e = run(capsys, "--db", db_url, "customers", "find", "13800138000", "--json")
    rows = json.loads(out)
    assert [r["code"] for r in rows] == ["M1"] and rows[0]["phone_hint"] == "…8000"
    assert "13800138000" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _o, err = run(capsys, "--db", db_url, "customers", "add", "M2", "李", "--phone",
                        "call me", "--as", "lao")
    assert code == 1 and "letters" in err
    code, _o, err = run(capsys, "--db", db_url, "pricelists", "set", "VIP", "--sku", "A1",
                        "--price", "3.00", "--as", "cashier1")
    assert code == 1 and "PIN" in err  # no such user: refused, nothing changes
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    assert run(capsys, "--db", db_url, "pricelists", "set", "VIP", "--sku", "A1",
               "--price", "3.00", "--as", "lao")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    assert run(capsys, "--db", db_url, "pricelists", "add", "STAFF", "员工价", "--as",
               "lao")[0] == 0
    code, _o, err = run(capsys, "--db", db_url, "pricelists", "set", "VIP", "--sku", "A1",
                        "--as", "lao")
    assert code == 1 and "--price" in err
    code, out, _e = run(capsys, "--db", db_url, "pricelists", "list", "--json")
    assert [(r["code"], r["rules"]) for r in json.loads(out)] == [("STAFF", 0), ("VIP", 1)]
    code, out, _e = run(capsys, "--db", db_url, "pricelists", "list", "VIP")
    assert "A1" in out and "3.00" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    assert run(capsys, "--db", db_url, "pricelists", "remove", "VIP", "A1", "--as",
               "lao")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "pricelists", "list", "VIP", "--json")
    assert json.loads(out) == []
    code, out, err = run(capsys, "--db", db_url, "keys", "rotate")
    assert code == 0 and "data-2" in out and "4 protected" in out, err  # phone, address …
    bootstrap.open_store(db_url)
    sealed = database.obj.execute_sql("SELECT phone_enc, address_enc, email_enc, id_number_enc "
                                      "FROM customer").fetchone()
    assert all(s.startswith("enc1:data-2:") for s in sealed)
    bootstrap.close_store()
    crypto.forget()
    code, out, _e = run(capsys, "--db", db_url, "customers", "find", "13800138000")
    assert "M1" in out  # the lookup index did not change with the data key
    os.chmod(tmp_path / "shop.key", 0o640)
    crypto.forget()
    code, _o, err = run(capsys, "--db", db_url, "customers", "find", "M1")
    assert code == 1 and "chmod 600" in err
    crypto.forget()
