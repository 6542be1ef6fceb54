"""`zhanggui backup [DEST]` and `zhanggui restore SRC --to URL`: one-file backups (encrypted on
request) made while the tills keep selling, and restores that prove themselves."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from store.assurance import backup
from store.core import config, files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _

from .common import open_db

PASSPHRASE_ENV = "ZHANGGUI_BACKUP_PASSPHRASE"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = sub.add_parser("backup", help=_("back up the database to one file, while it is in use"))
    b.add_argument("dest", nargs="?", metavar="DEST",
                   help=_("a file or a directory (default: backups/ in the data directory)"))
    b.add_argument("--encrypt", action="store_true",
                   help=_("encrypt it with a passphrase (asked for, or from --passphrase-file "
                          "or ZHANGGUI_BACKUP_PASSPHRASE)"))
    b.add_argument("--passphrase-file", metavar="FILE", help=_("read the passphrase from FILE"))
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help=_("restore a backup into a new database and verify it"))
    r.add_argument("src", metavar="SRC")
    r.add_argument("--to", required=True, metavar="URL",
                   help=_("the new database: sqlite:///new.db or postgresql://…/newdb"))
    r.add_argument("--passphrase-file", metavar="FILE", help=_("read the passphrase from FILE"))
    r.set_defaults(func=cmd_restore)


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_file:
        return files.read_small_text(args.passphrase_file, field="--passphrase-file").strip()
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass(_("Backup passphrase: "))
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise ValidationError(_("The two entries differ"), field="passphrase", value="****")
    return first


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{stage} {done * 100 // total:3d}%", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)


def cmd_backup(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    dest = Path(args.dest) if args.dest else config.data_dir() / "backups"
    if not args.dest:
        dest.mkdir(parents=True, exist_ok=True)
    passphrase = _passphrase(args, confirm=True) if args.encrypt else None
    info = backup.backup(cfg.db_url, dest, passphrase=passphrase, progress=_progress)
    print(_("Backed up {rows} rows of {tables} tables to {path} ({size:,} bytes{encrypted})")
          .format(rows=sum(info.rows.values()), tables=len(info.rows), path=info.path,
                  size=info.size, encrypted=_(", encrypted") if info.encrypted else ""))
    return 0


def cmd_restore(args: argparse.Namespace, cfg: Config) -> int:
    src = backup.backup_file(Path(args.src))
    passphrase = _passphrase(args, confirm=False) if backup.is_encrypted(src) else None
    report = backup.restore(src, args.to, passphrase=passphrase, progress=_progress)
    if not report.ok:
        for problem in report.problems:
            print(_("problem: {problem}").format(problem=problem), file=sys.stderr)
        print(_("Restored to {url}, but it does not verify.").format(url=report.url),
              file=sys.stderr)
        return 1
    print(_("Restored to {url} and verified: {rows} rows, the audit chain and every sale")
          .format(url=report.url, rows=sum(report.rows.values())))
    return 0
