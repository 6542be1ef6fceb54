"""The till's scale: opened on first use (a till starts whether or not the scale is on), read
in a worker thread, and what each reading means to the cashier."""

from __future__ import annotations

import threading

from devices.errors import DeviceError
from devices.scale import Reading, Scale, ScaleSettings, open_scale
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_qty

from .printing import device_message


class Weigher:
    def __init__(self, config: Config) -> None:
        c = config.scale
        self.settings = ScaleSettings(c.url, c.protocol, c.checksum)
        self.timeout = c.timeout_ms / 1000
        self._scale: Scale | None = None
        self._lock = threading.Lock()  # one weighing at a time

    @property
    def configured(self) -> bool:
        return bool(self.settings.url)

    def weigh(self) -> Reading:
        """The steady weight, or the last reading and why it is not steady. Blocks for up to
        the configured timeout: call it from a worker. Raises DeviceError."""
        with self._lock:
            if self._scale is None:
                self._scale = open_scale(self.settings)
            return self._scale.stable_weight(self.timeout)

    def close(self) -> None:
        with self._lock:
            if self._scale is not None:
                self._scale.close()
                self._scale = None


def reading_problem(reading: Reading, name: str) -> str:
    """Why a reading cannot go on the receipt, in the cashier's words ("" when it can)."""
    return {
        "steady": "",
        "motion": _("The scale is not steady ({kg} kg): hold still and scan {name} again"),
        "zero": _("Nothing on the scale: put {name} on it and scan again"),
        "negative": _("The scale reads below zero: clear it, zero it and scan {name} again"),
        "over": _("Too heavy for the scale: weigh {name} in parts"),
        "pounds": _("The scale is set to pounds: set it to kilograms"),
    }[reading.status].format(kg=format_qty(reading.kg), name=name)


def scale_fault(err: DeviceError) -> str:
    return _("The scale does not answer ({problem}): type the weight, then * and the code"
             ).format(problem=device_message(err))
