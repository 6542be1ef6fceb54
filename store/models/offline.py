"""What the offline tills leave for the database (issue 18.2): their sales a person should
look at, and when each till last caught up."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.sales import Sale


class SaleReview(BaseModel):
    """A sale made offline that the database would have refused or that changed something
    on its way in: posted all the same (the customer holds its receipt), and shown to a
    manager until they have looked at it."""

    sale = ForeignKeyField(Sale, backref="reviews", on_delete="RESTRICT")
    kind = CharField(max_length=20)  # price, promotion, negative_stock, renumbered, shift
    detail = CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)
    done_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    done_at = DateTimeField(null=True)
    sale_id: int

    class Meta:
        table_name = "sale_review"


class TillSync(BaseModel):
    """A till's last contact: when it last posted its outbox and refreshed its local copy,
    and how many sales it still held then."""

    terminal = CharField(max_length=20, unique=True)
    synced_at = DateTimeField(default=utcnow)
    refreshed_at = DateTimeField(null=True)
    waiting = IntegerField(default=0)  # sales still in its outbox
    held = IntegerField(default=0)  # sales the database refused, waiting for a person
    message = CharField(max_length=300, default="")

    class Meta:
        table_name = "till_sync"
