"""The audit chain and supervisor approvals: append-only records of who did what."""

from __future__ import annotations

from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, TextField, UUIDField

from store.models.auth import User
from store.models.base import BaseModel, utcnow


class AuditEvent(BaseModel):
    """One link of the chain: hash = HMAC-SHA256(audit key, prev_hash + canonical JSON)."""

    seq = BigIntegerField(unique=True)  # 1, 2, 3, … without gaps
    created_at = DateTimeField(default=utcnow)
    kind = CharField(max_length=40, index=True)
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    terminal = CharField(max_length=20, default="")
    reference = CharField(max_length=64, default="", index=True)
    payload = TextField()  # canonical JSON, integer amounts
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)
    user_id: int | None


class AuditHead(BaseModel):
    """The chain's tip, one row: appending locks it, so links are made one at a time, and a
    deleted tail no longer matches it."""

    seq = BigIntegerField(default=0)
    hash = CharField(max_length=64)


class Approval(BaseModel):
    """A supervisor's PIN granting one action once: who, what, why, before and after."""

    uuid = UUIDField(unique=True)
    permission = CharField(max_length=40)
    approver = ForeignKeyField(User, backref="approvals_given", on_delete="RESTRICT")
    requested_by = ForeignKeyField(User, backref="approvals_asked", on_delete="RESTRICT")
    terminal = CharField(max_length=20, default="")
    reason = CharField(max_length=200, default="")
    detail = TextField(default="{}")  # JSON: what, before, after
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)
    used_ref = CharField(max_length=64, default="")
    approver_id: int
    requested_by_id: int
