"""`zhanggui lots` (issue 19.5): a product set to track lots, received by its GS1-128 label,
its lots shown, what expires soon listed, and a lot written off; a write-off of a lot not
held, or by someone without the right, is refused in words and writes nothing."""

from __future__ import annotations

import datetime as dt
import json

from store import bootstrap
from store.models import JournalEntry
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def _receive(db_url: str) -> None:
    from store.catalog import products
    from store.catalog.products import BarcodeInput, ProductInput
    from store.customers import parties

    bootstrap.open_store(db_url)
    products.create_product(ProductInput("MILK", "鲜牛奶 1L", "12.00", "9%", cost="8.00",
                                         barcodes=[BarcodeInput("6901234567892")]))
    parties.create_supplier("S1", "牛奶厂")
    bootstrap.close_store()


SOON, LATER = (dt.date.today() + dt.timedelta(days=5),  # the shop's day is near enough
               dt.date.today() + dt.timedelta(days=200))


def _by_label(db_url: str) -> None:
    from store.buying import receiving
    from store.security import auth

    bootstrap.open_store(db_url)
    lao = auth.authenticate("lao", "2580")
    r = receiving.start(lao, "STORE", supplier_code="S1")
    receiving.scan(lao, r.number, f"(01)06901234567892(17){SOON:%y%m%d}(10)B1", "6")
    receiving.scan(lao, r.number, f"(01)06901234567892(17){LATER:%y%m%d}(10)B2", "4")
    receiving.post(lao, r.number)
    bootstrap.close_store()


def test_lots_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    db = ("--db", db_url, "--lang", "en")
    _receive(db_url)
    as_("2580")
    code, out, err = run(capsys, *db, "lots", "track", "milk", "--as", "lao")
    assert code == 0 and "MILK tracks lots" in out, err
    _by_label(db_url)
    code, out, _e = run(capsys, *db, "lots", "show", "MILK", "--json")
    assert [(x["number"], x["expires_on"], x["qty"]) for x in json.loads(out)] == [
        ("B1", SOON.isoformat(), "6.000"), ("B2", LATER.isoformat(), "4.000")]
    code, out, _e = run(capsys, *db, "lots", "expiring", "--days", "30")
    assert "B1" in out and "B2" not in out
    bootstrap.open_store(db_url)
    entries = JournalEntry.select().count()
    bootstrap.close_store()
    as_("2580")
    code, _o, err = run(capsys, *db, "lots", "write-off", "MILK", "B9", "--warehouse", "STORE",
                        "--reason", "expired", "--as", "lao")
    assert code == 1 and "No lot B9 of MILK in STORE" in err and "Traceback" not in err
    as_("2580")
    code, out, err = run(capsys, *db, "lots", "write-off", "MILK", "b1", "--warehouse", "store",
                         "--reason", "过期", "--as", "lao")
    assert code == 0 and "MILK lot B1 written off: ￥48.00 to 1901" in out, err
    bootstrap.open_store(db_url)
    assert JournalEntry.select().count() == entries + 1
    bootstrap.close_store()
    code, out, _e = run(capsys, *db, "lots", "show", "MILK")
    assert "B1" not in out and "B2" in out
    code, out, _e = run(capsys, *db, "lots", "trace", "MILK", "B1", "--json")
    assert [(t["reason"], t["qty"]) for t in json.loads(out)] == [("receipt", "6.000"),
                                                                   ("write_off", "-6.000")]
    code, out, _e = run(capsys, *db, "lots", "trace", "MILK", "B1", "--lang", "zh_CN")
    assert "收货" in out and "报损" in out and "write_off" not in out  # said in words
    as_("2580")
    code, out, err = run(capsys, *db, "lots", "warn-days", "400", "--as", "lao")
    assert code == 1 and "days" in err
