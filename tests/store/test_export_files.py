"""Every report export, opened as a spreadsheet or a script would open it: each cell of the
XLSX and of the CSV read back and compared with the table the report made (issue 15.9 — the
XLSX tests only looked at the file's first two bytes)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from store import bootstrap
from store.common import clock
from store.core import files
from store.reporting import export
from tests.test_cli_backoffice import _day_of_trade

# Reports that must have rows after a day of trade: an empty table would make the read-back
# compare nothing.
WITH_ROWS = {"daily", "sales", "tax", "pnl", "balance-sheet", "trial-balance", "valuation",
             "journal"}


def _expected(value: export.Value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


@pytest.mark.parametrize("name", sorted(export.REPORTS))
def test_each_cell_of_each_export_reads_back_as_the_report_made_it(db_url, tmp_path,
                                                                     name) -> None:
    _day_of_trade(db_url)
    bootstrap.open_store(db_url)
    today = clock.local_today()
    table = export.table(name, export.Params(today - dt.timedelta(days=30), today))
    if name in WITH_ROWS:
        assert table.rows, name

    export.write(table, tmp_path / "r.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet is not None
    got = [list(r) for r in sheet.iter_rows()]
    assert [c.value for c in got[0]] == table.columns  # the headings on row 1
    assert len(got) == len(table.rows) + 1
    for row, cells in zip(table.rows, got[1:], strict=True):
        for value, cell in zip(row, cells, strict=False):
            if isinstance(value, Decimal):
                assert cell.data_type == "n" and cell.number_format == "#,##0.00"
                # the double in the file is the amount's own decimal text, read back exactly
                assert Decimal(repr(cell.value)) == value, (name, row)
            elif isinstance(value, int):
                assert cell.value == value, (name, row)
            else:
                assert cell.data_type == "s" or (value in (None, "") and cell.value is None)
                assert (cell.value or "") == _expected(value), (name, row)

    export.write(table, tmp_path / "r.csv", "csv")
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to see UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == table.columns
    assert len(rows) == len(table.rows) + 1
    for row, cells in zip(table.rows, rows[1:], strict=True):
        assert len(cells) == len(row)
        for value, text in zip(row, cells, strict=True):
            if isinstance(value, Decimal):
                assert Decimal(text) == value and "e" not in text.lower(), (name, text)
            elif isinstance(value, int):
                assert int(text) == value
            else:
                assert files.csv_unescape(text) == _expected(value), (name, text)
