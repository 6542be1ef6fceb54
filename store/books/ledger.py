"""The ledger: a default chart for a Chinese small business, balanced journal entries posted as
things happen, daily balances per account, locked periods, manual and reversing entries.

Every entry has an accounting date (the shop's local day). Nothing posts on or before the
date the books are locked through; a correction is a reversing entry in an open period.
Each posting also adds its lines to `account_day` in the same transaction, so a year's
trial balance or P&L sums a few thousand rows, not millions of journal lines."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import EXCLUDED, JOIN, fn

from store.common import clock, settings
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, Phrase, _, phrase, render
from store.core.money import parse_decimal
from store.models import Account, AccountDay, JournalEntry, JournalLine, User
from store.models.ledger import ACCOUNT_KINDS
from store.security import audit, permissions
from store.security.auth import SessionUser

CASH, BANK, OTHER_FUNDS, AR, PREPAYMENTS = "1001", "1002", "1012", "1122", "1123"
INVENTORY, AP, DEPOSITS, VAT = "1405", "2202", "2203", "2221"
GRNI, CAPITAL, INVENTORY_PENDING = "220201", "3001", "1901"  # 暂估应付, 实收资本, 待处理财产损溢
CARDS = "220301"  # what stored-value cards' holders paid in and have not spent
POINTS = "2204"  # members' points not yet spent: revenue deferred until they are
REVENUE, COGS, CASH_OVER_SHORT = "6001", "6401", "6711"
SELLING, ADMIN, CASH_ROUNDING, OTHER_INCOME = "6601", "6602", "6603", "6301"

# Where each kind of tender lands.
TENDER_ACCOUNTS = {"cash": CASH, "card": BANK, "wechat": OTHER_FUNDS, "alipay": OTHER_FUNDS,
                   "store_credit": CARDS, "voucher": DEPOSITS, "account": AR,
                   "points": POINTS}

CHART = (
    ("1001", "库存现金", "Cash on hand", "asset"),
    ("1002", "银行存款", "Bank", "asset"),
    ("1012", "其他货币资金-微信/支付宝", "Other monetary funds - WeChat/Alipay", "asset"),
    ("1122", "应收账款", "Accounts receivable", "asset"),
    ("1123", "预付账款", "Prepayments to suppliers", "asset"),
    ("1405", "库存商品", "Inventory", "asset"),
    ("1901", "待处理财产损溢", "Inventory gains and losses pending", "asset"),
    ("2202", "应付账款", "Accounts payable", "liability"),
    ("220201", "应付账款-暂估", "Goods received not invoiced", "liability"),
    ("2203", "预收账款-储值卡/代金券", "Customer deposits - store credit/vouchers", "liability"),
    ("220301", "预收账款-储值卡", "Customer deposits - stored-value cards", "liability"),
    ("2204", "合同负债-积分", "Contract liabilities - loyalty points", "liability"),
    ("2221", "应交税费-应交增值税", "VAT payable", "liability"),
    ("3001", "实收资本", "Owner's capital", "equity"),
    ("6001", "主营业务收入", "Sales revenue", "income"),
    ("6301", "营业外收入", "Non-operating income", "income"),
    ("6401", "主营业务成本", "Cost of goods sold", "expense"),
    ("6601", "销售费用", "Selling expenses", "expense"),
    ("6602", "管理费用", "Administrative expenses", "expense"),
    ("6603", "财务费用-现金舍入", "Finance costs - cash rounding", "expense"),
    ("6711", "营业外收支-现金长短款", "Cash over/short", "expense"),
)
LOCK_KEY = "books_locked_through"


@dataclass(frozen=True)
class Posting:
    account: str  # account code
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)


def signed(account: str, amount: Decimal) -> Posting:
    """A debit for a positive amount, a credit for a negative one."""
    return Posting(account, debit=amount) if amount >= 0 else Posting(account, credit=-amount)


@dataclass(frozen=True)
class BalanceRow:
    code: str
    name: str
    name_en: str
    kind: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit minus credit."""
        return self.debit - self.credit


@dataclass(frozen=True)
class EntryLine:
    account: str
    name: str
    name_en: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class EntryView:
    id: int
    date: dt.date
    kind: str
    description: str
    reference: str
    created_at: dt.datetime
    created_by: str
    reverses: int | None
    lines: list[EntryLine]

    @property
    def total(self) -> Decimal:
        return sum((ln.debit for ln in self.lines), Decimal(0))


