"""docs/GETTING_STARTED.md, kept true (issue 16.6): a shop from nothing with no Python — `init`,
a second till, three suppliers, a category tree, 200 products and their opening stock from the
shop's Excel sheet, its members from a GBK CSV, the balances from its old books, an order to a
new supplier received, and a sale on the second till — on both engines, the CLI in Chinese on
one and in English on the other. The commands are the document's own: each ```sh block of the
guide is checked to hold the command this test runs."""

from __future__ import annotations

import io
import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from store import bootstrap
from store.books import ledger
from store.catalog.barcodes import with_check_digit
from store.core import i18n
from store.selling import sales
from tests.test_cli import env, run  # noqa: F401  (the fixture)
from tests.tui.test_login_home import drain, login, make_app
from tests.tui.test_scanning import wait_until
from tui.screens.till.screen import TillScreen

GUIDE = Path(__file__).parent.parent / "docs" / "GETTING_STARTED.md"
CATEGORIES = ("汽水", "饮用水", "零食")


def barcode(i: int) -> str:
    return with_check_digit(f"690{i:09d}")


def shop_sheet(path: Path) -> None:
    """商品资料.xlsx as a mini-market keeps it: a title row, numbers as numbers, barcodes
    sometimes as text and sometimes as numbers, and the stock on hand in the same sheet."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("商品")
    sheet.write_row(0, 0, ["老王便利店 商品资料 2026-12"])
    sheet.write_row(2, 0, ["商家编码", "名称", "分类", "单位", "零售价", "进价", "税率",
                           "条码", "库存"])
    for i in range(1, 201):
        row = 2 + i
        sheet.write_string(row, 0, f"P{i:04d}")
        sheet.write_string(row, 1, f"商品{i}号")
        sheet.write_string(row, 2, CATEGORIES[i % 3])
        sheet.write_string(row, 3, "袋" if i % 3 == 0 else "瓶")
        sheet.write_number(row, 4, 2 + (i % 7) * 0.5)  # 2, 2.5 … 5
        sheet.write_number(row, 5, 1 + (i % 7) * 0.25)
        sheet.write_string(row, 6, "13%")
        if i % 2:
            sheet.write_string(row, 7, barcode(i))
        else:
            sheet.write_number(row, 7, int(barcode(i)))
        sheet.write_number(row, 8, 24 + i % 5)
    book.close()


# Typed by a person, not by a script: the wizard on a terminal and the app itself.
INTERACTIVE = {("init",), ("run",)}


def guide_commands() -> list[tuple[str, ...]]:
    """Every `zhanggui` command of the guide's ```sh blocks, as words."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    lines = [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()]
    return [tuple(words[1:]) for words in lines if words and words[0] == "zhanggui"]


