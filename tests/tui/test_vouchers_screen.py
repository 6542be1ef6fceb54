"""Voucher batches in the back office (issue 19.3) at 80x24: the owner issues a batch from a
form (a mistyped value is said in the form, nothing issued), sees its codes, prints them and
voids one."""

from __future__ import annotations

import pytest

from backoffice.forms import FormDialog
from backoffice.vouchers_view import VouchersScreen
from store.core import i18n
from store.models import PrintJob, Voucher, VoucherBatch
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)
from tui.dialogs.inputs import TextDialog
from tui.dialogs.shift_report import ShiftReportDialog


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_owner_issues_prints_and_voids_vouchers(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    _ = i18n._
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.press("m", "9")
        await pilot.pause()
        menu = [e.id for e in app.screen.entries]
        await pilot.press(*["down"] * menu.index("vouchers"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, VouchersScreen) and rows(app) == []
        await pilot.press("n")
        await pilot.pause()
        #                 name       kind value  %   min   count
        await fill(pilot, ["满50减10", "=", "abc", "=", "50", "3", "", "", "", "=", "", ""])
        assert isinstance(app.screen, FormDialog)  # the value is said, nothing issued
        assert "abc" in text(app, "#form-error") and VoucherBatch.select().count() == 0
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, ["满50减10", "=", "10", "=", "50", "3", "", "", "", "=", "", ""])
        assert isinstance(app.screen, VouchersScreen)
        assert "VB-000001" in text(app, "#doc-message")
        (batch,) = rows(app)
        assert batch[0] == "VB-000001" and batch[3] == "3" and batch[4] == "0"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ShiftReportDialog)
        codes = [c for c, _n in app.screen.rows if c.count("-") == 2]
        assert len(codes) == 3
        await pilot.press("escape", "p")
        await pilot.pause()
        assert PrintJob.select().where(PrintJob.kind == "vouchers").count() == 1
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*codes[0].lower(), *" lost", "enter")
        await pilot.pause()
        assert codes[0] in text(app, "#doc-message")
    assert Voucher.get(Voucher.code == codes[0].replace("-", "")).status == "void"
