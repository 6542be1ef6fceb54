"""Reading merchants' CSV files: UTF-8 (with or without BOM) or GB18030, headers by name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from store.core.errors import ValidationError
from store.core.files import csv_unescape
from store.core.i18n import _


def decode(data: bytes, *, source: str) -> tuple[str, str]:
    """The text of a file and the encoding it was in; a clear error for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ValidationError(
            _("{file}: looks like UTF-16; save it as UTF-8 or GB18030 (GBK) CSV").format(
                file=source), field="encoding", value="utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason.startswith(("unexpected end",
                                                                      "incomplete")):
                raise ValidationError(  # a multi-byte character cut in half at the very end
                    _("{file}: the file ends in the middle of a character; it looks cut off "
                      "— export it again").format(file=source),
                    field="file", value="truncated") from None
            continue
    raise ValidationError(
        _("{file}: not UTF-8 or GB18030 (GBK) text").format(file=source),
        field="encoding", value="unknown")


def normalize_header(name: str) -> str:
    return name.strip().strip("\ufeff").strip().lower()


SHORT = "!short"  # set on a row with fewer cells than the header, when asked for


def read_rows(path: Path, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...],
              *, mark_short: bool = False) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows as (line number, {canonical column: value}) plus the encoding.

    Columns are found by name through `aliases` (canonical → accepted headers, any case,
    surrounding spaces ignored), never by position; a missing required column is an error.
    With `mark_short`, a row with fewer cells than the header (a file cut off mid-row) carries
    SHORT: "cells/header cells".
    """
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(_("{file}: cannot read: {reason}").format(
            file=source, reason=exc.strerror), field="file", value=source) from exc
    text, encoding = decode(data, source=source)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("{file}: the file is empty").format(file=source),
                              field="file", value=source) from None
    lookup = {normalize_header(a): canon for canon, names in aliases.items() for a in names}
    columns: dict[int, str] = {}
    for idx, name in enumerate(header):
        canon = lookup.get(normalize_header(name))
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
                file=source, header=", ".join(header),
                # by the names the file may give it ("订单状态/交易状态"), not our own key
                columns=", ".join("/".join(aliases.get(c) or (c,)) for c in missing)),
            field="header", value=missing)
    rows: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        values = {canon: csv_unescape(record[idx].strip() if idx < len(record) else "")
                  for idx, canon in columns.items()}
        if mark_short and len(record) < len(header):
            values[SHORT] = f"{len(record)}/{len(header)}"
        rows.append((reader.line_num, values))
    return rows, encoding
