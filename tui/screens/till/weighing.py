"""Weighed goods at the till: a product sold by weight, scanned with no quantity, takes the
scale's steady weight (read by a worker, so the till never freezes on a silent scale). While
it weighs, F12 waits: the line is not lost to a sale paid a moment before."""

from __future__ import annotations

from textual import work

from devices.errors import DeviceError
from devices.scale import Reading
from store.catalog.search import ProductHit
from store.core.errors import StoreError
from store.core.i18n import _

from ...weighing import reading_problem, scale_fault
from .view import TillView


class Weighing(TillView):
    weighing = False

    def weigh(self, hit: ProductHit) -> None:
        if self.weighing:
            return
        self.weighing = True
        self._say(_("Weighing {name}…").format(name=hit.local_name))
        self._read_scale(hit)

    @work(thread=True, exit_on_error=False, group="weigh")
    def _read_scale(self, hit: ProductHit) -> None:
        try:
            reading: Reading | str = self.app.weigher.weigh()  # type: ignore[attr-defined]
        except DeviceError as err:
            reading = scale_fault(err)
        except Exception as exc:  # never the app: the cashier can still type the weight
            reading = scale_fault(DeviceError("io", str(exc)))
        self.app.call_from_thread(self._weighed, hit, reading)

    def _weighed(self, hit: ProductHit, reading: Reading | str) -> None:
        self.weighing = False
        problem = reading if isinstance(reading, str) else reading_problem(reading,
                                                                          hit.local_name)
        if problem:
            self.app.bell()
            self._say(problem)
            return
        assert isinstance(reading, Reading)
        try:
            index = self.basket.add(hit, reading.kg)
        except StoreError as err:
            self.app.bell()
            self._say(str(err))
            return
        self._say("")
        self._refresh(select=index, changed=index)
