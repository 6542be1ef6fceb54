"""What the offline tills left for people (issue 18.2): the sales the database would have
refused or that changed on their way in (SaleReview), and each till's last contact
(TillSync) — for `zhanggui sync`, the back office's tills and the dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.core.db import unit_of_work
from store.core.errors import NotFound
from store.core.i18n import N_, _
from store.models import Sale, SaleReview, TillSync
from store.models.base import utcnow
from store.security import audit, permissions
from store.security.auth import SessionUser

# What each kind of review says; its detail is data (a permission, a number, SKU and qty),
# worded here in the reader's language.
KINDS = {
    "price": N_("a price or discount beyond the cashier's limit ({detail})"),
    "promotion": N_("promotions the database no longer gives"),
    "negative_stock": N_("stock went below zero: {detail}"),
    "renumbered": N_("its number was taken: the receipt says {detail}"),
    "shift": N_("its shift had closed: moved to shift {detail}"),
    "credit": N_("on account beyond what the customer may owe ({detail})"),
    "refund": N_("a refund the cashier's role does not give ({detail})"),
    "refund_to_cash": N_("a refund in cash of a sale not paid in cash ({detail})"),
    "returned": N_("goods returned that were returned already: {detail}"),
    "refunded": N_("more refunded to a tender than was paid with it: {detail}"),
}
SILENT = dt.timedelta(minutes=30)  # a till not heard from for longer is worth a look


@dataclass(frozen=True)
class ReviewRow:
    id: int
    number: str
    terminal: str
    sold_at: dt.datetime
    kind: str
    what: str  # in the reader's language


@dataclass(frozen=True)
class TillRow:
    terminal: str
    synced_at: dt.datetime
    refreshed_at: dt.datetime | None
    waiting: int
    held: int

    @property
    def silent(self) -> bool:
        return utcnow() - self.synced_at > SILENT


def say(kind: str, detail: str) -> str:
    text = KINDS.get(kind)
    return _(text).format(detail=detail) if text else f"{kind}: {detail}"


def open_reviews(limit: int = 500) -> list[ReviewRow]:
    """The flagged offline sales nobody has looked at yet, oldest first."""
    q = (SaleReview.select(SaleReview, Sale).join(Sale)
         .where(SaleReview.done_at.is_null()).order_by(SaleReview.id).limit(limit))
    return [ReviewRow(r.id, r.sale.number, r.sale.terminal, r.sale.created_at, r.kind,
                      say(r.kind, r.detail)) for r in q]


def count_open() -> int:
    return int(SaleReview.select().where(SaleReview.done_at.is_null()).count())


@unit_of_work
def mark_seen(user: SessionUser, review_id: int) -> None:
    """A manager has looked at it (and done what it needed): recorded, gone from the list."""
    permissions.check(user, "review_offline", reference=str(review_id))
    row = SaleReview.get_or_none(SaleReview.id == review_id)
    if row is None or row.done_at is not None:
        raise NotFound(_("No open review {id}").format(id=review_id))
    (SaleReview.update(done_by=user.id, done_at=utcnow())
     .where(SaleReview.id == review_id).execute())
    audit.record("offline_review_seen", {"review": review_id, "kind": row.kind},
                 user_id=user.id, reference=Sale.get_by_id(row.sale_id).number)


def tills() -> list[TillRow]:
    """Each till's last contact, by code."""
    return [TillRow(t.terminal, t.synced_at, t.refreshed_at, t.waiting, t.held)
            for t in TillSync.select().order_by(TillSync.terminal)]


def attention() -> list[str]:
    """What the dashboard says of the offline tills: sales to review, tills that still hold
    sales or had some refused."""
    said = []
    waiting = count_open()
    if waiting:
        said.append(_("Sales made offline to review: {n} (zhanggui sync reviews)").format(
            n=waiting))
    for t in tills():
        if t.held:
            said.append(_("Till {till}: sales the database refused, waiting at the till: {n}").format(
                till=t.terminal, n=t.held))
        elif t.waiting:
            said.append(_("Till {till}: sales not yet sent: {n} (last heard {when} UTC)").format(
                till=t.terminal, n=t.waiting, when=t.synced_at.strftime("%m-%d %H:%M")))
    return said


def last_contacts() -> dict[str, str]:
    """Each till's last contact for a list (UTC), by till code: one query for them all."""
    return {t.terminal: t.synced_at.strftime("%m-%d %H:%M")
            for t in TillSync.select(TillSync.terminal, TillSync.synced_at)}
