"""An outbox posted to the database (issue 18.2), oldest sale first, each through
`post_sale` by its UUID: a sale posted before whose answer was lost, or posted by another
sync at the same moment, is found, not doubled. A sale the database refuses (a damaged
outbox, a return) is held with the reason for a person and the rest go on; a database that
stops answering stops the sync, the rest wait for the next."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from store.core.db import DATABASE_FAULTS, unit_of_work
from store.core.errors import DatabaseUnavailable, StoreError, first_line
from store.models import Sale, TillSync
from store.models.base import utcnow
from store.security import audit, auth
from store.selling import sales, voids
from store.selling.sales import SaleView

from . import payload
from .outbox import Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    posted: list[str]  # receipt numbers now in the database
    held: list[tuple[str, str]]  # (number, reason) refused this time
    waiting: int  # still to post (the database stopped answering)
    error: str = ""  # why it stopped


def post(text: str) -> SaleView:
    """One offline sale into the database, exactly once."""
    sale = payload.loads(text)
    try:
        return sales.post_sale(sale.basket, sale.payments, terminal=sale.terminal,
                               cashier_id=sale.cashier_id, offline=sale.facts)
    except IntegrityError:  # another sync committed the same sale a moment before
        done = Sale.get_or_none(Sale.uuid == sale.basket.uuid)
        if done is None:
            raise
        return sales.get_sale(done.number)


def drain(outbox: Outbox) -> SyncResult:
    """Post what the outbox holds, in order; then tell the database how the till stands."""
    posted: list[str] = []
    held: list[tuple[str, str]] = []
    error = ""
    for item in outbox.waiting():
        try:
            view = post(item.payload)
        except DatabaseUnavailable as exc:  # not a refusal: the database is away
            error = str(exc)
            break
        except StoreError as err:  # refused: for a person, and the next sale goes on
            outbox.hold(item.uuid, str(err))
            held.append((item.number, str(err)))
            continue
        except DATABASE_FAULTS as exc:
            error = first_line(exc)
            break
        outbox.posted(item.uuid, view.number)
        posted.append(view.number)
    if not error:
        error = _post_events(outbox)
    depth = outbox.depth()
    if not error:
        try:
            report(outbox.terminal, depth.waiting, depth.held)
        except DATABASE_FAULTS as exc:
            error = first_line(exc)
    return SyncResult(posted, held, depth.waiting, error)


def _post_events(outbox: Outbox) -> str:
    """What else the outage left for the database, oldest first, each with the time it
    happened (`offline_at`): lines taken out of baskets, recorded as voids; logins and failed
    PINs, into the audit chain. "" or why not."""
    for event_id, kind, text, at in outbox.events_waiting():
        data = json.loads(text)
        user = data.pop("user", None)
        try:
            if kind == "void":
                voids.void_line(auth.get_user_by_id(int(user)), terminal=outbox.terminal,
                                basket=uuid.UUID(data["basket"]), sku=str(data["sku"])[:64],
                                qty=Decimal(data["qty"]), amount=Decimal(data["amount"]),
                                offline_at=at[:32])
            else:
                audit.record(kind, {**data, "offline_at": at[:32]},
                             user_id=user if isinstance(user, int) else None,
                             terminal=outbox.terminal)
        except DatabaseUnavailable as exc:  # not a refusal: the database is away
            return str(exc)
        except StoreError as err:  # a user gone since: the event is known, not recordable
            log.warning("offline %s %s not recorded: %s", kind, event_id, err)
        except DATABASE_FAULTS as exc:
            return first_line(exc)
        outbox.event_posted(event_id)
    return ""


@unit_of_work
def report(terminal: str, waiting: int, held: int, *, refreshed: bool = False) -> None:
    """The till's last contact, for the back office: when, and what it still holds."""
    now = utcnow()
    values: dict[str, object] = {"synced_at": now, "waiting": waiting, "held": held}
    if refreshed:
        values["refreshed_at"] = now
    (TillSync.insert(terminal=terminal, **values)  # two syncs at once: one row, the last word
     .on_conflict(conflict_target=[TillSync.terminal],
                  update={getattr(TillSync, k): v for k, v in values.items()}).execute())
