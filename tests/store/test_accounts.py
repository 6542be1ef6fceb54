"""Managing users and settings needs the permission, whoever calls, and is recorded without
the PIN."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.core.errors import PermissionDenied, ValidationError
from store.security import accounts, audit, auth
from store.shops import org


def test_only_those_allowed_add_users_and_only_an_owner_adds_an_owner(shop) -> None:
    boss = auth.authenticate("boss", "8888")
    sue = accounts.add_user(boss, "sue", "supervisor", pin="5678")
    with pytest.raises(PermissionDenied):
        accounts.add_user(sue, "amy", "cashier", pin="1357")  # not by default
    from store.security import permissions

    permissions.set_permission(boss, "supervisor", "manage_users", True)
    sue = auth.authenticate("sue", "5678")
    accounts.add_user(sue, "amy", "cashier", pin="1357")
    with pytest.raises(PermissionDenied):
        accounts.add_user(sue, "eve", "owner", pin="1111")
    amy = auth.authenticate("amy", "1357")
    accounts.change_secret(amy, "amy", pin="2468")  # her own
    with pytest.raises(PermissionDenied):
        accounts.change_secret(amy, "boss", pin="0000")
    assert auth.authenticate("amy", "2468").username == "amy"
    events = audit.events(kind="user_added") + audit.events(kind="secret_changed")
    assert len(events) == 3
    assert all("1357" not in str(e.data) and "2468" not in str(e.data) for e in events)


def test_settings_change_with_the_permission_and_are_recorded(shop) -> None:
    boss = auth.authenticate("boss", "8888")
    cashier = auth.create_user("ann", "cashier", pin="1234")
    with pytest.raises(PermissionDenied):
        org.change_cash_rounding(cashier, Decimal("0.1"))
    with pytest.raises(ValidationError, match=r"0\.3"):
        org.change_cash_rounding(boss, Decimal("0.3"))
    org.change_cash_rounding(boss, Decimal("0.1"))
    org.change_timezone(boss, "Asia/Shanghai")
    assert org.settings().cash_rounding == Decimal("0.10")
    assert [e.data for e in audit.events(kind="setting_change")][-2:] == [
        {"cash_rounding": "0.1"}, {"timezone": "Asia/Shanghai"}]
