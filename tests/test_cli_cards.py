"""`zhanggui cards` (issue 19.2): a bonus rule set, a card opened and topped up at a till
with its shift open, its statement shown, and the card closed with the paid part given back;
a mistyped number, a top-up with no shift open and a bonus without its user are refused in
words and write nothing."""

from __future__ import annotations

import json

from store import bootstrap
from store.models import CardMove
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_cards_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    db = ("--db", db_url, "--lang", "en")
    code, _o, err = run(capsys, *db, "cards", "bonus", "100", "10")
    assert code == 2 and "--as USER" in err
    as_("2580")
    code, out, err = run(capsys, *db, "cards", "bonus", "100", "10", "--as", "lao")
    assert code == 0 and "￥100.00" in out and "￥10.00" in out, err
    as_("2580")
    code, out, err = run(capsys, *db, "cards", "open", "--as", "lao")
    assert code == 0, err
    number = out.split()[1]
    assert len(number) == 12
    as_("2580")
    code, _o, err = run(capsys, *db, "cards", "top-up", number, "100", "--terminal", "T1",
                        "--as", "lao")
    assert code == 1 and "Open a shift first" in err and "Traceback" not in err
    bootstrap.open_store(db_url)
    from store.models import User
    from store.selling import sales

    sales.open_shift("T1", User.get(User.username == "lao").id, "0")
    bootstrap.close_store()
    as_("2580")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    code, _o, err = run(capsys, *db, "cards", "top-up", wrong, "100", "--terminal", "T1",
                        "--as", "lao")
    assert code == 1 and "not a stored-value card number" in err
    as_("2580")
    code, out, err = run(capsys, *db, "cards", "top-up", number, "100", "--terminal", "T1",
                         "--as", "lao")
    assert code == 0 and "SV-000001" in out and "balance ￥110.00" in out, err
    code, out, _e = run(capsys, *db, "cards", "show", number)
    assert "balance ￥110.00 = paid ￥100.00 + bonus ￥10.00" in out and "SV-000001" in out
    code, out, _e = run(capsys, *db, "cards", "list", "--json")
    assert [(c["number"], c["balance"]) for c in json.loads(out)] == [(number, "110.00")]
    as_("2580")
    code, out, err = run(capsys, *db, "cards", "close", number, "--terminal", "T1",
                         "--reason", "顾客退卡", "--as", "lao")
    assert code == 0 and "￥100.00 given back, bonus ￥10.00 lapsed" in out, err
    code, out, _e = run(capsys, *db, "cards", "list")
    assert "closed" in out and "Owed to card holders (220301): ￥0.00" in out
    bootstrap.open_store(db_url)
    assert [m.kind for m in CardMove.select().order_by(CardMove.id)] == ["top_up", "cash_out"]
    bootstrap.close_store()
