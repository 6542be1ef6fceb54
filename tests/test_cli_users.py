"""`zhanggui user set|deactivate|activate|list --all` on a shop made by `init` (issue 16.2)."""

from __future__ import annotations

import json

from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_users_changed_and_stopped_from_the_shell(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    run(capsys, "--db", db_url, "user", "add", "amy", "--role", "cashier", "--pin", "1357",
        "--as", "lao")
    for argv, pin, expected, words in (
            (["set", "amy", "--role", "supervisor", "--name", "艾米"], "2580", 0, "艾米"),
            (["set", "amy", "--role", "king"], "2580", 1, "king"),
            (["set", "lao", "--role", "cashier"], "2580", 1, "only owner"),
            (["deactivate", "lao"], "2580", 1, "yourself"),
            (["set", "lao", "--name", "老王"], "1357", 1, "may not"),
            (["deactivate", "amy"], "2580", 0, "amy"),
            (["activate", "nobody"], "2580", 1, "nobody")):
        as_(pin)
        code, out, err = run(capsys, "--db", db_url, "user", *argv, "--as",
                             "amy" if pin == "1357" else "lao")
        assert code == expected and words in out + err, (argv, out, err)
    code, out, _e = run(capsys, "--db", db_url, "user", "list", "--all", "--json")
    amy = next(u for u in json.loads(out) if u["username"] == "amy")
    assert (amy["role"], amy["display_name"], amy["active"]) == ("supervisor", "艾米", False)
    code, out, _e = run(capsys, "--db", db_url, "user", "list", "--json")
    assert [u["username"] for u in json.loads(out)] == ["lao"]
    as_("1357")  # amy cannot log in to act any more
    code, _o, err = run(capsys, "--db", db_url, "user", "set-pin", "amy", "1111")
    assert code == 1
    as_("2580")
    assert run(capsys, "--db", db_url, "user", "activate", "amy", "--as", "lao")[0] == 0
    code, out, _e = run(capsys, "--db", db_url, "user", "list", "--all")
    assert "艾米" in out and "amy" in out
