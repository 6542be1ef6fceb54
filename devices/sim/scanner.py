"""A serial barcode scanner on a pseudo-terminal: it types codes, followed by its suffix.

The app (or a test) opens the slave side like any serial port; `path` is a stable symlink,
so `unplug()` and `plug()` behave like pulling and reinserting a USB serial scanner.
"""

from __future__ import annotations

import os
from pathlib import Path

from .pty import PtyDevice


class PtyScanner(PtyDevice):
    prefix = "zg-scanner-"

    def __init__(self, suffix: bytes = b"\r", link: str | Path | None = None) -> None:
        super().__init__(link)
        self.suffix = suffix
        self.plug()

    def scan(self, code: str | bytes) -> None:
        if self._master is None:
            raise OSError("the scanner is unplugged")
        data = code.encode("ascii") if isinstance(code, str) else code
        os.write(self._master, data + self.suffix)
