"""Blocks to ESC/POS bytes: python-escpos for the commands, GB18030 in the printer's Chinese mode.

python-escpos has no GB18030 code page and prints '???' for Chinese punctuation, so any
line that is not plain ASCII is sent between FS & (Chinese mode on) and FS . (off) as GB18030.
A printer without Chinese (chinese=False) gets '¥' for '￥' through a normal code page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .document import Barcode, Block, Cut, Drawer, Feed, Image, QRCode, Text

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
KANJI_DOUBLE_HEIGHT = FS + b"!\x08"
KANJI_NORMAL = FS + b"!\x00"


log = logging.getLogger(__name__)


def barcode_bytes(data: str, height: int = 64, module: int = 2) -> bytes:
    """CODE128 (set B) with no human-readable line, centered; the text is printed below it.

    Written by hand: python-escpos's barcode() prints to stdout, which would tear a TUI.
    """
    payload = b"{B" + data.encode("ascii")
    return (ESC + b"a\x01" + GS + b"h" + bytes([height]) + GS + b"w" + bytes([module])
            + GS + b"H\x00" + GS + b"k\x49" + bytes([len(payload)]) + payload + b"\n"
            + ESC + b"a\x00")


if TYPE_CHECKING:
    from escpos.printer import Dummy


def _dummy(profile: str = "default") -> Dummy:
    # Imported here, not at the top: python-escpos loads its capability database on import
    # (0.3 s), which would otherwise be a third of the app's start-up. The first print pays
    # it, in the print worker's thread.
    from escpos.printer import Dummy

    return Dummy(profile=profile)


def render(blocks: Iterable[Block], *, profile: str = "default", chinese: bool = True,
           init: bool = True) -> bytes:
    p = _dummy(profile)
    if init:
        p.hw("INIT")  # ESC @: left aligned, normal size, not bold
    style = ("left", False, False)

    def set_style(align: str, bold: bool, double: bool) -> None:
        nonlocal style
        if (align, bold, double) != style:  # only changes go on the wire
            p.set(align=align, bold=bold, double_height=double, normal_textsize=not double)
            style = (align, bold, double)

    for b in blocks:
        if isinstance(b, Text):
            set_style(b.align, b.bold, b.double)
            text = b.text
            if text.isascii():
                p._raw(text.encode("ascii") + b"\n")
            elif chinese:
                size = KANJI_DOUBLE_HEIGHT if b.double else KANJI_NORMAL
                p._raw(CHINESE_ON + size + text.encode("gb18030", errors="replace") + CHINESE_OFF
                       + b"\n")
            else:
                p.textln(text.replace("￥", "¥"))
            continue
        set_style("left", False, False)
        if isinstance(b, Feed):
            p._raw(b"\n" * b.lines)
        elif isinstance(b, Barcode):
            p._raw(barcode_bytes(b.data))
        elif isinstance(b, QRCode):
            p._raw(ESC + b"a\x01")
            p.qr(b.data, native=True, size=b.size)
            p._raw(ESC + b"a\x00")
        elif isinstance(b, Image):
            logo = _logo(b)
            if logo is not None:
                p.image(logo, center=True)
        elif isinstance(b, Cut):
            p.cut(mode="PART" if b.partial else "FULL")
        elif isinstance(b, Drawer):
            p.cashdraw(b.pin)
    return bytes(p.output)


def _logo(block: Image) -> Any:
    """The logo as one-bit pixels no wider than the paper, or None when the file cannot be
    read: a shop's logo is decoration, and a moved or broken file must never stop the
    receipt (the print queue would retry it for ever)."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    try:
        with Pillow.open(block.path) as img:
            img.load()
            picture = img.convert("L")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        log.warning("receipt logo %s not printed: %s", block.path, exc)
        return None
    if picture.width > block.max_dots:
        height = max(1, picture.height * block.max_dots // picture.width)
        picture = picture.resize((block.max_dots, height))
    return picture.convert("1")


def drawer_kick(pin: int = 2) -> bytes:
    """ESC p: the pulse that opens a cash drawer wired to the printer."""
    p = _dummy()
    p.cashdraw(pin)
    return bytes(p.output)
