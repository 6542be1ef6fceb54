"""`zhanggui vouchers` (issue 19.3): a batch issued to a file to print, a code checked and
voided; a file aimed at the database or a promotion batch "paid into" an account is refused
and nothing is issued."""

from __future__ import annotations

import json

from store import bootstrap
from store.models import Voucher
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)


def test_vouchers_from_the_shell(capsys, db_url, env, tmp_path, monkeypatch) -> None:  # noqa: F811
    as_ = new_shop(capsys, db_url, monkeypatch)
    db = ("--db", db_url, "--lang", "en")
    as_("2580")
    code, _o, err = run(capsys, *db, "vouchers", "issue", "满50减10", "--value", "10",
                        "--count", "2", "--paid-into", "1001", "--as", "lao")
    assert code == 1 and "paid_into" in err and "given away" in err
    if db_url.startswith("sqlite:///"):
        as_("2580")
        code, _o, err = run(capsys, *db, "vouchers", "issue", "券", "--value", "10", "--count",
                            "2", "--out", db_url.removeprefix("sqlite:///"), "--force",
                            "--as", "lao")
        assert code == 1 and "Traceback" not in err
    out_file = tmp_path / "codes.csv"
    as_("2580")
    code, out, err = run(capsys, *db, "vouchers", "issue", "满50减10", "--value", "10",
                         "--count", "2", "--min-spend", "50", "--out", str(out_file),
                         "--as", "lao")
    assert code == 0 and "VB-000001: 2 vouchers of ￥10.00" in out, err
    lines = out_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "code,batch,value,min_spend,valid_to" and len(lines) == 3
    first = lines[1].split(",")[0]
    code, out, _e = run(capsys, *db, "vouchers", "check", first.lower())
    assert code == 0 and "worth ￥10.00" in out and "￥50.00" in out
    as_("2580")
    code, out, err = run(capsys, *db, "vouchers", "void", first, "--reason", "发错了", "--as",
                         "lao")
    assert code == 0, err
    code, _o, err = run(capsys, *db, "vouchers", "check", first)
    assert code == 1 and "voided" in err
    code, out, _e = run(capsys, *db, "vouchers", "codes", "VB-000001", "--json")
    assert sorted(r["status"] for r in json.loads(out)) == ["active", "void"]
    from devices.sim.printer import PrinterSimulator
    from tests.test_cli import wait_for

    sim = PrinterSimulator().start()
    try:
        cfg = tmp_path / "printer.toml"
        cfg.write_text(f'[printer]\nurl = "tcp://127.0.0.1:{sim.port}"\n', encoding="utf-8")
        code, out, err = run(capsys, "--config", str(cfg), *db, "vouchers", "print",
                             "VB-000001")
        assert code == 0 and "1 vouchers of VB-000001" in out, err  # the voided one is not
        wait_for(lambda: sim.jobs, 2.0)
        printed = sim.jobs[0].decoded
        assert [e[2] for e in printed.events_of("barcode")] == [lines[2].split(",")[0]]
        assert any("满50减10" in line for line in printed.text)
        sim.stop()
        code, _o, err = run(capsys, "--config", str(cfg), *db, "vouchers", "print",
                            "VB-000001")
        assert code == 1 and "Traceback" not in err  # the printer unplugged: said
    finally:
        sim.stop()
    as_("2580")
    code, out, err = run(capsys, *db, "vouchers", "expire", "--as", "lao")
    assert code == 0 and "0 gift voucher(s) expired" in out, err
    code, out, _e = run(capsys, *db, "vouchers", "list", "--json")
    assert [(b["number"], b["count"]) for b in json.loads(out)] == [("VB-000001", 2)]
    bootstrap.open_store(db_url)
    assert Voucher.select().count() == 2  # the refused issues made none
    bootstrap.close_store()
