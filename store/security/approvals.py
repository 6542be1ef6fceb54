"""Supervisor overrides: a supervisor's user name and PIN grant one action once, with a reason.
The grant is recorded (who approved, for whom, what, before and after) and is used up by the
action it was asked for."""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from store.core.db import unit_of_work
from store.core.errors import AuthError, NotFound, ValidationError
from store.core.i18n import _
from store.models import Approval, utcnow
from store.security import audit, auth, permissions, scope
from store.security.auth import SessionUser


@dataclass(frozen=True)
class Grant:
    id: int
    permission: str
    approver: SessionUser
    reason: str


@unit_of_work
def grant(permission: str, *, username: str, secret: str, requested_by: SessionUser,
          reason: str, detail: dict[str, Any] | None = None, terminal: str = "",
          discount_pct: Decimal | None = None) -> Grant:
    """Check the approver's credentials and authority, and record the grant."""
    if permission not in permissions.PERMISSIONS:
        raise ValidationError(_("permission: unknown permission '{value}'").format(
            value=permission), field="permission", value=permission)
    if not reason.strip():
        raise ValidationError(_("reason: say why"), field="reason", value=reason)
    approver = auth.authenticate(username, secret)
    if terminal:  # a shop's manager approves at that shop's tills only
        scope.check_till(approver.id, terminal, doing=permission)
    policy = permissions.policy()
    if not policy.allows(approver.role, permission):
        raise permissions.denied(approver, permission, terminal=terminal)
    if discount_pct is not None and discount_pct > policy.discount_limit(approver.role):
        raise AuthError(_("{user} may give at most {limit}% off").format(
            user=approver.display_name, limit=policy.discount_limit(approver.role)))
    data = {"what": permission, "for": requested_by.id, "reason": reason.strip()[:200],
            **(detail or {})}
    row = Approval.create(uuid=uuidlib.uuid4(), permission=permission, approver=approver.id,
                          requested_by=requested_by.id, terminal=terminal,
                          reason=reason.strip()[:200], detail=json.dumps(data, sort_keys=True))
    audit.record("approval", {"approval": row.id, **data}, user_id=approver.id,
                 terminal=terminal)
    return Grant(row.id, permission, approver, reason.strip())


@dataclass(frozen=True)
class OfflineApproval:
    """An approval an offline till gave (issue 18.2): the supervisor's PIN checked against the
    till's copy, the role rules as the copy had them. `key`: the till's own (negative) id for
    it, on the lines it approved."""

    key: int
    approver_id: int
    permission: str
    reason: str
    at: Any  # dt.datetime, UTC, naive


def record_offline(given: OfflineApproval, *, requested_by: int, terminal: str) -> int:
    """An offline till's approval, recorded as the database records its own (in the caller's
    transaction, with the sale it was given for); the sale's check then spends it, and
    judges the approver's role by today's rules."""
    data = {"what": given.permission, "for": requested_by, "reason": given.reason[:200],
            "offline": True}
    row = Approval.create(uuid=uuidlib.uuid4(), permission=given.permission,
                          approver=given.approver_id, requested_by=requested_by,
                          terminal=terminal, reason=given.reason[:200], created_at=given.at,
                          detail=json.dumps(data, sort_keys=True))
    audit.record("approval", {"approval": row.id, **data}, user_id=given.approver_id,
                 terminal=terminal)
    return int(row.id)


def approver_of(approval_id: int) -> SessionUser:
    row = Approval.get_or_none(Approval.id == approval_id)
    if row is None:
        raise NotFound(_("No approval {id}").format(id=approval_id))
    return auth.get_user_by_id(row.approver_id)


@unit_of_work
def use(approval_id: int, *, requested_by: int, reference: str) -> Approval:
    """Spend an approval on the action it was given for; a second use is refused. The update
    is conditional, so two tills cannot both spend it."""
    row = Approval.get_or_none(Approval.id == approval_id)
    if row is None or row.requested_by_id != requested_by:
        raise AuthError(_("That approval was not given to this user"))
    spent = (Approval.update(used_at=utcnow(), used_ref=reference[:64])
             .where((Approval.id == approval_id) & Approval.used_at.is_null()).execute())
    if not spent:
        raise AuthError(_("That approval was already used: ask again"))
    return row


def require(user: SessionUser, permission: str, *, approval_id: int | None = None,
            reference: str = "", terminal: str = "") -> int | None:
    """Allow the action, spending an approval if the user's role does not allow it. Returns
    the approval used, if any; raises PermissionDenied (recorded) otherwise."""
    if permissions.allowed(user, permission):
        return None
    if approval_id is None:
        raise permissions.denied(user, permission, terminal=terminal, reference=reference)
    row = use(approval_id, requested_by=user.id, reference=reference)
    if row.permission != permission:
        raise AuthError(_("That approval was given for something else"))
    return approval_id
