"""A retail scale on a pseudo-terminal, speaking Toledo continuous output or answering the
8213/ECR `W` request, built from the protocols' descriptions (see devices/scale.py's
docstring for the bytes). `put()` sets what lies on the platter; `unplug()` and `plug()`
behave like pulling and reinserting its USB serial cable."""

from __future__ import annotations

import contextlib
import os
import select
import threading
from decimal import Decimal
from pathlib import Path

from .pty import PtyDevice

SWA_KG_3_PLACES = 0x20 | 0x08 | 0x05  # always-1 bit, counts by 1, decimal point XXX.XXX
STATUS_ALWAYS = 0x30  # ECR status bytes: bits 4 and 5 are always set


def continuous_frame(kg: Decimal, *, moving: bool = False, over: bool = False,
                     checksum: bool = True) -> bytes:
    grams = abs(int((kg * 1000).to_integral_value()))
    swb = 0x20 | 0x10  # always-1 bit, kilograms
    swb |= 0x08 if moving else 0
    swb |= 0x02 if kg < 0 else 0
    swb |= 0x04 if over else 0
    body = bytes([0x02, SWA_KG_3_PLACES, swb, 0x20]) + f"{grams:06d}".encode() + b"000000\r"
    if checksum:
        body += bytes([(-sum(b & 0x7F for b in body)) & 0x7F])
    return body


def ecr_reply(kg: Decimal, *, moving: bool = False, over: bool = False) -> bytes:
    if over:
        return b"\x02?" + bytes([STATUS_ALWAYS | 0x40, STATUS_ALWAYS | 0x02]) + b"\r"
    if kg < 0:
        return b"\x02?" + bytes([STATUS_ALWAYS | 0x40, STATUS_ALWAYS | 0x01]) + b"\r"
    if moving:
        return b"\x02?" + bytes([STATUS_ALWAYS | 0x01]) + b"\r"
    if kg == 0:
        return b"\x02?" + bytes([STATUS_ALWAYS | 0x02]) + b"\r"
    return b"\x02" + f"{kg:06.3f}".encode() + b"\r"


class PtyScale(PtyDevice):
    prefix = "zg-scale-"

    def __init__(self, protocol: str = "toledo-continuous", *, checksum: bool = True,
                 interval: float = 0.05, link: str | Path | None = None) -> None:
        super().__init__(link)
        self.protocol, self.checksum, self.interval = protocol, checksum, interval
        self.kg, self.moving, self.over = Decimal(0), False, False
        self.requests = 0  # `W`s answered
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plug()

    def put(self, kg: Decimal | str, *, moving: bool = False, over: bool = False) -> None:
        self.kg, self.moving, self.over = Decimal(kg), moving, over

    def plug(self) -> None:
        super().plug()
        assert self._master is not None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(self._master,), daemon=True)
        self._thread.start()

    def _run(self, master: int) -> None:
        os.set_blocking(master, False)  # nobody reading: frames are dropped, as on a wire
        with contextlib.suppress(OSError):
            while not self._stop.is_set():
                if self.protocol == "toledo-continuous":
                    with contextlib.suppress(BlockingIOError):
                        os.write(master, continuous_frame(self.kg, moving=self.moving,
                                                          over=self.over,
                                                          checksum=self.checksum))
                    self._stop.wait(self.interval)
                    continue
                ready, _w, _x = select.select([master], [], [], 0.05)
                if ready and b"W" in os.read(master, 64):
                    self.requests += 1
                    os.write(master, ecr_reply(self.kg, moving=self.moving, over=self.over))

    def unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1)
        super().unplug()
