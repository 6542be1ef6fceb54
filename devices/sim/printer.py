"""A network receipt printer on TCP (port 9100 by default) for tests, demos and trying things out.

It answers real-time status requests (DLE EOT) as an ESC/POS printer does, decodes each job's
bytes into text lines and events, and can be told to misbehave: refuse connections, stall
(accept but never answer), run out of paper, drop the connection in the middle of a job, or
answer with garbage (as another device on port 9100 would).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .decoder import Decoded, decode

Mode = Literal["ok", "refuse", "stall", "paper_out", "drop", "garbage"]

STATUS_ONLINE = 0x12  # DLE EOT 1: fixed bits only, online, drawer closed
STATUS_OFFLINE = 0x1A
PAPER_OK = 0x12  # DLE EOT 4: fixed bits, no paper-end bits
PAPER_END = 0x72  # bits 5 and 6: roll paper end detected


@dataclass
class Job:
    raw: bytes
    decoded: Decoded


@dataclass
class PrinterSimulator:
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port, see .port after start()
    on_job: Callable[[Job], None] | None = None
    drop_after: int = 32  # bytes accepted before a "drop" closes the connection
    jobs: list[Job] = field(default_factory=list)
    aborted: int = 0
    mode: Mode = "ok"

    def __post_init__(self) -> None:
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stalled: list[socket.socket] = []

    # -- control ----------------------------------------------------------------------------
    def start(self) -> PrinterSimulator:
        self._stop.clear()
        self._listen()
        return self

    @property
    def stalled(self) -> int:
        """Connections held open unanswered in "stall" mode: a client is waiting on us."""
        return len(self._stalled)

    def stop(self) -> None:
        self._stop.set()
        self._close_listener()
        for conn in self._stalled:
            with contextlib.suppress(OSError):
                conn.close()
        self._stalled.clear()
        if self._thread:
            self._thread.join(timeout=2)

    def set_mode(self, mode: Mode) -> None:
        """'refuse' closes the port (connection refused); any other mode reopens it."""
        with self._lock:
            previous, self.mode = self.mode, mode
        if mode == "refuse":
            self._close_listener()
        elif previous == "refuse":
            self._listen()
        if mode != "stall":
            for conn in self._stalled:
                with contextlib.suppress(OSError):
                    conn.close()
            self._stalled.clear()

    @property
    def texts(self) -> list[list[str]]:
        with self._lock:
            return [j.decoded.text for j in self.jobs]

    # -- the server -------------------------------------------------------------------------
    def _listen(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, self.port))
        s.listen(8)
        s.settimeout(0.2)
        self.port = s.getsockname()[1]
        self._listener = s
        self._thread = threading.Thread(target=self._accept_loop, args=(s,), daemon=True,
                                        name=f"printer-sim:{self.port}")
        self._thread.start()

    def _close_listener(self) -> None:
        s, self._listener = self._listener, None
        if s is not None:
            with contextlib.suppress(OSError):
                s.close()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set() and self._listener is listener:
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        if self.mode == "stall":
            self._stalled.append(conn)  # never read, never answer: like a jammed printer
            return
        data = bytearray()
        conn.settimeout(10)
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                self._answer_status(conn, chunk)
                if self.mode == "drop" and len(data) >= self.drop_after:
                    with self._lock:
                        self.aborted += 1
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()
        job_bytes = _strip_status_requests(bytes(data))
        if job_bytes:
            job = Job(job_bytes, decode(job_bytes))
            with self._lock:
                self.jobs.append(job)
            if self.on_job:
                self.on_job(job)

    def _answer_status(self, conn: socket.socket, chunk: bytes) -> None:
        i = chunk.find(b"\x10\x04")
        while i != -1 and i + 2 < len(chunk):
            n = chunk[i + 2]
            if self.mode == "garbage":
                conn.sendall(b"\xff")  # not an ESC/POS status byte: some other device
            elif n == 1:
                conn.sendall(bytes([STATUS_ONLINE]))
            elif n == 4:
                conn.sendall(bytes([PAPER_END if self.mode == "paper_out" else PAPER_OK]))
            else:
                conn.sendall(b"\x12")
            i = chunk.find(b"\x10\x04", i + 3)


def _strip_status_requests(data: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i] == 0x10 and i + 2 < len(data) and data[i + 1] == 0x04:
            i += 3
            continue
        out.append(data[i])
        i += 1
    return bytes(out)
