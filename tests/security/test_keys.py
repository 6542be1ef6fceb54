"""Issue 15.2: with the key file moved away, the next customer command silently made a new key
and sealed new personal data under it; the old data could never be opened again. The
database now names the key its data is sealed with, and nothing else is accepted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from store import bootstrap
from store.models import Setting
from store.security import crypto
from store.shops.setup import setup_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "shop.key"
    monkeypatch.setenv(crypto.KEY_ENV, str(path))
    crypto.forget()
    yield path
    crypto.forget()


def _customer(capsys, db_url: str, code: str, phone: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:  # the owner's PIN, as typed
        patch.setattr("sys.stdin", io.StringIO("2580\n"))
        result, _o, err = run(capsys, "--db", db_url, "customers", "add", code, "王芳",
                              "--phone", phone, "--as", "lao")
    crypto.forget()
    return result, err


def test_a_missing_key_file_is_refused_never_replaced(capsys, db_url, env, key) -> None:  # noqa: F811
    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    bootstrap.close_store()
    assert _customer(capsys, db_url, "M1", "13800138000")[0] == 0  # the first key is made
    first = key.read_bytes()
    moved = key.with_name("away.key")
    key.rename(moved)
    code, err = _customer(capsys, db_url, "M2", "13900139000")
    assert code == 1 and "is missing" in err and str(key) in err
    fingerprint = crypto.fingerprint(crypto.load(moved, create=False))
    assert fingerprint in err and not key.exists()  # no new key, nothing sealed under one
    code, out, _e = run(capsys, "--db", db_url, "customers", "find", "王", "--json")
    assert code == 1  # finding by phone needs the key too: refused the same way
    crypto.forget()
    other = key.with_name("other.key")
    crypto.load(other)  # another shop's key file, put where this one belongs
    other.rename(key)
    code, err = _customer(capsys, db_url, "M2", "13900139000")
    assert code == 1 and "not this shop's key" in err and fingerprint in err
    moved.replace(key)  # the right key back: everything works again
    assert key.read_bytes() == first
    assert _customer(capsys, db_url, "M2", "13900139000")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "customers", "find", "13800138000")
    assert code == 0 and "M1" in out


def test_sealed_data_from_before_the_fingerprint_still_guards_its_key(
        capsys, db_url, env, key) -> None:  # noqa: F811
    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    bootstrap.close_store()
    assert _customer(capsys, db_url, "M1", "13800138000")[0] == 0
    bootstrap.open_store(db_url)
    Setting.delete().where(Setting.key == crypto.FINGERPRINT).execute()  # an older database
    bootstrap.close_store()
    key.unlink()
    code, err = _customer(capsys, db_url, "M2", "13900139000")
    assert code == 1 and "is missing" in err and not key.exists()


def test_a_shop_with_nothing_sealed_gets_a_new_key(capsys, db_url, env, key) -> None:  # noqa: F811
    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    bootstrap.close_store()
    assert not key.exists()
    assert _customer(capsys, db_url, "M1", "13800138000")[0] == 0
    assert key.exists()
    bootstrap.open_store(db_url)
    recorded = Setting.get(Setting.key == crypto.FINGERPRINT).value
    bootstrap.close_store()
    assert crypto.fingerprint(crypto.load(key, create=False)) in recorded
