"""The last step every master-data change shares: write the fields that changed, record them
in the audit chain by the row's code, and hand back the row as it now is; or refuse a change
that changes nothing. One place for it, so every register records alike."""

from __future__ import annotations

from typing import Any

from store.core.errors import nothing_to_change
from store.security import audit
from store.security.auth import SessionUser


def save_changes(actor: SessionUser, row: Any, values: dict[str, Any], event: str,
                 payload: dict[str, Any] | None = None) -> Any:
    """`values` written to `row` (its model's table) and recorded as `event`; `payload` when
    the record should say the values otherwise (ids as text)."""
    if not values:
        raise nothing_to_change()
    model = type(row)
    model.update(**values).where(model.id == row.id).execute()
    audit.record(event, {"code": row.code, **(values if payload is None else payload)},
                 user_id=actor.id, reference=row.code)
    return model.get_by_id(row.id)


def save_active(actor: SessionUser, row: Any, active: bool, kind: str) -> Any:
    """A row put out of use or back, recorded as `{kind}_deactivated` / `_activated`."""
    model = type(row)
    model.update(active=active).where(model.id == row.id).execute()
    audit.record(f"{kind}_activated" if active else f"{kind}_deactivated", {"code": row.code},
                 user_id=actor.id, reference=row.code)
    return model.get_by_id(row.id)
