"""Domain errors: each carries a translated message a user can act on, plus what it names."""

from __future__ import annotations

from collections.abc import Callable

from store.core.i18n import _


class StoreError(Exception):
    """Base for every error the store raises on purpose; `str(err)` is the user-facing text."""

    # Run by the outermost unit of work after it rolled back: how a refusal gets recorded
    # although the action it refused was not.
    after_rollback: Callable[[], None] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(StoreError):
    """Bad input: names the field and the value (and the row, for imports)."""

    def __init__(
        self, message: str, *, field: str | None = None, value: object = None, row: int | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.row = row


class NotFound(StoreError):
    """A record named by the user does not exist; `field` names where it was typed, so a form
    can put the cursor there."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AuthError(StoreError):
    """Login failed or the user may not do this."""


class PermissionDenied(AuthError):
    """The user's role does not allow this; a supervisor's approval would."""

    def __init__(self, message: str, *, permission: str) -> None:
        super().__init__(message)
        self.permission = permission


class ConfigError(StoreError):
    """The configuration file or environment is wrong; names the key and the file."""


class DatabaseUnavailable(StoreError):
    """The database URL is malformed or the server cannot be reached."""


def nothing_to_change() -> ValidationError:
    """A change that names no field: said the same way by every editor and command."""
    return ValidationError(_("Nothing to change: give at least one field"), field="changes",
                           value="")


def first_line(exc: BaseException) -> str:
    """An error's first line, for a status line (a driver's message runs to several)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
