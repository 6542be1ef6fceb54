"""Looking after accounts: lifting a PIN lockout (a supervisor's or the owner's job)."""

from __future__ import annotations

from . import audit, permissions
from .auth import SessionUser
from .db import unit_of_work
from .errors import NotFound
from .i18n import _
from .models import User


@unit_of_work
def unlock(actor: SessionUser, username: str, *, terminal: str = "") -> None:
    if not permissions.allowed(actor, "unlock_user"):
        raise permissions.denied(actor, "unlock_user", terminal=terminal, reference=username)
    user = User.get_or_none(User.username == username.strip())
    if user is None:
        raise NotFound(_("No user '{name}'").format(name=username.strip()))
    (User.update(failed_logins=0, locked_until=None, day_failures=0)
     .where(User.id == user.id).execute())
    audit.record("user_unlocked", {"username": user.username}, user_id=actor.id,
                 terminal=terminal)
