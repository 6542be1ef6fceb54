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
from textual.widget import Widget
from textual.widgets import Input, Label

from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.security import approvals, permissions
from store.security.auth import SessionUser

from ..bindings import TranslatedBindings
from ..guard import FAULTS, fault_message
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


class OverrideDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[int | None]):
    DEFAULT_CSS = """
    OverrideDialog { align: center middle; }
    OverrideDialog > Vertical { width: 60; height: auto; border: round $warning; padding: 0 2;
                                background: $surface; }
    OverrideDialog Input { margin: 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
        ENTER_NEXT,  # "manager⏎2468⏎" in one burst puts the PIN in the PIN field
    ]

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
            # Labels above the fields, as in every dialog: a placeholder is gone once typed in
            yield Label(_("Supervisor's user name"), classes="field")
            yield TextInput(id="approver")
            yield Label(_("PIN"), classes="field")
            yield TextInput(password=True, id="approver-pin")
            yield Label(_("Reason"), classes="field")
            yield TextInput(value=self.reason, id="approval-reason")
            yield Label("", id="approval-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#approver", Input).focus()

    def enter_target(self) -> Widget | None:
        """Name → PIN → reason (skipped when already given). Where Enter grants, it is the
        field's own: its Submitted comes after the field's keys, so the PIN is whole."""
        pin = self.query_one("#approver-pin", Input)
        if self.focused is self.query_one("#approver", Input):
            return pin
        reason = self.query_one("#approval-reason", Input)
        if self.focused is pin and not reason.value.strip():
            return reason
        return None

    @on(Input.Submitted, "#approver-pin")
    @on(Input.Submitted, "#approval-reason")
    def _grant(self) -> None:
        link = self.app.link  # type: ignore[attr-defined]
        username = self.query_one("#approver", Input).value
        secret = self.query_one("#approver-pin", Input).value
        reason = self.query_one("#approval-reason", Input).value
        try:
            if link is not None and not link.online:  # the copy's PINs and rules
                approval_id = link.grant_offline(
                    self.permission, username=username, secret=secret,
                    requested_by=self.requested_by, reason=reason,
                    discount_pct=self.discount_pct)
            else:
                approval_id = approvals.grant(
                    self.permission, username=username, secret=secret,
                    requested_by=self.requested_by, reason=reason, detail=self.detail,
                    terminal=self.terminal, discount_pct=self.discount_pct).id
        except Exception as err:  # a wrong PIN, or the database gone: say so, stay open
            if not isinstance(err, (StoreError, *FAULTS)):
                raise
            self.query_one("#approver-pin", Input).value = ""
            self.query_one("#approval-error", Label).update(
                str(err) if isinstance(err, StoreError) else fault_message(err))
            self.query_one("#approver-pin", Input).focus()
            return
        self.dismiss(approval_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
