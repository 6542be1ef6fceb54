"""`zhanggui user`: add users, list them, set a PIN, lift a lockout."""

from __future__ import annotations

import argparse
import dataclasses

from store.core.config import Config
from store.core.i18n import _
from store.security import accounts, auth
from store.security.auth import ROLE_LABELS
from store.shops import branches

from .common import acting_user, add_actor, ask_secret, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """user add|list|set|deactivate|activate|set-pin|unlock"""
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
    ua.set_defaults(func=cmd_user_add)
    ul = usub.add_parser("list", help=_("list users"))
    ul.add_argument("--all", action="store_true", help=_("deactivated users too"))
    ul.add_argument("--json", action="store_true", help=_("print JSON"))
    ul.set_defaults(func=cmd_user_list)
    us = usub.add_parser("set-pin", help=_("set a user's PIN"))
    us.add_argument("username")
    us.add_argument("pin", nargs="?", default=None, help=_("PIN (asked for when omitted)"))
    us.add_argument("--as", dest="actor", default=None, metavar="USER",
                    help=_("who changes it (default: the user themself; asks for the PIN)"))
    us.set_defaults(func=cmd_user_set_pin)
    ue = usub.add_parser("set", help=_("change a user's role or display name"))
    ue.add_argument("username")
    ue.add_argument("--role", help=_("cashier, supervisor, warehouse, accountant or owner"))
    ue.add_argument("--name", default=None, help=_("display name"))
    add_actor(ue)
    ue.set_defaults(func=cmd_user_set)
    for name, active, text in (("deactivate", False, _("stop a user logging in (their name "
                                                        "stays on the history)")),
                               ("activate", True, _("let a deactivated user log in again"))):
        ud = usub.add_parser(name, help=text)
        ud.add_argument("username")
        add_actor(ud)
        ud.set_defaults(func=cmd_user_active, active=active)
    sh = usub.add_parser("shops", help=_("the shops a user works for: sells, approves and "
                                         "sees reports there only (none named: all)"))
    sh.add_argument("username")
    sh.add_argument("shops", nargs="*", metavar="SHOP")
    add_actor(sh)
    sh.set_defaults(func=cmd_user_shops)
    uu = usub.add_parser("unlock", help=_("lift the lock that wrong PINs put on an account"))
    uu.add_argument("username")
    uu.add_argument("--as", dest="actor", required=True, metavar="USER",
                    help=_("the supervisor or owner unlocking it (asks for the PIN or password)"))
    uu.set_defaults(func=cmd_user_unlock)


def cmd_user_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    pin = args.pin
    actor = acting_user(args.actor)
    if pin is None and args.password is None:
        pin = ask_secret(_("PIN for {user}: ").format(user=args.username))
    user = accounts.add_user(actor, args.username, args.role, pin=pin, password=args.password,
                             display_name=args.name or "")
    print(_("Added {user} ({role}).").format(user=user.username, role=user.role_label))
    return 0


def cmd_user_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    if not args.all:
        users = auth.list_users()
        if args.json:
            print_json([dataclasses.asdict(u) for u in users])
            return 0
        print_table([_("User"), _("Role"), _("Name")],
                    [(u.username, u.role_label, u.display_name) for u in users])
        return 0
    rows = accounts.users()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("User"), _("Role"), _("Name"), _("Status")],
                [(r.username, _(ROLE_LABELS[r.role]), r.display_name, r.status)
                 for r in rows])
    return 0


def cmd_user_set(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    r = accounts.change_user(acting_user(args.actor), args.username, role=args.role,
                             display_name=args.name)
    print(_("{user}: {role}, {name}").format(user=r.username, role=_(ROLE_LABELS[r.role]),
                                             name=r.display_name or "-"))
    return 0


def cmd_user_active(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    r = accounts.set_active(acting_user(args.actor), args.username, args.active)
    print((_("{user} can log in again.") if r.active
           else _("{user} can no longer log in.")).format(user=r.username))
    return 0


def cmd_user_unlock(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    accounts.unlock(acting_user(args.actor), args.username)
    print(_("{user} is unlocked.").format(user=args.username))
    return 0


def cmd_user_set_pin(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    actor = acting_user(args.actor or args.username)
    pin = args.pin if args.pin is not None else ask_secret(
        _("PIN for {user}: ").format(user=args.username))
    accounts.change_secret(actor, args.username, pin=pin)
    print(_("PIN changed for {user}.").format(user=args.username))
    return 0


def cmd_user_shops(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    codes = branches.assign(acting_user(args.actor), args.username, args.shops)
    print(_("{user} works for {shops}").format(
        user=args.username, shops=", ".join(codes) if codes else _("every shop")))
    return 0
