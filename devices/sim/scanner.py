"""A serial barcode scanner on a pseudo-terminal: it types codes, followed by its suffix.

The app (or a test) opens the slave side like any serial port; `path` is a stable symlink,
so `unplug()` and `plug()` behave like pulling and reinserting a USB serial scanner.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class PtyScanner:
    def __init__(self, suffix: bytes = b"\r", link: str | Path | None = None) -> None:
        self.suffix = suffix
        self.link = Path(link) if link else Path(tempfile.mkdtemp(prefix="zg-scanner-")) / "tty"
        self._master: int | None = None
        self._slave: int | None = None
        self.plug()

    @property
    def path(self) -> str:
        return str(self.link)

    def plug(self) -> None:
        master, slave = os.openpty()
        self._master, self._slave = master, slave
        target = os.ttyname(slave)
        tmp = self.link.with_suffix(".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(target)
        tmp.replace(self.link)

    def unplug(self) -> None:
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()

    def scan(self, code: str | bytes) -> None:
        if self._master is None:
            raise OSError("the scanner is unplugged")
        data = code.encode("ascii") if isinstance(code, str) else code
        os.write(self._master, data + self.suffix)

    def close(self) -> None:
        self.unplug()
