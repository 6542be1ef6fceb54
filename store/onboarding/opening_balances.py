"""Opening balances from the shop's old books (管家婆, 思迅, an accountant's Excel): what each
customer owed (one row per open invoice, so aging stays true), what the shop owed each
supplier, and the accounts' balances (cash, bank, capital …), posted as ONE balanced opening
entry; whatever the rows leave unbalanced goes to the owner's capital, and the report says how
much. Customers' rows become receivables they pay like any sale on account; suppliers' rows
become bills the shop pays like any other. A party or an account that already has an opening
balance is refused, so a second run cannot double it (a correction is a payment or a journal
entry). Accounts kept by a sub-ledger (receivables, payables, goods not billed, inventory) are
refused by code: their balance comes from the customer, supplier and `import stock` rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Literal

from peewee import fn

from store.books import ledger
from store.books.ledger import Posting, signed
from store.buying import payables
from store.common import clock
from store.core import text
from store.core.dates import parse_day
from store.core.errors import ValidationError
from store.core.i18n import N_, _, phrase
from store.core.importing import ImportReport, Outcome, run_rows
from store.core.money import ZERO, parse_decimal
from store.core.sheetfile import open_table
from store.customers import receivables
from store.models import Account, Customer, JournalEntry, JournalLine, Receivable, Supplier, SupplierBill
from store.security import audit, permissions
from store.security.auth import SessionUser

REFERENCE = "OPENING-BALANCES"  # the entry's reference: how a second run finds the first
ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "type", "类型", "往来类型", "余额类型"),
    "code": ("code", "编码", "客户编码", "供应商编码", "科目编码", "科目代码", "代码"),
    "amount": ("amount", "balance", "期初余额", "余额", "金额"),
    "debit": ("debit", "借方", "期初借方", "借方余额", "借方金额"),
    "credit": ("credit", "贷方", "期初贷方", "贷方余额", "贷方金额"),
    "date": ("date", "单据日期", "日期", "开单日期"),
    "due_date": ("due_date", "到期日", "到期日期", "应付日期", "应收日期"),
    "reference": ("reference", "单据号", "单号", "发票号", "原单号"),
}
EXAMPLES = [
    {"kind": "customer", "code": "M000001", "amount": "1280.00", "date": "2026-11-20",
     "due_date": "2026-12-20", "reference": "XS-2026-0418"},
    {"kind": "supplier", "code": "S001", "amount": "5600.00", "date": "2026-11-15",
     "reference": "FP-88231"},
    {"kind": "account", "code": "1001", "amount": "3000.00"},
    {"kind": "account", "code": "1002", "debit": "48000.00"},
]
_KINDS = {"customer": "customer", "客户": "customer", "会员": "customer",
          "supplier": "supplier", "供应商": "supplier",
          "account": "account", "科目": "account", "会计科目": "account"}
Kind = Literal["customer", "supplier", "account"]
# Kept by a sub-ledger: named by customer, supplier or opening-stock rows, never directly.
_SUBLEDGER = {ledger.AR: N_("receivables come from customer rows"),
              ledger.AP: N_("payables come from supplier rows"),
              ledger.GRNI: N_("goods not billed come from goods receipts"),
              ledger.INVENTORY: N_("inventory comes from `zhanggui import stock`")}
TOTALS = ("receivable", "payable", "accounts", "capital")


def import_balances(path: Path, actor: SessionUser, *, day: dt.date | None = None,
                    skip_bad: bool = False, dry_run: bool = False) -> ImportReport:
    """Rows: kind (customer, supplier, account), code, and the balance as `amount` (what the
    customer owes, what the shop owes the supplier, an account's balance on its usual side:
    debit for assets and expenses, credit for liabilities, equity and income) or as
    `debit`/`credit`; for a party's row also the document's date, due date and number.
    Dated `day` (the shop's today); needs `post_journal`. All or nothing unless skip_bad."""
    path = Path(path)
    permissions.check_apart(actor, "post_journal", reference=path.name[:64])
    opening_day = day or clock.local_today()
    ledger.check_open(opening_day)
    table = open_table(path, ALIASES, ("kind", "code"))
    if not {"amount", "debit", "credit"} & set(table.columns.values()):
        raise ValidationError(_("{file}: no amount column (amount, or debit and credit)").format(
            file=path.name), field="amount", value="")
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    debits: dict[str, Decimal] = defaultdict(Decimal)  # account code → Σ debit − credit
    account_lines: dict[str, int] = {}
    parties_now: set[tuple[str, int]] = set()  # imported in this run: more rows may follow

    def apply(line: int, v: dict[str, str]) -> Outcome:
        kind = _kind(v["kind"], line)
        raw = v["code"].strip()
        if not raw:
            raise ValidationError(_("code: empty"), field="code", value=raw, row=line)
        value = _debit_side(v, kind, raw, line)
        if value == 0:
            return "unchanged"
        if kind == "account":
            code = _account(raw, line, account_lines)
            debits[code] += value
            account_lines[code] = line
            return "created"
        document = _document_dates(v, opening_day, line)
        reference = text.short(text.clean(v.get("reference", ""), field="reference", row=line),
                               field="reference", longest=64)
        if kind == "customer":
            customer = _customer(raw, line, parties_now)
            receivables.record_opening(customer.id, value, document[0],
                                       document[1] or _due(document[0], customer), reference)
            debits[ledger.AR] += value
            return "created"
        supplier = _supplier(raw, line, parties_now)
        if value > 0:
            raise ValidationError(
                _("amount: {code} would owe the shop {amount}; record money paid ahead to a "
                  "supplier with `zhanggui pay --prepayment`").format(code=supplier.code,
                                                                       amount=value),
                field="amount", value=str(value), row=line)
        try:
            payables.record_opening(supplier.id, -value, document[0],
                                    document[1] or _due(document[0], supplier), reference,
                                    actor.id)
        except ValidationError as err:
            err.row = line
            raise
        debits[ledger.AP] += value
        return "created"

    def finish() -> None:
        total = sum(debits.values(), ZERO)
        report.totals = {"receivable": debits.get(ledger.AR, ZERO),
                         "payable": -debits.get(ledger.AP, ZERO),
                         "accounts": sum((v for c, v in debits.items()
                                          if c not in (ledger.AR, ledger.AP)), ZERO),
                         "capital": -total}
        postings = [signed(code, amount) for code, amount in sorted(debits.items())]
        postings.append(signed(ledger.CAPITAL, -total))
        if any(p.debit or p.credit for p in postings):
            ledger.post_entry(phrase(N_("Opening balances")), REFERENCE, _merged(postings),
                              kind="opening", date=opening_day, user_id=actor.id)
        audit.record("balances_imported", {"file": path.name[:200], "rows": report.created,
                                           "capital": audit.minor(-total)},
                     user_id=actor.id, reference=path.name[:64])

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)


