"""A serial device's end of a pseudo-terminal: the app opens `path` like any serial port.
`path` is a stable symlink, so `unplug()` and `plug()` behave like pulling and reinserting a
USB serial cable."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class PtyDevice:
    prefix = "zg-device-"

    def __init__(self, link: str | Path | None = None) -> None:
        self.link = Path(link) if link else Path(tempfile.mkdtemp(prefix=self.prefix)) / "tty"
        self._master: int | None = None
        self._slave: int | None = None

    @property
    def path(self) -> str:
        return str(self.link)

    def plug(self) -> None:
        master, slave = os.openpty()
        self._master, self._slave = master, slave
        tmp = self.link.with_suffix(".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.link)

    def unplug(self) -> None:
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()

    def close(self) -> None:
        self.unplug()
