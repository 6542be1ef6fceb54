"""What the command groups share: the configuration, JSON output, asking for a secret, opening
the database, the acting user (--as) and dates."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from decimal import Decimal
from typing import Any

from store import bootstrap
from store.core import config
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
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


def ask_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("Again: ")) != first:
            raise ValidationError(_("The two entries differ"), field="pin", value="****")
        return first
    return sys.stdin.readline().strip()


def open_db(cfg: Config) -> None:
    bootstrap.open_store(cfg.db_url)


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
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("{flag}: '{value}' is not YYYY-MM-DD").format(
            flag=flag, value=text), field=flag, value=text) from exc
