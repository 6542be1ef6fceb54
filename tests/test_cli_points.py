"""`zhanggui points` (issue 19.1): the programme, a rule and a tier set from the shell, a
member's sale earning points, their statement shown, and the nightly lapse run by hand;
a rate out of range, two targets at once and a rule without its user are refused in words
and write nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from store import bootstrap
from store.models import PointsRule
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def _a_members_sale(db_url: str) -> None:
    from store.catalog import products, search
    from store.catalog.products import ProductInput
    from store.customers import lookup, parties
    from store.models import User
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput

    bootstrap.open_store(db_url)
    products.create_product(ProductInput("RICE", "大米 5kg", "45.00", "9%"))
    parties.create_customer("M1", "王芳", phone="13800138001")
    cashier = User.get(User.username == "lao")
    sales.open_shift("T1", cashier.id, "0")
    b = Basket()
    b.attach(lookup.one("13800138001"), b.rules)
    b.add(search.lookup_code("RICE"), Decimal(2))  # 90.00
    sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=cashier.id)
    bootstrap.close_store()


def test_points_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    db = ("--db", db_url, "--lang", "en")
    with pytest.raises(SystemExit):  # argparse: --as is required
        run(capsys, *db, "points", "rule", "1")
    assert "--as" in capsys.readouterr().err
    as_("2580")
    code, _o, err = run(capsys, *db, "points", "rule", "150", "--as", "lao")
    assert code == 1 and "must be from 0 to 100" in err and "Traceback" not in err
    with pytest.raises(SystemExit):  # argparse: one target at most
        run(capsys, *db, "points", "rule", "1", "--category", "A", "--sku", "B", "--as", "lao")
    assert "not allowed with" in capsys.readouterr().err
    bootstrap.open_store(db_url)
    assert PointsRule.select().count() == 0
    bootstrap.close_store()
    as_("2580")
    code, out, err = run(capsys, *db, "points", "rule", "2", "--as", "lao")
    assert code == 0 and "Everything: 2 points per 元" in out, err
    as_("2580")
    code, out, err = run(capsys, *db, "points", "tier", "GOLD", "金卡", "100",
                         "--earn-pct", "150", "--as", "lao")
    assert code == 0 and "from ￥100.00 spent, 150% points; 0 member(s)" in out, err
    as_("2580")
    code, out, err = run(capsys, *db, "points", "program", "--months", "12", "--as", "lao")
    assert code == 0 and "lapse after 12 months" in out, err
    _a_members_sale(db_url)
    code, out, err = run(capsys, *db, "points", "show", "13800138001")
    assert code == 0, err
    assert "王芳 (M1): 180 points, worth ￥1.80" in out
    assert "Tier: -; spent ￥90.00; ￥10.00 more to 金卡" in out
    code, out, _e = run(capsys, *db, "points", "show", "M1", "--json")
    shown = json.loads(out)
    assert shown["points"] == 180 and [m["kind"] for m in shown["moves"]] == ["earn"]
    code, out, _e = run(capsys, *db, "points", "tiers")
    assert "GOLD" in out and "150" in out
    code, out, _e = run(capsys, *db, "points", "rules")
    assert "Points outstanding: 180, owed as goods (2204): ￥1.80" in out
    as_("2580")
    code, out, err = run(capsys, *db, "points", "adjust", "M1", "-80", "--reason", "多给了",
                         "--as", "lao")
    assert code == 0 and "M1: 100 points now" in out, err
    code, out, _e = run(capsys, *db, "points", "expire")
    assert code == 0 and "0 points of 0 member(s) lapsed" in out
    code, _o, err = run(capsys, *db, "points", "show", "M404")
    assert code == 1 and "no single customer 'M404'" in err