def _merged(postings: list[Posting]) -> list[Posting]:
    """Capital named in the file and capital taking the difference: one line, not two."""
    by_code: dict[str, Decimal] = defaultdict(Decimal)
    for p in postings:
        by_code[p.account] += p.debit - p.credit
    return [signed(code, amount) for code, amount in by_code.items()]


def _kind(value: str, line: int) -> Kind:
    kind = _KINDS.get(value.strip().lower())
    if kind is None:
        raise ValidationError(_("kind: '{value}' is not customer, supplier or account").format(
            value=value.strip()), field="kind", value=value.strip(), row=line)
    return kind  # type: ignore[return-value]


def _debit_side(v: dict[str, str], kind: Kind, code: str, line: int) -> Decimal:
    """The row's balance as a debit (negative: a credit), from `amount` on the usual side
    of what the row names, or from `debit` and `credit`."""
    amount = v.get("amount", "").strip()
    debit, credit = v.get("debit", "").strip(), v.get("credit", "").strip()
    if amount and (debit or credit):
        raise ValidationError(_("amount: give amount, or debit and credit, not both"),
                              field="amount", value=amount, row=line)
    if not amount:
        return (parse_decimal(debit or "0", field="debit", row=line)
                - parse_decimal(credit or "0", field="credit", row=line))
    value = parse_decimal(amount, field="amount", allow_negative=True, row=line)
    if kind == "customer":
        return value
    if kind == "supplier":
        return -value
    found = Account.get_or_none(Account.code == code)
    return value if found is None or found.kind in ("asset", "expense") else -value


