"""Opening balances from the shop's old books (issue 16.4): customers' open invoices become
receivables they pay like a sale on account, suppliers' become bills the shop pays, accounts
take their balances, all in ONE balanced entry with the difference to capital; a second run is
refused; every bad row is named and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from store.books import ledger
from store.buying import payables
from store.common import clock
from store.core.errors import PermissionDenied, StoreError
from store.core.importing import ImportRejected
from store.customers import parties, receivables
from store.models import JournalEntry, Receivable, SupplierBill
from store.onboarding import templates
from store.onboarding.opening_balances import import_balances
from store.security import accounts, audit, auth

D = Decimal


@pytest.fixture
def boss(shop):
    parties.create_customer("M001", "王芳")
    parties.create_customer("M002", "李雷")
    parties.create_supplier("S001", "杭州饮料", payment_days=45)
    parties.create_supplier("S002", "上海粮油")
    return auth.authenticate("boss", "8888")


def write(tmp_path: Path, text: str, name: str = "b.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def day(offset: int = 0) -> dt.date:
    return clock.local_today() + dt.timedelta(days=offset)


def good(today: dt.date) -> str:
    back = (today - dt.timedelta(days=40)).isoformat()
    return ("类型,编码,期初余额,借方,贷方,单据日期,到期日,单据号\n"
            f"客户,m001,1280.00,,,{back},,XS-0418\n"  # due after M001's 30 days: 10 days late
            "customer,M001,200,,,,,XS-0420\n"
            "customer,M002,-50.00,,,,,\n"  # the shop owes M002 (a credit on account)
            f"供应商,S001,5600.00,,,{back},,FP-88231\n"  # 45 days: due in 5 days
            "supplier,S002,0,,,,,\n"  # nothing owed: unchanged
            "科目,1001,3000.00,,,,,\n"  # cash: an asset, amount on the debit side
            "account,1002,,48000.00,,,,\n"
            "account,6001,12000,,,,,\n")  # revenue to date: income, the credit side


def test_one_balanced_entry_with_the_difference_to_capital(boss, tmp_path) -> None:
    today = day()
    report = import_balances(write(tmp_path, good(today), encoding="gb18030"), boss, day=today)
    assert (report.created, report.unchanged, report.errors) == (7, 1, [])
    assert report.totals == {"receivable": D("1430.00"), "payable": D("5600.00"),
                             "accounts": D("39000.00"), "capital": D("-34830.00")}
    (entry,) = JournalEntry.select().where(JournalEntry.kind == "opening")
    assert (entry.date, entry.reference) == (today, "OPENING-BALANCES")
    assert ledger.balance(ledger.AR) == D("1430.00")
    assert ledger.balance(ledger.AP) == D("-5600.00")
    assert ledger.balance(ledger.CASH) == D("3000.00")
    assert ledger.balance(ledger.BANK) == D("48000.00")
    assert ledger.balance(ledger.REVENUE) == D("-12000.00")
    assert ledger.balance(ledger.CAPITAL) == D("-34830.00")
    assert sum(r.balance for r in ledger.trial_balance()) == 0
    # the sub-ledgers agree with the accounts, document by document
    assert receivables.balance(parties.customers()[0].id) == D("1480.00")
    assert {r.reference: (r.amount, r.due_date) for r in
            Receivable.select().where(Receivable.opening)} == {
        "XS-0418": (D("1280.00"), today - dt.timedelta(days=10)),
        "XS-0420": (D("200.00"), today + dt.timedelta(days=30)),
        "": (D("-50.00"), today + dt.timedelta(days=30))}
    (bill,) = SupplierBill.select()
    assert (bill.opening, bill.total, bill.supplier_ref) == (True, D("5600.00"), "FP-88231")
    assert bill.due_date == today + dt.timedelta(days=5)
    late = {r.code: r.buckets for r in receivables.aging(today)}
    assert late["M001"][1] == D("1280.00") and late["M001"][0] == D("200.00")
    statement = receivables.statement("M001")
    assert [line.document for line in statement] == ["Opening balance XS-0418",
                                                     "Opening balance XS-0420"]
    assert audit.verify_chain()[1] is None


def test_opening_documents_are_paid_like_any_other(boss, tmp_path) -> None:
    today = day()
    import_balances(write(tmp_path, good(today)), boss, day=today)
    paid = receivables.receive_payment(boss, "M001", "1280.00", sales=["XS-0418"])
    assert paid.allocations == [("Opening balance XS-0418", D("1280.00"))]
    assert receivables.balance(parties.customers()[0].id) == D("200.00")
    bill = payables.bills(supplier_code="S001")[0]
    assert bill.opening and bill.lines == []
    payables.pay(boss, "S001", "5600.00", account=ledger.BANK, bills=[bill.number])
    assert payables.bill_view(bill.number).status == "paid"
    assert ledger.balance(ledger.AP) == 0
    assert ledger.balance(ledger.AR) == D("150.00")  # 200 owed by M001, 50 owed to M002


def test_a_second_run_is_refused_and_doubles_nothing(boss, tmp_path) -> None:
    today = day()
    import_balances(write(tmp_path, good(today)), boss, day=today)
    with pytest.raises(ImportRejected) as err:
        import_balances(write(tmp_path, good(today), name="again.csv"), boss, day=today)
    lines = {e.line: e.message for e in err.value.report.errors}
    assert set(lines) == {2, 3, 4, 5, 7, 8, 9}  # every row with an amount; S002's 0 is none
    assert "already has an opening balance" in lines[2] and "journal entry" in lines[7]
    assert JournalEntry.select().where(JournalEntry.kind == "opening").count() == 1
    assert Receivable.select().count() == 3 and SupplierBill.select().count() == 1
    # a party with no opening balance yet can still be brought in by a later file
    parties.create_customer("M003", "韩梅梅")
    report = import_balances(write(tmp_path, "kind,code,amount\ncustomer,M003,88\n",
                                   name="late.csv"), boss, day=today)
    assert report.totals["capital"] == D("-88")
    assert ledger.balance(ledger.AR) == D("1518.00")


def test_bad_rows_are_named_and_nothing_is_written(boss, tmp_path) -> None:
    today = day()
    bad = ("kind,code,amount,debit,credit,date,due_date,reference\n"
           "person,M001,1,,,,,\n"  # 2: no such kind
           "customer,NOPE,1,,,,,\n"  # 3: no customer
           "account,1122,100,,,,,\n"  # 4: receivables come from customer rows
           "account,1405,100,,,,,\n"  # 5: inventory from `import stock`
           "account,9999,1,,,,,\n"  # 6: no account
           "account,1001,5,5,,,,\n"  # 7: amount and debit both
           "account,1002,,-5,,,,\n"  # 8: a negative debit
           "customer,M001,3,00,,,,\n"  # 9: 3,00 is refused (the 00 lands in debit: both)
           "customer,M001,1.5,,,2026-02-30,,\n"  # 10: no such day
           f"customer,M001,1.5,,,{day(3).isoformat()},,\n"  # 11: after the opening day
           f"customer,M001,1.5,,,{today.isoformat()},{day(-1).isoformat()},\n"  # 12: due first
           "supplier,S001,-20,,,,,\n"  # 13: a supplier owing the shop: a prepayment
           "supplier,S001,20,,,,,FP-1\n"
           "supplier,S001,20,,,,,FP-1\n"  # 15: the same invoice twice
           "account,1001,5,,,,,\n"
           "account,1001,6,,,,,\n"  # 17: the same account twice
           "customer,M001,=1+1,,,,,\n"  # 18: a formula is not an amount
           "customer,M001,1e11,,,,,\n")  # 19: nor is 1e11
    with pytest.raises(ImportRejected) as err:
        import_balances(write(tmp_path, bad), boss, day=today)
    got = {e.line: (e.field, e.message) for e in err.value.report.errors}
    assert set(got) == {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 18, 19}
    assert got[4][0] == "code" and "customer rows" in got[4][1]
    assert "import stock" in got[5][1]
    assert got[10] == ("date", "date: there is no date 2026-02-30")
    assert got[12][0] == "due_date" and got[13][0] == "amount" and "prepayment" in got[13][1]
    assert "already entered" in got[15][1] and "line 16" in got[17][1]
    assert JournalEntry.select().where(JournalEntry.kind == "opening").count() == 0
    assert Receivable.select().count() == 0 and SupplierBill.select().count() == 0
    # --skip-bad: the good rows, balanced, and nothing of the bad ones
    report = import_balances(write(tmp_path, bad, name="again.csv"), boss, day=today,
                             skip_bad=True)
    assert report.created == 2 and report.skipped == 16
    assert ledger.balance(ledger.AP) == D("-20") and ledger.balance(ledger.CASH) == D("5")
    assert sum(r.balance for r in ledger.trial_balance()) == 0


def test_dry_run_permission_and_locked_books(boss, tmp_path) -> None:
    today = day()
    report = import_balances(write(tmp_path, good(today)), boss, day=today, dry_run=True)
    assert report.dry_run and report.created == 7 and report.totals["capital"] == D("-34830.00")
    assert JournalEntry.select().count() == 0 and Receivable.select().count() == 0
    clerk = accounts.add_user(boss, "ann", "cashier", pin="4321")
    with pytest.raises(PermissionDenied):
        import_balances(write(tmp_path, good(today)), clerk, day=today)
    first = today.replace(day=1)
    ledger.lock_period(boss, (first - dt.timedelta(days=1)).strftime("%Y-%m"))
    with pytest.raises(StoreError, match="locked"):
        import_balances(write(tmp_path, good(today)), boss, day=first - dt.timedelta(days=1))
    with pytest.raises(StoreError, match="no amount column"):
        import_balances(write(tmp_path, "kind,code\ncustomer,M001\n"), boss, day=today)
    assert JournalEntry.select().count() == 0


def test_the_template_reads_back(boss, tmp_path) -> None:
    parties.create_customer("M000001", "王芳")
    for fmt in ("csv", "xlsx"):
        path = templates.write_template("balances", tmp_path / f"b.{fmt}", fmt)
        report = import_balances(path, boss, day=day(), dry_run=True)
        assert (report.created, report.errors) == (4, []), fmt
        assert report.totals["capital"] == -(D("1280.00") - D("5600.00") + D("51000.00"))
