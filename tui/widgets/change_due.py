"""After a sale: what the customer handed over and the change, large, until the next scan —
a one-line status is missed while the cashier counts coins."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Digits, Static


class ChangeDue(Horizontal):
    DEFAULT_CSS = """
    ChangeDue { height: 3; display: none; background: $boost; }
    ChangeDue.shown { display: block; }
    ChangeDue #change-words { width: 1fr; height: 3; content-align: left middle;
                              text-style: bold; padding: 0 1; }
    ChangeDue Digits { width: auto; color: $success; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="change-words")
        yield Digits(id="change-digits")

    def show(self, words: str, amount: Decimal) -> None:
        """`words` (two short lines) beside `amount` drawn three rows high."""
        self.query_one("#change-words", Static).update(words)
        self.query_one(Digits).update(f"{amount:.2f}")
        self.add_class("shown")

    def hide(self) -> None:
        self.remove_class("shown")