@unit_of_work
def ensure_chart() -> None:
    """The default chart of accounts, for a shop that has none yet (migrations seed it)."""
    have = {a.code for a in Account.select(Account.code)}
    for code, name, name_en, kind in CHART:
        if code not in have:
            Account.create(code=code, name=name, name_en=name_en, kind=kind)


# -- periods -----------------------------------------------------------------------------

def locked_through() -> dt.date | None:
    """The last day of the locked books, or None when nothing is locked."""
    value = settings.read(LOCK_KEY)
    return dt.date.fromisoformat(value) if value else None


def check_open(day: dt.date) -> None:
    """Refuse a day on or before the date the books are locked through."""
    locked = locked_through()
    if locked is not None and day <= locked:
        raise StoreError(_("The books are locked through {locked}: nothing can be posted on "
                           "{day}. Post a correction in an open period.").format(
            locked=locked.isoformat(), day=day.isoformat()))


def _month_end(month: str) -> dt.date:
    try:
        year, mon = (int(part) for part in month.split("-"))
        return dt.date(year, mon, calendar.monthrange(year, mon)[1])
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("month: '{value}' is not a month like 2026-11").format(
            value=month), field="month", value=month) from exc


@unit_of_work
def lock_period(user: SessionUser, month: str) -> dt.date:
    """Lock the books through the end of `month` (YYYY-MM); a month not over yet cannot be
    locked, since today's sales must still post."""
    permissions.check(user, "lock_period", reference=month)
    end = _month_end(month)
    if end >= clock.local_today():
        raise ValidationError(_("{month} is not over yet: only a past month can be locked")
                              .format(month=month), field="month", value=month)
    current = locked_through()
    if current is not None and end <= current:
        return current
    settings.write(LOCK_KEY, end.isoformat())
    audit.record("period_lock", {"through": end.isoformat()}, user_id=user.id, reference=month)
    return end


@unit_of_work
def unlock_period(user: SessionUser, month: str) -> dt.date | None:
    """Open the books again from the start of `month` (recorded; for the owner's corrections)."""
    permissions.check(user, "lock_period", reference=month)
    end = _month_end(month)
    before = end.replace(day=1) - dt.timedelta(days=1)
    current = locked_through()
    if current is None or current < end.replace(day=1):
        return current
    settings.write(LOCK_KEY, before.isoformat())
    audit.record("period_unlock", {"through": before.isoformat()}, user_id=user.id,
                 reference=month)
    return before


# -- posting -----------------------------------------------------------------------------

def _accounts(codes: Sequence[str]) -> dict[str, int]:
    found = {a.code: a.id for a in Account.select(Account.code, Account.id)
             .where(Account.code.in_(list(codes)))}
    for code in codes:
        if code not in found:
            raise ValidationError(_("Unknown account '{code}'").format(code=code),
                                  field="account", value=code)
    return found


@unit_of_work
def post_entry(description: str | Phrase, reference: str, postings: Sequence[Posting], *,
               kind: str = "auto", date: dt.date | None = None, user_id: int | None = None,
               reverses: int | None = None,
               entry_uuid: uuidlib.UUID | None = None) -> JournalEntry:
    """Record one balanced entry in the caller's transaction, dated the shop's today unless
    given; refuses an unbalanced one, an unknown account or a locked date. A Phrase
    description is read later in the reader's language."""
    text_key, text_args = ((description.msgid, description.args_json())
                           if isinstance(description, Phrase) else ("", ""))
    description = str(description)
    lines = [p for p in postings if p.debit or p.credit]
    debit = sum((p.debit for p in lines), Decimal(0))
    credit = sum((p.credit for p in lines), Decimal(0))
    if debit != credit:
        raise StoreError(_("Journal entry '{description}' does not balance: debit {debit}, "
                           "credit {credit}").format(description=description, debit=debit,
                                                     credit=credit))
    if any(p.debit < 0 or p.credit < 0 for p in lines):
        raise ValidationError(_("A journal line cannot be negative"), field="amount", value=None)
    day = date or clock.local_today()
    check_open(day)
    accounts = _accounts(sorted({p.account for p in lines}))
    entry = JournalEntry.create(uuid=entry_uuid or uuidlib.uuid4(), date=day, kind=kind,
                                description=description[:200], reference=reference[:64],
                                text_key=text_key, text_args=text_args,
                                created_by=user_id, reverses=reverses)
    JournalLine.insert_many([dict(entry=entry.id, account=accounts[p.account], debit=p.debit,
                                  credit=p.credit) for p in lines]).execute()
    # Sealed in the audit chain: `audit verify` compares every entry and line with its seal.
    audit.seal("entry", entry_seal(day, kind, description[:200], reference[:64], user_id,
                                     reverses, [(p.account, p.debit, p.credit) for p in lines],
                                     text_key, text_args),
                 user_id=user_id, reference=str(entry.uuid))
    # One row per account and day, in account order (two terminals posting at once lock the
    # rows in the same order, so they queue instead of deadlocking).
    days: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for p in lines:
        days[accounts[p.account]][0] += p.debit
        days[accounts[p.account]][1] += p.credit
    (AccountDay.insert_many([dict(account=a, date=day, debit=d, credit=c)
                             for a, (d, c) in sorted(days.items())])
     .on_conflict(conflict_target=[AccountDay.account, AccountDay.date],
                  update={AccountDay.debit: AccountDay.debit + EXCLUDED.debit,
                          AccountDay.credit: AccountDay.credit + EXCLUDED.credit})
     .execute())
    return entry


