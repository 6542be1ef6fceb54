"""Database faults on the UI thread: a key whose action reads or writes the database while
the server is gone must leave a message, not a traceback — and must not stop the screen's
message loop, which is what Textual does with an exception that escapes a handler."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from store.core.db import DATABASE_FAULTS as FAULTS
from store.core.errors import first_line
from store.core.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def storage_problem(exc: BaseException) -> str | None:
    """A full disk or a read-only database, said so that someone can fix it (None: neither)."""
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return _("The disk is full: nothing was saved. Free some space, then try again; "
                 "nothing is lost.")
    if "readonly" in text or "read-only" in text or "read only" in text:
        return _("The database is read-only: nothing was saved. Ask for help (file "
                 "permissions or a full disk); nothing is lost.")
    return None


def fault_message(exc: BaseException) -> str:
    said = storage_problem(exc)
    if said is not None:
        return said
    reason = first_line(exc)
    return _("The database is not answering ({reason}). Nothing was lost: try again.").format(
        reason=reason[:120])


def guarded(method: F) -> F:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except FAULTS as exc:
            self.app.bell()
            self.database_fault(fault_message(exc))
            return None
    return wrapper  # type: ignore[return-value]


class GuardedActions:
    """Every `action_*` of a screen, guarded; `ask` pushes a dialog with a guarded callback.
    The screen shows the message in `database_fault` (a notification by default)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("action_") and callable(value):
                setattr(cls, name, guarded(value))

    def database_fault(self, message: str) -> None:
        self.app.notify(message, severity="error", timeout=8)  # type: ignore[attr-defined]

    def ask(self, screen: Any, callback: Callable[[Any], Any] | None = None) -> None:
        wrapped = None if callback is None else functools.partial(_guarded_call, self, callback)
        self.app.push_screen(screen, wrapped)  # type: ignore[attr-defined]


@guarded
def _guarded_call(owner: Any, callback: Callable[[Any], Any], result: Any) -> Any:
    return callback(result)
