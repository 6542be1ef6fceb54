"""Data hygiene: after a day with card and mobile payments, members with phones, returns and a
backup, nothing on disk or in the logs holds a card number or a customer's phone in clear —
not the database file, not its WAL, not the backup, not the log."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest

from store import backup, customers, parties, returns, sales, search
from store.basket import Basket
from store.errors import ValidationError
from store.pii import card_numbers
from store.sales import PaymentInput
from tests.store.stock_helpers import stock_shop

D = Decimal
PHONES = ("13800138000", "13912345678", "18600001111")
CARDS = ("4111111111111111", "5500005555555559", "6212345678901232")  # Luhn-valid test PANs


def scan(blob: bytes) -> list[str]:
    """Card numbers and the members' phones found in some bytes (as UTF-8 or as ASCII)."""
    text = blob.decode("utf-8", errors="ignore")
    found = card_numbers(text)
    found += [p for p in PHONES if p in text or p.encode("utf-16-le") in blob]
    return found


def test_nothing_holds_a_card_number_or_a_phone_in_clear(shop, db_url, engine, tmp_path,
                                                       caplog) -> None:
    caplog.set_level(logging.DEBUG)
    users = stock_shop()
    cashier = users["cashier"]
    for i, phone in enumerate(PHONES):
        parties.create_customer(f"M{i}", f"会员{i}", phone=phone)
    sales.open_shift("T1", cashier.id, "100")
    numbers = []
    for i, (tender, ref) in enumerate([("CARD", "1111"), ("WECHAT", "4200001234567890123456789"
                                                                    "012"),
                                       ("ALIPAY", "2026120222001400001234567890"),
                                       ("CARD", "5559")]):
        b = Basket()
        b.add(search.lookup_code("COKE"), D(1))
        b.customer = customers.find(PHONES[i % len(PHONES)])[0]  # found by phone
        numbers.append(sales.post_sale(b, [PaymentInput(tender, b.total, ref)], terminal="T1",
                                       cashier_id=cashier.id).number)
    for card in CARDS:  # a script (or a careless cashier) trying to keep a full card number
        b = Basket()
        b.add(search.lookup_code("COKE"), D(1))
        for tender, ref in (("CARD", card), ("WECHAT", f"paid with {card[:4]} {card[4:8]} "
                                                         f"{card[8:12]} {card[12:]}")):
            with pytest.raises(ValidationError, match="last 4"):
                sales.post_sale(b, [PaymentInput(tender, b.total, ref)], terminal="T1",
                                cashier_id=cashier.id)
    receipt = returns.returnable(numbers[0])
    back = Basket()
    returns.add_return(back, receipt, receipt.lines[0].line_id, D(1))
    sales.post_sale(back, [PaymentInput("CARD", back.total, "1111")], terminal="T1",
                    cashier_id=cashier.id)
    # Unencrypted, on purpose. (A PostgreSQL backup holds a compressed dump, which a scan
    # could not see into: the plain dump below is scanned instead.)
    made = backup.backup(db_url, tmp_path / "plain.zgbak")
    places: dict[str, bytes] = {"log": caplog.text.encode()}
    if engine == "sqlite":
        places["backup"] = made.path.read_bytes()
        from store.db import database

        database.obj.execute_sql("SELECT 1")  # the WAL as it stands, before any checkpoint
        path = Path(db_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal"):
            if Path(f"{path}{suffix}").exists():
                places[f"database{suffix}"] = Path(f"{path}{suffix}").read_bytes()
        assert "database" in places
    else:  # the server's files are not ours to read: every row, as plain SQL text
        import subprocess

        places["dump"] = subprocess.run(["pg_dump", "--format=plain", "--data-only",
                                         f"--dbname={db_url}"], capture_output=True,
                                        check=True).stdout
    leaks = {where: scan(blob) for where, blob in places.items()}
    assert leaks == {where: [] for where in places}
    # ... and the members are still found by phone (a keyed hash, not the number).
    assert [c.code for c in customers.find(PHONES[1])] == ["M1"]
