"""Voids are recorded as they happen; where the owner requires it, a supervisor approves."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from store.core.errors import PermissionDenied
from store.security import approvals, audit, auth, permissions
from store.selling import voids


def test_a_void_is_recorded_and_can_need_a_supervisor(shop) -> None:
    cashier = auth.create_user("ann", "cashier", pin="1234")
    auth.create_user("sue", "supervisor", pin="5678")
    basket = uuid.uuid4()
    voids.void_line(cashier, terminal="T1", basket=basket, sku="COKE", qty=Decimal(2),
                    amount=Decimal("7.00"))
    (event,) = audit.events(kind="void")
    assert event.data == {"basket": str(basket), "sku": "COKE", "qty": 2000, "amount": 700,
                          "approval": None}
    assert event.user_id == cashier.id and event.terminal == "T1"
    permissions.set_permission(auth.authenticate("boss", "8888"), "cashier", "void", False)
    with pytest.raises(PermissionDenied):
        voids.void_line(cashier, terminal="T1", basket=basket, sku="TEA", qty=Decimal(1),
                        amount=Decimal("4.00"))
    assert [e.data["permission"] for e in audit.events(kind="permission_denied")] == ["void"]
    grant = approvals.grant("void", username="sue", secret="5678", requested_by=cashier,
                            reason="customer changed mind")
    voids.void_line(cashier, terminal="T1", basket=basket, sku="TEA", qty=Decimal(1),
                    amount=Decimal("4.00"), approval_id=grant.id)
    assert [e.data["sku"] for e in audit.events(kind="void")] == ["COKE", "TEA"]
