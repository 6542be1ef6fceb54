"""Reading merchants' CSV files: UTF-8 (with or without BOM) or GB18030, headers by name."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from store.core.errors import ValidationError
from store.core.files import csv_unescape
from store.core.i18n import _


def decode(data: bytes, *, source: str) -> tuple[str, str]:
    """The text of a file and the encoding it was in; a clear error for anything else.

    A file pasted together from two systems can hold UTF-8 lines and GBK lines: each line is
    then read in its own encoding (the encoding says "utf-8+gb18030"), where decoding it all as
    GB18030 would turn the UTF-8 lines into mojibake without a word."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ValidationError(
            _("{file}: looks like UTF-16; save it as UTF-8 or GB18030 (GBK) CSV").format(
                file=source), field="encoding", value="utf-16")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        _refuse_cut_off(exc, data, source)
    lines = data.splitlines(keepends=True)
    utf8 = {i for i, line in enumerate(lines) if _plainly_utf8(line)}
    parts = []
    for i, line in enumerate(lines):
        if i in utf8:
            parts.append(line.decode("utf-8-sig"))
            continue
        try:
            parts.append(line.decode("gb18030"))
        except UnicodeDecodeError as exc:
            if i == len(lines) - 1:
                _refuse_cut_off(exc, line, source)
            raise ValidationError(
                _("{file}: line {line} is not UTF-8 or GB18030 (GBK) text").format(
                    file=source, line=i + 1), field="encoding", value="unknown") from None
    return "".join(parts), "utf-8+gb18030" if utf8 else "gb18030"


# What Chinese text in UTF-8 decodes to. GBK bytes that happen to be valid UTF-8 (瓶 is C6 BF,
# "ƿ") decode to something else, so a line counts as UTF-8 only when all of it reads as this.
_CJK_TEXT = re.compile(r"[\x00-\x7f\u00a5\u00b7\u00d7\u2010-\u206f\u3000-\u30ff"
                       r"\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]*")


def _plainly_utf8(line: bytes) -> bool:
    if line.isascii():
        return False
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return _CJK_TEXT.fullmatch(text) is not None


def _refuse_cut_off(exc: UnicodeDecodeError, data: bytes, source: str) -> None:
    if exc.start >= len(data) - 3 and exc.reason.startswith(("unexpected end", "incomplete")):
        raise ValidationError(  # a multi-byte character cut in half at the very end
            _("{file}: the file ends in the middle of a character; it looks cut off "
              "— export it again").format(file=source),
            field="file", value="truncated") from None


def normalize_header(name: str) -> str:
    return name.strip().strip("\ufeff").strip().lower()


SHORT = "!short"  # set on a row with fewer cells than the header, when asked for


def read_rows(path: Path, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...],
              *, mark_short: bool = False) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows as (line number, {canonical column: value}) plus the encoding (see CsvTable)."""
    table = CsvTable(path, aliases, required, mark_short=mark_short)
    return list(table), table.encoding


class CsvTable:
    """A CSV file's rows as (line number, {canonical column: value}), read again from the
    start by each iteration, so an import can check every row and then write them without
    holding 100,000 rows in memory.

    Columns are found by name through `aliases` (canonical → accepted headers, any case,
    surrounding spaces ignored), never by position; a missing required column is an error,
    raised on opening. With `mark_short`, a row with fewer cells than the header (a file cut
    off mid-row) carries SHORT: "cells/header cells".
    """

    def __init__(self, path: Path, aliases: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], *, mark_short: bool = False) -> None:
        source = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(_("{file}: cannot read: {reason}").format(
                file=source, reason=exc.strerror), field="file", value=source) from exc
        self.text, self.encoding = decode(data, source=source)
        self.mark_short = mark_short
        try:
            self.header = next(csv.reader(io.StringIO(self.text, newline="")))
        except StopIteration:
            raise ValidationError(_("{file}: the file is empty").format(file=source),
                                  field="file", value=source) from None
        self.columns = find_columns(self.header, aliases, required, source=source)
        self.lines = self.text.count("\n") + (not self.text.endswith("\n"))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(io.StringIO(self.text, newline=""))
        next(reader)
        width = len(self.header)
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            values = {canon: csv_unescape(record[idx].strip() if idx < len(record) else "")
                      for idx, canon in self.columns.items()}
            if self.mark_short and len(record) < width:
                values[SHORT] = f"{len(record)}/{width}"
            yield reader.line_num, values


def find_columns(header: list[str], aliases: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], *, source: str) -> dict[int, str]:
    """{position: canonical column} for a header row; a clear error for a missing one."""
    lookup = {normalize_header(a): canon for canon, names in aliases.items() for a in names}
    columns: dict[int, str] = {}
    for idx, name in enumerate(header):
        canon = lookup.get(normalize_header(str(name)))
        if canon and canon not in columns.values():
            columns[idx] = canon
    missing = [c for c in required if c not in columns.values()]
    if missing and not columns:
        # Not a file of this kind at all (a wrong file, or one that is not CSV): say so
        # without repeating its first line, which may be anything — even a password hash.
        raise ValidationError(
            _("{file}: this is not the expected file: none of its {count} column(s) is one "
              "this import knows (it needs {columns})").format(
                file=source, count=len(header),
                columns=", ".join("/".join(aliases.get(c) or (c,)) for c in missing)),
            field="header", value=missing)
    if missing:
        raise ValidationError(
            _("{file}: missing column(s) {columns}; the header row was: {header}").format(
                file=source, header=", ".join(str(h) for h in header),
                # by the names the file may give it ("订单状态/交易状态"), not our own key
                columns=", ".join("/".join(aliases.get(c) or (c,)) for c in missing)),
            field="header", value=missing)
    return columns
