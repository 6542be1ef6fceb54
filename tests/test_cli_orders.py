"""`zhanggui import orders`, `orders list|show|create|ship|invoice`, `export shipments` and
`import tracking` on both engines, and a channel added by a plug-in's entry point."""

from __future__ import annotations

import io
import json
import sys

import pytest

from store import bootstrap
from store.shops.setup import setup_shop
from store.stock import inventory
from tests.store.channel_files import TbItem, TbOrder, write_taobao
from tests.store.stock_helpers import stock_shop
from tests.test_cli import env, run  # noqa: F401  (the fixture)


def _shop(db_url: str) -> None:
    bootstrap.open_store(db_url)
    setup_shop("测试商店", owner="boss", owner_pin="8888")
    from store.catalog import products

    products.create_category("DRINK", "饮料", "Beverages")
    stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "50")
    bootstrap.close_store()


def as_boss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("8888\n"))


def test_import_list_export_and_track(capsys, db_url, env, monkeypatch, tmp_path  # noqa: F811
                                      ) -> None:
    _shop(db_url)
    files = write_taobao(tmp_path, [
        TbOrder("1990000000000000001", items=[TbItem("COKE", "可口可乐", "3.50", "6")]),
        TbOrder("1990000000000000002", items=[TbItem("NOPE", "没有的东西", "9.90", "1")]),
        TbOrder("", items=[TbItem("COKE", "可口可乐", "3.50", "1")]),
    ])
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "import", "orders", "--channel", "taobao",
                        str(files[0]), "--items", str(files[1]), "--dry-run", "--as", "boss")
    assert code == 2 and "Dry run" in out and "1 held, 1 rejected" in out
    assert "row 4: no order number" in out
    code, out, _e = run(capsys, "--db", db_url, "orders", "list", "--json")
    assert json.loads(out) == []  # the dry run wrote nothing
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "import", "orders", "--channel", "taobao",
                        str(files[0]), "--items", str(files[1]), "--json", "--as", "boss")
    report = json.loads(out)
    assert (report["created"], report["held"][0][0], report["rejected"][0][0]) == (2, 3, 4)
    code, out, _e = run(capsys, "--db", db_url, "orders", "list", "--status", "confirmed",
                        "--channel", "taobao", "--json")
    rows = json.loads(out)
    assert [(r["external_id"], r["total"]) for r in rows] == [("1990000000000000001", "21.00")]
    number = rows[0]["number"]
    code, out, _e = run(capsys, "--db", db_url, "orders", "show", number)
    assert code == 0 and "COKE" in out and "confirmed" in out

    as_boss(monkeypatch)
    ship_file = tmp_path / "ship.csv"
    code, out, _e = run(capsys, "--db", db_url, "export", "shipments", "--out",
                        str(ship_file), "--as", "boss")
    assert code == 0 and "1 orders" in out
    assert "13800138000" in ship_file.read_text(encoding="utf-8-sig")
    tracking = tmp_path / "tracking.csv"
    tracking.write_text(f"订单号,物流公司,运单号\n{number},中通快递,ZT1\n", encoding="utf-8")
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "import", "tracking", str(tracking),
                        "--as", "boss")
    assert code == 0 and "1 shipped" in out
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "orders", "invoice-shipped", "--channel",
                        "shopify", "--as", "boss")
    assert code == 0 and "0 orders invoiced" in out
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "orders", "invoice-shipped", "--channel",
                        "taobao", "--as", "boss")
    assert code == 0 and "1 orders invoiced" in out
    as_boss(monkeypatch)
    code, _o, err = run(capsys, "--db", db_url, "orders", "invoice", number, "--as", "boss")
    assert code == 1 and "invoiced" in err  # once only
    code, out, _e = run(capsys, "--db", db_url, "orders", "show", number, "--json")
    shown = json.loads(out)
    assert [e["status"] for e in shown["events"]] == ["confirmed", "shipped", "invoiced"]
    assert shown["tracking_no"] == "ZT1"