def entry_seal(day: dt.date, kind: str, description: str, reference: str, by: int | None,
               reverses: int | None, lines: Sequence[tuple[str, Decimal, Decimal]],
               text_key: str = "", text_args: str = "") -> dict[str, Any]:
    """What the audit chain keeps of a journal entry: amounts as integer cents, lines in
    account order (the order they were written in does not matter), and the description's
    phrase where it has one (entries sealed before migration 0019 have none)."""
    seal: dict[str, Any] = {
        "date": day.isoformat(), "kind": kind, "description": description,
        "reference": reference, "by": by, "reverses": reverses,
        "lines": sorted([code, audit.minor(d), audit.minor(c)] for code, d, c in lines)}
    if text_key:
        seal["text"] = [text_key, text_args]
    return seal


@dataclass(frozen=True)
class ManualLine:
    account: str
    debit: Decimal | str = Decimal(0)
    credit: Decimal | str = Decimal(0)


MANUAL_DAYS_AHEAD = 31  # an accrual dated next month is fine; a typo in the year is not


def _first_open_day() -> dt.date | None:
    """The day after the last locked month, when one is locked."""
    locked = locked_through()
    return locked + dt.timedelta(days=1) if locked else None


@unit_of_work
def post_manual(user: SessionUser, day: dt.date, description: str,
                lines: Sequence[ManualLine]) -> EntryView:
    """An accountant's entry: each line a debit or a credit to an account; it must balance."""
    permissions.check(user, "post_journal")
    description = text.clean(description, field="description")
    if not description:
        raise ValidationError(_("description: say what the entry is for"), field="description",
                              value=description)
    postings: list[Posting] = []
    for i, ln in enumerate(lines, start=1):
        d = parse_decimal(ln.debit or "0", field="debit", row=i)
        c = parse_decimal(ln.credit or "0", field="credit", row=i)
        if d < 0 or c < 0 or (d and c) or not (d or c):
            raise ValidationError(_("Line {n}: give a debit or a credit, more than zero")
                                  .format(n=i), field="amount", value=f"{d}/{c}", row=i)
        postings.append(Posting(ln.account.strip(), d, c))
    if len(postings) < 2:
        raise ValidationError(_("An entry needs at least two lines"), field="lines", value=None)
    accounts = {p.account for p in postings}
    if len(accounts) == 1:  # moves nothing: debit and credit to the one account
        raise ValidationError(_("The entry debits and credits the same account {account}: "
                                "it would move nothing").format(account=postings[0].account),
                              field="account", value=postings[0].account)
    today = clock.local_today()
    # A day in a locked month is refused by post_entry with "locked through", which says why.
    earliest = min(_first_open_day() or today, today.replace(year=today.year - 1, month=1, day=1))
    if not earliest <= day <= today + dt.timedelta(days=MANUAL_DAYS_AHEAD):
        raise ValidationError(_("date: {day} is outside the open books ({first} to {last})")
                              .format(day=day, first=earliest,
                                      last=today + dt.timedelta(days=MANUAL_DAYS_AHEAD)),
                              field="date", value=day)
    entry = post_entry(description.strip(), "", postings, kind="manual", date=day,
                       user_id=user.id)
    audit.record("journal", {"entry": entry.id, "date": day.isoformat(),
                             "lines": [[p.account, audit.minor(p.debit), audit.minor(p.credit)]
                                       for p in postings]}, user_id=user.id)
    return entry_view(entry.id)


