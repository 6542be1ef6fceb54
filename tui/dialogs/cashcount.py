"""Counting the drawer: by denomination (notes and coins), or as one amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from store.core.errors import ValidationError
from store.core.i18n import N_, _
from store.core.money import format_money, parse_decimal
from store.selling.sales import DENOMINATIONS

from ..bindings import TranslatedBindings
from ..widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


@dataclass(frozen=True)
class CashCount:
    amount: Decimal
    counts: dict[str, int] | None  # None: counted as one amount


class CashCountDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[CashCount | None]):
    """Type the total and Enter; or Tab down and type how many of each note and coin (Enter
    moves down, the total adds up). F12, or Enter on the total or the last coin, accepts."""

    DEFAULT_CSS = """
    CashCountDialog { align: center middle; }
    CashCountDialog > Vertical { width: 44; height: auto; border: round $accent; padding: 0 1;
                                 background: $surface; }
    CashCountDialog Grid { grid-size: 2; grid-columns: 12 1fr; grid-gutter: 0 1; height: auto; }
    CashCountDialog Grid Label { height: 1; content-align: right middle; width: 100%; }
    CashCountDialog Input { margin: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
                Binding("f12", "accept", N_("OK"), id="dialog.ok", priority=True),
                ENTER_NEXT]  # "2⏎3⏎" typed fast puts the 3 on the next coin

    def __init__(self, title: str) -> None:
        super().__init__()
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="title")
            with Grid():
                yield Label(_("Total"))
                yield TextInput(id="count-total", compact=True, placeholder="0.00")
                for d in DENOMINATIONS:
                    yield Label(f"{format_money(d)} ×")
                    yield TextInput(id=f"count-{_key(d).replace('.', '_')}", compact=True,
                                restrict=r"\d*", placeholder="0")
            yield Static(_("Tab: count notes and coins · F12: done"), id="count-hint")
            yield Label("", id="count-error", classes="error")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _counts(self) -> dict[str, int]:
        counts = {}
        for d in DENOMINATIONS:
            text = self.query_one(f"#count-{_key(d).replace('.', '_')}", Input).value.strip()
            if text:
                counts[_key(d)] = int(text)
        return counts

    @on(Input.Changed)
    def _sum(self, event: Input.Changed) -> None:
        if event.input.id == "count-total":
            return
        total = sum((Decimal(k) * n for k, n in self._counts().items()), Decimal(0))
        self.query_one("#count-total", Input).value = f"{total:.2f}" if total else ""

    def enter_target(self) -> Widget | None:
        """The next note or coin; on the total or the last coin Enter is the field's own:
        its Submitted, after its keys, accepts."""
        fields = list(self.query(Input))
        last = f"count-{_key(DENOMINATIONS[-1]).replace('.', '_')}"
        focused = self.focused
        if focused not in fields or focused.id in ("count-total", last):
            return None
        return fields[fields.index(focused) + 1]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        counts = self._counts()
        try:
            amount = parse_decimal(self.query_one("#count-total", Input).value or "0",
                                   field=_("amount"))
        except ValidationError as err:
            self.query_one("#count-error", Label).update(str(err))
            return
        self.dismiss(CashCount(amount, counts if counts else None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _key(d: Decimal) -> str:
    return f"{d.normalize():f}"
