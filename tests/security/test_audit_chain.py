"""Issue 15.3: the audit chain was plain SHA-256 — anyone who could write the database deleted
events, recomputed every hash and `audit verify` said "intact"; `update journal_line set
debit=debit+100` went unnoticed, as the trial balance reads the daily totals. Now the links
are keyed, the books and the stock are sealed and recomputed, and anchors (the Z report's
audit seal, `audit anchor`) hold even against the key's holder."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from store import bootstrap
from store.assurance import integrity
from store.core import schema
from store.core.db import connect, database
from store.models import (
    AuditEvent,
    AuditHead,
    PriceChange,
    PromotionShop,
    Shift,
    Shop,
    ShopPrice,
    UserShop,
    Voucher,
    VoucherBatch,
)
from store.security import audit
from store.selling import sales
from tests.store.stock_helpers import sell, stock_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


@pytest.fixture
def trading(shop):
    users = stock_shop()
    for qty in (2, 1):
        sell(users["cashier"], "COKE", qty)
    report = integrity.verify()
    assert report.ok, report.problems
    assert report.entries >= 2 and report.moves >= 2  # the books and the stock are covered
    return users


def _relink(link) -> None:
    """What an insider with database access does after deleting or changing events: renumber
    and recompute every link and the head, with whatever secret they have."""
    prev = audit.GENESIS
    events = list(AuditEvent.select().order_by(AuditEvent.seq))
    for n, e in enumerate(events, start=1):
        e.seq = n
        e.prev_hash = prev
        e.hash = link(prev, e)
        e.save()
        prev = e.hash
    AuditHead.update(seq=len(events), hash=prev).where(AuditHead.id == 1).execute()


def _head(e: AuditEvent) -> str:
    return audit.canonical({"seq": e.seq, "at": audit.iso_time(e.created_at), "kind": e.kind,
                            "user": e.user_id, "terminal": e.terminal, "ref": e.reference})


@pytest.mark.parametrize("secret", [None, b"a guessed key"])
def test_events_deleted_and_the_chain_recomputed_without_the_key_is_detected(
        trading, secret) -> None:
    hidden = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    AuditEvent.delete().where(AuditEvent.id == hidden.id).execute()

    def link(prev: str, e: AuditEvent) -> str:
        body = (prev + _head(e) + e.payload).encode("utf-8")
        if secret is None:  # the old, unkeyed rule
            return hashlib.sha256(body).hexdigest()
        return hmac.new(secret, body, hashlib.sha256).hexdigest()

    _relink(link)
    report = integrity.verify()
    assert not report.ok
    assert "audit event 1: event 1 (" in report.problems[0] and "changed" in report.problems[0]


def test_a_journal_line_changed_in_the_database_is_named(trading) -> None:
    """The attack of the issue: debit+100 on one line (and the credit too, so it still
    balances)."""
    db = database.obj
    line_id, entry_id = db.execute_sql(
        "SELECT id, entry_id FROM journal_line WHERE debit > 0 ORDER BY id LIMIT 1").fetchone()
    db.execute_sql(f"UPDATE journal_line SET debit = debit + 100 WHERE id = {line_id}")
    db.execute_sql(f"UPDATE journal_line SET credit = credit + 100 WHERE entry_id = {entry_id}"
                   f" AND credit > 0 AND id = (SELECT MIN(id) FROM journal_line WHERE "
                   f"entry_id = {entry_id} AND credit > 0)")
    problems = integrity.verify().problems
    assert any(f"journal entry {entry_id} or its lines differ" in p for p in problems), problems
    assert any("the daily total says" in p for p in problems), problems


def test_daily_totals_stock_levels_and_moves_are_recomputed(trading) -> None:
    db = database.obj
    db.execute_sql("UPDATE account_day SET debit = debit + 1 WHERE id = "
                   "(SELECT MIN(id) FROM account_day WHERE debit > 0)")
    db.execute_sql("UPDATE stock_level SET on_hand = on_hand + 1000 WHERE id = "
                   "(SELECT MIN(id) FROM stock_level)")
    move = db.execute_sql("SELECT MAX(id) FROM stock_move").fetchone()[0]
    db.execute_sql(f"UPDATE stock_move SET qty = qty - 1000 WHERE id = {move}")
    problems = integrity.verify().problems
    assert any("the daily total says" in p and "its journal lines add up to" in p
               for p in problems), problems
    assert any(p.startswith("stock of product") and "its moves add up to" in p
               for p in problems), problems
    assert any(f"stock move {move} differs from its sealed record" in p for p in problems)
    db.execute_sql(f"DELETE FROM stock_move WHERE id = {move}")
    assert any("missing from the moves (deleted?)" in p for p in integrity.verify().problems)


def test_the_z_report_prints_a_seal_that_holds_even_against_the_key(trading) -> None:
    """Whoever holds the key can recompute the chain — but not the seal already on paper."""
    from tui.receipts import shift_report_rows

    users = trading
    expected = sales.shift_totals(sales.current_shift("T1").id).expected_cash  # type: ignore[union-attr]
    z = sales.close_shift("T1", users["supervisor"], expected)
    rows = dict(shift_report_rows(z))
    seal = rows["Audit seal"]
    seq, digest = seal.split(":")
    assert int(seq) == AuditEvent.get(AuditEvent.hash == Shift.get().audit_hash).seq
    anchors = audit.parse_anchors(seal, source="paper")
    assert integrity.verify(anchors=anchors).ok
    # The key's holder takes a sale out of history and re-links everything, Z included.
    first = AuditEvent.select().where(AuditEvent.kind == "sale").order_by(AuditEvent.seq).first()
    AuditEvent.update(terminal="T8").where(AuditEvent.id == first.id).execute()
    _relink(lambda prev, e: audit.link_hash(prev, e.seq, e.created_at, e.kind, e.user_id,
                                            e.terminal, e.reference, e.payload))
    Shift.update(audit_hash=AuditEvent.get(AuditEvent.seq == int(seq)).hash).execute()
    problems = integrity.verify(anchors=anchors).problems
    assert any(p.startswith(f"anchor {seq}: the chain's hash there is no longer {digest}")
               for p in problems), problems


def test_audit_anchor_to_a_file_and_back(capsys, db_url, env, tmp_path) -> None:  # noqa: F811
    from tests.test_cli_audit import _a_day_of_trade

    _a_day_of_trade(db_url)
    out_file = tmp_path / "anchor.txt"
    code, out, err = run(capsys, "--db", db_url, "audit", "anchor", "--out", str(out_file))
    assert code == 0 and "keep a copy away from this machine" in out, err
    assert out_file.read_text().startswith("zhanggui-audit-anchor seq=")
    code, out, err = run(capsys, "--db", db_url, "audit", "verify", "--anchor", str(out_file))
    assert code == 0 and "Anchors checked: 1" in out, err
    code, _o, err = run(capsys, "--db", db_url, "audit", "anchor", "--out", str(out_file))
    assert code != 0 and "--force" in err  # an earlier anchor is never overwritten
    code, _o, err = run(capsys, "--db", db_url, "audit", "verify", "--anchor", "12:xyz")
    assert code != 0 and "not an audit anchor" in err
    code, out, _e = run(capsys, "--db", db_url, "audit", "anchor")
    seq = int(out.split("seq=")[1].split()[0])
    code, _o, err = run(capsys, "--db", db_url, "audit", "verify", "--anchor",
                        f"{seq + 5}:0123456789abcdef")
    assert code == 1 and f"anchor {seq + 5}: the chain has no event" in err


def test_an_old_unkeyed_chain_is_keyed_and_sealed_on_upgrade(engine: str, tmp_path: Path) -> None:
    """A shop at migration 0016 (plain SHA-256 links, no sealed entries or moves) upgrades to a
    keyed chain that verifies, every entry and move sealed; a break in the old chain stays."""
    from store.catalog import products
    from store.shops.setup import setup_shop
    from tests.conftest import create_pg_database

    for broken in (False, True):
        url = (f"sqlite:///{tmp_path / f'old{broken}.db'}" if engine == "sqlite"
               else create_pg_database("zg_key"))
        connect(url)
        schema.upgrade("0016_customer_details")
        # Today's code writes columns later migrations add: the journal has them while the
        # old shop trades, and loses them again before the upgrade, as a 0016 shop had none.
        later = [("journal_entry", "text_key", "VARCHAR(200) DEFAULT '' NOT NULL"),
                 ("journal_entry", "text_args", "TEXT DEFAULT '' NOT NULL"),
                 *[(table, "active", "BOOLEAN DEFAULT TRUE NOT NULL")  # 0022
                   for table in ("tax_rate", "unit", "category", "customer_group")],
                 ("warehouse", "shop_id", "INTEGER"),  # 0027
                 ("category", "tax_code", "VARCHAR(19) DEFAULT '' NOT NULL"),  # 0032
                 ("product", "template_id", "INTEGER"), ("product", "variant_key",
                                                         "VARCHAR(40)"),  # 0034
                 ("product", "tracks_lots", "BOOLEAN DEFAULT FALSE NOT NULL")]  # 0038
        for table, column, kind in later:
            database.obj.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        PriceChange.create_table()  # and the price history (0020), the shops (0027-0029)
        Shop.create_table()
        UserShop.create_table()
        ShopPrice.create_table()
        PromotionShop.create_table()
        VoucherBatch.create_table()  # a sale looks for a "next visit" coupon (0035, 0039)
        Voucher.create_table()
        setup_shop("测试商店", owner="boss", owner_pin="8888")
        products.create_category("DRINK", "饮料", "Beverages")
        sell(stock_shop()["cashier"], "COKE", 2)
        # Back to the old shape: only till events, linked with plain SHA-256.
        AuditEvent.delete().where(AuditEvent.kind.in_(
            ["entry", "stock", "product_created", "barcode_added"])).execute()
        _relink(lambda prev, e: hashlib.sha256(
            (prev + _head(e) + e.payload).encode("utf-8")).hexdigest())
        if broken:  # someone changed a sale's record before the upgrade
            AuditEvent.update(terminal="T9").where(AuditEvent.kind == "sale").execute()
        assert not integrity.verify().ok  # the new code does not take the old links
        for table, column, _kind in later:
            database.obj.execute_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
        PriceChange.drop_table()
        Voucher.drop_table()
        VoucherBatch.drop_table()
        PromotionShop.drop_table()
        ShopPrice.drop_table()
        UserShop.drop_table()
        Shop.drop_table()
        schema.upgrade()
        report = integrity.verify()
        assert report.entries >= 1 and report.moves >= 1
        if broken:  # re-keying did not launder it
            assert not report.ok and "(sale) was changed" in report.problems[0], report.problems
        else:
            assert report.ok, report.problems
        assert {"entry", "stock"} <= {e.kind for e in AuditEvent.select(AuditEvent.kind)}
        bootstrap.close_store()


def test_a_sale_s_seals_go_onto_the_chain_together_at_its_end(shop) -> None:
    """The chain's head is one row for the whole shop: a sale appends its seals (stock, entry,
    sale) in one go at its end, so it holds the head's lock for moments (docs/BENCHMARKS.md:
    20 tills, p95 1.2 s → 0.1 s). Inside the block nothing touches the head; a block that
    fails appends nothing; outside one a seal is recorded at once."""
    from store.models import AuditEvent, AuditHead

    stock_shop()
    before = audit.tip()
    with database.obj.atomic():
        with audit.deferred():
            audit.seal("test", {"n": 1}, reference="a")
            audit.seal("test", {"n": 2}, reference="b")
            assert audit.tip() == before  # the head untouched until the block's end
        assert audit.tip()[0] == before[0] + 2
    with pytest.raises(RuntimeError), database.obj.atomic(), audit.deferred():
        audit.seal("test", {"n": 3}, reference="c")
        raise RuntimeError("the sale failed")
    assert [e.reference for e in AuditEvent.select().where(AuditEvent.kind == "test")
            .order_by(AuditEvent.seq)] == ["a", "b"]
    audit.seal("test", {"n": 4}, reference="d")
    assert AuditHead.get_by_id(1).seq == before[0] + 3
    cashier = auth_user("cashier")
    seq = audit.tip()[0]
    sell(cashier, "COKE", 1)
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.seq > seq)
             .order_by(AuditEvent.seq)]
    assert kinds[-3:] == ["stock", "entry", "sale"]  # one run, in the order they were sealed
    assert integrity.verify().ok


def auth_user(username: str):
    from store.security import auth

    return auth.authenticate(username, "1357")
