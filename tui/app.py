"""The Textual app: wiring only. Screens live in tui/screens and backoffice/."""

from __future__ import annotations

import threading
import time

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input, TextArea

from devices.errors import DeviceError
from devices.print_worker import JobSource, PrinterState, PrintWorker
from devices.printer import ReceiptPrinter
from devices.scanner import SerialScanner, WedgeDetector
from store.core.config import Config
from store.core.i18n import N_, _, current_language
from store.offline import till as offline
from store.offline.till import TillLink
from store.security.auth import SessionUser
from store.shops import org, setup

from .bindings import TranslatedBindings
from .jobs_runner import InAppJobs
from .printing import (
    StoreJobSource,
    TillJobSource,
    device_message,
    link_text,
    printer_settings,
    state_text,
)
from .scanning import BarcodeScanned, scanner_settings, scanner_state_text
from .screens.home import HomeScreen
from .screens.login import LoginScreen
from .weighing import Weigher


class ZhangguiApp(TranslatedBindings, App[None]):
    """The till, the stockroom and the back office over one store; the store must be open."""

    CSS_PATH = "app.tcss"
    TITLE = "掌柜 Zhanggui"
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
        # Priority, so focus moves as the key is dispatched: over a slow SSH link or from a
        # password manager, "name<Tab>PIN<Enter>" arrives in one burst, and the screen's own
        # Tab binding would run only after the PIN's keys had gone to the name field.
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = False

    IDLE_CHECK_SECONDS = 10.0
    printer_status: reactive[str] = reactive("")
    scanner_status: reactive[str] = reactive("")

    def __init__(self, config: Config, *, offline_reason: str = "") -> None:
        super().__init__()
        self.config = config
        # Started while the database could not be reached (why): the till sells from its
        # local copy until the link finds the database again (docs/OFFLINE.md).
        self.offline_reason = offline_reason
        self.user: SessionUser | None = None
        self.last_activity = time.monotonic()
        self.print_worker: PrintWorker | None = None
        self.serial_scanner: SerialScanner | None = None
        self.weigher = Weigher(config)
        self.wedge = WedgeDetector(prefix=config.scanner.strip_prefix[:1])
        self.stray_run = False  # the current burst began where no scan is expected
        self.run_no = 0  # runs of quick keys, counted
        self.run_len = 0  # keys so far in the latest run
        self.run_of: dict[int, int] = {}  # id(key) → its run, for keys of a stray run

    def on_mount(self) -> None:
        self.start_link()
        shop = org.settings() if self.link is None or self.link.online else (
            self.link.copy.settings())
        english = current_language() == "en" and shop.name_en
        self.title = (shop.name_en if english else shop.name) or "掌柜 Zhanggui"
        self.sub_title = self.config.terminal.code
        if self.link is not None:
            self._link_state(self.link.state())
        if self.config.keys:  # the shop's own keys, by binding id (zhanggui.toml [keys])
            self.set_keymap(self.config.keys)
        self.push_screen(LoginScreen())
        if not self.offline_reason and not setup.is_set_up():  # the first run: shop, owner
            from .screens.setup_wizard import SetupScreen

            self.push_screen(SetupScreen())
        if self.config.ui.idle_lock_minutes > 0:
            self.set_interval(self.IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.start_printing()
        self.start_scanner()
        if self.config.jobs.in_app:
            self.start_jobs()

    jobs: InAppJobs | None = None
    jobs_status = ""
    link: TillLink | None = None  # the till's way through an outage (issue 18.2)
    link_status = ""

    def start_link(self) -> None:
        """With PostgreSQL (or `[till] offline = "on"`), the till keeps a local copy and an
        outbox, and sells through an outage: docs/OFFLINE.md."""
        url = self.config.db_url
        if not offline.wanted(self.config.till.offline, url):
            return
        self.link = offline.TillLink(
            self.config.terminal.code, offline.folder(url),
            timeout=self.config.till.offline_timeout_ms / 1000, on_change=self._link_changed)
        if self.offline_reason:
            self.link.start_offline(self.offline_reason)
        else:
            self.link.start()

    def _link_changed(self, state: offline.LinkState) -> None:
        if threading.get_ident() == self._thread_id:
            self._link_state(state)
        else:
            self.call_from_thread(self._link_state, state)

    def _link_state(self, state: offline.LinkState) -> None:
        self.link_status = link_text(state)
        self._show_status()

    def start_jobs(self) -> None:
        """The scheduled jobs in this app (a single-till shop: docs/JOBS.md)."""
        self.jobs = InAppJobs(self.config)
        self.jobs_status = self.jobs.start()
        self._show_status()

    def start_printing(self) -> None:
        """The terminal's print worker: a thread of its own, reporting state to the header."""
        try:
            printer = ReceiptPrinter(printer_settings(self.config))
        except DeviceError as err:
            self.printer_status = device_message(err)
            return
        self.printer_status = state_text(PrinterState("ready"))  # until the worker reports
        store = StoreJobSource(self.config.terminal.code)
        source: JobSource = store if self.link is None else TillJobSource(store, self.link)
        self.print_worker = PrintWorker(
            source, printer,
            on_state=lambda state: self.call_from_thread(self._printer_state, state)).start()

    def wake_printer(self) -> None:
        """Jobs were queued (or the user asked to retry): print now, not at the next poll."""
        if self.print_worker is not None:
            self.print_worker.wake()

    def _printer_state(self, state: PrinterState) -> None:
        self.printer_status = state_text(state)

    def watch_printer_status(self) -> None:
        self._show_status()

    def watch_scanner_status(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        parts = [self.config.terminal.code, self.link_status, self.printer_status,
                 self.scanner_status, self.jobs_status]
        self.sub_title = " · ".join(p for p in parts if p)

    def on_unmount(self) -> None:
        if self.jobs is not None:
            self.jobs.stop()
        if self.link is not None:
            self.link.stop()
        if self.print_worker is not None:
            self.print_worker.stop(timeout=2)
        if self.serial_scanner is not None:
            self.serial_scanner.stop(timeout=2)
        self.weigher.close()

    async def on_event(self, event: events.Event) -> None:
        # A key the focused widget leaves alone (a digit on a table) bubbles back up to the
        # app: seen again, a burst would be a second scan (issue 14: every scan counted twice
        # once the stockroom's table had focus). Textual marks that second pass as forwarded.
        first_pass = not event.is_forwarded
        if isinstance(event, events.Key | events.MouseDown) and first_pass:
            self.last_activity = time.monotonic()
        if isinstance(event, events.Key) and first_pass and self._feed_wedge(event):
            return  # a key of a scan that nothing here takes: held back
        if (isinstance(event, events.Key) and not first_pass and self.run_len >= 2
                and self.run_of.get(id(event)) == self.run_no):
            # Back from a screen that left it alone, a key is about to meet the screen's
            # bindings (a menu's "1" opens the till): not when it came in a burst with others.
            return
        await super().on_event(event)

    def _takes_scans_here(self) -> bool:
        """A screen that handles scans, or a text field (where a password manager's burst, or
        a fast typist, is typing)."""
        return (hasattr(self.screen, "on_barcode_scanned")
                or isinstance(self.focused, Input | TextArea))

    def _feed_wedge(self, event: events.Key) -> bool:
        """Every key also goes where it always goes; the detector only notices when a burst
        ending in Enter was a scanner, and tells the screen the whole code.

        Where no scan is expected (a menu, a list), a burst's keys never reach the screen's
        bindings (on_event drops them as they come back up; a lone key still acts), and from
        its fourth key on a burst is a scan: its keys and its Enter are held back (True) and
        the app says it refused the scan. A stray scan on the home menu must not open the till
        and a shift with the code as the float."""
        # When the key arrived (the driver made the event then), not when it is handled: a
        # burst stays a burst while the app is busy (opening a screen takes longer than the
        # 35 ms the detector allows between keys).
        now = event.time
        if event.key == "enter":
            code = self.wedge.enter(now)
            stray, self.stray_run = self.stray_run, False
            if code and stray:
                self.bell()
                self.notify(_("A scan ({code}) came where none is expected: nothing was "
                              "done").format(code=code), severity="warning")
                return True
            if code:
                self.screen.post_message(BarcodeScanned(code, "wedge"))
                # The scanner's Enter ends the code; it is no key press for a table or a
                # button that has the focus (Enter on the stock list would open the row
                # the scan itself just found). A text field still gets it.
                return not isinstance(self.focused, Input | TextArea)
            return False
        if not (event.character and event.is_printable):
            self.stray_run = False
            return False
        self.wedge.key(event.character, now)
        run = len(self.wedge.pending)
        if run == 1:  # a pause before this key (or none before it): a new run starts here
            self.stray_run = not self._takes_scans_here()
            self.run_no += 1
            self.run_of.clear()
        self.run_len = run
        if self.stray_run:
            self.run_of[id(event)] = self.run_no
        return self.stray_run and run >= self.wedge.min_length

    def start_scanner(self) -> None:
        settings = scanner_settings(self.config)
        if not settings.url:
            return
        try:
            self.serial_scanner = SerialScanner(
                settings,
                lambda code: self.call_from_thread(self._serial_code, code),
                on_state=lambda state, err: self.call_from_thread(self._scanner_state, state),
            ).start()
        except DeviceError as err:
            self.scanner_status = device_message(err)

    def _serial_code(self, code: str) -> None:
        self.last_activity = time.monotonic()
        self.screen.post_message(BarcodeScanned(code, "serial"))

    def _scanner_state(self, state: str) -> None:
        self.scanner_status = scanner_state_text(state)

    def lock_if_idle(self, now: float | None = None) -> bool:
        """Log out an unattended terminal (ui.idle_lock_minutes); True if it did."""
        limit = self.config.ui.idle_lock_minutes * 60
        idle = (time.monotonic() if now is None else now) - self.last_activity
        if self.user is None or limit <= 0 or idle < limit:
            return False
        self.log_out()
        self.notify(_("Logged out after {minutes} minutes without use.").format(
            minutes=self.config.ui.idle_lock_minutes))
        return True

    def logged_in(self, user: SessionUser) -> None:
        self.user = user
        self.push_screen(HomeScreen(user))

    def log_out(self) -> None:
        self.user = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.pop_screen()
