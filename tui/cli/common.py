"""What the command groups share: the configuration, JSON output, asking for a secret, opening
the database, the acting user (--as) and dates."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store import bootstrap
from store.core import config, dates
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.text import printable
from store.security import auth
from store.security.auth import SessionUser


def load_config(args: argparse.Namespace) -> Config:
    return config.load(args.config, db_url=args.db, language=args.lang)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write("\n")


WHOLE_NUMBER_LIMIT = 2_000_000_000  # fits a 32-bit INTEGER column on either engine


def whole_number(text: str) -> int:
    """argparse's type for a whole number: refused in words beyond ±2,000,000,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a whole number").format(value=printable(text[:40]))) from None
    if abs(value) > WHOLE_NUMBER_LIMIT:
        raise argparse.ArgumentTypeError(_("{value} is too large (at most {limit})").format(
            value=printable(text[:40]), limit=f"{WHOLE_NUMBER_LIMIT:,}"))
    return value


def ask_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("Again: ")) != first:
            raise ValidationError(_("The two entries differ"), field="pin", value="****")
        return first
    return sys.stdin.readline().strip()


def open_db(cfg: Config) -> None:
    bootstrap.open_store(cfg.db_url, read_url=cfg.database.read_url,
                         read_max_lag_s=cfg.database.read_max_lag_s)


def add_import_options(p: argparse.ArgumentParser) -> None:
    """What every import takes: --skip-bad, --dry-run, --json, and --as USER."""
    p.add_argument("--skip-bad", action="store_true",
                   help=_("import the good rows even if some rows are bad"))
    p.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    add_actor(p)


def add_actor(p: argparse.ArgumentParser, help_text: str = "") -> None:
    """The --as USER every command that changes the shop takes."""
    p.add_argument("--as", dest="actor", required=True, metavar="USER",
                   help=help_text or _("who makes the change (asks for the PIN or password)"))


def acting_user(username: str) -> SessionUser:
    """The user named by --as, after their PIN or password (read from stdin when piped)."""
    secret = (getpass.getpass(_("PIN or password for {user}: ").format(user=username))
              if sys.stdin.isatty() else sys.stdin.readline().strip())
    return auth.authenticate(username, secret)


def parse_date(text: str | None, flag: str, default: dt.date | None = None) -> dt.date:
    if not text:
        if default is None:
            raise ValidationError(_("{flag}: give a date (YYYY-MM-DD)").format(flag=flag),
                                  field=flag, value="")
        return default
    return dates.parse_day(text, field=flag)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *,
                right: Iterable[int] = ()) -> None:
    """Rows under a header line, columns aligned by display width (a Chinese character takes
    two cells), numbers right-aligned, never cut or wrapped: a wide table scrolls in `less -S`
    rather than losing a digit. Cells are plain text, so a name holding `[bold]` or a terminal
    escape prints as harmless characters."""
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold",
                  padding=(0, 1, 0, 0))
    aligned = set(right)
    for i, heading in enumerate(headers):
        table.add_column(heading, justify="right" if i in aligned else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(Text(printable(_cell(v))) for v in row))
    console = Console(file=sys.stdout, width=100_000, highlight=False, emoji=False,
                      force_terminal=False, soft_wrap=True)
    with console.capture() as captured:
        console.print(table)
    for line in captured.get().splitlines():
        print(line.rstrip())


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


