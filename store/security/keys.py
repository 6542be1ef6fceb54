"""Rotating the data-encryption key: a new key in the key file, then every protected field
re-sealed with it in one transaction. The old keys stay in the file (a backup made before the
rotation still opens), until the owner removes them."""

from __future__ import annotations

from dataclasses import dataclass

from store.core.db import unit_of_work
from store.security import audit, crypto


@dataclass(frozen=True)
class Rotation:
    key: str
    resealed: int


def rotate() -> Rotation:
    name = crypto.add_data_key()
    return Rotation(name, _reseal(name))


SEALED = crypto.SEALED  # every sealed column there is


@unit_of_work
def _reseal(name: str) -> int:
    count = 0
    for column in SEALED:
        model = column.model
        for row in model.select(model.id, column).where(column != "").tuples():
            row_id, token = row
            if crypto.key_of(token) != name:
                (model.update({column: crypto.seal(crypto.unseal(token))})
                 .where(model.id == row_id).execute())
                count += 1
    audit.record("keys_rotated", {"key": name, "resealed": count})
    return count
