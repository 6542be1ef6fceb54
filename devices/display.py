"""A 2x20 customer pole display (CD5220 command set, the common one): last item and total."""

from __future__ import annotations

from dataclasses import dataclass

from .text import pad_left, pad_right, truncate, width
from .transport import Transport, open_transport

ESC = b"\x1b"
INIT = ESC + b"@"
CLEAR = b"\x0c"
UPPER = ESC + b"QA"  # CD5220: write the upper line, ended by CR
LOWER = ESC + b"QB"
COLUMNS = 20


def fit(left: str, right: str = "", columns: int = COLUMNS) -> str:
    """One display line: `left` cut to leave room for `right`, which is flush right."""
    if not right:
        return pad_right(truncate(left, columns), columns)
    room = columns - width(right) - 1
    return pad_right(truncate(left, max(room, 0)), max(room, 0)) + " " + right if room > 0 \
        else pad_left(truncate(right, columns), columns)


def frame(upper: str, lower: str, *, chinese: bool = True) -> bytes:
    """The bytes that show two lines; Chinese as GB18030 (Chinese VFDs), else ASCII only."""
    encoding = "gb18030" if chinese else "ascii"
    return (CLEAR + UPPER + upper.encode(encoding, errors="replace") + b"\r"
            + LOWER + lower.encode(encoding, errors="replace") + b"\r")


@dataclass
class PoleDisplay:
    url: str
    chinese: bool = True
    transport: Transport | None = None

    def __post_init__(self) -> None:
        if self.transport is None:
            self.transport = open_transport(self.url, timeout=1.0)

    def show(self, upper: str, lower: str) -> None:
        assert self.transport is not None
        self.transport.send(INIT + frame(fit(upper), fit(lower), chinese=self.chinese))

    def show_item(self, name: str, price: str, total_label: str, total: str) -> None:
        self.show(fit(name, price), fit(total_label, total))


def decode_frame(data: bytes) -> tuple[str, str]:
    """What a CD5220 display shows after these bytes (for tests and the simulator)."""
    upper = lower = ""
    i = 0
    while i < len(data):
        if data.startswith(ESC + b"QA", i) or data.startswith(ESC + b"QB", i):
            end = data.index(b"\r", i + 3)
            text = data[i + 3:end].decode("gb18030", errors="replace")
            if data[i + 2:i + 3] == b"A":
                upper = text
            else:
                lower = text
            i = end + 1
        elif data[i:i + 1] == CLEAR:
            upper = lower = ""
            i += 1
        elif data.startswith(INIT, i):
            i += 2
        else:
            i += 1
    return upper, lower
