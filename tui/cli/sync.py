"""`zhanggui sync status|run|reviews|seen`: an offline till's outbox and what it left for
people (issue 18.2, docs/OFFLINE.md)."""

from __future__ import annotations

import argparse
import sys

from store.core.config import Config
from store.core.errors import DatabaseUnavailable
from store.core.i18n import _
from store.offline import reviews, sync
from store.offline import till as offline
from store.offline.local_copy import LocalCopy
from store.offline.outbox import Outbox

from .common import acting_user, add_actor, open_db, print_json, print_table


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("sync", help=_("an offline till's outbox: what waits, what was refused, "
                                      "what to review"))
    ssub = s.add_subparsers(dest="sync_command", metavar=_("COMMAND"), required=True)
    st = ssub.add_parser("status", help=_("this till's outbox and local copy, and every "
                                          "till's last contact"))
    st.add_argument("--json", action="store_true", help=_("print JSON"))
    st.set_defaults(func=cmd_status)
    run = ssub.add_parser("run", help=_("send this till's outbox to the database now"))
    run.set_defaults(func=cmd_run)
    rv = ssub.add_parser("reviews", help=_("sales made offline that a manager should look at"))
    rv.add_argument("--json", action="store_true", help=_("print JSON"))
    rv.set_defaults(func=cmd_reviews)
    seen = ssub.add_parser("seen", help=_("mark a review as looked at"))
    seen.add_argument("id", type=int, metavar="ID")
    add_actor(seen)
    seen.set_defaults(func=cmd_seen)


def _files(cfg: Config) -> tuple[Outbox, LocalCopy | None]:
    folder = offline.folder(cfg.db_url)
    code = cfg.terminal.code
    copy_path = offline.copy_file(folder, code)
    copy = LocalCopy(copy_path, code) if copy_path.exists() else None
    return Outbox(offline.outbox_file(folder, code), code), copy


def cmd_status(args: argparse.Namespace, cfg: Config) -> int:
    box, copy = _files(cfg)  # the till's own files answer even when the database does not
    depth = box.depth()
    refreshed = copy.refreshed_at if copy is not None else None
    try:
        open_db(cfg)
        others: list[reviews.TillRow] | None = reviews.tills()
        to_review = reviews.count_open()
    except DatabaseUnavailable as err:
        others, to_review = None, None
        unreachable = str(err)
    if args.json:
        print_json({"terminal": cfg.terminal.code, "waiting": depth.waiting,
                    "held": [{"number": n, "made": t, "reason": r} for n, t, r in box.held()],
                    "oldest": depth.oldest,
                    "copy_refreshed": refreshed.isoformat() if refreshed else None,
                    "database": others is not None, "to_review": to_review,
                    "tills": [{"terminal": t.terminal, "synced_at": t.synced_at.isoformat(),
                               "waiting": t.waiting, "held": t.held, "silent": t.silent}
                              for t in others or []]})
        return 0
    print(_("Till {code}: to send {waiting}, refused {held}; local copy from {when}")
          .format(code=cfg.terminal.code, waiting=depth.waiting, held=depth.held,
                  when=refreshed.strftime("%Y-%m-%d %H:%M") if refreshed else _("never")))
    for number, made, reason in box.held():
        print(f"  {number} {made[:16]}: {reason}")
    if others is None:
        print(_("The database cannot be reached: {reason}").format(reason=unreachable))
        return 0
    print_table([_("Till"), _("Last contact (UTC)"), _("To send"), _("Refused"), _("Copy")],
                [(t.terminal, t.synced_at.strftime("%Y-%m-%d %H:%M")
                  + (" !" if t.silent else ""), str(t.waiting), str(t.held),
                  t.refreshed_at.strftime("%m-%d %H:%M") if t.refreshed_at else "-")
                 for t in others])
    if to_review:
        print(_("Sales made offline to review: {n} (zhanggui sync reviews)").format(n=to_review))
    return 0


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    box, _copy = _files(cfg)
    open_db(cfg)
    result = sync.drain(box)
    print(_("sent: {posted}, refused: {held}, still to send: {waiting}").format(
        posted=len(result.posted), held=len(result.held), waiting=result.waiting))
    for number, reason in result.held:
        print(f"  {number}: {reason}", file=sys.stderr)
    if result.error:
        print(_("Stopped: {reason}").format(reason=result.error), file=sys.stderr)
    return 1 if result.error or result.held else 0


def cmd_reviews(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = reviews.open_reviews()
    if args.json:
        print_json([{**r.__dict__, "sold_at": r.sold_at.isoformat()} for r in rows])
        return 0
    print_table([_("ID"), _("Receipt"), _("Till"), _("Sold (UTC)"), _("What")],
                [(str(r.id), r.number, r.terminal, r.sold_at.strftime("%m-%d %H:%M"), r.what)
                 for r in rows])
    return 0


def cmd_seen(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    reviews.mark_seen(acting_user(args.actor), args.id)
    print(_("Review {id} marked as looked at").format(id=args.id))
    return 0
