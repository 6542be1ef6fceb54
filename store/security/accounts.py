"""Looking after accounts: adding users, changing PINs and passwords, lifting a PIN lockout.
Each checks who is acting and is recorded (never with the PIN)."""

from __future__ import annotations

from store.core.db import unit_of_work
from store.core.errors import NotFound
from store.core.i18n import _
from store.models import User
from store.security import audit, auth, permissions
from store.security.auth import SessionUser


@unit_of_work
def add_user(actor: SessionUser, username: str, role: str, *, pin: str | None = None,
             password: str | None = None, display_name: str = "") -> SessionUser:
    """A new user, by someone allowed to manage users. Only an owner makes another owner."""
    permissions.check(actor, "manage_users", reference=username)
    if role == "owner" and actor.role != "owner":
        raise permissions.denied(actor, "manage_users", reference=username)
    user = auth.create_user(username, role, pin=pin, password=password,
                            display_name=display_name)
    audit.record("user_added", {"username": user.username, "role": user.role},
                 user_id=actor.id)
    return user


@unit_of_work
def change_secret(actor: SessionUser, username: str, *, pin: str | None = None,
                  password: str | None = None) -> None:
    """Anyone changes their own PIN or password; someone else's needs manage_users."""
    name = username.strip()
    if name != actor.username:
        permissions.check(actor, "manage_users", reference=name)
    if User.get_or_none(User.username == name) is None:
        raise NotFound(_("No user '{name}'").format(name=name))
    if pin is not None:
        auth.set_pin(name, pin)
    if password is not None:
        auth.set_password(name, password)
    audit.record("secret_changed", {"username": name, "what": "pin" if pin else "password"},
                 user_id=actor.id)


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
