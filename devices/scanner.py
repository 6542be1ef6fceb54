"""Barcode scanners: telling a keyboard-wedge burst from typing, and reading serial scanners.

Both deliver the same thing, a clean code string, to a callback the app provides.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .errors import DeviceError

log = logging.getLogger(__name__)

SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


@dataclass
class ScannerSettings:
    url: str = ""  # empty: keyboard wedge
    suffix: str = "CR"
    strip_prefix: str = ""
    strip_suffix: str = ""


def clean_code(raw: str, settings: ScannerSettings) -> str:
    """The code without configured prefix/suffix characters, control characters or spaces."""
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    if settings.strip_prefix and text.startswith(settings.strip_prefix):
        text = text[len(settings.strip_prefix):]
    if settings.strip_suffix and text.endswith(settings.strip_suffix):
        text = text[: -len(settings.strip_suffix)]
    return text.strip()


# ---- keyboard wedge ---------------------------------------------------------------------------

@dataclass
class WedgeDetector:
    """Feed it every printable key and Enter with its time; it says when a burst was a scan.

    A scanner types a code at 2–15 ms a key and ends with Enter; a person types at 80–300 ms
    a key. Over SSH a whole burst may arrive at once (gaps near 0), which still reads as a scan.
    A configured prefix character marks a scan whatever the timing.
    """

    max_gap: float = 0.035  # seconds between keys of one burst
    min_length: int = 4
    prefix: str = ""
    _chars: list[str] = field(default_factory=list)
    _last: float | None = None
    _gaps_ok: bool = True
    _prefixed: bool = False

    def reset(self) -> None:
        self._chars.clear()
        self._last = None
        self._gaps_ok = True
        self._prefixed = False

    def key(self, char: str, at: float) -> None:
        """A printable character arrived at time `at` (seconds, monotonic)."""
        if self._last is not None and at - self._last > self.max_gap and not self._prefixed:
            self.reset()  # a pause: whatever came before was typing
        if not self._chars and self.prefix and char == self.prefix:
            self._prefixed = True
            self._last = at
            return
        self._chars.append(char)
        self._last = at

    def enter(self, at: float) -> str | None:
        """Enter arrived: the scanned code if the burst was a scan, else None (typing)."""
        quick = self._last is not None and at - self._last <= self.max_gap
        code = "".join(self._chars)
        scanned = (self._prefixed or (quick and self._gaps_ok)) and len(code) >= self.min_length
        self.reset()
        return code if scanned else None

    @property
    def pending(self) -> str:
        return "".join(self._chars)


# ---- serial scanners --------------------------------------------------------------------------

def open_scanner_port(url: str, baudrate: int = 9600, timeout: float = 0.2):  # type: ignore[no-untyped-def]
    """Open a scanner's port: serial:///dev/ttyACM0?baudrate=9600, socket://…, rfc2217://….

    Raises DeviceError: bad_url for a baud rate that is not a number, not_found otherwise.
    """
    import serial

    target = url[len("serial://"):] if url.startswith("serial://") else url
    target, _sep, query = target.partition("?")
    for part in query.split("&"):
        if part.startswith("baudrate="):
            try:
                baudrate = int(part.split("=", 1)[1])
            except ValueError as exc:
                raise DeviceError("bad_url", url, url=url) from exc
    try:
        return serial.serial_for_url(target, baudrate=baudrate, timeout=timeout)
    except (serial.SerialException, ValueError, OSError) as exc:
        raise DeviceError("not_found", f"{target}: {exc}", path=target) from exc


State = Literal["connecting", "connected", "disconnected"]


class SerialScanner:
    """Reads a serial (or socket://, rfc2217://) scanner in a thread; reconnects after an unplug.

    Codes are split on the configured suffix, cleaned, and passed to `on_code`; connection
    changes go to `on_state` with the error, if any.
    """

    def __init__(self, settings: ScannerSettings, on_code: Callable[[str], None], *,
                 on_state: Callable[[State, DeviceError | None], None] | None = None,
                 backoff: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 5.0),
                 baudrate: int = 9600) -> None:
        if settings.suffix not in SUFFIXES:
            raise DeviceError("bad_url", f"suffix {settings.suffix!r}")
        self.settings = settings
        self.on_code = on_code
        self.on_state = on_state or (lambda state, err: None)
        self.backoff = backoff
        self.baudrate = baudrate
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.state: State = "connecting"

    def start(self) -> SerialScanner:
        self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def _set(self, state: State, err: DeviceError | None = None) -> None:
        if state == self.state and state != "connecting":
            return  # report changes, not every retry
        self.state = state
        try:
            self.on_state(state, err)
        except Exception:
            log.exception("scanner state listener failed")

    def _open(self):  # type: ignore[no-untyped-def]
        return open_scanner_port(self.settings.url, self.baudrate)

    def _run(self) -> None:
        attempt = 0
        suffix = SUFFIXES[self.settings.suffix]
        while not self._stop.is_set():
            try:
                port = self._open()
            except DeviceError as err:
                self._set("disconnected", err)
                self._stop.wait(self.backoff[min(attempt, len(self.backoff) - 1)])
                attempt += 1
                continue
            attempt = 0
            self._set("connected")
            buf = b""
            try:
                with port:
                    while not self._stop.is_set():
                        chunk = port.read(256)
                        if not chunk:
                            continue
                        buf += chunk
                        while suffix in buf:
                            raw, buf = buf.split(suffix, 1)
                            code = clean_code(raw.decode("ascii", errors="ignore"),
                                              self.settings)
                            if code:
                                self.on_code(code)
            except Exception as exc:  # unplugged: pyserial raises SerialException or OSError
                self._set("disconnected", DeviceError("io", str(exc)))
                self._stop.wait(self.backoff[0])
