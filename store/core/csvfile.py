"""Reading merchants' CSV files: UTF-8 (with or without BOM) or GB18030, headers by name.

A file is never held whole: it is surveyed once as bytes (its encoding, its line count) and
then read a line at a time by each pass over its rows, so a million-row file costs the
memory of one row, not of the file."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from store.core.errors import ValidationError
from store.core.files import csv_unescape
from store.core.i18n import _

_BLOCK = 1 << 16  # bytes read at a time while surveying


def survey(path: Path, *, source: str) -> tuple[str, int]:
    """The encoding a file is in and its number of lines, read in blocks; a clear error for
    anything that is not UTF-8 or GB18030 text.

    A file pasted together from two systems can hold UTF-8 lines and GBK lines: each line is
    then read in its own encoding (the encoding says "utf-8+gb18030"), where decoding it all as
    GB18030 would turn the UTF-8 lines into mojibake without a word."""
    breaks, last, utf8 = 0, b"", codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    with _open(path, source) as f:
        first = f.read(_BLOCK)
        if first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:4096]:
            raise ValidationError(
                _("{file}: looks like UTF-16; save it as UTF-8 or GB18030 (GBK) CSV").format(
                    file=source), field="encoding", value="utf-16")
        block = first
        while block:
            # \n, \r\n or a lone \r (an old Mac file) ends a line, as text mode reads them
            breaks += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            last = block[-1:]
            if is_utf8:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    is_utf8 = False
            block = f.read(_BLOCK)
        if is_utf8:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                raise _cut_off(source) from None  # UTF-8 to its last character, cut in half
    lines = breaks + (last not in (b"\n", b"\r", b""))
    if is_utf8:
        return "utf-8-sig", lines
    mixed = False
    for i, line, at_end in _binary_lines(path, source):
        if _plainly_utf8(line):
            mixed = True
            continue
        try:
            line.decode("gb18030")
        except UnicodeDecodeError as exc:
            if at_end:
                _refuse_cut_off(exc, line, source)
            raise ValidationError(
                _("{file}: line {line} is not UTF-8 or GB18030 (GBK) text").format(
                    file=source, line=i + 1), field="encoding", value="unknown") from None
    return ("utf-8+gb18030" if mixed else "gb18030"), lines


def text_lines(path: Path, encoding: str, *, source: str) -> Iterator[str]:
    """The file's lines as text, each with its line ending, in the encoding `survey` found."""
    if encoding != "utf-8+gb18030":
        with _open(path, source) as f, io.TextIOWrapper(f, encoding=encoding, newline="") as t:
            yield from t
        return
    for _i, line, _end in _binary_lines(path, source):
        yield line.decode("utf-8-sig" if _plainly_utf8(line) else "gb18030")


def _open(path: Path, source: str) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise ValidationError(_("{file}: cannot read: {reason}").format(
            file=source, reason=exc.strerror), field="file", value=source) from exc


def _binary_lines(path: Path, source: str) -> Iterator[tuple[int, bytes, bool]]:
    """(index, line with its ending, is it the last one) — split at \\n, \\r\\n and a lone
    \\r, as text mode splits. GB18030 never uses those bytes inside a character."""
    with _open(path, source) as f:
        pieces = (piece for raw in f for piece in raw.splitlines(keepends=True))
        held, i = next(pieces, None), 0
        for piece in pieces:
            yield i, held, False  # type: ignore[misc]
            held, i = piece, i + 1
        if held is not None:
            yield i, held, True


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
        raise _cut_off(source) from None  # a multi-byte character cut in half at the end


def _cut_off(source: str) -> ValidationError:
    return ValidationError(
        _("{file}: the file ends in the middle of a character; it looks cut off "
          "— export it again").format(file=source), field="file", value="truncated")


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
    holding 100,000 rows — or the file's text — in memory.

    Columns are found by name through `aliases` (canonical → accepted headers, any case,
    surrounding spaces ignored), never by position; a missing required column is an error,
    raised on opening. With `mark_short`, a row with fewer cells than the header (a file cut
    off mid-row) carries SHORT: "cells/header cells".
    """

    def __init__(self, path: Path, aliases: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], *, mark_short: bool = False) -> None:
        self.path, self.source = path, str(path)
        self.encoding, self.lines = survey(path, source=self.source)
        self.mark_short = mark_short
        header = next(csv.reader(self._text()), None)
        if header is None:
            raise ValidationError(_("{file}: the file is empty").format(file=self.source),
                                  field="file", value=self.source)
        self.header = header
        self.columns = find_columns(header, aliases, required, source=self.source)

    def _text(self) -> Iterator[str]:
        return text_lines(self.path, self.encoding, source=self.source)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(self._text())
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
