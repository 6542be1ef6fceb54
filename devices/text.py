"""East Asian width: a Chinese character (and ￥) takes two columns on a receipt or a display."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(char_width(c) for c in text)


def truncate(text: str, columns: int) -> str:
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > columns:
            break
        out.append(ch)
        used += w
    return "".join(out)


def wrap(text: str, columns: int) -> list[str]:
    """Break text into lines of at most `columns` display columns.

    Latin words move whole to the next line when they fit there; Chinese breaks anywhere.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _tokens(paragraph):
            w = width(token)
            if used + w <= columns:
                line, used = line + token, used + w
                continue
            if token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0
                continue
            if w <= columns and line:  # the word fits on a line of its own
                lines.append(line.rstrip())
                line, used = token, w
                continue
            for ch in token:  # a Chinese run, or a word longer than a line
                cw = char_width(ch)
                if used + cw > columns:
                    lines.append(line.rstrip())
                    line, used = "", 0
                line, used = line + ch, used + cw
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Latin words and spaces as tokens; each wide character is a token of its own."""
    out: list[str] = []
    word = ""
    for ch in text:
        if char_width(ch) == 2 or ch.isspace():
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def pad_right(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def pad_left(text: str, columns: int) -> str:
    return " " * max(0, columns - width(text)) + text


def center(text: str, columns: int) -> str:
    space = max(0, columns - width(text))
    return " " * (space // 2) + text


def two_columns(left: str, right: str, columns: int) -> list[str]:
    """`left` … `right` on one line, the right part flush right; wraps the left part if needed."""
    room = columns - width(right) - 1
    if room < 4:
        return [*wrap(left, columns), pad_left(right, columns)]
    parts = wrap(left, room)
    return [*parts[:-1], pad_right(parts[-1], room) + " " + right]
