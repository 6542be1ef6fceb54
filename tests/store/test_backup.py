"""Backups and restores on both engines: a restore proves itself; an encrypted backup opens
only with its passphrase and is refused when changed or cut short; nothing is overwritten."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from store import bootstrap
from store.assurance import backup, integrity
from store.core.db import database
from store.core.errors import StoreError, ValidationError
from store.customers import parties
from store.models import Sale
from tests.store.stock_helpers import sell, stock_shop

D = Decimal


@pytest.fixture
def trading(shop):
    users = stock_shop()
    parties.create_customer("M1", "王芳", phone="13800138000")
    for _ in range(3):
        sell(users["cashier"], "COKE", 2)
    return users


def new_target(engine: str, tmp_path: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}"
    from tests.conftest import create_pg_database

    return create_pg_database("zg_restore")


def test_a_backup_restores_and_verifies(trading, db_url, engine, tmp_path) -> None:
    info = backup.backup(db_url, tmp_path)  # a directory: a dated name in it
    assert info.path.name.startswith("zhanggui-") and info.rows["sale"] == 3
    assert not info.encrypted and not backup.is_encrypted(info.path)
    with pytest.raises(ValidationError, match="already exists"):
        backup.backup(db_url, info.path)
    target = new_target(engine, tmp_path)
    report = backup.restore(info.path, target)
    assert report.ok, report.problems
    assert report.rows["sale"] == 3 and report.rows == info.rows
    assert Sale.select().count() == 3  # the store is now the restored database
    assert integrity.verify().ok
    with pytest.raises(ValidationError, match="restore to a new"):
        backup.restore(info.path, target)
    bootstrap.close_store()


def test_an_encrypted_backup_needs_its_passphrase_and_refuses_changes(
        trading, db_url, engine, tmp_path) -> None:
    info = backup.backup(db_url, tmp_path / "b.zgbak", passphrase="长城 1984")
    assert backup.is_encrypted(info.path)
    raw = info.path.read_bytes()
    assert b"SQLite format" not in raw and b"PGDMP" not in raw and b"13800138000" not in raw
    target = new_target(engine, tmp_path)
    with pytest.raises(ValidationError, match="passphrase"):
        backup.restore(info.path, target)
    with pytest.raises(StoreError, match="Wrong passphrase"):
        backup.restore(info.path, target, passphrase="长城 1985")
    changed = tmp_path / "changed.zgbak"
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0x01
    changed.write_bytes(bytes(flipped))
    with pytest.raises(StoreError, match="changed"):
        backup.restore(changed, target, passphrase="长城 1984")
    cut = tmp_path / "cut.zgbak"
    cut.write_bytes(raw[: len(raw) - 100])
    with pytest.raises(StoreError):
        backup.restore(cut, target, passphrase="长城 1984")
    if engine == "sqlite":  # nothing was made of the refused restores
        assert not Path(target.removeprefix("sqlite:///")).exists()
    report = backup.restore(info.path, target, passphrase="长城 1984")
    assert report.ok, report.problems
    bootstrap.close_store()


def test_a_backup_taken_while_the_till_sells_is_consistent(trading, db_url, engine,
                                                            tmp_path) -> None:
    """Sales keep committing from another thread during the backup: the copy holds some of
    them, whole, and its manifest counts exactly what it holds."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def till() -> None:
        # The till thread shares the open store and gets its own connection from it, as the
        # app's workers do. (Calling open_store here would swap the process-wide database
        # under the backup mid-transaction, leaving it waiting on its own other connection.)
        try:
            while not stop.is_set():
                sell(trading["cashier"], "COKE", 1)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            database.obj.close()  # this thread's connection

    worker = threading.Thread(target=till)
    worker.start()
    try:
        info = backup.backup(db_url, tmp_path / "live.zgbak")
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()  # the till stopped when told, its sales all committed
    assert not errors, errors
    report = backup.restore(info.path, new_target(engine, tmp_path))
    assert report.ok, report.problems
    assert report.rows["sale"] >= 3
    bootstrap.close_store()


def test_a_plain_backup_with_one_changed_byte_is_refused_before_writing(
        trading, db_url, engine, tmp_path) -> None:
    """Issue 15.7: a plain backup with one changed byte in a product name restored as
    "verified". The manifest's SHA-256 of the database is checked before anything is written."""
    import tarfile

    info = backup.backup(db_url, tmp_path / "plain.zgbak")
    with tarfile.open(info.path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        dump = next(m for m in tar.getmembers() if m.name.startswith("database."))
    assert manifest["sha256"][dump.name] and len(manifest["sha256"][dump.name]) == 64
    raw = bytearray(info.path.read_bytes())
    name = "可口可乐".encode()
    at = raw.find(name, dump.offset_data)  # a product name, where the dump keeps it plain
    raw[at + 2 if at > 0 else dump.offset_data + dump.size // 2] ^= 0x01  # one byte
    changed = tmp_path / "changed.zgbak"
    changed.write_bytes(bytes(raw))
    target = new_target(engine, tmp_path)
    with pytest.raises(StoreError, match="does not match the SHA-256"):
        backup.restore(changed, target)
    if engine == "sqlite":
        assert not Path(target.removeprefix("sqlite:///")).exists()
    else:
        import psycopg

        with psycopg.connect(target) as conn:  # the new database holds no table
            assert conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
                                ).fetchone()[0] == 0
    assert backup.restore(info.path, target).ok
    bootstrap.close_store()
