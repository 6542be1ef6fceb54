"""The zhanggui command: each subcommand, JSON output, and errors as one line on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from store import bootstrap
from tests.waiting import wait_for
from tui.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    bootstrap.close_store()
    return code, out, err


def new_shop(capsys: pytest.CaptureFixture[str], db_url: str,
             monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """A shop as `zhanggui init` makes it (owner lao, PIN 2580), and a way to type a PIN."""
    code, _o, err = run(capsys, "--db", db_url, "init", "--shop-name", "小店", "--owner", "lao",
                        "--pin", "2580")
    assert code == 0, err

    def as_(pin: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))

    return as_


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ZHANGGUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZHANGGUI_CONFIG_DIR", str(tmp_path / "cfg"))
    for var in ("ZHANGGUI_DB", "ZHANGGUI_LANG", "ZHANGGUI_CONFIG", "ZHANGGUI_PRINTER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return tmp_path


def test_help_lists_the_commands(capsys, env) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "demo", "init", "db", "user", "products", "config"):
        assert command in out


def test_help_in_chinese(capsys, env) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "--help"])
    out = capsys.readouterr().out
    assert "用法：" in out and "创建新的店铺数据库" in out


def test_init_status_users_and_products(capsys, db_url, env, tmp_path, monkeypatch) -> None:
    code, out, _e = run(capsys, "--db", db_url, "init", "--shop-name", "小店", "--owner", "lao",
                        "--pin", "2580")
    assert code == 0 and "lao" in out
    code, out, _e = run(capsys, "--db", db_url, "db", "status", "--json")
    assert code == 0 and all(m["applied_at"] for m in json.loads(out))
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))  # lao's PIN: the owner adds amy
    code, out, _e = run(capsys, "--db", db_url, "user", "add", "amy", "--role", "cashier",
                        "--pin", "1357", "--name", "Amy", "--as", "lao")
    assert code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))  # amy may not add anyone
    code, _out, err = run(capsys, "--db", db_url, "user", "add", "bob", "--role", "owner",
                          "--pin", "1111", "--as", "amy")
    assert code == 1 and "may not" in err
    code, out, _e = run(capsys, "--db", db_url, "user", "list", "--json")
    assert {(u["username"], u["role"]) for u in json.loads(out)} == {("lao", "owner"),
                                                                      ("amy", "cashier")}
    csv = tmp_path / "p.csv"
    csv.write_text("sku,name,price,tax_rate,barcodes\nA1,可口可乐,3.50,13%,6901234567892\n",
                   encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))  # a cashier may not
    code, _out, err = run(capsys, "--db", db_url, "products", "import", str(csv), "--as", "amy")
    assert code == 1 and "may not" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, out, _e = run(capsys, "--db", db_url, "products", "import", str(csv), "--json",
                        "--as", "lao")
    assert code == 0 and json.loads(out)["created"] == 1
    code, out, _e = run(capsys, "--db", db_url, "products", "list", "--search", "kkkl", "--json")
    rows = json.loads(out)
    assert rows[0]["sku"] == "A1" and rows[0]["price"] == "3.50"
    assert rows[0]["barcodes"] == [{"code": "6901234567892", "pack_qty": "1.000"}]
    code, out, _e = run(capsys, "--db", db_url, "products", "export", str(tmp_path / "o.csv"))
    assert code == 0 and "1" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))  # amy changes her own PIN
    code, out, _e = run(capsys, "--db", db_url, "user", "set-pin", "amy", "9753")
    assert code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("9753\n"))  # and may not change lao's
    code, _out, err = run(capsys, "--db", db_url, "user", "set-pin", "lao", "0000", "--as", "amy")
    assert code == 1 and "may not" in err


def test_bad_csv_exits_non_zero_with_lines(capsys, db_url, env, tmp_path, monkeypatch) -> None:
    run(capsys, "--db", db_url, "init", "--shop-name", "小店", "--owner", "lao", "--pin", "2580")
    csv = tmp_path / "bad.csv"
    csv.write_text("sku,name,price,tax_rate\nA1,a,abc,13%\nA2,b,1,99%\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("2580\n"))
    code, _out, err = run(capsys, "--db", db_url, "products", "import", str(csv), "--as", "lao")
    assert code == 1 and "line 2" in err and "line 3" in err and "Traceback" not in err
    code, out, _e = run(capsys, "--db", db_url, "products", "list", "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize(("argv", "words"), [
    (["--db", "postgresql://x@127.0.0.1:1/y?connect_timeout=2", "db", "status"],
     "Cannot connect"),
    (["--db", "mysql://x/y", "db", "status"], "database.url"),
    (["--db", "sqlite:///{tmp}/fresh.db", "user", "list"], "zhanggui init"),
])
def test_errors_are_one_clear_line(capsys, env, argv, words) -> None:
    argv = [a.replace("{tmp}", str(env)) for a in argv]
    code, _out, err = run(capsys, *argv)
    assert code == 1 and words in err and "Traceback" not in err


def test_bad_config_key_names_key_and_file(capsys, env) -> None:
    cfg = env / "z.toml"
    cfg.write_text("[printer]\ncolums = 42\n", encoding="utf-8")
    code, _out, err = run(capsys, "--config", str(cfg), "config", "show")
    assert code == 1 and "printer.colums" in err and str(cfg) in err


def test_config_show_reflects_overrides(capsys, env, monkeypatch) -> None:
    monkeypatch.setenv("ZHANGGUI_PRINTER", "tcp://127.0.0.1:9100")
    _code, out, _e = run(capsys, "--db", "sqlite:///x.db", "config", "show", "--json")
    data = json.loads(out)
    assert data["printer"]["url"] == "tcp://127.0.0.1:9100"
    assert data["database"]["url"] == "sqlite:///x.db"


def test_init_demo_then_products_list(capsys, env) -> None:
    code, out, _e = run(capsys, "init", "--demo", "--products", "120", "--days", "3")
    assert code == 0 and "demo.db" in out
    url = f"sqlite:///{env / 'data' / 'demo.db'}"
    code, out, _e = run(capsys, "--db", url, "products", "list", "--limit", "500", "--json")
    assert len(json.loads(out)) == 120
    code, out, _e = run(capsys, "init", "--demo")
    assert "already exists" in out
    code, out, _e = run(capsys, "init", "--demo", "--reset", "--products", "60", "--days", "0")
    assert code == 0 and "ready" in out
    code, out, _e = run(capsys, "--db", url, "products", "list", "--limit", "500", "--json")
    assert len(json.loads(out)) == 60  # rebuilt, not added to


def test_console_script_runs_without_traceback(env, tmp_path) -> None:
    """The real entry point in a subprocess, in Chinese, with an error."""
    result = subprocess.run([sys.executable, "-m", "tui.cli", "--lang", "zh_CN", "--db",
                             "mysql://x/y", "db", "status"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 1
    assert "配置错误" in result.stderr and "database.url" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_then_status(capsys, env) -> None:
    url = f"sqlite:///{env / 'up.db'}"
    code, out, _e = run(capsys, "--db", url, "db", "status")
    assert code == 0 and out.count("pending") >= 2
    code, out, _e = run(capsys, "--db", url, "db", "upgrade")
    assert code == 0 and "applied 0001_initial" in out
    code, out, _e = run(capsys, "--db", url, "db", "upgrade")
    assert "up to date" in out
    code, out, _e = run(capsys, "--db", url, "run")
    assert code == 1  # no shop yet: says what to do instead of opening an empty app


def test_devices_list_and_test_print_against_the_simulator(capsys, env) -> None:
    from devices.sim.printer import PrinterSimulator

    sim = PrinterSimulator().start()
    try:
        url = f"tcp://127.0.0.1:{sim.port}"
        code, out, _e = run(capsys, "devices", "list", "--json")
        assert code == 0 and json.loads(out)[0]["url"] == "dummy://"
        env_cfg = env / "dev.toml"
        env_cfg.write_text(f'[printer]\nurl = "{url}"\ncolumns = 32\n', encoding="utf-8")
        code, out, _e = run(capsys, "--config", str(env_cfg), "--lang", "zh_CN", "devices",
                            "test-print")
        assert code == 0 and "测试页已发送" in out
        wait_for(lambda: sim.jobs, 2.0)  # the simulator files a job once the connection closes
        assert sim.jobs and sim.jobs[0].decoded.text[0] == "掌柜打印测试页"
        assert any("你好，世界" in line for line in sim.jobs[0].decoded.text)
        assert sim.jobs[0].decoded.events_of("qr") and sim.jobs[0].decoded.events_of("barcode")
        sim.set_mode("paper_out")
        code, _out, err = run(capsys, "--config", str(env_cfg), "devices", "test-print")
        assert code == 1 and "out of paper" in err and "Traceback" not in err
        code, out, _e = run(capsys, "--config", str(env_cfg), "devices", "list")
        assert code == 1 and "out of paper" in out
    finally:
        sim.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_scale_read_from_the_shell(capsys, env, monkeypatch) -> None:
    from devices.sim.scale import PtyScale

    code, _out, err = run(capsys, "devices", "weigh")
    assert code == 1 and "no scale is configured" in err
    monkeypatch.setenv("ZHANGGUI_SCALE", "ftp://scale")
    code, _out, err = run(capsys, "devices", "weigh")
    assert code == 1 and "scale.url" in err
    sim = PtyScale("toledo-ecr")
    try:
        cfg = env / "scale.toml"
        cfg.write_text(f'[scale]\nurl = "serial://{sim.path}"\nprotocol = "toledo-ecr"\n'
                       'timeout_ms = 500\n', encoding="utf-8")
        monkeypatch.delenv("ZHANGGUI_SCALE")
        code, out, _e = run(capsys, "--config", str(cfg), "--lang", "en", "devices", "weigh")
        assert code == 1 and "nothing on it" in out  # answers, but nothing to weigh
        sim.put("1.236")
        code, out, _e = run(capsys, "--config", str(cfg), "devices", "weigh", "--json")
        assert code == 0 and json.loads(out) == {"kg": "1.236", "status": "steady"}
        code, out, _e = run(capsys, "--config", str(cfg), "--lang", "en", "devices", "list")
        assert "Scale" in out and "1.236 kg, steady" in out
        sim.unplug()
        code, _out, err = run(capsys, "--config", str(cfg), "--lang", "en", "devices", "weigh")
        assert code == 1 and "Device not found" in err and "Traceback" not in err
    finally:
        sim.close()


@pytest.mark.parametrize(("url", "words"), [("ftp://x", "printer.url"),
                                            ("usb://zz:1", "Malformed device URL")])
def test_bad_printer_urls_are_explained(capsys, env, monkeypatch, url, words) -> None:
    monkeypatch.setenv("ZHANGGUI_PRINTER", url)
    code, _out, err = run(capsys, "devices", "test-print")
    assert code == 1 and words in err and "Traceback" not in err


def test_sales_list_and_show(capsys, db_url, env) -> None:
    from decimal import Decimal

    from store import bootstrap
    from store.catalog import products, search
    from store.catalog.products import ProductInput
    from store.security import auth
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput
    from store.shops.setup import setup_shop

    bootstrap.open_store(db_url)
    setup_shop("小店", owner="lao", owner_pin="2580")
    products.create_product(ProductInput("A1", "可口可乐", "3.50", "13%"))
    user = auth.authenticate("lao", "2580")
    sales.open_shift("T1", user.id, "0")
    b = Basket()
    b.add(search.lookup_code("A1"), Decimal(2))
    sales.post_sale(b, [PaymentInput("CASH", Decimal("10"))], terminal="T1", cashier_id=user.id)
    bootstrap.close_store()
    code, out, _e = run(capsys, "--db", db_url, "sales", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["number"] == "T1-000001" and rows[0]["total"] == "7.00"
    assert rows[0]["lines"][0]["qty"] == "2.000" and rows[0]["payments"][0]["tender"] == "CASH"
    code, out, _e = run(capsys, "--db", db_url, "sales", "show", "T1-000001", "--json")
    assert json.loads(out)["change"] == "3.00"
    code, _out, err = run(capsys, "--db", db_url, "sales", "show", "T1-000099")
    assert code == 1 and "No sale" in err
    code, _out, err = run(capsys, "--db", db_url, "sales", "list", "--date", "yesterday")
    assert code == 1 and "YYYY-MM-DD" in err
    code, _out, err = run(capsys, "--db", db_url, "sales", "list", "--date", "2026-02-30")
    assert code == 1 and "there is no date 2026-02-30" in err


def test_after_the_demo_every_command_reaches_the_demo_shop(capsys, env) -> None:
    """Issue 14.8: after `zhanggui demo` the other commands used an empty zhanggui.db, advised
    `db upgrade`, and left that file behind."""
    data = env / "data"
    code, _o, err = run(capsys, "user", "list")  # nothing built yet: said, nothing created
    assert code == 1 and "zhanggui init" in err and "db upgrade" not in err
    assert not (data / "zhanggui.db").exists()
    assert run(capsys, "init", "--demo", "--days", "0", "--products", "30")[0] == 0
    code, out, err = run(capsys, "user", "list")
    assert code == 0 and "cashier" in out
    assert "demo" in err  # and it says which shop it is
    code, _o, err = run(capsys, "--db", f"sqlite:///{data / 'nope.db'}", "user", "list")
    assert code == 1 and "nope.db" in err and not (data / "nope.db").exists()
    # `zhanggui init` makes the shop's own database, never a shop inside the demo's.
    assert run(capsys, "init", "--shop-name", "小店", "--owner", "boss", "--pin", "4321")[0] == 0
    assert (data / "zhanggui.db").exists()
    code, out, err = run(capsys, "user", "list")
    assert code == 0 and "boss" in out and "cashier" not in out and "demo" not in err


def test_an_empty_database_is_told_to_init_not_to_upgrade(capsys, env) -> None:
    import sqlite3

    path = env / "empty.db"
    sqlite3.connect(path).close()
    code, _o, err = run(capsys, "--db", f"sqlite:///{path}", "user", "list")
    assert code == 1 and "zhanggui init" in err and "db upgrade" not in err


def test_global_options_come_before_or_after_the_command(capsys, env) -> None:
    """Issue 14.9: `zhanggui demo --lang en` failed."""
    assert run(capsys, "init", "--demo", "--days", "0", "--products", "30")[0] == 0
    url = f"sqlite:///{env / 'data' / 'demo.db'}"
    for argv in (("--lang", "zh_CN", "user", "list", "--db", url),
                 ("user", "list", "--lang", "zh_CN", "--db", url),
                 ("user", "--lang", "zh_CN", "list", "--db", url)):
        code, out, _e = run(capsys, *argv)
        assert code == 0 and "Cashier" not in out and "收银员" in out, argv
    code, out, _e = run(capsys, "--db", url, "user", "list", "--lang", "en")
    assert code == 0 and "Cashier" in out
