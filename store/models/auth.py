"""Users and their roles; credentials are argon2id hashes, never the PIN or password."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField

from .base import BaseModel, utcnow

ROLES = ("cashier", "supervisor", "warehouse", "accountant", "owner")


class User(BaseModel):
    username = CharField(max_length=40, unique=True)
    display_name = CharField(max_length=100, default="")
    role = CharField(max_length=20)
    pin_hash = CharField(max_length=200, null=True)
    password_hash = CharField(max_length=200, null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
