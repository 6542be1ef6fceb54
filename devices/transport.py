"""Getting bytes to a printer: network 9100, serial, USB, a device file, or nowhere (dummy).

Every transport opens, sends and closes per job, with timeouts, so an unplugged printer is a
failed job to retry, never a hung thread or a half-open handle. None opens on construction.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import DeviceError

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"
SCHEMES = ("tcp", "serial", "usb", "file", "dummy")


class Transport(Protocol):
    url: str

    def send(self, data: bytes) -> None:
        """Deliver one job, or raise DeviceError; never leaves a connection open."""

    def probe(self) -> None:
        """Check the device answers (and has paper, where it can tell); raise DeviceError."""


def _status_byte(sock: socket.socket, request: bytes) -> int:
    sock.sendall(request)
    reply = sock.recv(1)
    if not reply:
        raise DeviceError("offline", "the printer closed the connection")
    return reply[0]


@dataclass
class TcpTransport:
    """A network printer on raw TCP (port 9100).

    The printer's real-time status (DLE EOT) is asked before a job (offline? out of paper?)
    and again after it, as an acknowledgement: a printer that stalls or drops the connection
    mid-job fails the attempt, so the job is retried instead of silently lost.
    """

    url: str
    host: str
    port: int = 9100
    timeout: float = 5.0
    check_status: bool = True

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError as exc:
            raise DeviceError("timeout", f"{self.host}:{self.port}") from exc
        except OSError as exc:
            raise DeviceError("offline", f"{self.host}:{self.port}: {exc.strerror or exc}"
                              ) from exc

    def _check(self, sock: socket.socket) -> None:
        printer = _status_byte(sock, DLE_EOT_PRINTER)
        if printer & 0x93 != 0x12:  # fixed bits of a DLE EOT 1 reply
            raise DeviceError("garbage", f"status reply {printer:#04x}")
        if printer & 0x08:
            raise DeviceError("offline", "the printer reports it is offline")
        paper = _status_byte(sock, DLE_EOT_PAPER)
        if paper & 0x60:
            raise DeviceError("paper_out", "roll paper end")

    def send(self, data: bytes) -> None:
        with self._connect() as sock:
            try:
                if self.check_status:
                    self._check(sock)
                sock.sendall(data)
                if self.check_status:
                    _status_byte(sock, DLE_EOT_PRINTER)  # the printer got this far
            except TimeoutError as exc:
                raise DeviceError("timeout", f"{self.host}:{self.port}") from exc
            except OSError as exc:
                raise DeviceError("offline", f"{self.host}:{self.port}: {exc}") from exc

    def probe(self) -> None:
        with self._connect() as sock:
            try:
                self._check(sock)
            except TimeoutError as exc:
                raise DeviceError("timeout", f"{self.host}:{self.port}") from exc
            except OSError as exc:
                raise DeviceError("offline", f"{self.host}:{self.port}: {exc}") from exc


@dataclass
class SerialTransport:
    url: str
    port: str
    baudrate: int = 9600
    timeout: float = 5.0

    def _open(self):  # type: ignore[no-untyped-def]
        import serial

        try:
            return serial.Serial(self.port, self.baudrate, timeout=self.timeout,
                                 write_timeout=self.timeout)
        except serial.SerialException as exc:
            code = "not_found" if not Path(self.port).exists() else "io"
            raise DeviceError(code, f"{self.port}: {exc}", path=self.port) from exc

    def send(self, data: bytes) -> None:
        import serial

        with self._open() as port:
            try:
                port.write(data)
                port.flush()
            except serial.SerialTimeoutException as exc:
                raise DeviceError("timeout", self.port) from exc
            except serial.SerialException as exc:
                raise DeviceError("io", f"{self.port}: {exc}") from exc

    def probe(self) -> None:
        with self._open():
            pass


@dataclass
class FileTransport:
    url: str
    path: str

    def send(self, data: bytes) -> None:
        try:
            with open(self.path, "ab") as fh:
                fh.write(data)
        except FileNotFoundError as exc:
            raise DeviceError("not_found", self.path, path=self.path) from exc
        except OSError as exc:
            raise DeviceError("io", f"{self.path}: {exc.strerror}", path=self.path) from exc

    def probe(self) -> None:
        target = Path(self.path)
        if not target.exists() and not target.parent.is_dir():
            raise DeviceError("not_found", self.path, path=self.path)


@dataclass
class UsbTransport:
    url: str
    vendor: int
    product: int

    def _printer(self):  # type: ignore[no-untyped-def]
        try:
            import usb.core  # noqa: F401  (pyusb, the optional 'usb' extra)
            from escpos.printer import Usb
        except ImportError as exc:
            raise DeviceError("usb_missing", "pip install 'zhanggui[usb]'") from exc
        printer = Usb(self.vendor, self.product)
        try:
            printer.open(raise_not_found=True)
        except Exception as exc:  # escpos raises its own DeviceNotFoundError and usb errors
            raise DeviceError("not_found", f"USB {self.vendor:04x}:{self.product:04x}: {exc}"
                              ) from exc
        return printer

    def send(self, data: bytes) -> None:
        printer = self._printer()
        try:
            printer._raw(data)
        finally:
            printer.close()

    def probe(self) -> None:
        self._printer().close()


@dataclass
class DummyTransport:
    """Prints nowhere and keeps every job: the default until a printer is configured."""

    url: str = "dummy://"
    jobs: list[bytes] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, data: bytes) -> None:
        with self._lock:
            self.jobs.append(data)

    def probe(self) -> None:
        return None


def open_transport(url: str, *, timeout: float = 5.0) -> Transport:
    """The transport a printer URL names; DeviceError('bad_url'/'unknown_scheme') otherwise."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    scheme = parts.scheme.lower()
    try:
        if scheme == "tcp":
            if not parts.hostname:
                raise DeviceError("bad_url", url, url=url)
            status = query.get("status", "on") != "off"
            return TcpTransport(url, parts.hostname, parts.port or 9100, timeout, status)
        if scheme == "serial":
            port = unquote(parts.path) or parts.netloc
            if not port:
                raise DeviceError("bad_url", url, url=url)
            return SerialTransport(url, port, int(query.get("baudrate", 9600)), timeout)
        if scheme == "file":
            path = unquote(parts.path)
            if not path:
                raise DeviceError("bad_url", url, url=url)
            return FileTransport(url, path)
        if scheme == "usb":
            vendor, _sep, product = parts.netloc.partition(":")
            return UsbTransport(url, int(vendor, 16), int(product, 16))
        if scheme == "dummy":
            return DummyTransport(url)
    except ValueError as exc:  # a port, baud rate or USB id that is not a number
        raise DeviceError("bad_url", f"{url}: {exc}", url=url) from exc
    raise DeviceError("unknown_scheme", url, url=url, schemes=", ".join(SCHEMES))
