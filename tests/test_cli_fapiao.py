"""`zhanggui fapiao`: a request from the shell, the platform's file out, the numbers back, in
the command shapes docs/FAPIAO.md gives; a wrong tax ID is said by field."""

from __future__ import annotations

import io
import json

import openpyxl

from store import bootstrap
from store.shops.setup import setup_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


def _shop(db_url: str) -> str:
    from decimal import Decimal

    from store.catalog import products, search
    from store.catalog.products import ProductInput
    from store.security import auth
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    products.create_category("DRINK", "饮料", "Drinks")
    products.create_product(ProductInput("A1", "可口可乐", "3.50", "13%", category="DRINK"))
    boss = auth.authenticate("lao", "2580")
    sales.open_shift("T1", boss.id, "0")
    b = Basket()
    b.add(search.lookup_code("A1"), Decimal(4))
    number = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                             cashier_id=boss.id).number
    bootstrap.close_store()
    return number


def _as_lao(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))


def test_request_export_and_numbers_back(capsys, db_url, env, tmp_path,  # noqa: F811
                                         monkeypatch) -> None:
    sale = _shop(db_url)
    db = ("--db", db_url, "--lang", "en")
    _as_lao(monkeypatch)
    code, _o, err = run(capsys, *db, "fapiao", "request", sale, "--title", "某某公司",
                        "--tax-id", "91110000600037341X", "--as", "lao")
    assert code == 1 and "tax_id" in err and "unified social credit code" in err
    _as_lao(monkeypatch)
    code, out, err = run(capsys, *db, "fapiao", "request", sale, "--title", "某某公司",
                         "--tax-id", "91110000600037341L", "--email", "ap@example.com",
                         "--as", "lao")
    assert code == 0, err
    assert "FP-000001" in out and "14.00" in out and "requested" in out
    _as_lao(monkeypatch)
    code, _o, err = run(capsys, *db, "fapiao", "export", str(tmp_path / "out.xlsx"), "--as",
                        "lao")
    assert code == 1 and "tax classification code" in err and "A1" in err
    assert not (tmp_path / "out.xlsx").exists()
    _as_lao(monkeypatch)
    code, _o, err = run(capsys, *db, "fapiao", "tax-code", "DRINK", "1030201010000000000",
                        "--as", "lao")
    assert code == 0, err
    _as_lao(monkeypatch)
    code, out, err = run(capsys, *db, "fapiao", "export", str(tmp_path / "out.xlsx"), "--as",
                         "lao")
    assert code == 0 and "1 request(s)" in out, err
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book["1-发票基本信息"]["G2"].value == "91110000600037341L"
    issued = tmp_path / "issued.csv"
    issued.write_text("流水号,发票号码\nFP-000001,24112000000012345678\n", encoding="utf-8")
    _as_lao(monkeypatch)
    code, out, err = run(capsys, *db, "fapiao", "issued", str(issued), "--as", "lao")
    assert code == 0 and "1 updated" in out, err
    _as_lao(monkeypatch)
    code, out, err = run(capsys, *db, "fapiao", "sent", "FP-000001", "--as", "lao")
    assert code == 0 and "sent" in out, err
    _as_lao(monkeypatch)
    code, out, err = run(capsys, *db, "fapiao", "list", "--json", "--as", "lao")
    (row,) = json.loads(out)
    assert (row["status"], row["invoice_number"], row["sales"]) == (
        "sent", "24112000000012345678", [sale])