def test_phone_orders_from_the_command_line(capsys, db_url, env, monkeypatch  # noqa: F811
                                            ) -> None:
    _shop(db_url)
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "orders", "create", "COKE=5", "TEA=2@3.80",
                        "--confirm", "--as", "boss")
    assert code == 0 and "SO-" in out
    number = out.split()[0]
    as_boss(monkeypatch)
    code, _o, err = run(capsys, "--db", db_url, "orders", "ship", number, "--qty", "COKE=9",
                        "--as", "boss")
    assert code == 1 and "only 5" in err
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "orders", "ship", number, "--qty", "COKE=2",
                        "--as", "boss")
    assert code == 0 and "partial" in out
    as_boss(monkeypatch)
    code, out, _e = run(capsys, "--db", db_url, "orders", "cancel", number, "--reason", "x",
                        "--as", "boss")
    assert code == 1


PLUGIN = '''
from store.channels.base import Batch, ItemInput, OrderInput
from decimal import Decimal


class Shop:
    name = "myshop"

    def __init__(self, orders, items=None):
        self.path = orders

    def fetch(self, cursor=""):
        sku = open(self.path, encoding="utf-8").read().strip()
        return Batch([OrderInput("M-1", "confirmed", "paid",
                                 items=[ItemInput(sku, "from the plug-in", Decimal(2),
                                                  Decimal("3.00"))])])
'''


def test_a_channel_from_a_plug_in(capsys, db_url, env, monkeypatch, tmp_path  # noqa: F811
                                  ) -> None:
    """A package that declares `myshop = myshop_plugin:Shop` in the `zhanggui.channels`
    entry-point group is found by name, with nothing in the core changed."""
    site = tmp_path / "site"
    dist = site / "myshop_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: myshop-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[zhanggui.channels]\nmyshop = myshop_plugin:Shop\n")
    (site / "myshop_plugin.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "myshop_plugin", raising=False)
    _shop(db_url)
    source = tmp_path / "feed.txt"
    source.write_text("COKE\n", encoding="utf-8")
    as_boss(monkeypatch)
    code, out, err = run(capsys, "--db", db_url, "import", "orders", "--channel", "myshop",
                         str(source), "--as", "boss")
    assert code == 0, err
    assert "1 created" in out
    code, out, _e = run(capsys, "--db", db_url, "orders", "list", "--channel", "myshop",
                        "--json")
    assert [r["external_id"] for r in json.loads(out)] == ["M-1"]
    as_boss(monkeypatch)
    code, _o, err = run(capsys, "--db", db_url, "import", "orders", "--channel", "nosuch",
                        str(source), "--as", "boss")
    assert code == 1 and "nosuch" in err and "taobao" in err


def test_promotions_from_the_command_line(capsys, db_url, env, monkeypatch  # noqa: F811
                                          ) -> None:
    _shop(db_url)
    as_boss(monkeypatch)
    code, out, err = run(capsys, "--db", db_url, "promotions", "add", "COLA3", "可乐3瓶10元",
                         "--kind", "bundle", "--bundle", "3", "--value", "10", "--sku", "COKE",
                         "--days", "67", "--hours", "9-21", "--as", "boss")
    assert code == 0, err
    assert "COLA3" in out and "COKE" in out
    as_boss(monkeypatch)
    code, _o, err = run(capsys, "--db", db_url, "promotions", "add", "BAD", "x", "--kind",
                        "percent", "--value", "150", "--sku", "COKE", "--as", "boss")
    assert code == 1 and "150" in err
    as_boss(monkeypatch)
    code, _o, err = run(capsys, "--db", db_url, "promotions", "add", "BAD", "x", "--kind",
                        "percent", "--value", "10", "--sku", "COKE", "--hours", "noon",
                        "--as", "boss")
    assert code == 1 and "noon" in err
    as_boss(monkeypatch)
    assert run(capsys, "--db", db_url, "promotions", "end", "COLA3", "--as", "boss")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "promotions", "list", "--json")
    (row,) = json.loads(out)
    assert (row["code"], row["active"], row["terms"], row["window"]) == (
        "COLA3", False, "3 for 10.00", "days 67 09-21h")
