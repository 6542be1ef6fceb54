"""`zhanggui run|demo|init|db|config`: opening the app, making the demo or a new shop, migrations and
the configuration in effect."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from store import bootstrap
from store.core import config, schema
from store.core.config import Config
from store.core.errors import DatabaseUnavailable, ValidationError
from store.core.i18n import _
from store.demo.history import DEFAULT_DAYS
from store.demo.shop import DEFAULT_PRODUCTS
from store.offline import till as offline
from store.offline.local_copy import LocalCopy

from .common import ask_secret, open_db, print_json


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """run, demo, init and db: opening the app and making or upgrading a database"""
    run = sub.add_parser("run", help=_("open the app (the default)"))
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help=_("open the app on the demo shop, building it if needed"))
    demo.add_argument("--products", type=int, default=None, metavar="N",
                      help=_("number of demo products (default 3000)"))
    demo.add_argument("--reset", action="store_true", help=_("rebuild the demo database"))
    demo.add_argument("--days", type=int, default=None, metavar="N",
                      help=_("days of past sales, purchases and bills to make (default 60)"))
    demo.add_argument("--simulate", action="store_true",
                      help=_("simulated printer, scanner and web shop: receipts appear in "
                             "receipts.txt in the data directory; lines added to scans.txt are "
                             "scanned; Taobao orders arrive by themselves"))
    demo.set_defaults(func=cmd_demo)

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
    init.set_defaults(func=cmd_init)

    db = sub.add_parser("db", help=_("database migrations"))
    dbsub = db.add_subparsers(dest="db_command", metavar=_("COMMAND"), required=True)
    up = dbsub.add_parser("upgrade", help=_("apply pending migrations"))
    up.set_defaults(func=cmd_db_upgrade)
    st = dbsub.add_parser("status", help=_("list applied and pending migrations"))
    st.add_argument("--json", action="store_true", help=_("print JSON"))
    st.set_defaults(func=cmd_db_status)


def add_config_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """config example|show (listed last in --help)"""
    cfg = sub.add_parser("config", help=_("configuration"))
    csub = cfg.add_subparsers(dest="config_command", metavar=_("COMMAND"), required=True)
    ce = csub.add_parser("example", help=_("print a complete example zhanggui.toml"))
    ce.set_defaults(func=cmd_config_example)
    cs = csub.add_parser("show", help=_("show the configuration in effect"))
    cs.add_argument("--json", action="store_true", help=_("print JSON"))
    cs.set_defaults(func=cmd_config_show)


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty() or total >= 100000:
        text = (_("Building the demo shop: {done}/{total} products") if stage == "products"
                else _("Building the demo shop's past: day {done} of {total}"))
        print("\r" + text.format(done=done, total=total), end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)


def _launch(cfg: Config, offline_reason: str = "") -> int:
    from ..app import ZhangguiApp  # Textual is imported only when the app opens

    ZhangguiApp(cfg, offline_reason=offline_reason).run()
    return 0


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        open_db(cfg)
    except DatabaseUnavailable as err:
        # A till that restarts while the server is away starts from its local copy.
        if not offline.wanted(cfg.till.offline, cfg.db_url):
            raise
        path = offline.copy_file(offline.folder(cfg.db_url), cfg.terminal.code)
        if not path.exists() or not LocalCopy(path, cfg.terminal.code).ready():
            raise
        print(_("{reason}: the till starts offline from its local copy").format(reason=err),
              file=sys.stderr)
        return _launch(cfg, offline_reason=str(err))
    from store.shops.setup import is_set_up

    if not is_set_up() and not sys.stdin.isatty():
        print(_("This database has no shop yet: run 'zhanggui init' (or 'zhanggui demo')."),
              file=sys.stderr)
        return 1
    return _launch(cfg)  # on a terminal, an empty database opens the first-run set-up


def _demo_config(args: argparse.Namespace, cfg: Config) -> Config:
    if not args.db and not cfg.database.url:
        cfg.database.url = config.demo_db_url()
    return cfg


def _history_days(args: argparse.Namespace) -> int:
    days = DEFAULT_DAYS if args.days is None else args.days
    if not 0 <= days <= 730:
        raise ValidationError(_("--days: '{value}' must be 0 to 730").format(value=days),
                              field="days", value=days)
    return days


def cmd_demo(args: argparse.Namespace, cfg: Config) -> int:
    cfg = _demo_config(args, cfg)
    built = bootstrap.ensure_demo(cfg.db_url, products=args.products or DEFAULT_PRODUCTS,
                                  reset=args.reset, progress=_progress,
                                  history_days=_history_days(args))
    if built:
        print(_("Demo shop ready in {url}").format(url=cfg.db_url), file=sys.stderr)
    if not args.simulate:
        return _launch(cfg)
    from .devices import simulated_printer, simulated_scale, simulated_scanner
    from .online_sim import web_shop

    open_db(cfg)
    with simulated_printer(config.data_dir() / "receipts.txt") as (url, path), \
            simulated_scanner(config.data_dir() / "scans.txt") as (scanner_url, feed), \
            simulated_scale(config.data_dir() / "weight.txt") as scale_url, \
            web_shop(cfg.db_url, config.data_dir() / "backups") as top_url:
        cfg.printer.url = url
        cfg.scanner.url = scanner_url
        cfg.scale.url = scale_url
        print(_("Simulated printer at {url}; receipts are appended to {path}").format(
            url=url, path=path), file=sys.stderr)
        print(_("Simulated serial scanner at {url}; to scan, append a code to {path}: "
                "echo 6910000000006 >> {path}").format(url=scanner_url, path=feed),
              file=sys.stderr)
        print(_("Simulated scale at {url}; to weigh, write kilograms to {path}: "
                "echo 0.735 > {path}").format(url=scale_url,
                                              path=config.data_dir() / "weight.txt"),
              file=sys.stderr)
        print(_("Simulated Taobao at {url}: a buyer orders every 20 seconds; the shop fetches "
                "each minute what changed until two minutes ago (Back office → Sales orders; "
                "Set-up → Scheduled jobs)").format(
                    url=top_url), file=sys.stderr)
        return _launch(cfg)


def cmd_init(args: argparse.Namespace, cfg: Config) -> int:
    from store.shops.setup import is_set_up, setup_shop

    if args.demo:
        cfg = _demo_config(args, cfg)
        built = bootstrap.ensure_demo(cfg.db_url, products=args.products or DEFAULT_PRODUCTS,
                                      reset=args.reset, progress=_progress,
                                      history_days=_history_days(args))
        print(_("Demo shop ready in {url}").format(url=cfg.db_url) if built else
              _("The demo shop already exists in {url} (use --reset to rebuild it)").format(
                  url=cfg.db_url))
        return 0
    if not cfg.database.url:  # the shop's own database, never the demo's
        cfg.database.url = config.own_db_url()
    if args.reset:
        bootstrap.reset_database(cfg.db_url)
    bootstrap.open_store(cfg.db_url, upgrade=True)
    if is_set_up():
        print(_("The database {url} already has a shop.").format(url=cfg.db_url))
        return 0
    if not args.shop_name and not args.owner and sys.stdin.isatty():
        return _launch(cfg)  # the first-run set-up, in the app
    if not args.shop_name or not args.owner:
        raise ValidationError(_("init: give --shop-name and --owner (or --demo)"),
                              field="shop-name", value=None)
    pin = args.pin if args.pin is not None else ask_secret(_("Owner's PIN: "))
    setup_shop(args.shop_name, owner=args.owner, owner_pin=pin)
    print(_("Shop '{name}' created in {url}; log in as {owner}.").format(
        name=args.shop_name, url=cfg.db_url, owner=args.owner))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, cfg: Config) -> int:
    from store.core.db import connect

    connect(cfg.db_url)
    applied = schema.upgrade()
    if applied:
        for name in applied:
            print(_("applied {name}").format(name=name))
    else:
        print(_("The database is up to date ({head}).").format(head=schema.head()))
    return 0


def cmd_db_status(args: argparse.Namespace, cfg: Config) -> int:
    from store.core.db import connect

    connect(cfg.db_url)
    rows = schema.status()
    if args.json:
        print_json([{"name": r.name, "applied_at": r.applied_at} for r in rows])
        return 0
    for r in rows:
        state = (_("applied {when}").format(when=r.applied_at.strftime("%Y-%m-%d %H:%M"))
                 if r.applied_at else _("pending"))
        print(f"{r.name:30} {state}")
    return 0


def cmd_config_example(args: argparse.Namespace, cfg: Config) -> int:
    print(config.EXAMPLE, end="")
    return 0


def cmd_config_show(args: argparse.Namespace, cfg: Config) -> int:
    data = dataclasses.asdict(cfg)
    data["database"]["url"] = cfg.db_url
    if args.json:
        print_json(data)
        return 0
    print(_("# from {source}").format(source=cfg.source))
    for section, values in data.items():
        if isinstance(values, dict):
            print(f"[{section}]")
            for k, v in values.items():
                print(f"{k} = {json.dumps(v, ensure_ascii=False)}")
    return 0
