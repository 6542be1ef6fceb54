"""Shop-wide settings that every terminal shares, as JSON values by key."""

from __future__ import annotations

from peewee import CharField, TextField

from store.models.base import BaseModel


class Setting(BaseModel):
    key = CharField(max_length=64, unique=True)
    value = TextField()  # JSON
