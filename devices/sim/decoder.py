"""ESC/POS bytes back into what a printer would show: text lines (GB18030-aware) and events."""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# Commands we only need to step over: (prefix, command) → number of argument bytes.
_SKIP = {
    (ESC, ord("-")): 1, (ESC, ord("M")): 1, (ESC, ord("{")): 1, (ESC, ord("t")): 1,
    (ESC, ord("3")): 1, (ESC, ord("2")): 0, (ESC, ord("J")): 1, (ESC, ord("G")): 1,
    (ESC, ord("V")): 1, (ESC, ord("c")): 2, (ESC, ord("U")): 1, (ESC, ord("R")): 1,
    (GS, ord("!")): 1, (GS, ord("b")): 1, (GS, ord("B")): 1, (GS, ord("h")): 1,
    (GS, ord("w")): 1, (GS, ord("H")): 1, (GS, ord("f")): 1, (GS, ord("L")): 2,
    (GS, ord("W")): 2, (FS, ord("!")): 1, (FS, ord("C")): 1, (FS, ord("W")): 1,
}


@dataclass
class Line:
    text: str
    align: str = "left"
    bold: bool = False
    double: bool = False


@dataclass
class Decoded:
    lines: list[Line] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # commands we did not understand

    @property
    def text(self) -> list[str]:
        return [ln.text for ln in self.lines]

    def events_of(self, kind: str) -> list[tuple]:
        return [e for e in self.events if e[0] == kind]


def decode(data: bytes) -> Decoded:
    """Interpret a job's bytes the way an ESC/POS printer with GB18030 Chinese mode would."""
    out = Decoded()
    segments: list[tuple[bytes, bool]] = []  # the current line: (bytes, in Chinese mode)
    buf = bytearray()
    chinese = False
    align, bold, double = "left", False, False
    qr_data = ""
    i, n = 0, len(data)

    def flush_text() -> None:
        nonlocal buf
        if buf:
            segments.append((bytes(buf), chinese))
            buf = bytearray()

    def end_line() -> None:
        flush_text()
        text = "".join(b.decode("gb18030" if zh else "cp437", errors="replace")
                       for b, zh in segments)
        segments.clear()
        out.lines.append(Line(text, align, bold, double))

    while i < n:
        b = data[i]
        if b == 0x0A:
            end_line()
            i += 1
        elif b == 0x0D:
            i += 1
        elif b == DLE and i + 2 < n and data[i + 1] == 0x04:
            i += 3  # a real-time status request, answered by the transport layer
        elif b in (ESC, GS, FS) and i + 1 < n:
            flush_text()
            cmd = data[i + 1]
            key = (b, cmd)
            if key == (ESC, ord("@")):
                out.events.append(("init",))
                align, bold, double, chinese = "left", False, False, False
                i += 2
            elif key == (ESC, ord("!")):
                double = bool(data[i + 2] & 0x10)
                bold = bool(data[i + 2] & 0x08) or bold
                i += 3
            elif key == (ESC, ord("E")):
                bold = bool(data[i + 2])
                i += 3
            elif key == (ESC, ord("a")):
                align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center",
                         50: "right"}.get(data[i + 2], "left")
                i += 3
            elif key == (ESC, ord("d")):
                for _ in range(data[i + 2]):
                    end_line()
                i += 3
            elif key == (ESC, ord("p")):
                out.events.append(("drawer", 5 if data[i + 2] in (1, 49) else 2))
                i += 5
            elif key == (GS, ord("V")):
                mode = data[i + 2]
                out.events.append(("cut", "partial" if mode in (1, 49, 66) else "full"))
                i += 4 if mode in (65, 66) else 3
            elif key == (GS, ord("k")):
                m = data[i + 2]
                if m >= 65:
                    length = data[i + 3]
                    payload = data[i + 4:i + 4 + length]
                    i += 4 + length
                else:
                    end = data.index(0, i + 3)
                    payload = data[i + 3:end]
                    i = end + 1
                text = payload.decode("ascii", errors="replace")
                if text.startswith("{") and len(text) > 1:
                    text = text[2:]  # CODE128 code-set selector
                out.events.append(("barcode", m, text))
            elif key == (GS, ord("(")) and i + 4 < n:
                fn_group = data[i + 2]
                size = data[i + 3] + data[i + 4] * 256
                body = data[i + 5:i + 5 + size]
                if fn_group == ord("k") and len(body) >= 2:
                    if body[1] == 80:  # store the QR data
                        qr_data = body[3:].decode("utf-8", errors="replace")
                    elif body[1] == 81:  # print it
                        out.events.append(("qr", qr_data))
                elif fn_group == ord("L") and len(body) >= 2 and body[1] in (2, 50):
                    out.events.append(("image", "graphics"))
                i += 5 + size
            elif key == (GS, ord("v")) and i + 7 < n and data[i + 2] == 0x30:
                width_bytes = data[i + 4] + data[i + 5] * 256
                height = data[i + 6] + data[i + 7] * 256
                out.events.append(("image", width_bytes * 8, height))
                i += 8 + width_bytes * height
            elif key == (FS, ord("&")):
                chinese = True
                i += 2
            elif key == (FS, ord(".")):
                chinese = False
                i += 2
            elif key in _SKIP:
                i += 2 + _SKIP[key]
            else:
                out.unknown.append(f"{b:02x} {cmd:02x}")
                i += 2
        else:
            buf.append(b)
            i += 1
    if buf or segments:
        end_line()
    return out
