"""Devices: the printer and scanner of this terminal, their state, a test page and a retry;
the shop's scale-label layouts, set with a sample label read back as the till will read it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from backoffice.forms import Field, FormDialog
from store.catalog import scale
from store.core.i18n import N_, _
from store.security.auth import SessionUser
from store.shops import printing
from tui.bindings import TranslatedBindings
from tui.printing import test_page_payload


class DevicesScreen(TranslatedBindings, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("t", "test_page", N_("Test page"), id="devices.test_page"),
        Binding("r", "retry", N_("Retry now"), id="devices.retry"),
        Binding("s", "scale", N_("Scale labels"), id="devices.scale"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user

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
        lines.append(_("Scale labels: {layouts}").format(layouts=", ".join(
            f"{r.text} ({_('price') if r.kind == 'price' else _('weight')})"
            for r in scale.layouts())))
        self.query_one("#device-info", Static).update("\n".join(x for x in lines if x))

    def action_test_page(self) -> None:
        printing.enqueue(self.app.config.terminal.code, "test",  # type: ignore[attr-defined]
                         test_page_payload(), reference="test")
        self.action_retry()
        self.notify(_("Test page queued"))

    def action_retry(self) -> None:
        self.app.wake_printer()  # type: ignore[attr-defined]
        self.refresh_info()

    def action_scale(self) -> None:
        def act(v: dict[str, str]) -> str:
            texts = v["layouts"].replace(",", " ").split()
            rules, seen = scale.change_layouts(self.user, texts, sample=v["sample"])
            return " · ".join([", ".join(r.text for r in rules)] + ([seen.said()] if seen else []))

        def said(message: str | None) -> None:
            if message:
                self.notify(message, timeout=15)
                self.refresh_info()

        self.app.push_screen(FormDialog(_("Scale labels"), [
            Field("layouts", N_("Layouts"), " ".join(r.text for r in scale.layouts()),
                  hint="21CCCCCPPPPPK 22CCCCCWWWWWK"),
            Field("sample", N_("Sample label"), hint=_("a label your scale printed"))], act,
            aliases={"scale_layouts": "layouts"}), said)
