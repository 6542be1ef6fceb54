"""`zhanggui stock`, `stock moves`, `stock alerts`, `stock reorder` and `stock unknown` on both
engines."""

from __future__ import annotations

import io
import json

import pytest

from store import bootstrap
from store.buying import receiving
from store.models import AuditEvent
from store.security import auth
from store.shops.setup import setup_shop
from tests.store.stock_helpers import sell, stock_shop
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def _stock_day(db_url: str) -> None:
    bootstrap.open_store(db_url)
    setup_shop("测试商店", owner="boss", owner_pin="8888")
    from store.catalog import products

    products.create_category("DRINK", "饮料", "Beverages")
    users = stock_shop()
    r = receiving.start(users["supervisor"], "WH")
    receiving.scan(users["supervisor"], r.number, "16901234567899")  # a case of 12
    receiving.note_unknown(users["supervisor"], "12345", "receiving", r.number)
    receiving.post(users["supervisor"], r.number)
    sell(users["cashier"], "TEA", 2)  # below zero on the shop floor
    bootstrap.close_store()


def test_stock_lists_per_warehouse_and_in_total(capsys, db_url, env) -> None:  # noqa: F811
    _stock_day(db_url)
    code, out, _e = run(capsys, "--db", db_url, "stock", "--json")
    assert code == 0
    assert {r["sku"]: r["on_hand"] for r in json.loads(out)} == {"COKE": "22.000",
                                                                 "TEA": "-2.000"}
    code, out, _e = run(capsys, "--db", db_url, "stock", "--warehouse", "WH", "--json")
    rows = json.loads(out)
    assert [(r["sku"], r["warehouse"], r["available"]) for r in rows] == [
        ("COKE", "WH", "22.000")]
    code, out, _e = run(capsys, "--db", db_url, "stock", "--sku", "TEA")
    assert code == 0 and "TEA" in out and "-2" in out


def test_stock_moves_and_alerts(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _stock_day(db_url)
    code, out, _e = run(capsys, "--db", db_url, "stock", "moves", "--sku", "COKE", "--json")
    moves = json.loads(out)
    assert [(m["reason"], m["qty"], m["balance"]) for m in moves] == [
        ("receipt", "12.000", "22.000"), ("opening", "10.000", "10.000")]
    assert moves[0]["user"] == "supervisor" and moves[0]["reference"] == "GR-000001"
    code, _out, err = run(capsys, "--db", db_url, "stock", "moves", "--sku", "NOPE")
    assert code == 1 and "NOPE" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))
    code, _out, err = run(capsys, "--db", db_url, "stock", "reorder", "COKE", "WH", "30", "60",
                          "--as", "cashier")  # a cashier buys nothing: refused, recorded
    assert code == 1 and "may not" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    assert run(capsys, "--db", db_url, "stock", "reorder", "COKE", "wh", "30", "60",
               "--as", "boss")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "stock", "alerts", "--json")
    alerts = [(a["sku"], a["warehouse"], a["kind"], a["suggested"]) for a in json.loads(out)]
    assert alerts == [("TEA", "STORE", "negative", "2.000"), ("COKE", "WH", "low", "38.000")]
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    code, _out, err = run(capsys, "--db", db_url, "stock", "reorder", "COKE", "WH", "9", "3",
                          "--as", "boss")
    assert code == 1 and "max_qty" in err
    code, out, _e = run(capsys, "--db", db_url, "stock", "unknown", "--json")
    assert [u["code"] for u in json.loads(out)] == ["12345"]


def test_the_negative_stock_policy_per_warehouse(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _stock_day(db_url)
    code, out, _e = run(capsys, "--db", db_url, "warehouses", "list", "--json")
    policy = {w["code"]: w["allow_negative"] for w in json.loads(out)}
    assert policy["STORE"] is True and policy["WH"] is False
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))  # the keeper may not
    code, _out, err = run(capsys, "--db", db_url, "warehouses", "negative", "STORE", "off",
                          "--as", "warehouse")
    assert code == 1 and "may not" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    code, out, _e = run(capsys, "--db", db_url, "warehouses", "negative", "STORE", "off",
                        "--as", "boss")
    assert code == 0 and "never" in out
    bootstrap.open_store(db_url)
    from store.stock import costing

    with pytest.raises(costing.InsufficientStock):  # TEA is at -2 there: no more sales
        sell(auth.authenticate("boss", "8888"), "TEA", 1)
    assert [e.kind for e in AuditEvent.select().where(AuditEvent.kind == "setting_change")] == [
        "setting_change"]


