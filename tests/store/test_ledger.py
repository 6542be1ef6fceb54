"""The ledger on both engines: dated entries, daily balances that always equal the journal,
locked periods, manual and reversing entries, and the chart of accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from peewee import fn

from store.books import ledger
from store.books.ledger import ManualLine, Posting
from store.common import clock
from store.core.errors import NotFound, PermissionDenied, StoreError, ValidationError
from store.core.fields import from_scaled
from store.models import AccountDay, AuditEvent, JournalEntry, JournalLine
from store.security import auth

D = Decimal


@pytest.fixture
def people(shop):
    return {"owner": auth.authenticate("boss", "8888"),
            "accountant": auth.create_user("kuaiji", "accountant", pin="3690"),
            "cashier": auth.create_user("till", "cashier", pin="1234")}


def check_days_equal_the_journal() -> None:
    """account_day holds exactly Σ of the journal's lines per account and day."""
    lines = {(a, d): (dr, cr) for a, d, dr, cr in
             JournalLine.select(JournalLine.account, JournalEntry.date,
                                fn.SUM(JournalLine.debit), fn.SUM(JournalLine.credit))
             .join(JournalEntry).group_by(JournalLine.account, JournalEntry.date).tuples()}
    days = {(r.account_id, r.date): (r.debit, r.credit) for r in AccountDay.select()}
    assert {k: (from_scaled(JournalLine.debit, v[0]), from_scaled(JournalLine.credit, v[1]))
            for k, v in lines.items()} == days
    assert sum((r.balance for r in ledger.trial_balance()), D(0)) == 0


def test_entries_are_dated_and_kept_by_day(people) -> None:
    d1, d2 = dt.date(2026, 10, 30), dt.date(2026, 11, 2)
    ledger.post_entry("a", "R1", [Posting("1001", debit=D("10.00")),
                                  Posting("6001", credit=D("10.00"))], date=d1)
    ledger.post_entry("b", "R2", [Posting("1001", debit=D("5.50")),
                                  Posting("6001", credit=D("5.50"))], date=d1)
    ledger.post_entry("c", "R3", [Posting("1002", debit=D("1.00")),
                                  Posting("6001", credit=D("1.00"))], date=d2)
    check_days_equal_the_journal()
    assert ledger.balance("1001") == D("15.50")
    assert ledger.balance("6001", as_of=d1) == D("-15.50")
    assert ledger.balance("6001") == D("-16.50")
    moves = {r.code: r.balance for r in ledger.period_balances(d2, d2)}
    assert moves["1002"] == D("1.00") and moves["1001"] == 0
    # Without a date, the shop's today.
    e = ledger.post_entry("d", "R4", [Posting("1001", debit=D("1")), Posting("6001", credit=D("1"))])
    assert e.date == clock.local_today()


def test_unbalanced_or_unknown_is_refused_and_nothing_written(people) -> None:
    with pytest.raises(StoreError, match="does not balance"):
        ledger.post_entry("x", "", [Posting("1001", debit=D("1")), Posting("6001", credit=D("2"))])
    with pytest.raises(ValidationError, match="9999"):
        ledger.post_entry("x", "", [Posting("9999", debit=D("1")), Posting("6001", credit=D("1"))])
    assert JournalEntry.select().count() == 0 and AccountDay.select().count() == 0


