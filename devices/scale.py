"""Retail scales on a serial port: the weight on the platter, and whether it is steady.

Two protocols most retail scales speak (natively, or as an emulation in their set-up menu):

- **Toledo continuous** (`toledo-continuous`): the scale sends a frame many times a second,
  STX, status words A, B and C, six digits of displayed weight, six digits of tare, CR and,
  when enabled, a checksum. Status word A bits 0–2 place the decimal point (2: none, 3: one
  place … 6: four places); status word B bit 1 is a negative weight, bit 2 over capacity,
  bit 3 in motion, bit 4 kilograms (not pounds). The checksum makes the 7-bit sum of every
  byte of the frame, itself included, a multiple of 128.
- **Toledo 8213 / ECR request** (`toledo-ecr`, also CAS and most Chinese counter scales'
  "ECR" mode): the host sends `W`; a steady, positive weight comes back as STX, the weight with
  its decimal point (`01.234`, optionally followed by `KG` and `N` for net) and CR; otherwise
  STX, `?`, one or more status bytes and CR. Status byte 1: bit 0 in motion, bit 1 at zero;
  bit 6 says another status byte follows; status byte 2: bit 0 under zero, bit 1 over
  capacity.

The till asks for `stable_weight()`: the first steady reading within a timeout, or the reason
there is none (still moving, nothing on it, over capacity, not answering)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Protocol

from .errors import DeviceError

log = logging.getLogger(__name__)

STX, CR = b"\x02", b"\r"
PROTOCOLS = ("toledo-continuous", "toledo-ecr")
Status = Literal["steady", "motion", "zero", "negative", "over", "pounds"]


@dataclass(frozen=True)
class Reading:
    """What the scale showed: kilograms (exact, as displayed) and why it may not be used."""

    kg: Decimal
    status: Status

    @property
    def steady(self) -> bool:
        return self.status == "steady"


@dataclass
class ScaleSettings:
    url: str = ""  # empty: no scale
    protocol: str = "toledo-continuous"
    checksum: bool = True  # continuous frames end with a checksum byte


def _digits(raw: bytes, what: str) -> int:
    if len(raw) != 6 or not raw.isdigit():
        raise DeviceError("garbage", f"{what} {raw!r}")
    return int(raw)


def parse_continuous(frame: bytes, *, checksum: bool = True) -> Reading:
    """One Toledo continuous frame, from STX to CR (and the checksum byte when enabled)."""
    size = 18 if checksum else 17
    if len(frame) != size or frame[:1] != STX or frame[16:17] != CR:
        raise DeviceError("garbage", f"frame {frame!r}")
    if checksum and sum(b & 0x7F for b in frame) % 128:
        raise DeviceError("garbage", f"checksum {frame!r}")
    swa, swb = frame[1], frame[2]
    places = (swa & 0x07) - 2
    if not 0 <= places <= 4:
        raise DeviceError("garbage", f"decimal point {swa:#x}")
    kg = Decimal(_digits(frame[4:10], "weight")).scaleb(-places)
    if swb & 0x04:
        return Reading(kg, "over")
    if swb & 0x02:
        return Reading(-kg, "negative")
    if not swb & 0x10:
        return Reading(kg, "pounds")
    if swb & 0x08:
        return Reading(kg, "motion")
    return Reading(kg, "steady" if kg > 0 else "zero")


def parse_ecr(reply: bytes) -> Reading:
    """An 8213/ECR answer to `W`, from STX to CR."""
    if reply[:1] != STX or reply[-1:] != CR:
        raise DeviceError("garbage", f"reply {reply!r}")
    body = reply[1:-1]
    if body.startswith(b"?"):
        status = body[1:]
        if not status:
            raise DeviceError("garbage", f"status {reply!r}")
        first = status[0]
        second = status[1] if len(status) > 1 and first & 0x40 else 0
        if second & 0x02:
            return Reading(Decimal(0), "over")
        if second & 0x01:
            return Reading(Decimal(0), "negative")
        if first & 0x01:
            return Reading(Decimal(0), "motion")
        return Reading(Decimal(0), "zero")
    text = body.decode("ascii", errors="replace").strip().upper()
    if text.endswith("N"):
        text = text[:-1]
    pounds = text.endswith("LB")
    text = text.removesuffix("KG").removesuffix("LB").strip()
    try:
        kg = Decimal(text)
    except ArithmeticError as exc:
        raise DeviceError("garbage", f"weight {reply!r}") from exc
    if not kg.is_finite() or kg < 0 or "." not in text:
        raise DeviceError("garbage", f"weight {reply!r}")
    if pounds:
        return Reading(kg, "pounds")
    return Reading(kg, "steady" if kg > 0 else "zero")


class Scale(Protocol):
    def stable_weight(self, timeout: float = 3.0) -> Reading: ...

    def close(self) -> None: ...


def open_scale_port(url: str, timeout: float = 0.2) -> Any:
    """serial:///dev/ttyUSB0?baudrate=9600, socket://host:port or rfc2217://…"""
    from .scanner import open_scanner_port

    return open_scanner_port(url, timeout=timeout)


