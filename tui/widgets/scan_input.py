"""The till's scan field: an Input whose growing text never asks for a layout pass.

Input is a ScrollView, and every key grows its virtual width, a layout-reactive: 14 layout
passes of the whole till screen for a 13-digit scan, ~20 ms of a 35 ms scan-to-line on the
benchmark machine (docs/BENCHMARKS.md). The field's own size never changes (it spans the
screen), so only its own line needs repainting.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive

from .text_input import TextInput


class ScanInput(TextInput):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
