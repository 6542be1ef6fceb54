"""Opening the cash drawer without a sale: allowed by permission (or a supervisor's approval),
and always recorded in the audit chain with who, where and why."""

from __future__ import annotations

from store.core import text
from store.core.db import unit_of_work
from store.core.errors import ValidationError
from store.core.i18n import _
from store.security import approvals, audit
from store.security.auth import SessionUser
from store.shops import printing


@unit_of_work
def no_sale(user: SessionUser, *, terminal: str, reason: str,
            approval_id: int | None = None) -> int:
    """Record the opening and queue the drawer kick with it (one transaction: no kick without
    its record); returns the audit sequence number."""
    reason = text.clean(reason, field="reason")
    if not reason:
        raise ValidationError(_("reason: say why"), field="reason", value=reason)
    used = approvals.require(user, "no_sale", approval_id=approval_id, terminal=terminal,
                             reference="no-sale")
    event = audit.record("drawer_open", {"reason": reason.strip()[:200], "approval": used},
                         user_id=user.id, terminal=terminal, reference="no-sale")
    printing.enqueue(terminal, "drawer", "", reference=f"no-sale {event.seq}")
    return int(event.seq)