@pytest.mark.both_engines
async def test_a_shop_from_nothing_as_the_guide_says(capsys, db_url, engine, env, tmp_path,  # noqa: F811
                                                     monkeypatch) -> None:
    lang = "zh_CN" if engine == "sqlite" else "en"
    guide = guide_commands()
    ran: list[tuple[str, ...]] = []
    sheet = tmp_path / "商品资料.xlsx"
    shop_sheet(sheet)
    members = tmp_path / "会员.csv"
    members.write_bytes("会员号,姓名,手机,信用额度\nM0001,王芳,13800138000,500\n"
                        "M0002,李雷,13900139000,0\n".encode("gbk"))
    opening = tmp_path / "期初余额.csv"
    opening.write_text("类型,编码,期初余额,单据号\n客户,M0001,120.00,XS-0418\n"
                       "供应商,S1,800.00,FP-88231\n科目,1001,500.00,\n", encoding="utf-8")

    def zg(*argv: str, pin: str | None = None) -> str:
        # the guide's own words: a file by its name, without the --json the test reads
        words = tuple(Path(a).name if a.startswith("/") else a for a in argv if a != "--json")
        assert words in guide, f"the guide does not show: zhanggui {shlex.join(words)}"
        ran.append(words)
        if pin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
        code, out, err = run(capsys, "--db", db_url, "--lang", lang, *argv)
        assert code == 0 and "Traceback" not in err, (words, out, err)
        return out

    zg("init", "--shop-name", "老王便利店", "--owner", "lao", "--pin", "2580")
    zg("settings", "shop", "--address", "杭州市西湖区文三路 88 号", "--phone", "0571-88886666",
       "--as", "lao", pin="2580")
    zg("warehouses", "add", "BACK", "后仓", "--as", "lao", pin="2580")
    zg("terminals", "add", "T2", "--warehouse", "STORE", "--name", "二号收银台", "--as", "lao",
       pin="2580")
    zg("user", "add", "amy", "--role", "cashier", "--name", "小艾", "--pin", "1357", "--as",
       "lao", pin="2580")
    zg("user", "add", "wei", "--role", "warehouse", "--pin", "2468", "--as", "lao", pin="2580")
    for code, name in (("S1", "杭州饮料批发"), ("S2", "上海休闲食品"), ("S3", "农夫山泉经销")):
        zg("suppliers", "add", code, name, "--terms-days", "30", "--as", "lao", pin="2580")
    zg("categories", "add", "DRINK", "饮料", "--as", "lao", pin="2580")
    zg("categories", "add", "SODA", "汽水", "--parent", "DRINK", "--as", "lao", pin="2580")
    zg("categories", "add", "WATER", "饮用水", "--parent", "DRINK", "--as", "lao", pin="2580")
    zg("categories", "add", "SNACK", "零食", "--as", "lao", pin="2580")

    out = zg("import", "products", str(sheet), "--dry-run", "--as", "lao", pin="2580")
    assert "200" in out
    out = zg("import", "products", str(sheet), "--json", "--as", "lao", pin="2580")
    assert json.loads(out)["created"] == 200
    out = zg("import", "stock", str(sheet), "--warehouse", "STORE", "--json", "--as", "lao",
             pin="2580")
    assert json.loads(out)["created"] == 200
    out = zg("import", "customers", str(members), "--json", "--as", "lao", pin="2580")
    assert (json.loads(out)["created"], json.loads(out)["encoding"]) == (2, "gb18030")
    out = zg("import", "balances", str(opening), "--json", "--as", "lao", pin="2580")
    assert json.loads(out)["totals"]["capital"] == "180.00"  # 120 + 500 owned, 800 owed

    out = zg("purchase", "create", "--supplier", "S3", "--warehouse", "BACK", "--line",
             "P0007:48:1.00", "--line", "P0014:24:1.00", "--as", "lao", pin="2580")
    number = re.search(r"PO-\d+", out).group(0)
    zg("purchase", "receive", number, "--as", "wei", pin="2468")
    out = zg("purchase", "show", number, "--json")
    assert json.loads(out)["status"] == "received"

    # The second till: amy opens a shift on T2 and sells two of P0007 for cash.
    assert f"type `2*{barcode(7)}`" in GUIDE.read_text(encoding="utf-8")
    i18n.set_language(lang)
    app = make_app(db_url)
    app.config.terminal.code = "T2"
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "amy", "1357")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press(*"200", "enter")  # the opening float
        await drain(app)
        await pilot.pause()
        assert isinstance(app.screen, TillScreen)
        await pilot.press(*f"2*{barcode(7)}", "enter")
        await pilot.press("f12")
        await pilot.press(*"20", "enter")
        await drain(app)
        assert await wait_until(pilot, lambda: isinstance(app.screen, TillScreen)
                                and app.screen.query_one("#cart").row_count == 0, 8)
    bootstrap.close_store()

    out = zg("sales", "list", "--terminal", "T2", "--json")
    (sale,) = json.loads(out)
    assert sale["number"] == "T2-000001" and Decimal(sale["total"]) == Decimal("4.00")
    bootstrap.open_store(db_url)
    try:
        assert sales.get_sale("T2-000001").change == Decimal("16.00")
        assert sum(r.balance for r in ledger.trial_balance()) == 0
        assert ledger.balance(ledger.AR) == Decimal("120.00")
    finally:
        bootstrap.close_store()
    out = zg("stock", "--warehouse", "BACK", "--json")
    assert {r["sku"]: Decimal(r["on_hand"]) for r in json.loads(out)} == {
        "P0007": 48, "P0014": 24}
    zg("ledger", "trial-balance")
    zg("audit", "verify")
    assert [c for c in guide if c not in INTERACTIVE] == ran  # all of it, in its order