class ContinuousScale:
    """Reads the frames a continuous-output scale sends, in a thread, keeping the latest.
    A steady reading must repeat (the same weight in two frames running) to count, so a
    frame caught as the goods settle is not taken. Unplugged, it opens the port again on the
    next weighing."""

    def __init__(self, settings: ScaleSettings) -> None:
        self.settings = settings
        self._seen = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start()

    def _start(self) -> None:
        self._port = open_scale_port(self.settings.url)
        self._latest: Reading | None = None
        self._steady_twice = False
        self._error: DeviceError | None = None
        self._thread = threading.Thread(target=self._run, args=(self._port,), name="scale",
                                        daemon=True)
        self._thread.start()

    def _run(self, port: Any) -> None:
        buf = b""
        size = 18 if self.settings.checksum else 17
        try:
            while not self._stop.is_set():
                chunk = port.read(64)
                if not chunk:
                    continue
                buf += chunk
                while True:
                    start = buf.find(STX)
                    if start < 0 or len(buf) - start < size:
                        buf = buf[start:] if start >= 0 else b""
                        break
                    frame, buf = buf[start:start + size], buf[start + size:]
                    try:
                        reading = parse_continuous(frame, checksum=self.settings.checksum)
                    except DeviceError:
                        # Joined mid-frame, or line noise: look again from the next byte.
                        buf = frame[1:] + buf
                        continue
                    self._note(reading)
        except Exception as exc:  # unplugged: pyserial raises SerialException or OSError
            with self._seen:
                self._error = DeviceError("io", str(exc))
                self._seen.notify_all()

    def _note(self, reading: Reading) -> None:
        with self._seen:
            self._steady_twice = reading.steady and self._latest == reading
            self._latest = reading
            self._seen.notify_all()

    def stable_weight(self, timeout: float = 3.0) -> Reading:
        """The first reading steady in two frames running; after `timeout`, the last one seen
        (moving, zero …). Raises DeviceError: timeout when no frame came at all, io or
        not_found when the scale is unplugged."""
        if self._error is not None:  # unplugged since: plugged back in?
            self._close_port()
            self._start()
        deadline = time.monotonic() + timeout
        with self._seen:
            self._steady_twice = False
            while True:
                if self._error is not None:
                    raise self._error
                if self._steady_twice and self._latest is not None:
                    return self._latest
                left = deadline - time.monotonic()
                if left <= 0:
                    if self._latest is None:
                        raise DeviceError("timeout", self.settings.url)
                    return self._latest
                self._seen.wait(left)

    def _close_port(self) -> None:
        try:
            self._port.close()
        except Exception:  # already gone with the cable
            log.debug("closing the scale's port", exc_info=True)
        if self._thread is not None:
            self._thread.join(2)

    def close(self) -> None:
        self._stop.set()
        self._close_port()


class RequestScale:
    """Asks with `W` and reads the answer; asks again while the goods settle. Unplugged, it
    opens the port again on the next weighing."""

    def __init__(self, settings: ScaleSettings) -> None:
        self.settings = settings
        self._port: Any = open_scale_port(settings.url)
        self._lock = threading.Lock()

    def read(self, timeout: float = 1.0) -> Reading:
        with self._lock:
            if self._port is None:
                self._port = open_scale_port(self.settings.url)
            try:
                self._port.reset_input_buffer()
                self._port.write(b"W")
                deadline = time.monotonic() + timeout
                buf = b""
                while time.monotonic() < deadline:
                    buf += self._port.read(32)
                    start = buf.find(STX)
                    if start >= 0 and CR in buf[start:]:
                        return parse_ecr(buf[start:buf.index(CR, start) + 1])
            except DeviceError:
                raise
            except Exception as exc:  # unplugged
                self.close()
                raise DeviceError("io", str(exc)) from exc
        raise DeviceError("timeout", self.settings.url)

    def stable_weight(self, timeout: float = 3.0) -> Reading:
        deadline = time.monotonic() + timeout
        while True:
            reading = self.read(max(0.2, min(1.0, deadline - time.monotonic())))
            if reading.status != "motion" or time.monotonic() >= deadline:
                return reading
            time.sleep(0.1)

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # already gone with the cable
                log.debug("closing the scale's port", exc_info=True)


def open_scale(settings: ScaleSettings) -> Scale:
    if settings.protocol not in PROTOCOLS:
        raise DeviceError("bad_url", f"protocol {settings.protocol!r}: use one of "
                                     + ", ".join(PROTOCOLS))
    if settings.protocol == "toledo-ecr":
        return RequestScale(settings)
    return ContinuousScale(settings)
