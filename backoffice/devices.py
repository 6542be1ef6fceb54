"""Devices: the printer and scanner of this terminal, their state, a test page and a retry."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from store.core.i18n import N_, _
from store.shops import printing
from tui.bindings import TranslatedBindings
from tui.printing import test_page_payload


class DevicesScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("t", "test_page", N_("Test page"), id="devices.test_page"),
        Binding("r", "retry", N_("Retry now"), id="devices.retry"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="notice-box"):
            yield Label(_("Devices"), classes="title")
            yield Static(id="device-info")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_info()
        self.set_interval(1.0, self.refresh_info)

    def refresh_info(self) -> None:
        cfg = self.app.config  # type: ignore[attr-defined]
        queue = printing.state(cfg.terminal.code)
        lines = [
            _("Terminal: {code}").format(code=cfg.terminal.code),
            _("Receipt printer: {url} ({columns} columns)").format(url=cfg.printer.url,
                                                                  columns=cfg.printer.columns),
            self.app.printer_status or "",  # type: ignore[attr-defined]
            _("Jobs waiting: {count}").format(count=queue.queued),
        ]
        if queue.last_error:
            lines.append(_("Last error: {error}").format(error=queue.last_error))
        lines.append(_("Scanner: {what}").format(
            what=cfg.scanner.url or _("keyboard wedge (nothing to configure)")))
        if self.app.scanner_status:  # type: ignore[attr-defined]
            lines.append(self.app.scanner_status)  # type: ignore[attr-defined]
        self.query_one("#device-info", Static).update("\n".join(x for x in lines if x))

    def action_test_page(self) -> None:
        printing.enqueue(self.app.config.terminal.code, "test",  # type: ignore[attr-defined]
                         test_page_payload(), reference="test")
        self.action_retry()
        self.notify(_("Test page queued"))

    def action_retry(self) -> None:
        self.app.wake_printer()  # type: ignore[attr-defined]
        self.refresh_info()
