"""What each `zhanggui` subcommand does: thin calls into the store, printed for people or JSON."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from store import accounts, auth, bootstrap, config, schema, search
from store.auth import SessionUser
from store.config import Config
from store.demo import DEFAULT_PRODUCTS
from store.demo_history import DEFAULT_DAYS
from store.errors import ValidationError
from store.i18n import _
from store.importers import products as product_io
from store.money import format_qty


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


def _ask_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("Again: ")) != first:
            raise ValidationError(_("The two entries differ"), field="pin", value="****")
        return first
    return sys.stdin.readline().strip()


def _open(cfg: Config) -> None:
    bootstrap.open_store(cfg.db_url)


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty() or total >= 100000:
        text = (_("Building the demo shop: {done}/{total} products") if stage == "products"
                else _("Building the demo shop's past: day {done} of {total}"))
        print("\r" + text.format(done=done, total=total), end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)


def _launch(cfg: Config) -> int:
    from .app import ZhangguiApp  # Textual is imported only when the app opens

    ZhangguiApp(cfg).run()
    return 0


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    from store.setup import is_set_up

    if not is_set_up():
        print(_("This database has no shop yet: run 'zhanggui init' (or 'zhanggui demo')."),
              file=sys.stderr)
        return 1
    return _launch(cfg)


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
    from .cli_devices import simulated_printer, simulated_scanner

    with simulated_printer(config.data_dir() / "receipts.txt") as (url, path), \
            simulated_scanner(config.data_dir() / "scans.txt") as (scanner_url, feed):
        cfg.printer.url = url
        cfg.scanner.url = scanner_url
        print(_("Simulated printer at {url}; receipts are appended to {path}").format(
            url=url, path=path), file=sys.stderr)
        print(_("Simulated serial scanner at {url}; to scan, append a code to {path}: "
                "echo 6910000000006 >> {path}").format(url=scanner_url, path=feed),
              file=sys.stderr)
        return _launch(cfg)


def cmd_init(args: argparse.Namespace, cfg: Config) -> int:
    from store.setup import is_set_up, setup_shop

    if args.demo:
        cfg = _demo_config(args, cfg)
        built = bootstrap.ensure_demo(cfg.db_url, products=args.products or DEFAULT_PRODUCTS,
                                      reset=args.reset, progress=_progress,
                                      history_days=_history_days(args))
        print(_("Demo shop ready in {url}").format(url=cfg.db_url) if built else
              _("The demo shop already exists in {url} (use --reset to rebuild it)").format(
                  url=cfg.db_url))
        return 0
    if args.reset:
        bootstrap.reset_database(cfg.db_url)
    bootstrap.open_store(cfg.db_url, upgrade=True)
    if is_set_up():
        print(_("The database {url} already has a shop.").format(url=cfg.db_url))
        return 0
    if not args.shop_name or not args.owner:
        raise ValidationError(_("init: give --shop-name and --owner (or --demo)"),
                              field="shop-name", value=None)
    pin = args.pin if args.pin is not None else _ask_secret(_("Owner's PIN: "))
    setup_shop(args.shop_name, owner=args.owner, owner_pin=pin)
    print(_("Shop '{name}' created in {url}; log in as {owner}.").format(
        name=args.shop_name, url=cfg.db_url, owner=args.owner))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import connect

    connect(cfg.db_url)
    applied = schema.upgrade()
    if applied:
        for name in applied:
            print(_("applied {name}").format(name=name))
    else:
        print(_("The database is up to date ({head}).").format(head=schema.head()))
    return 0


def cmd_db_status(args: argparse.Namespace, cfg: Config) -> int:
    from store.db import connect

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


def cmd_user_add(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    pin = args.pin
    actor = _actor(args.actor)
    if pin is None and args.password is None:
        pin = _ask_secret(_("PIN for {user}: ").format(user=args.username))
    user = accounts.add_user(actor, args.username, args.role, pin=pin, password=args.password,
                             display_name=args.name or "")
    print(_("Added {user} ({role}).").format(user=user.username, role=user.role_label))
    return 0


def cmd_user_list(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    users = auth.list_users()
    if args.json:
        print_json([dataclasses.asdict(u) for u in users])
        return 0
    for u in users:
        print(f"{u.username:16} {u.role_label:12} {u.display_name}")
    return 0


def _actor(username: str) -> SessionUser:
    """The user named by --as, after their PIN or password (read from stdin when piped)."""
    secret = (getpass.getpass(_("PIN or password for {user}: ").format(user=username))
              if sys.stdin.isatty() else sys.stdin.readline().strip())
    return auth.authenticate(username, secret)


def cmd_user_unlock(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    accounts.unlock(_actor(args.actor), args.username)
    print(_("{user} is unlocked.").format(user=args.username))
    return 0


def cmd_user_set_pin(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    actor = _actor(args.actor or args.username)
    pin = args.pin if args.pin is not None else _ask_secret(
        _("PIN for {user}: ").format(user=args.username))
    accounts.change_secret(actor, args.username, pin=pin)
    print(_("PIN changed for {user}.").format(user=args.username))
    return 0


def cmd_products_import(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    report = product_io.import_products(Path(args.file), skip_bad=args.skip_bad,
                                        dry_run=args.dry_run)
    if args.json:
        print_json(dataclasses.asdict(report))
    else:
        for e in report.errors:
            print(_("line {line}: {message}").format(line=e.line, message=e.message),
                  file=sys.stderr)
        msg = _("{created} created, {updated} updated, {skipped} skipped ({encoding})").format(
            created=report.created, updated=report.updated, skipped=report.skipped,
            encoding=report.encoding)
        print(_("Dry run, nothing written: {summary}").format(summary=msg) if args.dry_run
              else msg)
    return 0


def cmd_products_export(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    encoding = "utf-8-sig" if args.encoding == "utf-8" else "gb18030"
    count = product_io.export_products(Path(args.file), encoding=encoding)
    print(_("Exported {count} products to {file}").format(count=count, file=args.file))
    return 0


def cmd_products_list(args: argparse.Namespace, cfg: Config) -> int:
    _open(cfg)
    if args.limit <= 0:
        raise ValidationError(_("--limit: must be a positive number"), field="limit",
                              value=args.limit)
    hits = search.search(args.search, args.limit) if args.search else search.first_products(args.limit)
    if args.json:
        print_json([{**dataclasses.asdict(h), "barcodes": [
            {"code": c, "pack_qty": q} for c, q in search.barcodes_of(h.id)]} for h in hits])
        return 0
    for h in hits:
        print(f"{h.sku:10} {h.price:>9} {h.unit:4} {h.name}"
              + (f"  ×{format_qty(h.pack_qty)}" if h.pack_qty != 1 else ""))
    if not hits:
        print(_("No products found."), file=sys.stderr)
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