def test_a_second_warehouse_and_till_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    """Issue 16: on a shop made by `init` there was no way to add a warehouse or a second
    till ("No terminal"). The owner adds both; a cashier may not; codes are validated,
    compared without case, and every addition is in the audit chain."""
    from store.selling import sales

    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "warehouses", "add", "back2", "二号仓",
                         "--name-en", "Back room 2", "--no-negative", "--as", "lao")
    assert code == 0 and "BACK2" in out, err
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "terminals", "add", "t2", "--warehouse",
                         "BACK2", "--name", "二号收银台", "--as", "lao")
    assert code == 0 and "T2" in out and 'code = "T2"' in out, err
    for argv, words in ((["warehouses", "add", "Back2", "重复"], "already exists"),
                        (["warehouses", "add", "a b", "空格"], "letters, digits"),
                        (["terminals", "add", "T3", "--warehouse", "NOPE"], "No warehouse"),
                        (["terminals", "add", "T2", "--warehouse", "BACK2"], "already exists")):
        as_("2580")
        code, _o, err = run(capsys, "--db", db_url, *argv, "--as", "lao")
        assert code == 1 and words in err, (argv, err)
    as_("2580")
    run(capsys, "--db", db_url, "user", "add", "amy", "--role", "cashier", "--pin", "1357",
        "--as", "lao")
    as_("1357")
    code, _o, err = run(capsys, "--db", db_url, "terminals", "add", "T9", "--warehouse",
                        "BACK2", "--as", "amy")
    assert code == 1 and "may not" in err
    code, out, _e = run(capsys, "--db", db_url, "terminals", "list", "--json")
    assert {(t["code"], t["warehouse"]) for t in json.loads(out)} >= {("T2", "BACK2")}
    code, out, _e = run(capsys, "--db", db_url, "warehouses", "list", "--json")
    back = next(w for w in json.loads(out) if w["code"] == "BACK2")
    assert back["name_en"] == "Back room 2" and back["allow_negative"] is False
    bootstrap.open_store(db_url)
    lao = auth.authenticate("lao", "2580")
    assert sales.open_shift("T2", lao.id, "100").terminal == "T2"  # the new till sells
    kinds = [e.kind for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert "warehouse_added" in kinds and "terminal_added" in kinds


def test_a_supplier_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    """Issue 16: purchasing could not start on a new shop, as no supplier could be added."""
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "suppliers", "add", "s10", "粮油总汇",
                         "--contact", "刘经理", "--phone", "021-5555-0105", "--terms-days", "45",
                         "--lead-days", "5", "--as", "lao")
    assert code == 0 and "S10" in out, err
    for argv, words in ((["S10", "重复"], "already exists"), (["S11", ""], "must not be empty"),
                        (["S12", "x", "--terms-days", "400"], "0 to 365"),
                        (["S13", "x\x1b[2J"], "U+001B")):
        as_("2580")
        code, _o, err = run(capsys, "--db", db_url, "suppliers", "add", *argv, "--as", "lao")
        assert code == 1 and words in err and "\x1b" not in err, (argv, err)
    code, out, _e = run(capsys, "--db", db_url, "suppliers", "list", "--json")
    got = {s["code"]: s for s in json.loads(out)}
    assert set(got) == {"S10"}
    assert (got["S10"]["contact"], got["S10"]["payment_days"], got["S10"]["lead_time_days"]) == (
        "刘经理", 45, 5)
    bootstrap.open_store(db_url)
    assert [e.kind for e in AuditEvent.select().where(AuditEvent.kind == "supplier_added")] == [
        "supplier_added"]
