"""A file brought in from the back office (issue 16.4: imports "from the back office with
progress"), at 80x24: the owner names the import and the file; the dry run runs in a worker
and lists every bad row by line, field and value; F2 is refused until a dry run passes, then
imports; a missing file is said on the form."""

from __future__ import annotations

import pytest

from backoffice.forms import FormDialog
from backoffice.import_view import ImportScreen
from store.core import i18n
from store.models import Customer
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import drain, make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_scanning import wait_until
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


@pytest.mark.parametrize("lang", ["zh_CN"])  # English: the other back-office screens' tests
async def test_the_owner_imports_a_member_list(fresh_demo, lang, tmp_path) -> None:  # noqa: F811
    i18n.set_language(lang)
    bad = tmp_path / "会员.csv"
    bad.write_bytes("会员号,姓名,手机\nN001,王芳,13800138000\nN002,,13900139000\n"
                    "N003,李雷,138abc\n".encode("gbk"))
    good = tmp_path / "members.xlsx"
    from store.reporting import export

    export.write(export.Table("m", ["code", "name", "phone"],
                              [["N001", "王芳", "13800138000"], ["N002", "韩梅梅", ""]]),
                 good, "xlsx")
    before = Customer.select().count()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "0")  # set-up; the import is past the tenth entry: arrows
        await pilot.pause()
        menu = [e.id for e in app.screen.entries]
        await pilot.press(*["down"] * menu.index("import"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, ["customers", str(tmp_path / "nope.csv"), "", "no"])
        assert app.focused.id == "form-file" and "nope.csv" in text(app, "#form-error")
        await fill(pilot, [str(bad), "", "no"])
        assert isinstance(app.screen, ImportScreen)
        await drain(app)
        assert await wait_until(pilot, lambda: app.screen.state == "refused")
        assert [r[:2] for r in rows(app)] == [["3", "name"], ["4", "phone"]]
        await pilot.press("f2")  # refused: nothing to import
        await pilot.pause()
        assert Customer.select().count() == before
        await pilot.press("f3")
        await pilot.pause()
        await fill(pilot, ["customers", str(good), "", "no"])
        await drain(app)
        assert await wait_until(pilot, lambda: app.screen.state == "checked")
        assert Customer.select().count() == before  # a dry run
        await pilot.press("f2")
        await drain(app)
        assert await wait_until(pilot, lambda: app.screen.state == "done")
        assert "2" in text(app, "#doc-status")
    assert {c.code for c in Customer.select().where(Customer.code.startswith("N0"))} == {
        "N001", "N002"}
