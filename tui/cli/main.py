"""The `zhanggui` command: argument parsing, language, and errors as messages (never tracebacks)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from store.core import config, i18n, reader
from store.core.errors import StoreError
from store.core.i18n import _
from store.core.text import printable

from . import (
    audit,
    backup,
    cards,
    catalog,
    channels,
    customers,
    devices,
    fapiao,
    imports,
    jobs,
    lots,
    master,
    orders,
    points,
    products,
    promotions,
    purchasing,
    receivables,
    reports,
    sales,
    shop,
    shops,
    stock,
    sync,
    users,
    variants,
    vouchers,
)
from .common import load_config, whole_number
from .import_report import print_bad_rows

log = logging.getLogger("zhanggui")


def _translate_argparse() -> None:
    # argparse looks up its own gettext `_` at call time; pointing it at our catalog puts its
    # "usage:", "options" and error texts in the user's language too.
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def _early_language(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _add_global_options(p: argparse.ArgumentParser, default: object = None) -> None:
    p.add_argument("--db", metavar="URL", default=default,
                   help=_("database URL (sqlite:///PATH or postgresql://USER@HOST:PORT/DB); "
                          "beats the config file and ZHANGGUI_DB"))
    p.add_argument("--config", metavar="FILE", default=default,
                   help=_("configuration file (zhanggui.toml)"))
    p.add_argument("--lang", metavar="LANG", default=default,
                   help=_("interface language: zh_CN or en"))


def _global_options_everywhere(p: argparse.ArgumentParser) -> None:
    """`zhanggui demo --lang en` as well as `zhanggui --lang en demo`: every subcommand takes
    the global options too. Their default there is SUPPRESS, so one given before the command
    is not reset by the subcommand's parser."""
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _add_global_options(child, argparse.SUPPRESS)
                _global_options_everywhere(child)


def _bounded_numbers(p: argparse.ArgumentParser) -> None:
    """Every whole-number argument (`--limit`, `--days`, an entry number) within what the
    database can hold: 99999999999999999999 is a usage error, not an overflow deep inside."""
    for action in p._actions:
        if action.type is int:
            action.type = whole_number
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _bounded_numbers(child)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="zhanggui", description=_("Zhanggui (掌柜): point of sale and back office for shops."))
    _add_global_options(p)
    sub = p.add_subparsers(dest="command", metavar=_("COMMAND"))

    # Each command group adds its own subcommands; the order is the order of --help.
    shop.add_parsers(sub)
    users.add_parsers(sub)
    products.add_parsers(sub)
    variants.add_parser(sub)
    vouchers.add_parser(sub)
    cards.add_parser(sub)
    points.add_parser(sub)
    lots.add_parser(sub)
    catalog.add_parsers(sub)
    devices.add_parser(sub)
    sales.add_parser(sub)
    audit.add_parsers(sub)
    customers.add_parsers(sub)
    stock.add_parsers(sub)
    stock.add_warehouse_parsers(sub)
    purchasing.add_parsers(sub)
    receivables.add_parsers(sub)
    orders.add_parsers(sub)
    channels.add_parsers(sub)
    jobs.add_parsers(sub)
    shops.add_parsers(sub)
    sync.add_parsers(sub)
    fapiao.add_parsers(sub)
    imports.add_parsers(sub)
    master.add_parsers(sub)
    promotions.add_parsers(sub)
    reports.add_parsers(sub)
    backup.add_parsers(sub)
    shop.add_config_parsers(sub)
    _global_options_everywhere(p)
    _bounded_numbers(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(i18n.detect_language(_early_language(args_list)))
    _translate_argparse()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        args.func = shop.cmd_run
    try:
        cfg = load_config(args)
        i18n.set_language(i18n.detect_language(args.lang, cfg.ui.language))
        if args.command not in ("demo", "init") and config.uses_demo_by_default(cfg):
            print(_("Using the demo shop ({url}): no database is configured and 'zhanggui "
                    "init' has not made one").format(url=cfg.db_url), file=sys.stderr)
        code = int(args.func(args, cfg) or 0)
        stale = reader.note()  # a report read from a lagging replica, or past a silent one
        if stale:
            print(stale, file=sys.stderr)
        return code
    except StoreError as err:
        # A message may quote what the user typed: shown without any control character in it
        print(printable(_("error: {message}").format(message=err)), file=sys.stderr)
        report = getattr(err, "report", None)
        if report is not None:
            print_bad_rows(report)
        return 1
    except BrokenPipeError:
        # `zhanggui products list | head`: the reader left; end quietly as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        log.debug("unexpected error", exc_info=True)
        print(printable(_("error: unexpected {kind}: {message}").format(
            kind=type(exc).__name__, message=exc)), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
