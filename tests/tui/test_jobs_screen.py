"""The Jobs screen (issue 17.6) at 80×24: every job with its schedule, next run and last
result; "run now" in a worker thread; on/off and a new schedule by an owner; the channels'
statuses beside them; the dashboard saying no worker runs while a channel waits on one."""

from __future__ import annotations

import pytest

from backoffice.jobs_view import JobsScreen
from sims.kuaidi100 import Kuaidi100
from store.buying import reorder
from store.channels import links
from store.core import i18n
from store.jobs import schedule
from store.models import ChannelLink
from store.security import auth
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


async def _wait_for(pilot, check, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if check():
            return
    raise AssertionError("the screen did not change")


@pytest.mark.parametrize("lang", ["zh_CN"])
async def test_jobs_are_seen_run_and_scheduled_from_the_back_office(
        fresh_demo, lang, tmp_path, monkeypatch) -> None:  # noqa: F811
    i18n.set_language(lang)
    _ = i18n._
    monkeypatch.setenv("ZHANGGUI_DATA_DIR", str(tmp_path))
    owner = auth.authenticate("owner", "8888")
    links.add_link(owner, "taobao", url="http://127.0.0.1:9/router/rest",
                   secrets={"app_key": "1", "app_secret": "2", "session": "3"})
    ChannelLink.update(status="stopped", message="Taobao refused: 27 session expired").execute()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await pilot.pause()
        warn = text(app, "#dash-warn")  # the dashboard: no worker, and the stopped channel
        assert _("No worker is running: online orders are not fetched (zhanggui worker)") in warn
        assert "taobao" in warn and "27" in warn
        await pilot.press("m", "0")
        await pilot.pause()
        menu = [e.id for e in app.screen.entries]
        await pilot.press(*["down"] * menu.index("jobs"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)
        listed = rows(app)
        assert [r[0] for r in listed] == [_("Online orders (channel syncs)"), _("Couriers' tracking"),
                                          _("Nightly backup"), _("Low-stock digest"),
                                          _("Expired gift vouchers"),
                                          _("Lapsed members' points")]
        assert listed[0][1] == _("every {n} min").format(n=10) and listed[0][2] == _("now")
        assert _("no worker is running: start `zhanggui worker --as USER`") in text(
            app, "#doc-status")
        await pilot.press("down", "down", "down", "r")  # the digest, now
        await _wait_for(pilot, lambda: schedule.get("low_stock").last_status == "ok")
        await _wait_for(pilot, lambda: rows(app)[3][3] == _("ok"))
        said = schedule.get("low_stock").last_message  # the digest itself, in words
        head = _("{count} product(s) to reorder: {names}").format(
            count=len(reorder.suggestions()), names="")
        assert said.startswith(head) and said in text(app, "#doc-message")
        await pilot.press("o")  # off
        await pilot.pause()
        assert rows(app)[3][1] == _("off") and not schedule.get("low_stock").enabled
        await pilot.press("s")
        await pilot.pause()
        await fill(pilot, ["25:00"])  # no such time: said on the form, nothing changed
        assert "25:00" in text(app, "#form-error")
        await fill(pilot, ["06:45"])
        assert schedule.get("low_stock").at == "06:45"
        await pilot.press("c")  # the channels
        await pilot.pause()
        assert rows(app)[0][:3] == ["taobao", "taobao", _("stopped")]
        assert "27" in text(app, "#doc-message")
        with Kuaidi100() as courier:  # a courier's API connected from here, and tested
            await pilot.press("a")
            await pilot.pause()
            await fill(pilot, ["kuaidi100", courier.customer, "wrong", "", courier.url, "",
                               "="])
            await pilot.pause()
            assert [r[0] for r in rows(app)] == ["kuaidi100", "taobao"]
            await pilot.press("t")
            await _wait_for(pilot, lambda: "503" in text(app, "#doc-message"))
            assert "wrong" not in text(app, "#doc-message")
            await pilot.press("delete")
            await pilot.pause()
            assert [r[0] for r in rows(app)] == ["taobao"]
            await pilot.press("a")
            await pilot.pause()
            await fill(pilot, ["kuaidi100", courier.customer, courier.key, "", courier.url,
                               "", "="])
            await pilot.pause()
            await pilot.press("t")
            await _wait_for(pilot, lambda: "500" in text(app, "#doc-message"))
            assert courier.key not in text(app, "#doc-message")


async def test_the_jobs_run_inside_the_app_on_a_single_till_shop(fresh_demo, tmp_path,  # noqa: F811
                                                                 monkeypatch) -> None:
    i18n.set_language("en")
    monkeypatch.setenv("ZHANGGUI_DATA_DIR", str(tmp_path))
    owner = auth.authenticate("owner", "8888")
    schedule.change(owner, "backup", enabled=False)  # the rest run at once: all are due
    pin = tmp_path / "worker.pin"
    pin.write_text("0000\n")
    app = make_app(fresh_demo)
    app.config.jobs.in_app, app.config.jobs.user = True, "owner"
    app.config.jobs.secret_file = str(pin)
    async with app.run_test(size=(80, 24)) as pilot:  # a wrong PIN: said, the app goes on
        await pilot.pause()
        assert "jobs not started: Wrong user name or PIN" in app.sub_title
        assert schedule.workers() == []
    pin.write_text("8888\n")
    app = make_app(fresh_demo)
    app.config.jobs.in_app, app.config.jobs.user = True, "owner"
    app.config.jobs.secret_file = str(pin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: schedule.get("low_stock").last_status == "ok")
        assert len(schedule.workers()) == 1 and "jobs" not in app.sub_title
        assert schedule.history("low_stock")[0].by == "owner"
    assert schedule.workers() == []  # the app closed: its worker said it stopped
