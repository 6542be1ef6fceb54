"""Scanned codes as one app message, whether they came from a keyboard wedge or a serial port."""

from __future__ import annotations

from textual.message import Message

from devices.scanner import ScannerSettings
from store.core.config import Config
from store.core.i18n import _


class BarcodeScanned(Message):
    """A complete code from a scanner; screens that take codes handle it."""

    def __init__(self, code: str, source: str) -> None:
        super().__init__()
        self.code = code
        self.source = source  # "wedge" or "serial"


def scanner_settings(cfg: Config) -> ScannerSettings:
    s = cfg.scanner
    return ScannerSettings(url=s.url, suffix=s.suffix, strip_prefix=s.strip_prefix,
                           strip_suffix=s.strip_suffix)


def scanner_state_text(state: str) -> str:
    return {"connected": _("Scanner: connected"),
            "disconnected": _("Scanner: disconnected — reconnecting"),
            "connecting": _("Scanner: connecting")}.get(state, state)