@unit_of_work
def reverse(user: SessionUser, entry_id: int, *, day: dt.date | None = None,
            reason: str = "") -> EntryView:
    """Cancel an entry by posting its mirror image (on `day`, today by default): the original
    stays as it was."""
    permissions.check(user, "post_journal", reference=str(entry_id))
    original = JournalEntry.get_or_none(JournalEntry.id == entry_id)
    if original is None:
        raise NotFound(_("No journal entry {id}").format(id=entry_id))
    if JournalEntry.select().where(JournalEntry.reverses == entry_id).exists():
        raise StoreError(_("Journal entry {id} is already reversed").format(id=entry_id))
    if not reason.strip():
        raise ValidationError(_("reason: say why"), field="reason", value=reason)
    view = entry_view(entry_id)
    postings = [Posting(ln.account, debit=ln.credit, credit=ln.debit) for ln in view.lines]
    entry = post_entry(phrase(N_("Reversal of {id}: {reason}"), id=entry_id, reason=reason.strip()),
                       original.reference, postings, kind="reversal", date=day,
                       user_id=user.id, reverses=entry_id)
    audit.record("journal_reversal", {"entry": entry.id, "reverses": entry_id,
                                      "reason": reason.strip()[:200]}, user_id=user.id)
    return entry_view(entry.id)


# -- reading -----------------------------------------------------------------------------

def _balances(where: Any) -> list[BalanceRow]:
    """Σ debit and Σ credit per account over the days `where` selects, summed in SQL."""
    d = fn.COALESCE(fn.SUM(AccountDay.debit), 0)
    c = fn.COALESCE(fn.SUM(AccountDay.credit), 0)
    on = (AccountDay.account == Account.id)
    if where is not None:
        on &= where
    rows: Any = (Account.select(Account.code, Account.name, Account.name_en, Account.kind, d, c)
                 .join(AccountDay, JOIN.LEFT_OUTER, on=on)
                 .group_by(Account.code, Account.name, Account.name_en, Account.kind)
                 .order_by(Account.code).tuples())
    return [BalanceRow(code, name, en, kind, from_scaled(AccountDay.debit, dr),
                       from_scaled(AccountDay.credit, cr))
            for code, name, en, kind, dr, cr in rows]


def trial_balance(as_of: dt.date | None = None) -> list[BalanceRow]:
    """Every account's debit and credit totals up to and including `as_of` (default: all)."""
    return _balances(None if as_of is None else AccountDay.date <= as_of)


def period_balances(start: dt.date, end: dt.date) -> list[BalanceRow]:
    """Movements of every account from `start` to `end`, both included."""
    return _balances((AccountDay.date >= start) & (AccountDay.date <= end))


def balance(code: str, as_of: dt.date | None = None) -> Decimal:
    """Debit minus credit of one account."""
    q = AccountDay.select(fn.COALESCE(fn.SUM(AccountDay.debit - AccountDay.credit), 0)).join(
        Account).where(Account.code == code)
    if as_of is not None:
        q = q.where(AccountDay.date <= as_of)
    return from_scaled(AccountDay.debit, q.scalar())


def accounts(include_inactive: bool = False) -> list[Account]:
    q = Account.select().order_by(Account.code)
    if not include_inactive:
        q = q.where(Account.active == True)  # noqa: E712
    return list(q)


@unit_of_work
def create_account(user: SessionUser, code: str, name: str, kind: str, name_en: str = ""
                   ) -> Account:
    """A new account (a sub-account like 660201 for rent, or a new bank)."""
    permissions.check(user, "post_journal")
    code, name = code.strip(), name.strip()
    if not code.isdigit() or not 4 <= len(code) <= 10:
        raise ValidationError(_("code: '{value}' must be 4 to 10 digits").format(value=code),
                              field="code", value=code)
    if kind not in ACCOUNT_KINDS:
        raise ValidationError(_("kind: '{value}' is not one of {kinds}").format(
            value=kind, kinds=", ".join(ACCOUNT_KINDS)), field="kind", value=kind)
    if not name:
        raise ValidationError(_("name: the account needs a name"), field="name", value=name)
    if Account.select().where(Account.code == code).exists():
        raise ValidationError(_("code: account '{value}' already exists").format(value=code),
                              field="code", value=code)
    account = Account.create(code=code, name=name, name_en=name_en.strip(), kind=kind)
    audit.record("account", {"code": code, "name": name, "kind": kind}, user_id=user.id)
    return account


