"""`zhanggui sync` (issue 18.2): a till's outbox seen from the shell — what waits and what
was refused, even with the database away; sent on demand; the offline sales a manager should
look at, and marking them seen (refused to a cashier)."""

from __future__ import annotations

import json
from decimal import Decimal

from store.catalog import products, search
from store.catalog.products import ProductInput
from store.core.db import connect
from store.offline import till as offline
from store.offline.outbox import Outbox
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_sync_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    en = ["--db", db_url, "--lang", "en"]
    connect(db_url)
    products.create_product(ProductInput("COKE", "可口可乐 330ml", "3.50", "13%"))  # none in
    cashier = auth.create_user("amy", "cashier", pin="1357")  # STORE
    shift = sales.open_shift("T1", cashier.id, "0")
    box = Outbox(offline.folder(db_url) / "till-T1-outbox.db", "T1")
    b = Basket()
    b.add(search.lookup_code("COKE"))
    box.add(b, [PaymentInput("CASH", Decimal("3.50"))], cashier_id=cashier.id,
            shift_id=shift.id)
    code, out, err = run(capsys, *en, "sync", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["waiting"] == 1 and status["database"] is True, err
    code, out, err = run(capsys, *en, "sync", "status")
    assert "Till T1: to send 1, refused 0" in out
    code, out, err = run(capsys, *en, "sync", "run")
    assert code == 0 and "sent: 1, refused: 0, still to send: 0" in out, err
    code, out, err = run(capsys, *en, "sync", "reviews", "--json")
    [review] = json.loads(out)
    assert (review["number"], review["kind"]) == ("T1-000001", "negative_stock")
    assert review["what"] == "stock went below zero: COKE -1"
    code, out, err = run(capsys, *en, "sync", "status")
    assert "Sales made offline to review: 1" in out
    as_("1357")
    code, out, err = run(capsys, *en, "sync", "seen", str(review["id"]), "--as", "amy")
    assert code == 1 and "Look at sales tills made offline" in err, err
    as_("2580")
    code, out, err = run(capsys, *en, "sync", "seen", str(review["id"]), "--as", "lao")
    assert code == 0 and f"Review {review['id']} marked" in out, err
    code, out, err = run(capsys, *en, "sync", "reviews", "--json")
    assert json.loads(out) == []
    as_("2580")
    code, out, err = run(capsys, *en, "sync", "seen", str(review["id"]), "--as", "lao")
    assert code == 1 and "No open review" in err


def test_sync_status_with_the_database_away(capsys, env, tmp_path) -> None:  # noqa: F811
    url = "postgresql://nobody@127.0.0.1:1/gone?connect_timeout=1"
    box = Outbox(offline.folder(url) / "till-T1-outbox.db", "T1")
    assert box.depth().waiting == 0
    code, out, err = run(capsys, "--db", url, "--lang", "en", "sync", "status")
    assert code == 0 and "Till T1: to send 0" in out
    assert "The database cannot be reached" in out
    code, out, err = run(capsys, "--db", url, "--lang", "en", "sync", "run")
    assert code == 1 and "Cannot connect" in err
