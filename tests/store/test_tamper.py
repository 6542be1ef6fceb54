"""Tamper: on a shop with sales, returns, a Z and approvals, hypothesis picks a random sealed
row and a random field and changes it, or deletes a random row, or inserts one; `audit
verify` must notice every single time. Each example works on a copy and puts it back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from store.assurance import integrity
from store.core.db import database
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.stock_helpers import sell, stock_shop

D = Decimal
# What verify protects, and the fields that carry meaning in each.
TARGETS = {
    "audit_event": ("created_at", "kind", "user_id", "terminal", "reference", "payload",
                    "prev_hash", "hash"),
    "sale": ("number", "terminal", "total", "tax", "change", "rounding", "created_at",
             "cashier_id", "customer_id"),
    "sale_line": ("sku", "qty", "unit_price", "amount", "discount", "list_price", "tax"),
    "payment": ("amount", "tender_id", "reference"),
    "shift": ("counted_cash", "expected_cash", "grand_total", "z_number", "opening_float",
              "number"),
}


@pytest.fixture
def sealed(shop):
    users = stock_shop()
    cashier = users["cashier"]
    for qty in (2, 3, 1):
        sell(cashier, "COKE", qty)
    receipt = returns.returnable("T1-000001")
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(1))
    sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                    cashier_id=users["supervisor"].id)  # a refund is a supervisor's
    total = sales.shift_totals(sales.current_shift("T1").id).expected_cash  # type: ignore[union-attr]
    sales.close_shift("T1", users["supervisor"], total)
    sales.open_shift("T1", cashier.id, "0")
    sell(cashier, "TEA", 1)
    assert integrity.verify().ok
    return shop


def _columns(table: str) -> list[str]:
    return [c.name for c in database.obj.get_columns(table)]


def _changed(value: object) -> object:
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return 1
    text = str(value)
    return (text[:-1] + ("0" if text[-1:] != "0" else "1")) if text else "x"


def _tamper(table: str, target: int, field: int, action: str, top: int) -> bool:
    """Do it inside the caller's transaction; False when the database itself refused (a
    foreign key, a unique index: nothing was changed, there is nothing to detect)."""
    db = database.obj
    p = db.param
    try:
        with db.atomic():
            if action == "change":
                name = TARGETS[table][field % len(TARGETS[table])]
                (old,) = db.execute_sql(f'SELECT "{name}" FROM "{table}" WHERE id = {p}',
                                        (target,)).fetchone()
                if old is None:
                    return False  # e.g. the open shift's Z totals: nothing sealed yet
                db.execute_sql(f'UPDATE "{table}" SET "{name}" = {p} WHERE id = {p}',
                               (_changed(old), target))
            elif action == "delete":
                db.execute_sql(f'DELETE FROM "{table}" WHERE id = {p}', (target,))
            else:
                cols = [c for c in _columns(table) if c != "id"]
                names = ", ".join(f'"{c}"' for c in cols)
                values = list(db.execute_sql(f'SELECT {names} FROM "{table}" WHERE id = {p}',
                                             (target,)).fetchone())
                for i, c in enumerate(cols):  # what must be unique, made unique
                    if c == "seq":
                        values[i] = top + 1000
                    elif c == "uuid":
                        values[i] = f"00000000-0000-4000-8000-{target:012d}"
                    elif c in ("number", "hash"):
                        values[i] = _changed(values[i])
                db.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES '
                               f'({", ".join([p] * len(cols))})', values)
    except Exception:  # the database refused it
        return False
    return True


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=st.sampled_from(sorted(TARGETS)), pick=st.integers(min_value=0),
       field=st.integers(min_value=0), action=st.sampled_from(["change", "delete", "insert"]))
def test_every_change_deletion_or_insertion_is_detected(sealed, table, pick, field,
                                                        action) -> None:
    db = database.obj
    ids = [i for (i,) in db.execute_sql(f'SELECT id FROM "{table}" ORDER BY id').fetchall()]
    with db.atomic() as txn:
        done = _tamper(table, ids[pick % len(ids)], field, action, max(ids))
        report = integrity.verify() if done else None
        txn.rollback()  # the next example starts from the sealed shop again
    assume(done)
    assert report is not None and not report.ok, (table, action, field)
