"""Issue 15.1 and 15.4: a file the program writes never destroys one it should not, appears
whole, is private when it holds personal data, and never carries a formula into Excel.

Each test does the attack a clumsy or hostile user did on the landed code (`--out shop.db`
replaced the live database with a CSV) and asserts the defence."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest

from store import bootstrap
from store.catalog import products
from store.catalog.products import ProductInput
from store.core.db import sqlite_path
from store.shops.setup import setup_shop
from store.stock import inventory
from tests.store.channel_files import TbItem, TbOrder, write_taobao
from tests.store.stock_helpers import stock_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "+SUM(1)", "-2+3",
           "@SUM(1)", "\tTAB", "'=already"]


def _shop(db_url: str) -> None:
    bootstrap.open_store(db_url)
    setup_shop("测试商店", owner="boss", owner_pin="8888")
    products.create_category("DRINK", "饮料", "Beverages")
    stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "50")
    for i, name in enumerate(HOSTILE):
        products.create_product(ProductInput(f"H{i}", name, "1.00", "13%"))
        inventory.post_opening_stock(f"H{i}", "STORE", "1")  # so the valuation lists it
    bootstrap.close_store()


def _database(db_url: str) -> Path:
    return Path(sqlite_path(db_url))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [
    ["report", "export", "daily", "--format", "csv", "--out"],
    ["products", "export"],
    ["purchase", "export", "PO-000001", "--out"],
])
def test_no_export_writes_over_the_database_or_its_wal_even_forced(
        capsys, db_url, env, command) -> None:  # noqa: F811
    _shop(db_url)
    db = _database(db_url)
    before = db.read_bytes()
    link = db.parent / "innocent.csv"
    link.symlink_to(db)
    hard = db.parent / "hard.csv"
    os.link(db, hard)
    for target in (db, Path(str(db) + "-wal"), link, hard):
        for force in ([], ["--force"]):
            code, _o, err = run(capsys, "--db", db_url, *command, str(target), *force)
            assert code == 1, (target, err)
            assert "database" in err or "PO-000001" in err, err
    assert db.read_bytes() == before
    code, out, _e = run(capsys, "--db", db_url, "products", "list")
    assert code == 0 and "COKE" in out  # the shop still opens


def test_an_existing_file_is_kept_unless_forced_and_a_device_never_written(
        capsys, db_url, env, tmp_path) -> None:  # noqa: F811
    _shop(db_url)
    mine = tmp_path / "mine.csv"
    mine.write_text("precious", encoding="utf-8")
    code, _o, err = run(capsys, "--db", db_url, "products", "export", str(mine))
    assert code == 1 and "already exists" in err and "--force" in err
    assert mine.read_text(encoding="utf-8") == "precious"
    code, _o, _e = run(capsys, "--db", db_url, "products", "export", str(mine), "--force")
    assert code == 0 and "COKE" in mine.read_text(encoding="utf-8-sig")
    for device in ("/dev/null", "/dev/full"):
        if not Path(device).exists():
            continue
        code, _o, err = run(capsys, "--db", db_url, "report", "export", "daily", "--format",
                            "csv", "--out", device, "--force")
        assert code == 1 and "not a regular file" in err
        assert stat.S_ISCHR(Path(device).stat().st_mode)  # still the device
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "daily", "--out",
                        str(tmp_path / "nowhere" / "d.csv"))
    assert code == 1 and "does not exist" in err and not (tmp_path / "nowhere").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".zhanggui-")] == []


def test_the_key_file_and_the_configuration_are_never_targets(
        capsys, db_url, env, tmp_path, monkeypatch) -> None:  # noqa: F811
    _shop(db_url)
    config = tmp_path / "zhanggui.toml"
    config.write_text("[ui]\nlanguage = \"en\"\n", encoding="utf-8")
    key = tmp_path / "shop.key"
    monkeypatch.setenv("ZHANGGUI_KEY_FILE", str(key))
    key.write_text("index:x\n", encoding="ascii")
    key.chmod(0o600)
    for target, what in ((config, "configuration"), (key, "key file")):
        code, _o, err = run(capsys, "--db", db_url, "--config", str(config), "products",
                            "export", str(target), "--force")
        assert code == 1 and what in err, err
    assert config.read_text(encoding="utf-8").startswith("[ui]")
    assert key.read_text(encoding="ascii") == "index:x\n"


def test_personal_data_files_are_created_owner_only(
        capsys, db_url, env, tmp_path, monkeypatch, engine) -> None:  # noqa: F811
    _shop(db_url)
    orders = write_taobao(tmp_path, [TbOrder("1990000000000000001", name="=HYPERLINK(1)",
                                             items=[TbItem("COKE", "可口可乐", "3.50", "2")])])
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    assert run(capsys, "--db", db_url, "import", "orders", "--channel", "taobao",
               str(orders[0]), "--items", str(orders[1]), "--as", "boss")[0] == 0
    ship = tmp_path / "ship.csv"
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    code, _o, err = run(capsys, "--db", db_url, "export", "shipments", "--out", str(ship),
                        "--as", "boss")
    assert code == 0, err
    assert stat.S_IMODE(ship.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(ship.read_text(encoding="utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"  # the buyer's name, never a formula
    backup = tmp_path / "shop.zgbak"
    code, _o, err = run(capsys, "--db", db_url, "backup", str(backup))
    assert code == 0, err
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    code, _o, err = run(capsys, "--db", db_url, "backup", str(backup))
    assert code == 1 and "already exists" in err
    if engine == "sqlite":
        made = env / "data" / "new.db"
        code, _o, err = run(capsys, "--db", f"sqlite:///{made}", "init", "--shop-name", "新店",
                            "--owner", "lao", "--pin", "2580")
        assert code == 0, err
        assert stat.S_IMODE(made.stat().st_mode) == 0o600


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_export_carries_a_formula_and_our_own_exports_import_back(
        capsys, db_url, env, tmp_path, fmt, monkeypatch) -> None:  # noqa: F811
    _shop(db_url)
    out = tmp_path / f"sales.{fmt}"
    code, _o, err = run(capsys, "--db", db_url, "report", "export", "valuation", "--out",
                        str(out))
    assert code == 0, err
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0][0] and not rows[0][0].startswith(("Stock valuation", "库存"))  # header
        cells = [c for r in rows for c in r]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        assert sheet is not None
        cells = [c.value for r in sheet.iter_rows() for c in r if c.value is not None]
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)  # no formulas
    texts = [c for c in cells if isinstance(c, str)]
    if fmt == "csv":
        assert not [c for c in texts if c and c[0] in "=+@\t"]
        assert "'=cmd|' /C calc'!A0" in texts  # the name is there, escaped
    else:
        assert "=cmd|' /C calc'!A0" in texts  # a text cell, shown as typed
    catalog = tmp_path / "products.csv"
    assert run(capsys, "--db", db_url, "products", "export", str(catalog))[0] == 0
    names = {r["name"] for r in csv.DictReader(io.StringIO(
        catalog.read_text(encoding="utf-8-sig")))}
    assert not [n for n in names if n and n[0] in "=+-@\t"]
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
    code, _o, err = run(capsys, "--db", db_url, "products", "import", str(catalog), "--as",
                        "boss")
    assert code == 0, err
    code, out_text, _e = run(capsys, "--db", db_url, "products", "list", "--json",
                             "--limit", "100")
    import json

    stored = {p["sku"]: p["name"] for p in json.loads(out_text)}
    assert [stored[f"H{i}"] for i in range(len(HOSTILE))] == [n.strip() for n in HOSTILE]


def test_an_importer_given_a_foreign_file_does_not_echo_it(
        capsys, db_url, env, tmp_path, monkeypatch) -> None:  # noqa: F811
    """Issue 15.8: `import orders --channel shopify /etc/shadow` printed the file's first
    line."""
    _shop(db_url)
    secret = tmp_path / "shadow"
    secret.write_text("zzadmin:$6$SALT$HASHHASHHASH:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n",
                      encoding="utf-8")
    for command in (["products", "import", str(secret), "--as", "boss"],
                    ["import", "orders", "--channel", "shopify", str(secret), "--as", "boss"]):
        monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))
        code, out, err = run(capsys, "--db", db_url, *command)
        assert code != 0 and "not the expected file" in err + out, err + out
        assert "HASH" not in err + out and "zzadmin" not in err + out
