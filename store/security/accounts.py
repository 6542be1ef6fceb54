"""Looking after accounts: adding users, changing roles, names, PINs and passwords, lifting a
PIN lockout, deactivating someone who left.
Each checks who is acting and is recorded (never with the PIN)."""

from __future__ import annotations

from dataclasses import dataclass

from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError, nothing_to_change
from store.core.i18n import _
from store.models import ROLES, User, utcnow
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


@dataclass(frozen=True)
class UserRow:
    username: str
    display_name: str
    role: str
    active: bool
    locked: bool  # wrong PINs locked it, until unlocked or the lock runs out

    @property
    def status(self) -> str:
        if not self.active:
            return _("deactivated")
        return _("locked") if self.locked else _("active")


def users(*, include_inactive: bool = True) -> list[UserRow]:
    now = utcnow()
    query = User.select().order_by(User.active.desc(), User.username)
    if not include_inactive:
        query = query.where(User.active == True)  # noqa: E712
    return [UserRow(u.username, u.display_name, u.role, u.active,
                    bool(u.locked_until and u.locked_until > now)) for u in query]


def _user(username: str) -> User:
    user = User.get_or_none(User.username == username.strip())
    if user is None:
        raise NotFound(_("No user '{name}'").format(name=username.strip()))
    return user


def _other_owners(user: User) -> int:
    return (User.select().where((User.role == "owner") & (User.active == True)  # noqa: E712
                                & (User.id != user.id)).count())


@unit_of_work
def change_user(actor: SessionUser, username: str, *, role: str | None = None,
                display_name: str | None = None) -> UserRow:
    """A user's role or display name, by someone with `manage_users`. Only an owner makes or
    unmakes an owner, and the last owner stays one: nobody can lock the shop out of itself."""
    permissions.check(actor, "manage_users", reference=username[:64])
    user = _user(username)
    values: dict[str, object] = {}
    if role is not None and role != user.role:
        if role not in ROLES:
            raise ValidationError(_("role: '{value}' is not one of {roles}").format(
                value=role, roles=", ".join(ROLES)), field="role", value=role)
        if "owner" in (role, user.role) and actor.role != "owner":
            raise permissions.denied(actor, "manage_users", reference=user.username)
        if user.role == "owner" and not _other_owners(user):
            raise ValidationError(_("{name} is the shop's only owner; make another owner "
                                    "first").format(name=user.username), field="role",
                                  value=role)
        values["role"] = role
    if display_name is not None:
        values["display_name"] = text.clean(display_name, field="name")[:100]
    if not values:
        raise nothing_to_change()
    User.update(**values).where(User.id == user.id).execute()
    audit.record("user_changed", {"username": user.username, **values}, user_id=actor.id,
                 reference=user.username)
    return next(r for r in users() if r.username == user.username)


@unit_of_work
def set_active(actor: SessionUser, username: str, active: bool) -> UserRow:
    """Stop a user logging in (someone who left keeps their name on the history), or let
    them again. Not oneself, and not the last owner."""
    permissions.check(actor, "manage_users", reference=username[:64])
    user = _user(username)
    if not active:
        if user.id == actor.id:
            raise ValidationError(_("You cannot deactivate yourself"), field="username",
                                  value=user.username)
        if user.role == "owner":
            if actor.role != "owner":
                raise permissions.denied(actor, "manage_users", reference=user.username)
            if not _other_owners(user):
                raise ValidationError(_("{name} is the shop's only owner").format(
                    name=user.username), field="username", value=user.username)
    User.update(active=active).where(User.id == user.id).execute()
    audit.record("user_activated" if active else "user_deactivated",
                 {"username": user.username}, user_id=actor.id, reference=user.username)
    return next(r for r in users() if r.username == user.username)
