"""The print queue: jobs recorded after a sale commits, printed by the terminal's worker."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField, TextField, UUIDField

from store.models.base import BaseModel, utcnow


class PrintJob(BaseModel):
    """Operational state, not a business fact: its status changes as the printer answers."""

    uuid = UUIDField(unique=True)
    terminal = CharField(max_length=20, index=True)
    kind = CharField(max_length=20)  # receipt, report, test, drawer
    reference = CharField(max_length=64, default="")  # e.g. the receipt number
    payload = TextField()  # the document as JSON, laid out at print time
    status = CharField(max_length=10, default="queued")  # queued, printed, cancelled
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    printed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("terminal", "status", "id"), False),)