def _account(code: str, line: int, seen: dict[str, int]) -> str:
    found = Account.get_or_none((Account.code == code) & Account.active)
    if found is None:
        raise ValidationError(_("code: no account '{value}'").format(value=code), field="code",
                              value=code, row=line)
    if code in _SUBLEDGER:
        raise ValidationError(_("code: {code} is not entered directly: {why}").format(
            code=code, why=_(_SUBLEDGER[code])), field="code", value=code, row=line)
    if code in seen:
        raise ValidationError(_("code: account {code} is also on line {line}").format(
            code=code, line=seen[code]), field="code", value=code, row=line)
    already = (JournalLine.select().join(JournalEntry)
               .where((JournalLine.account == found.id) & (JournalEntry.kind == "opening")
                      & (JournalEntry.reference == REFERENCE)).exists())
    if already:
        raise ValidationError(_("code: account {code} already has an opening balance; correct "
                                "it with a journal entry").format(code=code), field="code",
                              value=code, row=line)
    return code


def _party(model: type[Customer] | type[Supplier], opened: Callable[[int], bool], what: str,
           code: str, line: int, now: set[tuple[str, int]]) -> Customer | Supplier:
    found = model.get_or_none(fn.UPPER(model.code) == code.upper())
    if found is None or not found.active:
        message = (_("code: no customer '{value}'") if what == "customer"
                   else _("code: no supplier '{value}'"))
        raise ValidationError(message.format(value=code), field="code", value=code, row=line)
    if (what, found.id) not in now and opened(found.id):
        raise ValidationError(_("code: {code} already has an opening balance; correct it with "
                                "a payment or a journal entry").format(code=found.code),
                              field="code", value=code, row=line)
    now.add((what, found.id))
    return found


def _customer(code: str, line: int, now: set[tuple[str, int]]) -> Customer:
    return _party(Customer, lambda i: Receivable.select().where(
        (Receivable.customer == i) & Receivable.opening).exists(), "customer", code, line,
        now)  # type: ignore[return-value]


def _supplier(code: str, line: int, now: set[tuple[str, int]]) -> Supplier:
    return _party(Supplier, lambda i: SupplierBill.select().where(
        (SupplierBill.supplier == i) & SupplierBill.opening).exists(), "supplier", code, line,
        now)  # type: ignore[return-value]


def _document_dates(v: dict[str, str], opening_day: dt.date, line: int
                    ) -> tuple[dt.date, dt.date | None]:
    day = (parse_day(v["date"], field="date", row=line) if v.get("date", "").strip()
           else opening_day)
    if day > opening_day:
        raise ValidationError(_("date: {value} is after the opening day {day}").format(
            value=day.isoformat(), day=opening_day.isoformat()), field="date",
            value=v.get("date"), row=line)
    due = (parse_day(v["due_date"], field="due_date", row=line)
           if v.get("due_date", "").strip() else None)
    if due is not None and due < day:
        raise ValidationError(_("due_date: {due} is before the document's date {day}").format(
            due=due.isoformat(), day=day.isoformat()), field="due_date",
            value=v.get("due_date"), row=line)
    return day, due


def _due(day: dt.date, party: Customer | Supplier) -> dt.date:
    return day + dt.timedelta(days=int(party.payment_days or 0))
