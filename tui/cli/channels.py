"""`zhanggui channels add|list|test|sync|remove`: online shops connected by their APIs (issue 17).
Credentials are read from files (`--app-secret-file`), never from the command line, where
`ps` and the shell's history would keep them."""

from __future__ import annotations

import argparse
import datetime as dt

from store.channels import links, syncing, top, tracking
from store.common import clock
from store.core import files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _

from .common import acting_user, add_actor, open_db, parse_date, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("channels", help=_("online shops connected by their APIs"))
    csub = c.add_subparsers(dest="channels_command", metavar=_("COMMAND"), required=True)
    add = csub.add_parser("add", help=_("connect Taobao or Tmall (open platform) or Shopify "
                                        "(Admin API)"))
    add.add_argument("kind", help=_("taobao, tmall, shopify, kuaidi100 or a courier "
                                    "plug-in's name"))
    add.add_argument("--name", default="", help=_("the channel's name on orders (default: "
                                                  "the kind)"))
    add.add_argument("--app-key", metavar="KEY", help=_("Taobao/Tmall: the app key"))
    add.add_argument("--app-secret-file", metavar="FILE",
                     help=_("Taobao/Tmall: a file holding the app secret"))
    add.add_argument("--session-file", metavar="FILE",
                     help=_("Taobao/Tmall: a file holding the seller's session key (授权)"))
    add.add_argument("--shop", metavar="NAME.myshopify.com", help=_("Shopify: the shop"))
    add.add_argument("--token-file", metavar="FILE",
                     help=_("Shopify: a file holding the Admin API access token"))
    add.add_argument("--customer", metavar="ID", help=_("快递100: the customer id (公司编号)"))
    add.add_argument("--key-file", metavar="FILE", help=_("快递100: a file holding the key"))
    add.add_argument("--secret", action="append", default=[], metavar="NAME=FILE",
                     help=_("a courier plug-in's credential, read from FILE (repeatable)"))
    add.add_argument("--url", default="", help=_("the API's address (default: the "
                                                 "platform's own)"))
    add.add_argument("--warehouse", default="STORE", help=_("the stock the orders take from"))
    add_actor(add)
    add.set_defaults(func=cmd_add)
    ls = csub.add_parser("list", help=_("connected channels and how their last sync went"))
    ls.add_argument("--all", action="store_true", help=_("removed ones too"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    sy = csub.add_parser("sync", help=_("fetch the orders changed since the last sync"))
    sy.add_argument("name", nargs="?", default="", help=_("one channel (default: all)"))
    sy.add_argument("--since", metavar="YYYY-MM-DD",
                    help=_("a channel's first sync: from this day (default: the last 24 "
                           "hours); later syncs go on from where the last one stopped"))
    sy.add_argument("--json", action="store_true", help=_("print JSON"))
    add_actor(sy)
    sy.set_defaults(func=cmd_sync)
    ts = csub.add_parser("test", help=_("ask the channel once: are the key and session good?"))
    ts.add_argument("name")
    ts.set_defaults(func=cmd_test)
    rm = csub.add_parser("remove", help=_("disconnect a channel (its orders stay)"))
    rm.add_argument("name")
    add_actor(rm)
    rm.set_defaults(func=cmd_remove)


def _secret(path: str, flag: str) -> str:
    """A credential from a file: a small regular file (never /dev/zero read forever), its
    value on one line."""
    value = files.read_small_text(path, field=flag, limit=4096).strip()
    if not value or "\n" in value:
        raise ValidationError(_("{flag}: {file} must hold the value on one line").format(
            flag=flag, file=path), field=flag, value=path)
    return value


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if args.kind == "shopify":
        if not args.shop or not args.token_file:
            raise ValidationError(_("shopify needs --shop and --token-file"), field="shop",
                                  value="")
        secrets = {"token": _secret(args.token_file, "--token-file")}
    elif args.kind == "kuaidi100":
        if not args.customer or not args.key_file:
            raise ValidationError(_("kuaidi100 needs --customer and --key-file"),
                                  field="customer", value="")
        secrets = {"customer": args.customer, "key": _secret(args.key_file, "--key-file")}
    elif args.kind not in ("taobao", "tmall"):  # a courier plug-in: its credentials by name
        secrets = {}
        for given in args.secret:
            name, _eq, path = given.partition("=")
            if not name or not path:
                raise ValidationError(_("--secret: '{value}' is not NAME=FILE").format(
                    value=given[:40]), field="secret", value=given[:40])
            secrets[name.strip()] = _secret(path, f"--secret {name}")
    else:
        if not args.app_key or not args.app_secret_file or not args.session_file:
            raise ValidationError(_("{kind} needs --app-key, --app-secret-file and "
                                    "--session-file").format(kind=args.kind), field="app_key",
                                  value="")
        secrets = {"app_key": args.app_key,
                   "app_secret": _secret(args.app_secret_file, "--app-secret-file"),
                   "session": _secret(args.session_file, "--session-file")}
    url = args.url or syncing.default_url(args.kind, args.shop or "")
    v = links.add_link(acting_user(args.actor), args.kind, name=args.name, url=url,
                       secrets=secrets, warehouse=args.warehouse)
    if tracking.is_courier(v.kind):
        print(_("{name} connected ({kind}, {url}): shipped orders are followed until "
                "delivered").format(name=v.name, kind=v.kind, url=v.url))
    else:
        print(_("{name} connected ({kind}, {url}); its orders take stock from {warehouse}")
              .format(name=v.name, kind=v.kind, url=v.url, warehouse=v.warehouse))
    return 0


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = links.links(all_=args.all)
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    print_table([_("Name"), _("Kind"), _("Status"), _("Last sync"), _("Next from"),
                 _("Message")],
                [(r.name, r.kind, _(links.STATUSES.get(r.status, r.status)) if r.active
                  else _("removed"),
                  f"{r.synced_at:%Y-%m-%d %H:%M}" if r.synced_at else "", r.cursor[:19],
                  r.message) for r in rows])
    return 0


def cmd_sync(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    actor = acting_user(args.actor)
    chosen = [links.get(args.name)] if args.name else [
        links.get(v.name) for v in links.links() if not tracking.is_courier(v.kind)]
    since = None
    if args.since:
        day = parse_date(args.since, "--since")
        since = dt.datetime.combine(day, dt.time(), tzinfo=clock.shop_zone())
    failed = 0
    results: list[dict[str, object]] = []
    for link in chosen:
        try:
            report = syncing.sync(actor, link, since=since)
        except top.TopError as err:
            failed += 1
            print(_("{name}: {message}").format(name=link.name, message=err))
            results.append({"channel": link.name, "error": str(err)})
            continue
        results.append({"channel": link.name, "created": report.created,
                        "updated": report.updated, "unchanged": report.unchanged,
                        "rejected": report.rejected, "shipments_told": report.told,
                        "shipments_not_told": report.not_told,
                        "stock_pushed": report.pushed, "stock_not_pushed": report.not_pushed})
        if not args.json:
            print(_("{name}: {created} new, {updated} changed, {unchanged} unchanged, "
                    "{rejected} refused").format(name=link.name, created=report.created,
                                                 updated=report.updated,
                                                 unchanged=report.unchanged,
                                                 rejected=len(report.rejected)))
            for _row, why in report.rejected:
                print("  " + why)
            if report.told or report.not_told:
                print("  " + _("{told} shipment(s) told to the channel, {failed} to try "
                               "again").format(told=report.told, failed=len(report.not_told)))
            for number, why in report.not_told:
                print("  " + _("{number}: {message}").format(number=number, message=why))
            if report.pushed or report.not_pushed:
                print("  " + _("{pushed} stock level(s) sent to the channel, {failed} to try "
                               "again").format(pushed=report.pushed,
                                               failed=len(report.not_pushed)))
            for listing, why in report.not_pushed:
                print("  " + _("{number}: {message}").format(number=listing, message=why))
    if args.json:
        print_json(results)
    return 1 if failed else 0


def cmd_test(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    link = links.get(args.name)
    try:
        said = syncing.check(link)
    except top.TopError as err:
        print(_("{name}: {message}").format(name=link.name, message=err))
        return 1
    print(_("{name}: the credentials work ({said})").format(name=link.name, said=said))
    return 0


def cmd_remove(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = links.remove_link(acting_user(args.actor), args.name)
    print(_("{name} disconnected; its orders stay").format(name=v.name))
    return 0
