"""发票 requests out to the tax platform and the invoice numbers back (issue 19.4).

Out: an XLSX in the layout of the electronic invoice service platform's bulk-issue template
(批量开具, 数电票): sheet "1-发票基本信息" with one row per request (its 发票流水号 is the
request's number), sheet "2-发票明细信息" with its lines — the product, its category's tax
classification code, unit, quantity, unit price and amount tax included, tax rate. A line
whose category has no tax code stops the export by name: the platform would refuse it.

Back: the platform's list of issued invoices (CSV or a sheet) with the request's number and
the invoice's number (and date); each request becomes issued. The same file again changes
nothing; an invoice number given to two requests is refused by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from store.core import files
from store.core.db import unit_of_work
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _
from store.core.importing import ImportReport, Outcome, run_rows
from store.core.sheetfile import open_table
from store.models import FapiaoRequest, FapiaoSale
from store.security import audit, permissions
from store.security.auth import SessionUser

from . import requests

BASIC = ("发票流水号", "发票类型", "特定业务类型", "是否含税", "受票方自然人标识",
         "购买方名称", "购买方纳税人识别号", "购买方地址", "购买方电话", "购买方开户银行",
         "购买方银行账号", "备注", "购买方邮箱")
DETAIL = ("发票流水号", "项目名称", "商品和服务税收分类编码", "规格型号", "单位", "数量",
          "单价", "金额", "税率", "折扣金额")
KIND_NAMES = {"normal": "普通发票", "special": "增值税专用发票"}


def export(user: SessionUser, path: str | Path, *, numbers: list[str] | None = None,
           force: bool = False) -> int:
    """The requests still to issue (or those named) into the bulk-issue file; returns how
    many. Nothing is written when one cannot be issued as it stands."""
    permissions.check_apart(user, "fapiao", reference=Path(path).name[:64])
    if numbers:
        chosen = [requests.get(n) for n in numbers]
        for view in chosen:
            if view.status != "requested":
                raise StoreError(_("发票 request {number} is {status}").format(
                    number=view.number, status=_(requests.STATUS_WORDS[view.status])))
    else:
        chosen = list(reversed(requests.requests(user, status="requested")))
    if not chosen:
        raise StoreError(_("No 发票 requests to issue"))
    pairs: Any = (FapiaoSale.select(FapiaoRequest.number, FapiaoSale.sale).join(FapiaoRequest)
                  .where(FapiaoRequest.number.in_([v.number for v in chosen])).tuples())
    sales: dict[str, list[int]] = {}
    for number, sale_id in pairs:
        sales.setdefault(number, []).append(sale_id)
    basic: list[tuple[Any, ...]] = []
    detail: list[tuple[Any, ...]] = []
    for view in chosen:
        for line in requests.invoice_lines(sales[view.number]):
            if not line.tax_code:
                raise ValidationError(_("{request}: {name} ({sku}) has no tax classification "
                                        "code: give its category one (zhanggui fapiao tax-code "
                                        "CATEGORY CODE)").format(
                    request=view.number, name=line.name, sku=line.sku),
                    field="tax_code", value=line.sku)
            detail.append((view.number, line.name, line.tax_code, "", line.unit, line.qty,
                           line.unit_price, line.amount, line.rate, ""))
        basic.append((view.number, KIND_NAMES[view.kind], "", "是",
                       "否" if view.tax_id else "是", view.title, view.tax_id, view.address,
                       "", view.bank, "", (view.note + " " + " ".join(view.sales)).strip()[:200],
                       view.email))
    files.write_file(path, lambda fh: _xlsx(fh, basic, detail), force=force)
    _exported(user, [v.number for v in chosen], Path(path).name)
    return len(chosen)


@unit_of_work
def _exported(user: SessionUser, numbers: list[str], name: str) -> None:
    audit.record("fapiao_exported", {"requests": numbers, "file": name[:200]},
                 user_id=user.id, reference=name[:64])


def _xlsx(fh: Any, basic: list[tuple[Any, ...]], detail: list[tuple[Any, ...]]) -> None:
    import xlsxwriter  # only this export needs it

    book = xlsxwriter.Workbook(fh, {"in_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    for name, heads, rows in (("1-发票基本信息", BASIC, basic), ("2-发票明细信息", DETAIL, detail)):
        sheet = book.add_worksheet(name)
        for c, head in enumerate(heads):
            sheet.write_string(0, c, head, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value == "":
                    continue  # a blank cell, as the template's own are
                if isinstance(value, str):
                    sheet.write_string(r, c, value)  # a tax ID or a code stays text
                else:  # a Decimal: its own digits, never a float's (see reporting.export)
                    sheet.write_number(r, c, value)
    book.close()


ALIASES: dict[str, tuple[str, ...]] = {
    "request": ("request", "发票流水号", "流水号", "申请单号"),
    "invoice_number": ("invoice_number", "数电票号码", "数电发票号码", "发票号码"),
    "issued_on": ("issued_on", "开票日期", "开票时间"),
}


def import_issued(path: str | Path, user: SessionUser, *, skip_bad: bool = False,
                  dry_run: bool = False) -> ImportReport:
    """Each row: the request's number, the invoice's number, when it was issued (optional)."""
    permissions.check_apart(user, "fapiao", reference=Path(path).name[:64])
    table = open_table(Path(path), ALIASES, ("request", "invoice_number"))
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)

    def apply(line: int, values: dict[str, str]) -> Outcome:
        number = values["request"].strip()
        row = FapiaoRequest.get_or_none(FapiaoRequest.number == number)
        if row is None:
            raise ValidationError(_("request: no 发票 request '{value}'").format(
                value=number[:24]), field="request", value=number[:24], row=line)
        given = values["invoice_number"].strip().replace(" ", "")
        if row.status in ("issued", "sent") and row.invoice_number == given:
            return "unchanged"  # the same file again
        if row.status != "requested":
            raise ValidationError(_("request: {number} is {status}").format(
                number=row.number, status=_(requests.STATUS_WORDS[row.status])),
                field="request", value=number, row=line)
        try:
            requests.issue(user, number, given, _date(values.get("issued_on", ""), line))
        except ValidationError as err:
            err.row = line
            raise
        return "updated"

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run)


def _date(text: str, line: int) -> dt.date | None:
    """2026-12-05, 2026/12/05, 2026年12月05日, or with a time after it."""
    value = text.strip()
    if not value:
        return None
    head = value.split()[0].replace("/", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in head.split("-")))
    except ValueError:
        raise ValidationError(_("issued_on: '{value}' is not a date (2026-12-05)").format(
            value=value[:24]), field="issued_on", value=value[:24], row=line) from None
