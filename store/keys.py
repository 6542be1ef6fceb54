"""Rotating the data-encryption key: a new key in the key file, then every protected field
re-sealed with it in one transaction. The old keys stay in the file (a backup made before the
rotation still opens), until the owner removes them."""

from __future__ import annotations

from dataclasses import dataclass

from . import audit, crypto
from .db import unit_of_work
from .models import Customer


@dataclass(frozen=True)
class Rotation:
    key: str
    resealed: int


def rotate() -> Rotation:
    name = crypto.add_data_key()
    return Rotation(name, _reseal(name))


@unit_of_work
def _reseal(name: str) -> int:
    count = 0
    for c in Customer.select(Customer.id, Customer.phone_enc).where(Customer.phone_enc != ""):
        if crypto.key_of(c.phone_enc) != name:
            (Customer.update(phone_enc=crypto.seal(crypto.unseal(c.phone_enc)))
             .where(Customer.id == c.id).execute())
            count += 1
    audit.record("keys_rotated", {"key": name, "resealed": count})
    return count
