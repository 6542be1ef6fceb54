"""Every command of `zhanggui`, fed hostile values in every argument, on a demo shop.

The parser tree is walked, so a command added later is fuzzed without editing this file. Each
command runs many times: in each round every positional argument and option gets a value from
HOSTILE (rotated, so across the rounds each argument sees each value), with and without the
owner's PIN behind --as. Whatever happens, the answer is a result or a message: exit 0, 1 or 2,
no traceback, no "unexpected …Error", and no terminal escape sequence copied from the input to
the screen (issue 15.6, 15.8).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import bootstrap
from tests.conftest import create_pg_database
from tui.cli.main import build_parser, main

# Commands that take over the terminal or serve forever; each has its own tests.
INTERACTIVE = {("run",), ("demo",), ("devices", "simulate", "printer"),
               ("devices", "simulate", "scanner"), ("devices", "test-print")}
# Flags that would rebuild the shop under the other rounds' feet.
SKIPPED_FLAGS = {"--reset", "--demo"}

HOSTILE = [
    "", "-1", "0", "1e11", "99999999999999999999", "NaN", "abc", "\x1b[2J\x1b]0;owned\x07",
    "=cmd|' /C calc'!A0", "%_\\%[", "2026-02-30", "🍎🍎🍎", "A:B:C", "x" * 3000,
    "../../etc/passwd", "<dir>", "<db>", "/dev/full", "<missing>/x.csv", "<binary>", "<empty>",
    "owner", "P0000001", "6901234567892", "T1-000001", "1001=abc", "1001=1e11", "2026-13",
    "zh_CN", "1.005", "\u202eevil", "a\u200bb",
]
INTS = ["-1", "0", "99999999999999999999", "abc", "1e3", "7"]


def leaf_commands() -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield path, parser
            return
        seen: set[int] = set()
        for name, child in subs[0].choices.items():
            if id(child) not in seen:  # an alias is the same parser
                seen.add(id(child))
                yield from walk(child, (*path, name))

    for path, parser in walk(build_parser(), ()):
        if path not in INTERACTIVE:
            yield path, parser


COMMANDS = sorted(leaf_commands(), key=lambda c: c[0])


def argv_for(parser: argparse.ArgumentParser, round_: int, place: dict[str, str]) -> list[str]:
    """One hostile invocation: round r gives argument i the value HOSTILE[(r + 5i) % n]."""
    positional: list[str] = []
    options: list[str] = []
    for i, action in enumerate(parser._actions):
        if action.dest in ("help", "db", "config", "lang") or isinstance(
                action, argparse._SubParsersAction):
            continue
        if action.option_strings and action.nargs == 0:  # a flag: on in alternate rounds
            if action.option_strings[0] not in SKIPPED_FLAGS and (round_ + i) % 2 == 0:
                options.append(action.option_strings[0])
            continue
        if action.choices is not None:
            choices = list(action.choices)
            values = [choices[(round_ + i) % len(choices)]]
        elif action.type is int:
            values = [INTS[(round_ + i) % len(INTS)]]
        elif action.dest == "as_user" or (action.option_strings and
                                          action.option_strings[0] == "--as"):
            values = ["owner" if round_ % 3 else HOSTILE[(round_ + i) % len(HOSTILE)]]
        else:
            raw = HOSTILE[(round_ + 5 * i) % len(HOSTILE)]
            values = [place.get(raw, raw)]
        count = action.nargs if isinstance(action.nargs, int) else 1
        values = values * count
        if action.option_strings:
            # `--opt=VALUE` so a value beginning with '-' is a value, as a careful user types it
            if count == 1:
                options.append(f"{action.option_strings[0]}={values[0]}")
            else:
                options += [action.option_strings[0], *values]
        elif action.nargs == "?" and round_ % 4 == 3:
            continue
        else:
            positional += values
    # "--" ends the options so a positional value beginning with '-' stays a value
    return [*options, "--", *positional] if positional else options


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_shop(request, tmp_path_factory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A demo shop of the fuzz's own (the commands change it), and the files HOSTILE names."""
    root = tmp_path_factory.mktemp("cli-fuzz")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'shop.db'}"
        db_file = root / "shop.db"
    else:
        url = create_pg_database("zg_fuzz")
        db_file = Path(str(root / "config.toml"))
        db_file.write_text("", encoding="utf-8")
    bootstrap.ensure_demo(url, products=60, history_days=1)
    bootstrap.close_store()
    (root / "binary").write_bytes(bytes(range(256)) * 8)
    (root / "empty").write_bytes(b"")
    place = {"<dir>": str(root), "<db>": str(db_file), "<missing>/x.csv": str(root / "no/x.csv"),
             "<binary>": str(root / "binary"), "<empty>": str(root / "empty")}
    # A command that reads /dev/full to its end would take every byte of memory the machine
    # has (the OOM killer then ends other processes too): cap this process, so such a
    # regression is a MemoryError this test reports.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (min(8 << 30, hard) if hard > 0 else 8 << 30, hard))
    try:
        yield url, place, root
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        bootstrap.close_store()


ROUNDS = 12


@pytest.mark.parametrize("path", [c[0] for c in COMMANDS], ids=" ".join)
def test_every_command_answers_hostile_arguments_with_a_message(fuzz_shop, path, monkeypatch,
                                                                tmp_path) -> None:
    url, place, _root = fuzz_shop
    parser = dict(COMMANDS)[path]
    monkeypatch.chdir(tmp_path)  # relative outputs land here, not in the repo
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    rounds = range(ROUNDS if url.startswith("sqlite") else 4)
    for round_ in rounds:
        argv = ["--db", url, *path, *argv_for(parser, round_, place)]
        monkeypatch.setattr("sys.stdin", io.StringIO("8888\n" * 4))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage error
                code = exit_.code if isinstance(exit_.code, int) else 2
        bootstrap.close_store()
        said = out.getvalue() + err.getvalue()
        assert code in (0, 1, 2), (argv, code, said[-500:])
        assert "Traceback" not in said, (argv, said[-2000:])
        assert "unexpected" not in err.getvalue(), (argv, err.getvalue()[-500:])
        assert "\x1b" not in said and "\x07" not in said, (argv, said[-500:])
