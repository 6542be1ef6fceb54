"""`zhanggui report|ledger|purchase|bills|pay|payables` on both engines, as an owner or an
accountant uses them from the shell."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from store import bootstrap
from store.buying import receiving
from store.common import clock
from store.shops.setup import setup_shop
from tests.store.stock_helpers import sell, stock_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)

D = Decimal


def _day_of_trade(db_url: str) -> str:
    """A shop that bought and sold today; returns today as YYYY-MM-DD."""
    bootstrap.open_store(db_url)
    setup_shop("测试商店", owner="boss", owner_pin="8888")
    from store.catalog import products
    from store.security import auth

    products.create_category("DRINK", "饮料", "Beverages")
    users = stock_shop()
    auth.create_user("kuaiji", "accountant", pin="3690")
    r = receiving.start(users["supervisor"], "WH", supplier_code="S1")
    receiving.set_line(users["supervisor"], r.number, "COKE", "24", "2.00")
    receiving.post(users["supervisor"], r.number)
    sell(users["cashier"], "COKE", 3)
    sell(users["cashier"], "TEA", 1)
    today = clock.local_today().isoformat()
    bootstrap.close_store()
    return today


def as_user(monkeypatch, pin: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))


def test_reports_from_the_shell(capsys, db_url, env, tmp_path) -> None:  # noqa: F811
    today = _day_of_trade(db_url)
    code, out, _e = run(capsys, "--db", db_url, "report", "daily", "--date", today, "--json")
    assert code == 0
    daily = json.loads(out)
    for key in ("date", "sales", "gross", "discounts", "returns", "net", "tax", "cost", "margin",
                "by_tender", "by_terminal", "items"):
        assert key in daily, key
    assert daily["sales"] == 2 and D(daily["net"]) == D("14.50") and D(daily["items"]) == 4
    assert [t["key"] for t in daily["by_terminal"]] == ["T1"]
    code, out, _e = run(capsys, "--db", db_url, "report", "pnl", "--from", today, "--to", today,
                        "--json")
    pnl = json.loads(out)
    assert D(pnl["revenue"]) == D(daily["revenue"]) and D(pnl["cost_of_sales"]) == D(
        daily["cost"])
    code, out, _e = run(capsys, "--db", db_url, "ledger", "trial-balance", "--json")
    tb = json.loads(out)
    assert tb["debit"] == tb["credit"]
    code, out, _e = run(capsys, "--db", db_url, "report", "balance-sheet", "--json")
    assert json.loads(out)["balances"] is True
    code, out, _e = run(capsys, "--db", db_url, "report", "sales", "--by", "product", "--json",
                        "--from", today, "--to", today)
    assert [r["key"] for r in json.loads(out)] == ["COKE", "TEA"]
    code, _o, err = run(capsys, "--db", db_url, "report", "daily", "--date", "2026-02-30")
    assert code == 1 and "2026-02-30" in err
    # Exports: CSV opens in Excel (BOM), XLSX is a zip; a path that cannot be written says so.
    out_csv = tmp_path / "sales.csv"
    assert run(capsys, "--db", db_url, "report", "export", "sales", "--format", "csv", "--out",
               str(out_csv), "--from", today, "--to", today)[0] == 0
    text = out_csv.read_text(encoding="utf-8-sig")
    assert "COKE" in text and "可口可乐" in text
    out_xlsx = tmp_path / "pnl.xlsx"
    assert run(capsys, "--db", db_url, "report", "export", "pnl", "--format", "xlsx", "--out",
               str(out_xlsx))[0] == 0
    assert out_xlsx.read_bytes()[:2] == b"PK"
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "valuation", "--out",
                        str(tmp_path / "missing" / "dir" / "v.csv"))
    assert code == 1 and "dir does not exist" in err and not (tmp_path / "missing").exists()
    a_file = tmp_path / "not-a-directory"
    a_file.write_text("x")  # even root cannot write below a file
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "valuation", "--out",
                        str(a_file / "v.csv"))
    assert code == 1 and "does not exist" in err and a_file.read_text() == "x"


def test_the_books_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _day_of_trade(db_url)
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "ledger", "post", "--description", "房租",
                         "--debit", "6602=3000", "--credit", "1002=3000", "--as", "kuaiji")
    assert code == 0, err
    as_user(monkeypatch, "3690")
    code, _o, err = run(capsys, "--db", db_url, "ledger", "post", "--description", "bad",
                        "--debit", "6602=10", "--credit", "1002=9", "--as", "kuaiji")
    assert code == 1 and "does not balance" in err
    code, out, _e = run(capsys, "--db", db_url, "ledger", "journal", "--kind", "manual",
                        "--json")
    entries = json.loads(out)
    assert len(entries) == 1 and entries[0]["description"] == "房租"
    as_user(monkeypatch, "3690")
    code, out, _e = run(capsys, "--db", db_url, "ledger", "reverse", str(entries[0]["id"]),
                        "--reason", "wrong month", "--as", "kuaiji")
    assert code == 0
    as_user(monkeypatch, "1357")
    code, _o, err = run(capsys, "--db", db_url, "ledger", "lock", "2026-01", "--as", "cashier")
    assert code == 1 and "may not" in err
    as_user(monkeypatch, "3690")
    code, out, _e = run(capsys, "--db", db_url, "ledger", "lock", "2026-01", "--as", "kuaiji")
    assert code == 0 and "2026-01-31" in out
    as_user(monkeypatch, "3690")
    code, _o, err = run(capsys, "--db", db_url, "ledger", "post", "--date", "2026-01-15",
                        "--description", "late", "--debit", "6602=1", "--credit", "1001=1",
                        "--as", "kuaiji")
    assert code == 1 and "locked through 2026-01-31" in err


def test_buying_billing_and_paying_from_the_shell(capsys, db_url, env,  # noqa: F811
                                                  monkeypatch) -> None:
    _day_of_trade(db_url)
    as_user(monkeypatch, "1357")
    code, out, err = run(capsys, "--db", db_url, "purchase", "create", "--supplier", "S1",
                         "--warehouse", "WH", "--line", "COKE:48:1.90", "--line", "TEA:12",
                         "--draft", "--as", "supervisor")
    assert code == 0 and "PO-000001" in out, err
    as_user(monkeypatch, "1357")
    assert run(capsys, "--db", db_url, "purchase", "send", "PO-000001", "--as",
               "supervisor")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "purchase", "show", "PO-000001", "--json")
    order = json.loads(out)
    assert order["status"] == "ordered" and D(order["total"]) == D("121.20")  # TEA at 2.50
    code, out, _e = run(capsys, "--db", db_url, "purchase", "export", "PO-000001", "--format",
                        "txt")
    assert "PO-000001" in out and "121.20" in out
    as_user(monkeypatch, "1357")
    code, _o, err = run(capsys, "--db", db_url, "purchase", "create", "--supplier", "S1",
                        "--warehouse", "WH", "--line", "COKE", "--as", "supervisor")
    assert code == 1 and "SKU:QTY" in err
    # The supplier bills the receipt made earlier (24 COKE at 2.00) at 2.05, with input VAT.
    code, out, _e = run(capsys, "--db", db_url, "bills", "unbilled", "S1", "--json")
    line = json.loads(out)[0]
    assert line["sku"] == "COKE" and D(line["qty"]) == 24
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "bills", "post", "S1", "FP-8801", "--goods",
                         f"{line['receipt_line_id']}:24:2.05", "--tax", "6.40", "--as",
                         "kuaiji")
    assert code == 0 and "1.20" in out, err  # the price difference is shown
    code, out, _e = run(capsys, "--db", db_url, "payables", "aging", "--json")
    assert D(json.loads(out)["suppliers"][0]["not_due"]) == D("55.60")
    as_user(monkeypatch, "3690")
    code, _o, err = run(capsys, "--db", db_url, "pay", "S1", "100", "--as", "kuaiji")
    assert code == 1 and "prepayment" in err
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "pay", "S1", "55.60", "--reference", "网银",
                         "--as", "kuaiji")
    assert code == 0 and "BILL-000001" in out, err
    code, out, _e = run(capsys, "--db", db_url, "payables", "statement", "S1", "--json")
    assert D(json.loads(out)["lines"][-1]["balance"]) == 0
    code, out, _e = run(capsys, "--db", db_url, "purchase", "suggest", "--json")
    assert code == 0 and json.loads(out) == []


def test_goods_back_to_the_supplier_from_the_shell(capsys, db_url, env,  # noqa: F811
                                                   monkeypatch) -> None:
    """`zhanggui purchase return`: part of a receipt back before the bill (220201), part of a
    bill back as a debit note; a bad line is named and nothing is written."""
    _day_of_trade(db_url)  # GR-000001: 24 COKE at 2.00 into WH
    code, out, _e = run(capsys, "--db", db_url, "purchase", "returnable", "GR-000001", "--json")
    assert [(r["sku"], D(r["qty"]), D(r["not_billed"])) for r in json.loads(out)] == [
        ("COKE", 24, 24)]
    as_user(monkeypatch, "1357")
    code, _o, err = run(capsys, "--db", db_url, "--lang", "en", "purchase", "return",
                        "GR-000001", "COKE=2", "TEA", "--reason", "坏", "--as", "supervisor")
    assert code == 1 and "'TEA' is not SKU=QTY" in err
    as_user(monkeypatch, "1357")
    code, _o, err = run(capsys, "--db", db_url, "--lang", "en", "purchase", "return",
                        "GR-000001", "COKE=25", "--reason", "坏", "--as", "supervisor")
    assert code == 1 and "Line 1: 25 of COKE" in err and "only 24" in err
    as_user(monkeypatch, "1357")
    code, out, err = run(capsys, "--db", db_url, "--lang", "en", "purchase", "return",
                         "GR-000001", "COKE=4", "--reason", "包装破损", "--as", "supervisor")
    assert code == 0 and "RTV-000001" in out and "not billed" in out, err
    code, out, _e = run(capsys, "--db", db_url, "bills", "unbilled", "S1", "--json")
    line = json.loads(out)[0]
    assert D(line["qty"]) == 20
    as_user(monkeypatch, "3690")
    assert run(capsys, "--db", db_url, "bills", "post", "S1", "FP-9", "--goods",
               f"{line['receipt_line_id']}", "--tax", "5.20", "--as", "kuaiji")[0] == 0
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "--lang", "en", "purchase", "return",
                         "BILL-000001", "6901234567892=5", "--reason", "临期", "--as", "kuaiji")
    assert code == 0, err
    assert "set against BILL-000001: ￥11.30" in out  # 5 × 2.00 and 1.30 of the VAT
    code, out, _e = run(capsys, "--db", db_url, "purchase", "returns", "--json")
    rows = json.loads(out)
    assert [(r["number"], D(r["credit"])) for r in rows] == [("RTV-000002", D("11.30")),
                                                             ("RTV-000001", 0)]
    code, out, _e = run(capsys, "--db", db_url, "payables", "aging", "--json")
    assert D(json.loads(out)["suppliers"][0]["not_due"]) == D("45.20") - D("11.30")


def test_customer_accounts_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _day_of_trade(db_url)
    bootstrap.open_store(db_url)
    from store.catalog import search
    from store.customers import lookup, parties
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    parties.create_customer("W001", "张记小卖部", credit_limit=D("500"))
    b = Basket()
    b.add(search.lookup_code("COKE"), D(6))
    b.customer = lookup.find("W001")[0]
    cashier = auth_user("cashier")
    sales.post_sale(b, [PaymentInput("ACCOUNT", b.total)], terminal="T1", cashier_id=cashier)
    bootstrap.close_store()
    code, out, _e = run(capsys, "--db", db_url, "receivables", "accounts", "--json")
    assert [(r["code"], D(r["owed"])) for r in json.loads(out)] == [("W001", D("21.00"))]
    code, out, _e = run(capsys, "--db", db_url, "receivables", "aging", "--json")
    assert D(json.loads(out)["customers"][0]["not_due"]) == D("21.00")
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "receivables", "pay", "W001", "50", "--as",
                         "kuaiji")
    assert code == 1 and "more than" in err
    as_user(monkeypatch, "3690")
    code, out, err = run(capsys, "--db", db_url, "receivables", "pay", "W001", "21", "--account",
                         "1002", "--as", "kuaiji")
    assert code == 0 and "RCV-000001" in out, err
    code, out, _e = run(capsys, "--db", db_url, "receivables", "statement", "W001", "--json")
    assert D(json.loads(out)[-1]["balance"]) == 0
    code, out, _e = run(capsys, "--db", db_url, "report", "export", "ar-aging", "--out",
                        str(env / "ar.csv"))
    assert code == 0 and (env / "ar.csv").exists()


def auth_user(name: str) -> int:
    from store.models import User

    return int(User.get(User.username == name).id)


def test_backup_and_restore_from_the_shell(capsys, db_url, env, engine,  # noqa: F811
                                           tmp_path, monkeypatch) -> None:
    _day_of_trade(db_url)
    secret = tmp_path / "pass.txt"
    secret.write_text("sesame\n")
    code, out, err = run(capsys, "--db", db_url, "backup", str(tmp_path / "b.zgbak"),
                         "--encrypt", "--passphrase-file", str(secret))
    assert code == 0 and "encrypted" in out, err
    if engine == "sqlite":
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        from tests.conftest import create_pg_database

        target = create_pg_database("zg_cli_restore")
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    code, _o, err = run(capsys, "restore", str(tmp_path / "b.zgbak"), "--to", target)
    assert code == 1 and "passphrase" in err
    code, out, err = run(capsys, "restore", str(tmp_path / "b.zgbak"), "--to", target,
                         "--passphrase-file", str(secret))
    assert code == 0 and "verified" in out, err
    code, out, _e = run(capsys, "--db", target, "sales", "list", "--json")
    assert len(json.loads(out)) == 2


def test_an_export_takes_its_format_from_the_file_name(capsys, db_url, env, tmp_path) -> None:  # noqa: F811
    """Issue 14.4: --out x.xlsx without --format wrote CSV into it; --format xlsx --out x.csv
    wrote XLSX into a .csv. The name decides unless --format is given; a mismatch is refused."""
    _day_of_trade(db_url)
    xlsx = tmp_path / "daily.xlsx"
    assert run(capsys, "--db", db_url, "report", "export", "pnl", "--out", str(xlsx))[0] == 0
    assert xlsx.read_bytes()[:2] == b"PK"  # a zip: XLSX
    csv_file = tmp_path / "daily.csv"
    assert run(capsys, "--db", db_url, "report", "export", "pnl", "--out", str(csv_file))[0] == 0
    assert not csv_file.read_bytes().startswith(b"PK")
    wrong = tmp_path / "wrong.csv"
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "pnl", "--format", "xlsx",
                        "--out", str(wrong))
    assert code == 1 and "wrong.csv" in err and not wrong.exists()
    bare = tmp_path / "report"
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "pnl", "--out", str(bare))
    assert code == 1 and "--format" in err and not bare.exists()
    assert run(capsys, "--db", db_url, "report", "export", "pnl", "--format", "csv", "--out",
               str(bare))[0] == 0
    assert bare.exists()