@unit_of_work
def rename_account(user: SessionUser, code: str, name: str, name_en: str | None = None,
                   active: bool | None = None) -> Account:
    permissions.check(user, "post_journal")
    account = Account.get_or_none(Account.code == code.strip())
    if account is None:
        raise NotFound(_("Unknown account '{code}'").format(code=code))
    changes: dict[Any, Any] = {}
    if name.strip():
        changes[Account.name] = name.strip()
    if name_en is not None:
        changes[Account.name_en] = name_en.strip()
    if active is not None:
        if not active and balance(account.code) != 0:
            raise StoreError(_("Account {code} still has a balance: it cannot be closed").format(
                code=account.code))
        changes[Account.active] = active
    if changes:
        Account.update(changes).where(Account.id == account.id).execute()
        audit.record("account", {"code": account.code, "changes": sorted(
            f.name for f in changes)}, user_id=user.id)
    return Account.get_by_id(account.id)


def entry_view(entry_id: int) -> EntryView:
    e = JournalEntry.get_or_none(JournalEntry.id == entry_id)
    if e is None:
        raise NotFound(_("No journal entry {id}").format(id=entry_id))
    return _views([e])[0]


def entry_text(e: JournalEntry) -> str:
    """The description in the reader's language where it was posted as a phrase."""
    if e.text_key:
        try:
            return render(e.text_key, json.loads(e.text_args or "{}"))
        except ValueError:
            pass  # arguments that are not JSON: the sealed description says the same
    return e.description


def _views(entries: list[JournalEntry]) -> list[EntryView]:
    ids = [e.id for e in entries]
    lines: dict[int, list[EntryLine]] = defaultdict(list)
    for ln in (JournalLine.select(JournalLine, Account).join(Account)
               .where(JournalLine.entry.in_(ids)).order_by(JournalLine.id)):
        lines[ln.entry_id].append(EntryLine(ln.account.code, ln.account.name,
                                            ln.account.name_en, ln.debit, ln.credit))
    users = {u.id: u.username for u in User.select(User.id, User.username).where(
        User.id.in_([e.created_by_id for e in entries if e.created_by_id]))}
    return [EntryView(e.id, e.date, e.kind, entry_text(e), e.reference, e.created_at,
                      users.get(e.created_by_id or 0, ""), e.reverses_id, lines[e.id])
            for e in entries]



# What made each journal entry, in the reader's words (the stored kind is a code).
JOURNAL_KINDS = {
    "sale": N_("sale"), "return": N_("return"), "shift": N_("shift"), "receipt": N_("goods received"),
    "bill": N_("supplier bill"), "payment": N_("payment to supplier"),
    "ar_payment": N_("customer payment"), "invoice": N_("invoice"), "shipment": N_("shipment"),
    "count": N_("stock count"), "opening": N_("opening balance"), "manual": N_("manual entry"),
    "reversal": N_("reversal"), "return_out": N_("goods back to a supplier"),
    "vouchers": N_("vouchers"), "cards": N_("stored-value cards"), "points": N_("points"),
    "write_off": N_("stock written off"),
}


def kind_label(kind: str) -> str:
    return _(JOURNAL_KINDS[kind]) if kind in JOURNAL_KINDS else kind


def journal(start: dt.date | None = None, end: dt.date | None = None, *, account: str = "",
            kind: str = "", reference: str = "", limit: int = 200) -> list[EntryView]:
    """Entries, newest first, with their lines."""
    q = JournalEntry.select()
    if start is not None:
        q = q.where(JournalEntry.date >= start)
    if end is not None:
        q = q.where(JournalEntry.date <= end)
    if kind:
        q = q.where(JournalEntry.kind == kind)
    if reference:
        q = q.where(JournalEntry.reference == reference)
    if account:
        q = q.where(JournalEntry.id.in_(
            JournalLine.select(JournalLine.entry).join(Account).where(Account.code == account)))
    return _views(list(q.order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
                       .limit(limit)))
