"""The till's basket on screen: a scroll view that renders each line once and caches it.

A scan changes one line; only that line (and the ▶ mark's old line) is rendered again.
DataTable re-rendered every visible row per frame: 60 ms a scan with 100 lines.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = tuple[str, str, str, str, str]  # no, name, qty, price, amount
WIDTHS = (4, 30, 8, 10, 11)
RIGHT = (False, False, True, True, True)


def format_row(row: Row) -> str:
    cells = []
    for text, width, right in zip(row, WIDTHS, RIGHT, strict=True):
        fitted = set_cell_size(text, width)  # pads or cuts by display width (CJK = 2)
        if right and cell_len(text) < width:
            fitted = " " * (width - cell_len(text)) + text
        cells.append(fitted)
    return " ".join(cells)


class CartView(ScrollView, can_focus=False):
    DEFAULT_CSS = """
    CartView { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._cache: dict[tuple[int, Row, int], Strip] = {}

    # -- the API the till uses (and tests read) -------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, index: int) -> Row:
        return self.rows[index]

    def set_rows(self, rows: list[Row]) -> None:
        self.rows = list(rows)
        self._cache.clear()
        self.virtual_size = Size(sum(WIDTHS) + len(WIDTHS), len(self.rows))
        self.refresh()

    def append(self, row: Row) -> None:
        self.rows.append(row)
        self._grow()
        self.refresh_line(len(self.rows) - 1)

    def _grow(self) -> None:
        """A taller basket. `virtual_size` asks for a layout pass of the whole screen (~5 ms
        a scan); only the scrollbar's coming or going needs one, so otherwise the size is
        set quietly and the scrollbar told directly."""
        size = Size(sum(WIDTHS) + len(WIDTHS), len(self.rows))
        height = self.scrollable_content_region.height
        if not height or (self.virtual_size.height > height) != (size.height > height):
            self.virtual_size = size
            return
        self.set_reactive(CartView.virtual_size, size)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = size.height

    def update(self, index: int, row: Row) -> None:
        if self.rows[index] != row:
            self.rows[index] = row
            self.refresh_line(index)

    def show(self, index: int) -> None:
        """Scroll so that line `index` is visible."""
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    # -- rendering ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self.rows):
            return Strip.blank(width)
        row = self.rows[index]
        key = (index % 2, row, width)
        strip = self._cache.get(key)
        if strip is None:
            selected = row[0].startswith("▶")
            style = Style(bold=True, reverse=True) if selected else (
                Style(dim=False, bgcolor="grey11") if index % 2 else Style())
            text = set_cell_size(format_row(row), width)
            strip = Strip([Segment(text, style)], width)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = strip
        return strip
