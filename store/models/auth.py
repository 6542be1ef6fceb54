"""Users and their roles; credentials are argon2id hashes, never the PIN or password."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, IntegerField

from store.models.base import BaseModel, utcnow

ROLES = ("cashier", "supervisor", "warehouse", "accountant", "owner")


class User(BaseModel):
    username = CharField(max_length=40, unique=True)
    display_name = CharField(max_length=100, default="")
    role = CharField(max_length=20)
    pin_hash = CharField(max_length=200, null=True)
    password_hash = CharField(max_length=200, null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    # Lockout (store/security/auth.py): kept in the database, so a restart does not reset it.
    failed_logins = IntegerField(default=0)  # in a row
    locked_until = DateTimeField(null=True)
    day_failures = IntegerField(default=0)
    failure_day = CharField(max_length=10, default="")  # the UTC day day_failures counts
