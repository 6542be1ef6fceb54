"""Customers and suppliers from a file, as a shop brings them from Excel or another system
(管家婆, 思迅, 银豹 all export a sheet): headers by name, Chinese or English, every row checked
by the same rules as adding one by hand, all or nothing. A code the shop already has is left
as it is ("unchanged"), so a file can be imported again after its bad rows are fixed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peewee import fn

from store.core import text
from store.core.db import bulk_insert, unit_of_work
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.importing import (
    ImportRejected,
    ImportReport,
    Outcome,
    Progress,
    Rows,
    chunks,
    run_rows,
)
from store.core.sheetfile import Table, open_table
from store.customers import parties
from store.models import Customer, CustomerGroup, Supplier
from store.security import audit, crypto, permissions
from store.security.auth import SessionUser

CUSTOMER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "会员号", "会员编号", "会员卡号", "客户编码", "客户编号", "编码"),
    "name": ("name", "姓名", "名称", "客户名称", "会员姓名"),
    "phone": ("phone", "mobile", "手机", "手机号", "手机号码", "电话"),
    "group": ("group", "会员等级", "客户分组", "分组", "等级"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱"),
    "address": ("address", "地址", "收货地址"),
    "credit_limit": ("credit_limit", "信用额度", "赊账额度"),
}
CUSTOMER_EXAMPLE = {"code": "M000001", "name": "王芳", "phone": "13800138000",
                    "group": "", "email": "wang@example.cn", "address": "上海市长宁区",
                    "credit_limit": "0"}
SUPPLIER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "供应商编码", "供应商编号", "编码"),
    "name": ("name", "供应商名称", "供应商", "名称"),
    "contact": ("contact", "联系人"),
    "phone": ("phone", "电话", "联系电话", "手机"),
    "payment_days": ("payment_days", "terms", "账期", "付款天数"),
    "lead_time_days": ("lead_time_days", "lead_time", "到货天数", "交货天数"),
}
SUPPLIER_EXAMPLE = {"code": "S001", "name": "杭州饮料批发有限公司", "contact": "李经理",
                    "phone": "0571-88886666", "payment_days": "30", "lead_time_days": "3"}


def import_customers(path: Path, actor: SessionUser, *, skip_bad: bool = False,
                     dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Needs `export_customer_data` (who may see and correct customers' data); phones,
    e-mails and addresses are sealed as they are for a customer added by hand.

    A shop's member list runs to 100,000 rows, so the file is read twice, CHUNK rows at a
    time, like the product import: once to check every row by the rules of `check_customer`
    (a dry run stops there), then, if all is well, again inside the write's transaction,
    each chunk sealed and inserted at once. A code the shop has, in any letter case, is
    left as it is; a code twice in the file is named with the line it repeats."""
    path = Path(path)
    permissions.check_apart(actor, "export_customer_data", reference=path.name[:64])
    table = open_table(path, CUSTOMER_ALIASES, ("code", "name"))
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    checker = _CustomerChecker()
    for chunk in chunks(table):
        checker.check(chunk, report)
        if progress:
            progress("check", chunk[-1][0], table.lines)
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    if not dry_run and report.created:
        _write_customers(table, actor, path.name, report, progress)
    return report


class _CustomerChecker:
    def __init__(self) -> None:
        self.groups = {g.code.upper(): g for g in CustomerGroup.select()}
        codes: Any = Customer.select(Customer.code).tuples()
        self.known = {str(code).upper() for (code,) in codes}
        self.first_line: dict[str, int] = {}

    def check(self, rows: Rows, report: ImportReport) -> list[parties.NewCustomer]:
        """The new customers among `rows`; counts and errors go into `report`."""
        out = []
        for line, v in rows:
            try:
                key = text.clean(v["code"], field="code", row=line).upper()
                if key in self.first_line:
                    raise ValidationError(_("code: '{value}' is also on line {line}").format(
                        value=v["code"].strip(), line=self.first_line[key]), field="code",
                        value=v["code"].strip())
                if key in self.known:
                    self.first_line[key] = line
                    report.unchanged += 1
                    continue
                new = parties.check_customer(
                    v["code"], v["name"], group=v.get("group") or None,
                    credit_limit=v.get("credit_limit") or "0", phone=v.get("phone", ""),
                    address=v.get("address", ""), email=v.get("email", ""),
                    groups=self.groups)
            except ValidationError as err:
                report.refuse(line, err)
                continue
            self.first_line[key] = line
            report.created += 1
            out.append(new)
        return out


@unit_of_work
def _write_customers(table: Table, actor: SessionUser, name: str, checked: ImportReport,
                     progress: Progress | None) -> None:
    """Check each chunk again as it is written (a customer added meanwhile is left as it is)
    and insert it; one audit event for the file."""
    seal = crypto.sealer()
    checker = _CustomerChecker()
    written = ImportReport()
    for chunk in chunks(table):
        new = checker.check(chunk, written)
        if new:
            bulk_insert(Customer, [parties.customer_row(c, seal) for c in new])
        if progress:
            progress("write", chunk[-1][0], table.lines)
    checked.created, checked.unchanged = written.created, written.unchanged
    audit.record("customers_imported", {"file": name[:200], "created": written.created},
                 user_id=actor.id, reference=name[:64])


def import_suppliers(path: Path, actor: SessionUser, *, skip_bad: bool = False,
                     dry_run: bool = False) -> ImportReport:
    """Needs `purchase`, as adding a supplier by hand does; each is in the audit chain."""
    path = Path(path)
    permissions.check_apart(actor, "purchase", reference=path.name[:64])
    table = open_table(path, SUPPLIER_ALIASES, ("code", "name"))
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)

    def apply(line: int, v: dict[str, str]) -> Outcome:
        code = v["code"].strip()
        if Supplier.get_or_none(fn.UPPER(Supplier.code) == code.upper()):
            return "unchanged"
        parties.add_supplier(actor, code, v["name"], contact=v.get("contact", ""),
                             phone=v.get("phone", ""),
                             payment_days=_days(v.get("payment_days"), "payment_days", 30, line),
                             lead_time_days=_days(v.get("lead_time_days"), "lead_time_days", 3,
                                                  line))
        return "created"

    def finish() -> None:
        audit.record("suppliers_imported", {"file": path.name[:200], "created": report.created},
                     user_id=actor.id, reference=path.name[:64])

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)


def _days(text: str | None, field: str, default: int, line: int) -> int:
    value = (text or "").strip().removesuffix("天")
    if not value:
        return default
    if not value.isdigit() or len(value) > 4:
        raise ValidationError(_("{field}: '{value}' is not a number of days").format(
            field=field, value=text), field=field, value=text, row=line)
    return int(value)
