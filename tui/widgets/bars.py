"""A bar chart in text: one column of block characters per value, eighths of a cell high, so it
reads the same over SSH, in any terminal, at 80 columns."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_lines(values: Sequence[Decimal], height: int, width: int = 2) -> list[str]:
    """`height` lines, top first; each value is `width` columns wide. Negative values (a day of
    refunds) draw as nothing."""
    top = max((v for v in values if v > 0), default=Decimal(0))
    eighths = [int(v * height * 8 / top) if top and v > 0 else 0 for v in values]
    lines = []
    for row in range(height - 1, -1, -1):
        cells = []
        for e in eighths:
            fill = min(max(e - row * 8, 0), 8)
            cells.append(BLOCKS[fill] * width)
        lines.append("".join(cells))
    return lines


def hour_axis(hours: int = 24, width: int = 2) -> str:
    """0 6 12 18 under the bars."""
    return "".join(f"{h:<{width}}" if h % 6 == 0 else " " * width for h in range(hours))
