"""Device faults as codes with details: the app turns them into words in the user's language."""

from __future__ import annotations

from typing import Any


class DeviceError(Exception):
    """A device is misconfigured, absent or misbehaving. `code` names which; `params` say more.

    Codes: unknown_scheme, bad_url, usb_missing, offline, timeout, paper_out, not_found,
    garbage, io.
    """

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        self.code = code
        self.detail = detail
        self.params = params
        super().__init__(f"{code}: {detail}" if detail else code)
