"""PIN lockout: growing delays kept in the database, a daily cap, a supervisor's unlock."""

from __future__ import annotations

import datetime as dt

import pytest

from store.core.db import database
from store.core.errors import AuthError, PermissionDenied
from store.models import User
from store.security import accounts, audit, auth


@pytest.fixture
def clock(monkeypatch):
    now = [dt.datetime(2026, 11, 25, 9, 0)]
    monkeypatch.setattr(auth, "utcnow", lambda: now[0])
    return now


def wrong(times: int) -> None:
    for _i in range(times):
        with pytest.raises(AuthError):
            auth.authenticate("ann", "0000")


def test_five_wrong_pins_lock_the_account_with_growing_delays(shop, clock) -> None:
    auth.create_user("ann", "cashier", pin="1234")
    wrong(4)
    assert auth.authenticate("ann", "1234").username == "ann"  # a success resets the count
    wrong(5)
    with pytest.raises(AuthError, match="locked for 1 more minutes"):
        auth.authenticate("ann", "1234")  # only the right PIN learns of the lock
    # The lock is in the database: a new connection (a restarted till) sees it.
    database.obj.close()
    row = User.get(User.username == "ann")
    assert row.failed_logins == 5 and row.locked_until == clock[0] + dt.timedelta(seconds=30)
    clock[0] += dt.timedelta(seconds=31)
    wrong(1)  # the sixth: twice as long
    assert User.get(User.username == "ann").locked_until == clock[0] + dt.timedelta(seconds=60)
    # A guess while locked gets the answer a made-up name gets, and still counts (issue 15.8).
    for name in ("ann", "nobody"):
        with pytest.raises(AuthError) as err:
            auth.authenticate(name, "0000")
        assert str(err.value) == "Wrong user name or PIN"
    assert User.get(User.username == "ann").locked_until == clock[0] + dt.timedelta(seconds=120)
    kinds = [e.kind for e in audit.events()]
    assert kinds.count("login_failed") == 12 and "login_locked" in kinds
    assert all("0000" not in str(e.data) and "1234" not in str(e.data) for e in audit.events())


def test_a_hundred_failures_lock_for_the_day_and_a_supervisor_unlocks(shop, clock) -> None:
    auth.create_user("ann", "cashier", pin="1234")
    boss = auth.create_user("sue", "supervisor", pin="5678")
    # 98 wrong PINs earlier today, spread out so that no lock is running now.
    User.update(day_failures=98, failure_day="2026-11-25").where(User.username == "ann").execute()
    wrong(1)
    assert User.get(User.username == "ann").locked_until is None  # the 99th: one in a row
    wrong(1)  # the 100th
    row = User.get(User.username == "ann")
    assert row.locked_until == dt.datetime(2026, 11, 26)  # no more guesses today
    with pytest.raises(AuthError, match="Wrong user name or PIN"):
        auth.authenticate("ann", "1234")  # not even the right PIN is checked any more today
    with pytest.raises(PermissionDenied):
        accounts.unlock(auth.SessionUser(row.id, "ann", "ann", "cashier"), "ann")
    accounts.unlock(boss, "ann")
    assert auth.authenticate("ann", "1234").username == "ann"
    assert audit.events(kind="user_unlocked")[0].data == {"username": "ann"}
