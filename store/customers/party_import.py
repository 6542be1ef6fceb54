"""Customers and suppliers from a file, as a shop brings them from Excel or another system
(管家婆, 思迅, 银豹 all export a sheet): headers by name, Chinese or English, every row checked
by the same rules as adding one by hand, all or nothing. A code the shop already has is left
as it is ("unchanged"), so a file can be imported again after its bad rows are fixed."""

from __future__ import annotations

from pathlib import Path

from peewee import fn

from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.core.importing import ImportReport, Outcome, run_rows
from store.core.sheetfile import open_table
from store.customers import parties
from store.models import Customer, Supplier
from store.security import audit, permissions
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
                     dry_run: bool = False) -> ImportReport:
    """Needs `export_customer_data` (who may see and correct customers' data); phones,
    e-mails and addresses are sealed as they are for a customer added by hand."""
    path = Path(path)
    permissions.check_apart(actor, "export_customer_data", reference=path.name[:64])
    table = open_table(path, CUSTOMER_ALIASES, ("code", "name"))
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)

    def apply(line: int, v: dict[str, str]) -> Outcome:
        code = v["code"].strip()
        if Customer.get_or_none(fn.UPPER(Customer.code) == code.upper()):
            return "unchanged"
        try:
            parties.create_customer(code, v["name"], group=v.get("group") or None,
                                    credit_limit=v.get("credit_limit") or "0",
                                    phone=v.get("phone", ""), address=v.get("address", ""),
                                    email=v.get("email", ""))
        except NotFound as exc:  # a group the shop does not have
            raise ValidationError(str(exc), field="group", value=v.get("group"),
                                  row=line) from None
        return "created"

    def finish() -> None:
        audit.record("customers_imported", {"file": path.name[:200], "created": report.created},
                     user_id=actor.id, reference=path.name[:64])

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)


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
