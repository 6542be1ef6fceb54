"""The supervisor override dialog: a supervisor's user name, PIN and a reason grant one action
once. Returns the approval's id, or None when cancelled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.security import approvals, permissions
from store.security.auth import SessionUser

from ..bindings import TranslatedBindings
from ..guard import FAULTS, fault_message
from ..widgets.text_input import TextInput


class OverrideDialog(TranslatedBindings, ModalScreen[int | None]):
    DEFAULT_CSS = """
    OverrideDialog { align: center middle; }
    OverrideDialog > Vertical { width: 60; height: auto; border: round $warning; padding: 0 2;
                                background: $surface; }
    OverrideDialog Input { margin: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, permission: str, requested_by: SessionUser, *, terminal: str,
                 what: str = "", reason: str = "", detail: dict[str, Any] | None = None,
                 discount_pct: Decimal | None = None) -> None:
        super().__init__()
        self.permission = permission
        self.requested_by = requested_by
        self.terminal = terminal
        self.what = what
        self.reason = reason
        self.detail = detail
        self.discount_pct = discount_pct

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Supervisor approval: {what}").format(
                what=_(permissions.PERMISSIONS[self.permission])), classes="title")
            if self.what:
                yield Label(self.what)
            yield TextInput(placeholder=_("supervisor's user name"), id="approver", compact=True)
            yield TextInput(placeholder=_("PIN"), password=True, id="approver-pin", compact=True)
            yield TextInput(value=self.reason, placeholder=_("reason"), id="approval-reason",
                        compact=True)
            yield Label("", id="approval-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#approver", Input).focus()

    @on(Input.Submitted, "#approver")
    def _to_pin(self) -> None:
        self.query_one("#approver-pin", Input).focus()

    @on(Input.Submitted, "#approver-pin")
    def _to_reason(self) -> None:
        reason = self.query_one("#approval-reason", Input)
        if reason.value.strip():
            self._grant()
        else:
            reason.focus()

    @on(Input.Submitted, "#approval-reason")
    def _grant(self) -> None:
        try:
            grant = approvals.grant(
                self.permission, username=self.query_one("#approver", Input).value,
                secret=self.query_one("#approver-pin", Input).value,
                requested_by=self.requested_by,
                reason=self.query_one("#approval-reason", Input).value,
                detail=self.detail, terminal=self.terminal, discount_pct=self.discount_pct)
        except Exception as err:  # a wrong PIN, or the database gone: say so, stay open
            if not isinstance(err, (StoreError, *FAULTS)):
                raise
            self.query_one("#approver-pin", Input).value = ""
            self.query_one("#approval-error", Label).update(
                str(err) if isinstance(err, StoreError) else fault_message(err))
            self.query_one("#approver-pin", Input).focus()
            return
        self.dismiss(grant.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
