"""Users, roles and credentials: argon2id hashes for PINs (the till) and passwords (owners)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import fn

from store.core import text
from store.core.db import unit_of_work
from store.core.errors import AuthError, NotFound, ValidationError
from store.core.i18n import N_, _
from store.models import ROLES, User, utcnow
from store.security import audit

# OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane (about 25 ms a hash on the CI machine).
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

ROLE_LABELS = {
    "cashier": N_("Cashier"),
    "supervisor": N_("Supervisor"),
    "warehouse": N_("Warehouse staff"),
    "accountant": N_("Accountant"),
    "owner": N_("Owner"),
}


@dataclass(frozen=True)
class SessionUser:
    """Who is logged in; what screens and services receive instead of the model."""

    id: int
    username: str
    display_name: str
    role: str

    @property
    def role_label(self) -> str:
        return _(ROLE_LABELS[self.role])


def _session(u: User) -> SessionUser:
    return SessionUser(u.id, u.username, u.display_name or u.username, u.role)


def validate_pin(pin: str) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError(_("PIN: must be 4 to 8 digits"), field="pin", value="****")
    return pin


def validate_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationError(_("password: must be at least 8 characters"), field="password",
                              value="********")
    return password


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(_("role: unknown role '{value}' (use one of: {roles})").format(
            value=role, roles=", ".join(ROLES)), field="role", value=role)
    return role


def validate_username(username: str) -> str:
    """A user name as stored: NFKC and case-folded, so OWNER, ＯＷＮＥＲ and owner are one
    user; invisible and control characters refused."""
    name = text.identity(username, field="username")
    if not name or len(name) > 40 or any(c.isspace() for c in name):
        raise ValidationError(
            _("username: '{value}' must be 1 to 40 characters without spaces").format(value=name),
            field="username", value=name)
    return name


@unit_of_work
def create_user(username: str, role: str, *, pin: str | None = None,
                password: str | None = None, display_name: str = "") -> SessionUser:
    username = validate_username(username)
    validate_role(role)
    if pin is None and password is None:
        raise ValidationError(_("A user needs a PIN or a password"), field="pin", value=None)
    if _find(username):
        raise ValidationError(_("username: '{value}' already exists").format(value=username),
                              field="username", value=username)
    user = User.create(
        username=username, role=role,
        display_name=text.clean(display_name, field="display_name"),
        pin_hash=HASHER.hash(validate_pin(pin)) if pin is not None else None,
        password_hash=HASHER.hash(validate_password(password)) if password is not None else None)
    return _session(user)


def _find(username: str) -> User | None:
    """The user a typed name means: compared NFKC and case-folded (names stored before that
    rule may hold capitals), and a name with an invisible character means nobody."""
    try:
        name = text.identity(username, field="username")
    except ValidationError:
        return None
    if not name:
        return None
    return User.get_or_none(fn.LOWER(User.username) == name)


def _get(username: str) -> User:
    user = _find(username)
    if not user:
        raise NotFound(_("No user named '{name}'").format(name=username))
    return user


@unit_of_work
def set_pin(username: str, pin: str) -> None:
    user = _get(username)
    User.update(pin_hash=HASHER.hash(validate_pin(pin))).where(User.id == user.id).execute()


@unit_of_work
def set_password(username: str, password: str) -> None:
    user = _get(username)
    (User.update(password_hash=HASHER.hash(validate_password(password)))
     .where(User.id == user.id).execute())


def verify_hash(stored: str | None, secret: str) -> bool:
    """A PIN or password against its hash (the database's, or an offline till's copy's)."""
    if not stored:
        return False
    try:
        return HASHER.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


# After MAX_FAILURES wrong PINs in a row an account locks for BASE_LOCK, doubling with each
# further failure; DAILY_LIMIT failures lock it for the rest of the (UTC) day. A supervisor
# unlocks it (`unlock`).
MAX_FAILURES = 5
BASE_LOCK = dt.timedelta(seconds=30)
MAX_LOCK = dt.timedelta(hours=1)
DAILY_LIMIT = 100


def _lock_after(failures: int) -> dt.timedelta | None:
    if failures < MAX_FAILURES:
        return None
    return min(BASE_LOCK * 2 ** (failures - MAX_FAILURES), MAX_LOCK)


def _failed(user_id: int, username: str) -> Callable[[], None]:
    """What a wrong PIN leaves behind, written after the rollback: the count, the lock, and
    the audit event (the name typed, never the secret)."""
    def write() -> None:
        _count_failure(user_id)
        audit.record("login_failed", {"username": username}, user_id=user_id)
    return write


@unit_of_work
def _count_failure(user_id: int) -> None:
    now = utcnow()
    today = now.date().isoformat()
    user = User.get_by_id(user_id)
    failures = user.failed_logins + 1
    day = user.day_failures + 1 if user.failure_day == today else 1
    lock = _lock_after(failures)
    until = now + lock if lock else None
    if day >= DAILY_LIMIT:  # no more guesses today
        until = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    (User.update(failed_logins=failures, day_failures=day, failure_day=today,
                 locked_until=until).where(User.id == user_id).execute())


@unit_of_work
def authenticate(username: str, secret: str) -> SessionUser:
    """Check a PIN or password; upgrade a hash made with weaker parameters. One message for all
    wrong names and PINs, so the screen does not tell a guesser which user names exist or
    which are locked."""
    user = _find(username)
    denied = AuthError(_("Wrong user name or PIN"))
    name = username.strip()[:40]
    if not user or not user.active:
        denied.after_rollback = audit.record_apart("login_failed", {"username": name})
        HASHER.hash(secret or "-")  # spend the same time as a real check
        raise denied
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        # The lock is told only to whoever knows the PIN: a wrong guess gets the same answer
        # as for a made-up name (and counts, lengthening the lock). Past the day's limit the
        # PIN is not even checked; a supervisor sees the lock and lifts it.
        today = now.date().isoformat()
        spent = user.failure_day == today and user.day_failures >= DAILY_LIMIT
        if not spent and any(verify_hash(getattr(user, c), secret)
                             for c in ("pin_hash", "password_hash")):
            wait = int((user.locked_until - now).total_seconds()) + 1
            locked = AuthError(_("{user} is locked for {minutes} more minutes after wrong "
                                 "PINs: a supervisor can unlock it").format(
                user=user.username, minutes=max(1, (wait + 59) // 60)))
            locked.after_rollback = audit.record_apart("login_locked", {"username": name},
                                                       user_id=user.id)
            raise locked
        if spent:
            HASHER.hash(secret or "-")  # the same time as a real check
            denied.after_rollback = audit.record_apart("login_locked", {"username": name},
                                                       user_id=user.id)
        else:
            denied.after_rollback = _failed(user.id, name)
        raise denied
    for column in ("pin_hash", "password_hash"):
        stored = getattr(user, column)
        if verify_hash(stored, secret):
            if HASHER.check_needs_rehash(stored):
                User.update({column: HASHER.hash(secret)}).where(User.id == user.id).execute()
            if user.failed_logins or user.locked_until:
                (User.update(failed_logins=0, locked_until=None)
                 .where(User.id == user.id).execute())
            return _session(user)
    denied.after_rollback = _failed(user.id, name)
    raise denied


@unit_of_work
def login(username: str, secret: str, *, terminal: str = "") -> SessionUser:
    """Authenticate at a login screen, and record it."""
    user = authenticate(username, secret)
    audit.record("login", {"role": user.role}, user_id=user.id, terminal=terminal)
    return user


def get_user_by_id(user_id: int) -> SessionUser:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(_("No user {id}").format(id=user_id))
    return _session(user)


def list_users() -> list[SessionUser]:
    return [_session(u) for u in User.select().where(User.active == True).order_by(User.username)]  # noqa: E712