def test_a_locked_month_takes_no_postings(people) -> None:
    owner, accountant = people["owner"], people["accountant"]
    today = clock.local_today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1))
    month = last_month.strftime("%Y-%m")
    ledger.post_entry("before", "", [Posting("1001", debit=D("1")),
                                     Posting("6001", credit=D("1"))], date=last_month)
    with pytest.raises(PermissionDenied):
        ledger.lock_period(people["cashier"], month)
    with pytest.raises(ValidationError, match="not over"):
        ledger.lock_period(accountant, today.strftime("%Y-%m"))
    with pytest.raises(ValidationError, match="month"):
        ledger.lock_period(accountant, "2026-13")
    assert ledger.lock_period(accountant, month) == last_month
    with pytest.raises(StoreError, match="locked through"):
        ledger.post_entry("late", "", [Posting("1001", debit=D("1")),
                                       Posting("6001", credit=D("1"))], date=last_month)
    with pytest.raises(StoreError, match="locked through"):
        ledger.post_manual(accountant, last_month.replace(day=1), "fix", [
            ManualLine("6602", debit="5"), ManualLine("1001", credit="5")])
    # Today still posts; a correction goes into the open period.
    ledger.post_manual(accountant, today, "fix", [ManualLine("6602", debit="5"),
                                                  ManualLine("1001", credit="5")])
    assert ledger.unlock_period(owner, month) < last_month.replace(day=1)
    ledger.post_entry("late", "", [Posting("1001", debit=D("1")),
                                   Posting("6001", credit=D("1"))], date=last_month)
    kinds = [e.kind for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert "period_lock" in kinds and "period_unlock" in kinds
    check_days_equal_the_journal()


def test_manual_entries_and_reversals(people) -> None:
    accountant = people["accountant"]
    today = clock.local_today()
    with pytest.raises(PermissionDenied):
        ledger.post_manual(people["cashier"], today, "rent", [
            ManualLine("6602", debit="3000"), ManualLine("1002", credit="3000")])
    for bad in ([ManualLine("6602", debit="3000"), ManualLine("1002", credit="2999.99")],
                [ManualLine("6602", debit="3000")],
                [ManualLine("6602", debit="1", credit="1"), ManualLine("1002", credit="0")],
                [ManualLine("6602", debit="-5"), ManualLine("1002", credit="-5")],
                [ManualLine("6602", debit="abc"), ManualLine("1002", credit="1")]):
        with pytest.raises((ValidationError, StoreError)):
            ledger.post_manual(accountant, today, "rent", bad)
    assert JournalEntry.select().count() == 0
    rent = ledger.post_manual(accountant, today, "房租 11月", [
        ManualLine("6602", debit="3000"), ManualLine("1002", credit="3000")])
    assert rent.kind == "manual" and rent.created_by == "kuaiji" and rent.total == D("3000.00")
    with pytest.raises(ValidationError, match="reason"):
        ledger.reverse(accountant, rent.id, reason=" ")
    back = ledger.reverse(accountant, rent.id, reason="entered twice")
    assert back.reverses == rent.id
    assert [(ln.account, ln.debit, ln.credit) for ln in back.lines] == [
        ("6602", D("0.00"), D("3000.00")), ("1002", D("3000.00"), D("0.00"))]
    with pytest.raises(StoreError, match="already reversed"):
        ledger.reverse(accountant, rent.id, reason="again")
    with pytest.raises(NotFound):
        ledger.reverse(accountant, 9999, reason="x")
    assert ledger.balance("6602") == 0 and ledger.balance("1002") == 0
    assert [e.id for e in ledger.journal(kind="manual")] == [rent.id]
    assert {e.id for e in ledger.journal(account="6602")} == {rent.id, back.id}
    check_days_equal_the_journal()


def test_a_manual_entry_moves_something_and_is_dated_in_the_open_books(people) -> None:
    """Issue 15.8: an entry dated 0001-01-01, or debiting and crediting one account, was
    accepted."""
    accountant = people["accountant"]
    today = clock.local_today()
    rent = [ManualLine("6602", debit="3000"), ManualLine("1002", credit="3000")]
    with pytest.raises(ValidationError, match="same account 1002"):
        ledger.post_manual(accountant, today, "nothing", [
            ManualLine("1002", debit="5"), ManualLine("1002", credit="5")])
    for day in (dt.date(1, 1, 1), today.replace(year=today.year - 2),
                today + dt.timedelta(days=400)):
        with pytest.raises(ValidationError, match="outside the open books"):
            ledger.post_manual(accountant, day, "rent", rent)
    assert JournalEntry.select().count() == 0
    ledger.post_manual(accountant, today + dt.timedelta(days=20), "accrual", rent)
    ledger.post_manual(accountant, today.replace(year=today.year - 1, month=1, day=1),
                       "opening", rent)
    assert JournalEntry.select().count() == 2


def test_the_chart_can_grow_and_accounts_close_only_when_empty(people) -> None:
    accountant = people["accountant"]
    ledger.create_account(accountant, "660201", "管理费用-房租", "expense", "Rent")
    for code, kind in (("66A", "expense"), ("660201", "expense"), ("660202", "weird")):
        with pytest.raises(ValidationError):
            ledger.create_account(accountant, code, "x", kind)
    with pytest.raises(PermissionDenied):
        ledger.create_account(people["cashier"], "660203", "x", "expense")
    ledger.post_manual(accountant, clock.local_today(), "rent", [
        ManualLine("660201", debit="100"), ManualLine("1001", credit="100")])
    with pytest.raises(StoreError, match="balance"):
        ledger.rename_account(accountant, "660201", "", active=False)
    ledger.rename_account(accountant, "660201", "房租", name_en="Shop rent")
    assert [a.name for a in ledger.accounts() if a.code == "660201"] == ["房租"]


def test_the_shops_day_not_utc_dates_an_entry(people) -> None:
    clock.set_shop_zone("Asia/Shanghai")
    # 23:30 UTC on the 1st is 07:30 on the 2nd in Beijing.
    with clock.at(dt.datetime(2026, 11, 1, 23, 30)):
        e = ledger.post_entry("early", "", [Posting("1001", debit=D("1")),
                                            Posting("6001", credit=D("1"))])
    assert e.date == dt.date(2026, 11, 2)
