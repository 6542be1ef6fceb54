"""Users looked after from the back office and the shell (issue 16.2): roles and names changed,
someone who left deactivated, never the shop's last owner, each change recorded."""

from __future__ import annotations

import pytest

from store.core.errors import AuthError, PermissionDenied, ValidationError
from store.security import accounts, audit, auth, permissions


@pytest.fixture
def people(shop):
    boss = auth.authenticate("boss", "8888")
    permissions.set_permission(boss, "supervisor", "manage_users", True)  # a head cashier
    accounts.add_user(boss, "sam", "supervisor", pin="2222")
    accounts.add_user(boss, "ann", "cashier", pin="1111", display_name="Ann")
    return boss, auth.authenticate("sam", "2222")


def test_roles_and_names(people) -> None:
    boss, sam = people
    row = accounts.change_user(sam, "ann", role="warehouse", display_name="安妮")
    assert (row.role, row.display_name) == ("warehouse", "安妮")
    assert auth.authenticate("ann", "1111").role == "warehouse"
    with pytest.raises(PermissionDenied):  # only an owner makes an owner
        accounts.change_user(sam, "ann", role="owner")
    with pytest.raises(ValidationError, match="role"):
        accounts.change_user(boss, "ann", role="emperor")
    with pytest.raises(ValidationError, match="only owner"):
        accounts.change_user(boss, "boss", role="cashier")
    with pytest.raises(ValidationError, match="Nothing to change"):
        accounts.change_user(boss, "ann")
    accounts.change_user(boss, "sam", role="owner")
    accounts.change_user(boss, "boss", role="supervisor")  # another owner now: allowed
    assert {r.username: r.role for r in accounts.users()} == {
        "ann": "warehouse", "boss": "supervisor", "sam": "owner"}
    kinds = [e.kind for e in audit.events(kind="user_changed")]
    assert len(kinds) == 3


def test_deactivate_and_activate(people) -> None:
    boss, sam = people
    accounts.set_active(sam, "ann", False)
    with pytest.raises(AuthError):
        auth.authenticate("ann", "1111")
    assert [r.status for r in accounts.users() if r.username == "ann"] == ["deactivated"]
    assert "ann" not in {u.username for u in auth.list_users()}
    accounts.set_active(sam, "ann", True)
    assert auth.authenticate("ann", "1111").username == "ann"
    with pytest.raises(ValidationError, match="yourself"):
        accounts.set_active(sam, "sam", False)
    with pytest.raises(PermissionDenied):  # a supervisor cannot stop the owner
        accounts.set_active(sam, "boss", False)
    accounts.add_user(boss, "wu", "owner", pin="3333")
    wu = auth.authenticate("wu", "3333")
    accounts.set_active(wu, "boss", False)  # another owner may
    with pytest.raises(ValidationError, match="yourself"):
        accounts.set_active(wu, "wu", False)
    ann = auth.authenticate("ann", "1111")
    with pytest.raises(PermissionDenied):
        accounts.set_active(ann, "sam", False)
    assert [e.data["username"] for e in audit.events(kind="user_deactivated")] == ["ann",
                                                                                  "boss"]
