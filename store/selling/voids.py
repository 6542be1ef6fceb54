"""Voids: a line taken out of the basket before payment. Cashiers may by default; the owner
can require a supervisor (`zhanggui roles revoke cashier void`). Each is recorded in the audit
chain as it happens, with what was removed, so a shop can see who voids what."""

from __future__ import annotations

import uuid as uuidlib
from decimal import Decimal

from store.core.db import unit_of_work
from store.security import approvals, audit
from store.security.auth import SessionUser


@unit_of_work
def void_line(user: SessionUser, *, terminal: str, basket: uuidlib.UUID, sku: str, qty: Decimal,
              amount: Decimal, approval_id: int | None = None, offline_at: str = "") -> None:
    """`offline_at`: a void an offline till made then (its role allowed it there), recorded
    now that the database answers."""
    if not offline_at:
        approvals.require(user, "void", approval_id=approval_id, reference=str(basket),
                          terminal=terminal)
    data = {"basket": str(basket), "sku": sku, "qty": audit.minor(qty, 3),
            "amount": audit.minor(amount), "approval": approval_id}
    if offline_at:
        data["offline_at"] = offline_at
    audit.record("void", data, user_id=user.id, terminal=terminal, reference=str(basket))
