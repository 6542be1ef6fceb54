"""Wiring the receipt printer into the app: the store's queue as the worker's job source,
printer settings from the config, and device faults in the user's language."""

from __future__ import annotations

import json

from devices.document import ReceiptLabels
from devices.errors import DeviceError
from devices.print_worker import Job, PrinterState
from devices.printer import PrinterSettings
from store import bootstrap
from store.core.config import Config
from store.core.i18n import _
from store.offline.till import LinkState, Offline, TillLink
from store.shops import printing


class StoreJobSource:
    """The terminal's jobs in the store's print queue, for a PrintWorker."""

    def __init__(self, terminal: str) -> None:
        self.terminal = terminal

    def next_job(self) -> Job | None:
        job = printing.next_job(self.terminal)
        return Job(job.id, job.kind, job.payload) if job else None

    def printed(self, job_id: int) -> None:
        printing.mark_printed(job_id)

    def failed(self, job_id: int, error: str, *, permanent: bool) -> None:
        printing.mark_failed(job_id, error)
        if permanent:
            printing.cancel(job_id)

    def queued(self) -> int:
        return printing.state(self.terminal).queued

    def close(self) -> None:
        bootstrap.close_store()  # this thread's connection


class TillJobSource:
    """A till with an offline link (issue 18.2): its own queue first — the receipts of sales
    made offline, kept on the till — then the store's, asked through the link so a silent
    database never holds up a receipt. Local jobs have negative ids."""

    def __init__(self, store: StoreJobSource, link: TillLink) -> None:
        self.store, self.link = store, link

    def next_job(self) -> Job | None:
        local = self.link.outbox.next_print()
        if local is not None:
            return Job(-local[0], local[1], local[2])
        if not self.link.online:
            return None
        try:
            return self.link.call(self.store.next_job)
        except Offline:
            return None

    def printed(self, job_id: int) -> None:
        if job_id < 0:
            self.link.outbox.print_done(-job_id)
        else:
            self.link.call(self.store.printed, job_id)

    def failed(self, job_id: int, error: str, *, permanent: bool) -> None:
        if job_id < 0:
            self.link.outbox.print_done(-job_id, error=error, cancel=permanent)
        else:
            self.link.call(self.store.failed, job_id, error, permanent=permanent)

    def queued(self) -> int:
        local = self.link.outbox.prints_waiting()
        if not self.link.online:
            return local
        try:
            return local + self.link.call(self.store.queued)
        except Offline:
            return local


def printer_settings(cfg: Config) -> PrinterSettings:
    p = cfg.printer
    return PrinterSettings(url=p.url, columns=p.columns, profile=p.profile, cut=p.cut,
                           drawer_pin=p.drawer_pin, logo=p.logo, timeout=float(p.timeout))


def device_message(err: DeviceError) -> str:
    """What went wrong with a device, in words the user can act on."""
    detail = err.detail
    messages = {
        "unknown_scheme": _("Unknown device URL '{url}': use one of {schemes}").format(
            url=err.params.get("url", detail), schemes=err.params.get("schemes", "")),
        "bad_url": _("Malformed device URL: {detail}").format(detail=detail),
        "usb_missing": _("USB printers need the usb extra: pip install 'zhanggui[usb]'"),
        "offline": _("Printer not answering ({detail}): is it on and connected?").format(
            detail=detail),
        "timeout": _("Printer did not answer in time ({detail})").format(detail=detail),
        "paper_out": _("Printer is out of paper"),
        "not_found": _("Device not found: {detail}").format(detail=detail),
        "garbage": _("The device answered with something unexpected ({detail})").format(
            detail=detail),
        "io": _("Device error: {detail}").format(detail=detail),
    }
    return messages.get(err.code, str(err))


def state_text(state: PrinterState) -> str:
    if state.status == "error" and state.error is not None:
        return _("Printer: {problem} — {count} waiting").format(
            problem=device_message(state.error), count=state.queued)
    if state.status == "printing":
        return _("Printer: printing ({count} waiting)").format(count=state.queued)
    return _("Printer: ready")


def receipt_labels() -> ReceiptLabels:
    return ReceiptLabels(number=_("No."), time=_("Time"), cashier=_("Cashier"),
                         terminal=_("Till"), customer=_("Customer"), subtotal=_("Subtotal"),
                         discount=_("Discount"), total=_("TOTAL"), change=_("Change"),
                         items=_("Items"), reprint=_("*** REPRINT ***"),
                         rounding=_("Rounding"), saved=_("You saved"))


def test_page_payload() -> str:
    return json.dumps({"title": _("Zhanggui test page"), "printer": _("Printer"),
                       "columns": _("Columns"), "end": _("End of test page")},
                      ensure_ascii=False)


def link_text(state: LinkState) -> str:
    """The till's link in the header: nothing when all is well, else what a cashier and a
    manager need to know — offline, sales waiting to go in, sales the database refused."""
    parts = []
    if not state.online:
        parts.append(_("OFFLINE"))
    if state.waiting:
        parts.append(_("to send: {n}").format(n=state.waiting))
    if state.held:
        parts.append(_("refused: {n} (docs/OFFLINE.md)").format(n=state.held))
    return " · ".join(parts)
