"""The `zhanggui` command: argument parsing, language, and errors as messages (never tracebacks)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from store import i18n
from store.errors import StoreError
from store.i18n import _

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


def build_parser() -> argparse.ArgumentParser:
    from . import cli_commands as c

    p = argparse.ArgumentParser(
        prog="zhanggui", description=_("Zhanggui (掌柜): point of sale and back office for shops."))
    p.add_argument("--db", metavar="URL",
                   help=_("database URL (sqlite:///PATH or postgresql://USER@HOST:PORT/DB); "
                          "beats the config file and ZHANGGUI_DB"))
    p.add_argument("--config", metavar="FILE", help=_("configuration file (zhanggui.toml)"))
    p.add_argument("--lang", metavar="LANG", help=_("interface language: zh_CN or en"))
    sub = p.add_subparsers(dest="command", metavar=_("COMMAND"))

    run = sub.add_parser("run", help=_("open the app (the default)"))
    run.set_defaults(func=c.cmd_run)

    demo = sub.add_parser("demo", help=_("open the app on the demo shop, building it if needed"))
    demo.add_argument("--products", type=int, default=None, metavar="N",
                      help=_("number of demo products (default 3000)"))
    demo.add_argument("--reset", action="store_true", help=_("rebuild the demo database"))
    demo.add_argument("--days", type=int, default=None, metavar="N",
                      help=_("days of past sales, purchases and bills to make (default 60)"))
    demo.add_argument("--simulate", action="store_true",
                      help=_("simulated printer and scanner: receipts appear in receipts.txt "
                             "in the data directory; lines added to scans.txt are scanned"))
    demo.set_defaults(func=c.cmd_demo)

    init = sub.add_parser("init", help=_("create a new shop database"))
    init.add_argument("--demo", action="store_true", help=_("fill it with the demo shop"))
    init.add_argument("--products", type=int, default=None, metavar="N",
                      help=_("number of demo products (default 3000)"))
    init.add_argument("--reset", action="store_true", help=_("delete the database first"))
    init.add_argument("--days", type=int, default=None, metavar="N",
                      help=_("days of past sales, purchases and bills to make (default 60)"))
    init.add_argument("--shop-name", default="", metavar="NAME", help=_("the shop's name"))
    init.add_argument("--owner", default="", metavar="USER", help=_("the owner's user name"))
    init.add_argument("--pin", default=None, metavar="PIN",
                      help=_("the owner's PIN (asked for when omitted)"))
    init.set_defaults(func=c.cmd_init)

    db = sub.add_parser("db", help=_("database migrations"))
    dbsub = db.add_subparsers(dest="db_command", metavar=_("COMMAND"), required=True)
    up = dbsub.add_parser("upgrade", help=_("apply pending migrations"))
    up.set_defaults(func=c.cmd_db_upgrade)
    st = dbsub.add_parser("status", help=_("list applied and pending migrations"))
    st.add_argument("--json", action="store_true", help=_("print JSON"))
    st.set_defaults(func=c.cmd_db_status)

    user = sub.add_parser("user", help=_("users and their PINs"))
    usub = user.add_subparsers(dest="user_command", metavar=_("COMMAND"), required=True)
    ua = usub.add_parser("add", help=_("add a user"))
    ua.add_argument("username")
    ua.add_argument("--role", required=True,
                    help=_("cashier, supervisor, warehouse, accountant or owner"))
    ua.add_argument("--name", default="", help=_("display name"))
    ua.add_argument("--pin", default=None, help=_("PIN (asked for when omitted)"))
    ua.add_argument("--password", default=None,
                    help=_("a password as well as or instead of a PIN"))
    ua.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("who adds the user (asks for the PIN or password)"))
    ua.set_defaults(func=c.cmd_user_add)
    ul = usub.add_parser("list", help=_("list users"))
    ul.add_argument("--json", action="store_true", help=_("print JSON"))
    ul.set_defaults(func=c.cmd_user_list)
    us = usub.add_parser("set-pin", help=_("set a user's PIN"))
    us.add_argument("username")
    us.add_argument("pin", nargs="?", default=None, help=_("PIN (asked for when omitted)"))
    us.add_argument("--as", dest="actor", default=None, metavar="USER",
                    help=_("who changes it (default: the user themself; asks for the PIN)"))
    us.set_defaults(func=c.cmd_user_set_pin)
    uu = usub.add_parser("unlock", help=_("lift the lock that wrong PINs put on an account"))
    uu.add_argument("username")
    uu.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("the supervisor or owner unlocking it (asks for the PIN or password)"))
    uu.set_defaults(func=c.cmd_user_unlock)

    prod = sub.add_parser("products", help=_("the product catalog"))
    psub = prod.add_subparsers(dest="products_command", metavar=_("COMMAND"), required=True)
    pi = psub.add_parser("import", help=_("import products from a CSV file"))
    pi.add_argument("file")
    pi.add_argument("--skip-bad", action="store_true",
                    help=_("import the good rows even if some rows are bad"))
    pi.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    pi.add_argument("--json", action="store_true", help=_("print JSON"))
    pi.set_defaults(func=c.cmd_products_import)
    pe = psub.add_parser("export", help=_("export all products to a CSV file"))
    pe.add_argument("file")
    pe.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"],
                    help=_("file encoding (UTF-8 is written with a BOM for Excel)"))
    pe.set_defaults(func=c.cmd_products_export)
    pl = psub.add_parser("list", help=_("list or search products"))
    pl.add_argument("--search", default="", metavar="Q",
                    help=_("barcode, SKU, name or pinyin initials"))
    pl.add_argument("--limit", type=int, default=50, metavar="N", help=_("at most N products"))
    pl.add_argument("--json", action="store_true", help=_("print JSON"))
    pl.set_defaults(func=c.cmd_products_list)

    from . import (
        cli_audit,
        cli_backup,
        cli_customers,
        cli_devices,
        cli_orders,
        cli_promotions,
        cli_purchasing,
        cli_receivables,
        cli_reports,
        cli_sales,
        cli_stock,
    )

    cli_devices.add_parser(sub)
    cli_sales.add_parser(sub)
    cli_audit.add_parsers(sub)
    cli_customers.add_parsers(sub)
    cli_stock.add_parsers(sub)
    cli_stock.add_warehouse_parsers(sub)
    cli_purchasing.add_parsers(sub)
    cli_receivables.add_parsers(sub)
    cli_orders.add_parsers(sub)
    cli_promotions.add_parsers(sub)
    cli_reports.add_parsers(sub)
    cli_backup.add_parsers(sub)

    cfg = sub.add_parser("config", help=_("configuration"))
    csub = cfg.add_subparsers(dest="config_command", metavar=_("COMMAND"), required=True)
    ce = csub.add_parser("example", help=_("print a complete example zhanggui.toml"))
    ce.set_defaults(func=c.cmd_config_example)
    cs = csub.add_parser("show", help=_("show the configuration in effect"))
    cs.add_argument("--json", action="store_true", help=_("print JSON"))
    cs.set_defaults(func=c.cmd_config_show)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(i18n.detect_language(_early_language(args_list)))
    _translate_argparse()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        from . import cli_commands

        args.func = cli_commands.cmd_run
    try:
        from . import cli_commands

        cfg = cli_commands.load_config(args)
        i18n.set_language(i18n.detect_language(args.lang, cfg.ui.language))
        return int(args.func(args, cfg) or 0)
    except StoreError as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        report = getattr(err, "report", None)
        if report is not None:
            for e in report.errors:
                print("  " + _("line {line}: {message}").format(line=e.line, message=e.message),
                      file=sys.stderr)
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
        print(_("error: unexpected {kind}: {message}").format(kind=type(exc).__name__,
              message=exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
