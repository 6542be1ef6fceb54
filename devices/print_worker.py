"""The print queue's worker: a thread that prints the oldest job, retries with backoff, and
reports the printer's state. It never blocks the UI and never skips a job that failed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from .errors import DeviceError
from .printer import ReceiptPrinter

log = logging.getLogger(__name__)

BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: str


class JobSource(Protocol):
    """Where jobs come from and where their outcome goes (the app adapts the store's queue)."""

    def next_job(self) -> Job | None: ...
    def printed(self, job_id: int) -> None: ...
    def failed(self, job_id: int, error: str, *, permanent: bool) -> None: ...
    def queued(self) -> int: ...


@dataclass(frozen=True)
class PrinterState:
    status: Literal["ready", "printing", "error"]
    queued: int = 0
    error: DeviceError | None = None


class PrintWorker:
    def __init__(self, source: JobSource, printer: ReceiptPrinter, *,
                 on_state: Callable[[PrinterState], None] | None = None,
                 poll: float = 1.0, backoff: tuple[float, ...] = BACKOFF) -> None:
        self.source = source
        self.printer = printer
        self.on_state = on_state or (lambda state: None)
        self.poll = poll
        self.backoff = backoff
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = PrinterState("ready")

    def start(self) -> PrintWorker:
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """A job was queued, or the user asked to retry now: stop waiting."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _report(self, state: PrinterState) -> None:
        self.state = state
        try:
            self.on_state(state)
        except Exception:  # a broken listener must not stop printing
            log.exception("printer state listener failed")

    def _wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            close = getattr(self.source, "close", None)
            if close is not None:  # e.g. the thread's database connection
                self._safe(close)

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                job = self.source.next_job()
            except Exception as exc:  # the database is unreachable: try again later
                log.warning("print queue unavailable: %s", exc)
                self._report(PrinterState("error", self.state.queued,
                                          DeviceError("io", f"queue: {exc}")))
                self._wait(self.backoff[min(failures, len(self.backoff) - 1)])
                failures += 1
                continue
            if job is None:
                if self.state.status != "error" or failures == 0:
                    self._report(PrinterState("ready", 0))
                self._wait(self.poll)
                continue
            self._report(PrinterState("printing", self._queued()))
            try:
                self.printer.print_job(job.kind, job.payload)
            except DeviceError as err:
                self._safe(self.source.failed, job.id, str(err), permanent=False)
                self._report(PrinterState("error", self._queued(), err))
                self._wait(self.backoff[min(failures, len(self.backoff) - 1)])
                failures += 1
                continue
            except Exception as exc:  # a job that can never print must not block the rest
                log.exception("print job %s cannot be rendered", job.id)
                self._safe(self.source.failed, job.id, f"{type(exc).__name__}: {exc}",
                           permanent=True)
                continue
            self._safe(self.source.printed, job.id)
            failures = 0
            self._report(PrinterState("ready", self._queued()))

    def _queued(self) -> int:
        try:
            return self.source.queued()
        except Exception:
            return self.state.queued

    @staticmethod
    def _safe(fn: Callable[..., None], *args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:
            log.exception("print queue update failed")
