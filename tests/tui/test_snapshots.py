"""What the screens look like at 80x24, in both languages (SVG snapshots under __snapshots__).

After an intended change of layout: pytest tests/tui/test_snapshots.py --snapshot-update,
then look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from store.core import i18n
from store.core.config import Config
from tui.app import ZhangguiApp


def make_app(url: str) -> ZhangguiApp:
    cfg = Config()
    cfg.database.url = url
    return ZhangguiApp(cfg)


@pytest.fixture
def sqlite_demo(request: pytest.FixtureRequest) -> str:
    """The demo shop on SQLite only: a screen looks the same on either engine."""
    request.getfixturevalue("_demo_urls")
    from store import bootstrap
    from tests.conftest import DEMO_PRODUCTS

    url = request.getfixturevalue("_demo_urls")["sqlite"]
    bootstrap.ensure_demo(url, products=DEMO_PRODUCTS, history_days=0)
    return url


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_login_screen(snap_compare, sqlite_demo, lang) -> None:
    i18n.set_language(lang)
    assert snap_compare(make_app(sqlite_demo), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_owner_home(snap_compare, sqlite_demo, lang) -> None:
    i18n.set_language(lang)

    async def login(pilot) -> None:
        await pilot.press(*"owner", "enter", *"8888", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(sqlite_demo), terminal_size=(80, 24), run_before=login)
