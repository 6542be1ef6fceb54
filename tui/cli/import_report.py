"""How an import says what it did: progress on a terminal, then the counts and every bad row
(by line), or the report as JSON."""

from __future__ import annotations

import dataclasses
import sys

from store.core.i18n import _
from store.core.importing import ImportReport
from store.core.money import format_money
from store.core.text import printable

from .common import print_json


def progress(stage: str, line: int, lines: int) -> None:
    """'checking line 45,000 of 100,001' on a terminal, over itself."""
    if sys.stderr.isatty():
        text = (_("checking line {line} of {lines}") if stage == "check"
                else _("writing line {line} of {lines}")).format(line=f"{line:,}",
                                                                 lines=f"{lines:,}")
        print(f"\r{text}", end="", file=sys.stderr, flush=True)


def print_bad_rows(report: ImportReport, *, indent: str = "  ") -> None:
    """Every listed bad row by line, on stderr, with no control character a cell may hold;
    then how many more there were past the list."""
    for e in report.errors:
        print(printable(indent + _("line {line}: {message}").format(
            line=e.line, message=e.message)), file=sys.stderr)
    if report.unlisted:
        print(indent + _("… and {count} more bad row(s), not listed").format(
            count=f"{report.unlisted:,}"), file=sys.stderr)


def print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        print_json(dataclasses.asdict(report))
        return
    print_bad_rows(report, indent="")
    msg = _("{created} created, {updated} updated ({prices} new prices), {unchanged} "
            "unchanged, {skipped} skipped ({encoding})").format(
        created=report.created, updated=report.updated, prices=report.price_changes,
        unchanged=report.unchanged, skipped=report.skipped, encoding=report.encoding)
    print(_("Dry run, nothing written: {summary}").format(summary=msg) if report.dry_run
          else msg)
    labels = {"receivable": _("customers owe"), "payable": _("owed to suppliers"),
              "accounts": _("accounts (debit − credit)"),
              "capital": _("to owner's capital (the difference)")}
    for key, amount in report.totals.items():
        print(f"  {labels.get(key, key)}: {format_money(amount)}")
