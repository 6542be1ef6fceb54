"""`zhanggui worker` and `zhanggui jobs list|run|set|history` on a shop made by `init`, with a
courier connected by `channels add kuaidi100`: the jobs run as the user the worker acts as,
their results listed in words, schedules changed by an owner only."""

from __future__ import annotations

import json

from sims.kuaidi100 import Kuaidi100
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_the_worker_runs_what_is_due_and_jobs_show_how_it_went(capsys, db_url, env,  # noqa: F811
                                                                tmp_path, monkeypatch) -> None:
    as_ = new_shop(capsys, db_url, monkeypatch)
    monkeypatch.setenv("ZHANGGUI_DATA_DIR", str(tmp_path / "data"))
    en = ["--db", db_url, "--lang", "en"]
    code, out, err = run(capsys, *en, "jobs", "list")
    assert code == 0 and "no worker is running" in out, err
    assert "every 10 min" in out and "daily 02:30" in out
    with Kuaidi100() as courier:
        key = tmp_path / "key"
        key.write_text(courier.key)
        as_("2580")
        code, out, err = run(capsys, *en, "channels", "add", "kuaidi100", "--customer",
                             courier.customer, "--key-file", "/dev/zero", "--as", "lao")
        assert code == 1 and "/dev/zero is not a regular file" in err  # not read forever
        as_("2580")
        code, out, err = run(capsys, *en, "channels", "add", "kuaidi100", "--customer",
                             courier.customer, "--key-file", str(key), "--url", courier.url,
                             "--as", "lao")
        assert code == 0 and "followed until delivered" in out, err
        code, out, err = run(capsys, *en, "channels", "test", "kuaidi100")
        assert code == 0 and "the credentials work" in out and courier.key not in out, err
        as_("2580")
        code, out, err = run(capsys, *en, "worker", "--once", "--as", "lao")
        assert code == 0, (out, err)
        assert "channels: ok — no channel connected" in out
        assert "tracking: ok — 0 tracked, 0 delivered" in out
        assert "backup: ok" in out and "low_stock: ok" in out
        assert len(list((tmp_path / "data" / "backups").glob("zhanggui-*.zgbak"))) == 1
        code, out, err = run(capsys, *en, "channels", "list", "--json")
        (courier_line,) = json.loads(out)  # how the courier's last run went, on its line
        assert (courier_line["status"], courier_line["message"]) == (
            "ok", "0 tracked, 0 delivered")
        as_("2580")
        code, out, err = run(capsys, *en, "worker", "--once", "--as", "lao")
        assert code == 0 and "nothing due" in out, err
    code, out, _e = run(capsys, *en, "jobs", "list", "--json")
    listed = {j["name"]: j for j in json.loads(out) if "name" in j}
    assert listed["backup"]["last_status"] == "ok" and listed["backup"]["every"] == 0
    as_("2580")
    code, out, err = run(capsys, *en, "jobs", "set", "channels", "--every", "5", "--off",
                         "--as", "lao")
    assert code == 0 and "every 5 min, off" in out, err
    as_("2580")
    code, out, err = run(capsys, *en, "jobs", "set", "backup", "--at", "3 am", "--as", "lao")
    assert code == 1 and "'3 am' is not a time of day" in err
    as_("2580")
    code, out, err = run(capsys, *en, "jobs", "run", "low_stock", "--as", "lao")
    assert code == 0 and "low_stock: ok — nothing to reorder" in out, err
    code, out, err = run(capsys, *en, "jobs", "history", "low_stock", "--json")
    assert [r["status"] for r in json.loads(out)] == ["ok", "ok"]
    assert {r["by"] for r in json.loads(out)} == {"lao"}
    code, out, err = run(capsys, *en, "jobs", "run", "nope", "--as", "lao")
    assert code == 1 and "No job 'nope'" in err
