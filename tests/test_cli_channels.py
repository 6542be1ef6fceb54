"""`zhanggui channels add|test|list|sync|remove` against a TOP router over HTTP, on a shop made
by `init`: the credentials come from files and are never printed; a sync brings the orders
once; an expired session is said in words with a failing exit code."""

from __future__ import annotations

import datetime as dt
import json

from sims.top_router import TopRouter
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_a_taobao_shop_connected_and_synced(capsys, db_url, env, tmp_path,  # noqa: F811
                                            monkeypatch) -> None:
    as_ = new_shop(capsys, db_url, monkeypatch)
    with TopRouter() as router:
        for i in range(3):
            router.put(3_000_000 + i, "WAIT_SELLER_SEND_GOODS",
                       dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30),
                       items=[{"num": 1, "payment": "12.00", "outer_iid": "NOPE",
                               "title": "月饼礼盒"}], payment="12.00")
        secret, session = tmp_path / "secret", tmp_path / "session"
        secret.write_text(router.secret + "\n")
        session.write_text(router.session)
        add = ["--db", db_url, "channels", "add", "taobao", "--app-key", router.app_key,
               "--app-secret-file", str(secret), "--session-file", str(session),
               "--url", router.url, "--as", "lao"]
        as_("2580")
        code, out, err = run(capsys, *add)
        assert code == 0 and "taobao" in out, err
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "test",
                             "taobao")
        assert code == 0 and "work (3)" in out, (out, err)
        as_("2580")
        router.put(3_000_009, "WAIT_SELLER_SEND_GOODS",
                   dt.datetime.now(dt.UTC) - dt.timedelta(days=2, hours=1),
                   items=[{"num": 1, "payment": "12.00", "outer_iid": "NOPE"}])
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "sync",
                             "--since", "someday", "--as", "lao")
        assert code == 1 and "--since" in err  # said; nothing fetched
        as_("2580")
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).date().isoformat()
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "sync",
                             "--since", since, "--as", "lao")
        assert code == 0 and "taobao: 4 new" in out, err  # three days back: four windows
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "sync",
                             "taobao", "--as", "lao")
        assert code == 0 and "0 new" in out, err  # nothing changed since: nothing doubled
        code, out, _e = run(capsys, "--db", db_url, "orders", "list", "--channel", "taobao",
                            "--json")
        assert {o["external_id"] for o in json.loads(out)} == {"3000000", "3000001",
                                                                "3000002", "3000009"}
        code, out, _e = run(capsys, "--db", db_url, "channels", "list", "--json")
        (listed,) = json.loads(out)
        assert listed["status"] == "ok" and router.secret not in out
        assert router.session not in out
        router.session = "renewed-elsewhere"  # the merchant's authorisation lapsed
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "sync",
                             "--as", "lao")
        assert code == 1 and "invalid-sessionkey" in out, (out, err)
        code, out, _e = run(capsys, "--db", db_url, "--lang", "en", "channels", "list")
        assert "stopped" in out
        bad = tmp_path / "two-lines"
        bad.write_text("a\nb\n")
        as_("2580")
        code, _o, err = run(capsys, *[str(bad) if a == str(secret) else a for a in add][:-2],
                            "--name", "tb2", "--as", "lao")
        assert code == 1 and "one line" in err
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "channels", "remove", "taobao", "--as",
                             "lao")
        assert code == 0, err
        code, out, _e = run(capsys, "--db", db_url, "channels", "list", "--json")
        assert json.loads(out) == []


def test_a_shopify_shop_connected_and_synced(capsys, db_url, env, tmp_path,  # noqa: F811
                                             monkeypatch) -> None:
    from sims.shopify_admin import ShopifyAdmin

    as_ = new_shop(capsys, db_url, monkeypatch)
    with ShopifyAdmin() as admin:
        admin.put(1001, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30), lines=[
            {"sku": "NOPE", "title": "Mooncake box", "quantity": 1,
             "discountedUnitPriceSet": {"shopMoney": {"amount": "88.0"}}}])
        token = tmp_path / "token"
        token.write_text(admin.token)
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "channels", "add", "shopify", "--shop",
                             admin.shop, "--url", admin.url, "--as", "lao")
        assert code == 1 and "--token-file" in err  # said, nothing made
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "channels", "add", "shopify", "--shop",
                             admin.shop, "--token-file", str(token), "--url", admin.url,
                             "--as", "lao")
        assert code == 0, err
        code, out, err = run(capsys, "--db", db_url, "channels", "test", "shopify")
        assert code == 0 and admin.shop in out, err
        as_("2580")
        code, out, err = run(capsys, "--db", db_url, "--lang", "en", "channels", "sync",
                             "shopify", "--json", "--as", "lao")
        assert code == 0 and json.loads(out)[0]["created"] == 1, err
        assert admin.token not in out
