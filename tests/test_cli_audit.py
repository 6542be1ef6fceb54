"""`zhanggui shifts list`, `audit verify|list`, `roles …` and `settings …` on both engines."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from devices.text import width
from store import bootstrap
from store.catalog import products, search
from store.catalog.products import ProductInput
from store.core.db import database
from store.core.errors import AuthError
from store.models import Product
from store.security import auth
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops.setup import setup_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


def _a_day_of_trade(db_url: str) -> None:
    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    products.create_product(ProductInput("A1", "可口可乐", "3.50", "13%"))
    user = auth.authenticate("lao", "2580")
    sales.open_shift("T1", user.id, counts={"100": 2})
    b = Basket()
    b.add(search.lookup_code("A1"), Decimal(2))
    sales.post_sale(b, [PaymentInput("CASH", Decimal("10"))], terminal="T1", cashier_id=user.id)
    r = Basket()
    receipt = returns.returnable("T1-000001")
    returns.add_return(r, receipt, receipt.lines[0].line_id, Decimal(1))
    sales.post_sale(r, [PaymentInput("CASH", Decimal("-3.50"))], terminal="T1",
                    cashier_id=user.id)
    sales.close_shift("T1", user, "203.50")
    sales.open_shift("T1", user.id, "203.50")
    bootstrap.close_store()


def test_shifts_list_json_has_x_and_z_totals(capsys, db_url, env) -> None:  # noqa: F811
    _a_day_of_trade(db_url)
    code, out, _e = run(capsys, "--db", db_url, "shifts", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["status"] for r in rows] == ["open", "closed"]
    z = rows[1]
    assert (z["z_number"], z["sales"], z["returns"], z["total"]) == (1, 2, 1, "3.50")
    assert (z["expected_cash"], z["counted_cash"], z["over_short"]) == (
        "203.50", "203.50", "0.00")
    assert z["grand_total"] == "3.50" and z["closed_by"] == "lao"
    code, out, _e = run(capsys, "--db", db_url, "sales", "list", "--json")
    assert [s["kind"] for s in json.loads(out)] == ["sale", "return"]


def test_shifts_list_has_headers_and_show_prints_the_z(capsys, db_url, env) -> None:  # noqa: F811
    _a_day_of_trade(db_url)
    code, out, _e = run(capsys, "--db", db_url, "shifts", "list")
    head, newest, oldest = out.splitlines()
    assert code == 0 and head.split()[:4] == ["ID", "Terminal", "Shift", "Z"]
    # the columns line up: each figure ends where its heading ends
    assert oldest.split()[3] == "Z0001" and oldest.endswith("￥203.50")
    assert width(oldest) == width(head) and newest.endswith("-")  # ￥ takes two cells
    z_id = oldest.split()[0]
    code, out, _e = run(capsys, "--db", db_url, "shifts", "show", z_id)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Z report T1-Z0001"
    figures = {ln[:20].strip(): ln[20:].strip() for ln in lines[1:] if ln[:1] != "─"}
    assert (figures["Sales count"], figures["Total"], figures["Returns (1)"]) == (
        "2", "3.50", "-3.50")
    assert (figures["Counted cash"], figures["Over/short"], figures["Closed by"]) == (
        "203.50", "+0.00", "lao")
    code, _o, err = run(capsys, "--db", db_url, "shifts", "show", "999")
    assert code != 0 and "No shift with ID 999" in err


def test_cli_tables_align_chinese_names_and_show_escapes_harmlessly(
        capsys, db_url, env) -> None:  # noqa: F811
    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    products.create_product(ProductInput("A1", "可口可乐", "3.50", "13%"))
    products.create_product(ProductInput("B22", "Tea", "12.00", "13%"))
    # A name stored before input refused escapes (issue 15.6) still prints harmlessly.
    Product.update(name="Tea\x1b[2J").where(Product.sku == "B22").execute()
    bootstrap.close_store()
    code, out, _e = run(capsys, "--db", db_url, "products", "list")
    assert code == 0
    head, *rows = out.splitlines()
    price_end = width(head[:head.index("Price") + len("Price")])
    for row, price in zip(rows, ("￥3.50", "￥12.00"), strict=True):
        assert width(row[:row.index(price) + len(price)]) == price_end  # right-aligned in cells
    assert "\x1b" not in out and "Tea\ufffd[2J" in out


def test_audit_verify_exits_non_zero_when_a_sale_is_changed(capsys, db_url, env) -> None:  # noqa: F811
    _a_day_of_trade(db_url)
    code, out, _e = run(capsys, "--db", db_url, "audit", "verify")
    assert code == 0 and "2 sales, 1 Z reports" in out
    code, out, _e = run(capsys, "--db", db_url, "audit", "list", "--json")
    kinds = [e["kind"] for e in json.loads(out)]
    till = {"shift_open", "sale", "return", "z"}
    assert [k for k in kinds if k in till] == ["shift_open", "sale", "return", "z", "shift_open"]
    assert {"entry", "stock", "product_created"} <= set(kinds)  # the books and stock sealed
    bootstrap.open_store(db_url)
    database.obj.execute_sql("UPDATE sale SET total = total + 100 WHERE number = 'T1-000001'")
    bootstrap.close_store()
    code, _out, err = run(capsys, "--db", db_url, "audit", "verify")
    assert code == 1 and "T1-000001 differs" in err and "Z report T1-Z0001" in err


def test_roles_need_the_owners_pin(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _a_day_of_trade(db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, err = run(capsys, "--db", db_url, "roles", "grant", "cashier", "no_sale",
                         "--as", "lao")
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, err = run(capsys, "--db", db_url, "roles", "limit", "cashier", "15",
                         "--as", "lao")
    assert code == 0, err
    code, out, _e = run(capsys, "--db", db_url, "roles", "show", "--json")
    data = json.loads(out)
    assert "no_sale" in data["matrix"]["cashier"] and data["discount_limits"]["cashier"] == "15.00"
    monkeypatch.setattr("sys.stdin", io.StringIO("0000\n"))
    code, _out, err = run(capsys, "--db", db_url, "roles", "revoke", "cashier", "no_sale",
                          "--as", "lao")
    assert code == 1 and "Wrong user name or PIN" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _out, err = run(capsys, "--db", db_url, "roles", "grant", "cashier", "fly",
                          "--as", "lao")
    assert code == 1 and "unknown permission 'fly'" in err


def test_settings_cash_rounding_and_timezone(capsys, db_url, env,  # noqa: F811
                                             monkeypatch) -> None:
    _a_day_of_trade(db_url)

    def as_owner(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
        return run(capsys, "--db", db_url, *argv, "--as", "lao")

    assert as_owner("settings", "cash-rounding", "0.1")[0] == 0
    code, _out, err = as_owner("settings", "cash-rounding", "0.3")
    assert code == 1 and "0.3" in err
    assert as_owner("settings", "timezone", "Asia/Shanghai")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "settings", "show")
    assert "cash rounding: 0.10" in out and "Asia/Shanghai" in out
    code, _out, err = as_owner("settings", "timezone", "Mars/Olympus")
    assert code == 1 and "Mars/Olympus" in err
    bootstrap.open_store(db_url)
    auth.create_user("ann", "cashier", pin="1234")
    bootstrap.close_store()
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    code, _out, err = run(capsys, "--db", db_url, "settings", "cash-rounding", "1", "--as",
                          "ann")
    assert code == 1 and "may not" in err


def test_user_unlock_lifts_a_pin_lockout(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    _a_day_of_trade(db_url)
    bootstrap.open_store(db_url)
    auth.create_user("ann", "cashier", pin="1111")
    for _i in range(5):
        with pytest.raises(AuthError):
            auth.authenticate("ann", "9999")
    bootstrap.close_store()
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    code, _out, err = run(capsys, "--db", db_url, "user", "unlock", "lao", "--as", "ann")
    assert code == 1 and "locked for 1 more minutes" in err  # ann cannot vouch for herself
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, err = run(capsys, "--db", db_url, "user", "unlock", "ann", "--as", "lao")
    assert code == 0 and "ann is unlocked" in out, err
    bootstrap.open_store(db_url)
    assert auth.authenticate("ann", "1111").username == "ann"
    bootstrap.close_store()
