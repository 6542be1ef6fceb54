"""Gap-free document numbers: one series per terminal (sales, Z reports) or per shop
(terminal "": receipts, transfers, counts, purchase orders)."""

from __future__ import annotations

from store.core.db import update_one
from store.models import Counter


def next_number(terminal: str, name: str) -> int:
    """The next number of a terminal's series, inside the caller's transaction (gap-free:
    a rollback gives the number back). The UPDATE locks the counter row until commit."""
    row = update_one(Counter, {Counter.value: Counter.value + 1},
                     (Counter.terminal == terminal) & (Counter.name == name), Counter.value)
    if row is None:
        # A series' first number. Two clerks may start it at once: the loser's insert waits
        # on the unique key, then does nothing, and its UPDATE takes the next number.
        Counter.insert(terminal=terminal, name=name, value=0).on_conflict_ignore().execute()
        row = update_one(Counter, {Counter.value: Counter.value + 1},
                         (Counter.terminal == terminal) & (Counter.name == name), Counter.value)
    assert row is not None  # the row exists now, and this transaction holds its lock
    return int(row[0])


def document_number(prefix: str, name: str) -> str:
    """The shop's next number of a series, e.g. GR-000042 (inside the caller's transaction)."""
    return f"{prefix}-{next_number('', name):06d}"


def current_number(terminal: str, name: str) -> int:
    """The last number a terminal's series gave (0: none yet)."""
    value = (Counter.select(Counter.value)
             .where((Counter.terminal == terminal) & (Counter.name == name)).scalar())
    return int(value or 0)


def claim_number(terminal: str, name: str, value: int) -> bool:
    """Take `value` of a terminal's series for a document numbered away from the database (a
    sale an offline till made, issue 18.2): the series moves up to it, inside the caller's
    transaction. False when the series has already passed it: the number may be taken."""
    if (Counter.update(value=value)
            .where((Counter.terminal == terminal) & (Counter.name == name)
                   & (Counter.value < value)).execute()):
        return True
    if Counter.get_or_none((Counter.terminal == terminal) & (Counter.name == name)) is None:
        Counter.create(terminal=terminal, name=name, value=value)
        return True
    return False
