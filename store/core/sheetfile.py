"""Reading spreadsheets (XLSX, XLS, ODS) the way CSV files are read: headers by name, rows as
text, line numbers as the spreadsheet shows them. python-calamine reads them (Rust, fast);
`open_table` picks the reader by the file's suffix."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

from store.core.csvfile import SHORT, CsvTable, find_columns, normalize_header
from store.core.errors import ValidationError
from store.core.i18n import _

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_EXACT = 10**15  # integers below this survive a spreadsheet's 64-bit float exactly


def cell_text(value: object) -> str:
    """A cell as the text a user sees in it. A number arrives from the file as a binary
    float; it becomes text at once, by its shortest form (3.5, 0.1, 6901234567892) — the
    digits Excel stored — and is parsed from that text as a Decimal like any CSV cell, so no
    float reaches an amount. A sum that Excel left as 0.30000000000000004 is refused there
    for its decimal places rather than rounded here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


class SheetTable:
    """The first sheet of a workbook as (row number, {canonical column: text}); the same
    interface as CsvTable, so every importer takes either. The sheet stays in calamine's
    own compact form; each pass turns one row at a time into text."""

    encoding = "xlsx"

    def __init__(self, path: Path, aliases: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], *, mark_short: bool = False) -> None:
        from python_calamine import CalamineError, CalamineWorkbook  # only when a sheet comes

        source = str(path)
        try:
            book = CalamineWorkbook.from_path(source)
            self._sheet = book.get_sheet_by_index(0)
            top = list(itertools.islice(self._records(), 10))
        except (CalamineError, OSError, ValueError, IndexError) as exc:
            raise ValidationError(
                _("{file}: cannot read it as a spreadsheet ({reason}); save it as .xlsx or "
                  "CSV").format(file=source, reason=str(exc)[:120]),
                field="file", value=source) from None
        if not top:
            raise ValidationError(_("{file}: the file is empty").format(file=source),
                                  field="file", value=source)
        # A sheet often has a title, a date or a blank row above its table: the header is
        # the first of the top rows that names a column this import knows.
        known = {normalize_header(a) for names in aliases.values() for a in names}
        self._at = next((i for i, row in enumerate(top)
                         if any(normalize_header(c) in known for c in row)), 0)
        first = self._sheet.start[0] + 1 if self._sheet.start else 1
        self._first = first + self._at  # the header's row number, as the spreadsheet shows
        self.header = top[self._at]
        self.columns = find_columns(self.header, aliases, required, source=source)
        self.mark_short = mark_short
        self.lines = first + self._sheet.height - 1

    def _records(self) -> Iterator[list[str]]:
        """The rows from the sheet's first used one (iter_rows starts at row 1 even when the
        table starts lower)."""
        skip = self._sheet.start[0] if self._sheet.start else 0
        return ([cell_text(c) for c in row]
                for row in itertools.islice(self._sheet.iter_rows(), skip, None))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.header)
        rows = itertools.islice(self._records(), self._at + 1, None)
        for idx, record in enumerate(rows, start=self._first + 1):
            if not any(record):
                continue
            values = {canon: record[i] if i < len(record) else ""
                      for i, canon in self.columns.items()}
            if self.mark_short and len(record) < width:
                values[SHORT] = f"{len(record)}/{width}"
            yield idx, values


Table = CsvTable | SheetTable


def open_table(path: Path, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...],
               *, mark_short: bool = False) -> Table:
    """A CSV file or a spreadsheet, by its suffix, with the same rows either way."""
    if path.suffix.lower() in SHEET_SUFFIXES:
        return SheetTable(path, aliases, required, mark_short=mark_short)
    return CsvTable(path, aliases, required, mark_short=mark_short)
