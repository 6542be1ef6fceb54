"""The ledger: a default chart for a Chinese small business, and balanced journal entries."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from .db import unit_of_work
from .errors import StoreError, ValidationError
from .fields import from_scaled
from .i18n import _
from .models import Account, JournalEntry, JournalLine

CASH, BANK, OTHER_FUNDS = "1001", "1002", "1012"
INVENTORY, DEPOSITS, VAT = "1405", "2203", "2221"
GRNI, CAPITAL, INVENTORY_PENDING = "220201", "3001", "1901"  # 暂估应付, 实收资本, 待处理财产损溢
REVENUE, COGS, CASH_OVER_SHORT = "6001", "6401", "6711"
CASH_ROUNDING = "6603"

# Where each kind of tender lands (issue 6 makes this editable).
TENDER_ACCOUNTS = {"cash": CASH, "card": BANK, "wechat": OTHER_FUNDS, "alipay": OTHER_FUNDS,
                   "store_credit": DEPOSITS, "voucher": DEPOSITS}

CHART = (
    ("1001", "库存现金", "Cash on hand", "asset"),
    ("1002", "银行存款", "Bank", "asset"),
    ("1012", "其他货币资金-微信/支付宝", "Other monetary funds - WeChat/Alipay", "asset"),
    ("1122", "应收账款", "Accounts receivable", "asset"),
    ("1405", "库存商品", "Inventory", "asset"),
    ("2202", "应付账款", "Accounts payable", "liability"),
    ("220201", "应付账款-暂估", "Goods received not invoiced", "liability"),
    ("2203", "预收账款-储值卡/代金券", "Customer deposits - store credit/vouchers", "liability"),
    ("2221", "应交税费-应交增值税", "VAT payable", "liability"),
    ("3001", "实收资本", "Owner's capital", "equity"),
    ("6001", "主营业务收入", "Sales revenue", "income"),
    ("6401", "主营业务成本", "Cost of goods sold", "expense"),
    ("6601", "销售费用", "Selling expenses", "expense"),
    ("6602", "管理费用", "Administrative expenses", "expense"),
    ("6603", "财务费用-现金舍入", "Finance costs - cash rounding", "expense"),
    ("6711", "营业外收支-现金长短款", "Cash over/short", "expense"),
    ("1901", "待处理财产损溢", "Inventory gains and losses pending", "asset"),
)


@dataclass(frozen=True)
class Posting:
    account: str  # account code
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)


@dataclass(frozen=True)
class BalanceRow:
    code: str
    name: str
    name_en: str
    debit: Decimal
    credit: Decimal


@unit_of_work
def ensure_chart() -> None:
    """The default chart of accounts, for a shop that has none yet (migration 0004 seeds it)."""
    have = {a.code for a in Account.select(Account.code)}
    for code, name, name_en, kind in CHART:
        if code not in have:
            Account.create(code=code, name=name, name_en=name_en, kind=kind)


@unit_of_work
def post_entry(description: str, reference: str, postings: Sequence[Posting],
               entry_uuid: uuidlib.UUID | None = None) -> JournalEntry:
    """Record one balanced entry; refuses an unbalanced one or an unknown account."""
    lines = [p for p in postings if p.debit or p.credit]
    debit = sum((p.debit for p in lines), Decimal(0))
    credit = sum((p.credit for p in lines), Decimal(0))
    if debit != credit:
        raise StoreError(_("Journal entry '{description}' does not balance: debit {debit}, "
                           "credit {credit}").format(description=description, debit=debit,
                                                     credit=credit))
    if any(p.debit < 0 or p.credit < 0 for p in lines):
        raise ValidationError(_("A journal line cannot be negative"), field="amount", value=None)
    accounts = {a.code: a.id for a in Account.select().where(
        Account.code.in_([p.account for p in lines]))}
    for p in lines:
        if p.account not in accounts:
            raise ValidationError(_("Unknown account '{code}'").format(code=p.account),
                                  field="account", value=p.account)
    entry = JournalEntry.create(uuid=entry_uuid or uuidlib.uuid4(), description=description,
                                reference=reference)
    JournalLine.insert_many([dict(entry=entry.id, account=accounts[p.account], debit=p.debit,
                                  credit=p.credit) for p in lines]).execute()
    return entry


def trial_balance() -> list[BalanceRow]:
    """Debit and credit totals per account, summed in SQL."""
    rows: Any = (Account.select(Account.code, Account.name, Account.name_en,
                           fn.COALESCE(fn.SUM(JournalLine.debit), 0).alias("d"),
                           fn.COALESCE(fn.SUM(JournalLine.credit), 0).alias("c"))
            .join(JournalLine, JOIN.LEFT_OUTER, on=(JournalLine.account == Account.id))
            .group_by(Account.code, Account.name, Account.name_en).order_by(Account.code)
            .tuples())
    out: list[BalanceRow] = []
    for row in rows:
        code, name, en, d, c = row
        out.append(BalanceRow(code, name, en, from_scaled(JournalLine.debit, d),
                              from_scaled(JournalLine.credit, c)))
    return out


def balance(code: str) -> Decimal:
    """Debit minus credit of one account."""
    row = next((r for r in trial_balance() if r.code == code), None)
    return (row.debit - row.credit) if row else Decimal(0)
