"""A form of labelled one-line fields: Enter walks them, Enter on the last (or F2 from any)
hands the values to `act`, which creates or changes something in the store. A refusal is
named on the form and its field focused (by the error's field name, through `aliases`); Esc
leaves with nothing done. The back office's new-promotion, new-customer, new-price-list and
edit forms are this one screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from store.core.errors import StoreError
from store.core.i18n import N_, _
from tui.bindings import TranslatedBindings
from tui.guard import FAULTS, fault_message
from tui.widgets.text_input import ENTER_NEXT, EnterMovesFocus, TextInput


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # a msgid
    value: str = ""
    hint: str = ""
    secret: bool = False  # a PIN: shown as dots


class FormDialog(EnterMovesFocus, TranslatedBindings, ModalScreen[str | None]):
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 72; height: auto; border: round $accent;
                            padding: 0 1; background: $surface; }
    FormDialog Horizontal { height: 1; }
    FormDialog .field-label { width: 20; color: $text-muted; }
    FormDialog Input { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
                Binding("f2", "save", N_("Save"), id="dialog.save"), ENTER_NEXT]

    def __init__(self, title: str, fields: Sequence[Field],
                 act: Callable[[dict[str, str]], str],
                 aliases: dict[str, str] | None = None) -> None:
        super().__init__()
        self.form_title, self.fields, self.act = title, list(fields), act
        self.aliases = aliases or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, classes="title")
            for f in self.fields:
                with Horizontal():
                    yield Label(_(f.label), classes="field-label")
                    yield TextInput(value=f.value, id=f"form-{f.key}", placeholder=f.hint,
                                    compact=True, password=f.secret)
            yield Label("", id="form-error", classes="error")
            # The footer below belongs to the screen behind: the form says its own keys.
            yield Label(_("Enter: next field (on the last: save) · F2 save · Esc cancel"),
                        classes="muted")

    def on_mount(self) -> None:
        self.query_one(f"#form-{self.fields[0].key}", Input).focus()

    def enter_target(self) -> Widget | None:
        """The next field, as the Enter is dispatched (a fast typist's next keys land there);
        on the last field Enter is its own, and saves after its keys."""
        boxes = list(self.query(Input))
        if self.focused in boxes[:-1]:
            return boxes[boxes.index(self.focused) + 1]  # type: ignore[arg-type]
        return None

    @on(Input.Submitted)
    def _last(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        values = {f.key: self.query_one(f"#form-{f.key}", Input).value for f in self.fields}
        try:
            said = self.act(values)
        except FAULTS as exc:  # the server gone: said on the form, which keeps what was typed
            self.app.bell()
            self.query_one("#form-error", Label).update(fault_message(exc))
            return
        except StoreError as err:
            self.query_one("#form-error", Label).update(str(err))
            field = getattr(err, "field", None) or ""
            target = self.aliases.get(field, field)
            if target in {f.key for f in self.fields}:
                box = self.query_one(f"#form-{target}", Input)
                box.focus()
                box.select_all()
            return
        self.dismiss(said)

    def action_cancel(self) -> None:
        self.dismiss(None)
