"""One screen for every list of master data (warehouses, tills, tenders, categories, units,
tax rates, suppliers, customer groups): the rows with their status, F2 a new one, F4 or Enter
to change the one under the cursor, F6 to stop using it or use it again. The form shows the
row as it is and only the fields a user changed are sent, so the store's "nothing to change"
and its refusals (a retired unit still on sale, a till with a shift open) are said on the form
with the field focused. Each register is a `Register`: what to list and which store functions
create, change and retire — the screen knows no table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.core.i18n import N_, _
from store.security.auth import SessionUser

Values = dict[str, str]


@dataclass(frozen=True)
class Register:
    title: str  # msgid: "Warehouses"
    new_title: str  # msgid: "New warehouse"
    columns: Sequence[str]  # msgids
    load: Callable[[], Sequence[Any]]
    cells: Callable[[Any], list[str]]
    new_fields: Sequence[Field]
    create: Callable[[SessionUser, Values], Any]
    edit_fields: Callable[[Any], Sequence[Field]]
    # Called with only the fields the user changed (the others are None).
    change: Callable[[SessionUser, Any, dict[str, str | None]], Any]
    toggle: Callable[[SessionUser, str, bool], Any] | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # store field → form field
    # F7: a screen of the row's own details (what a supplier sells), where there is one.
    details: Callable[[SessionUser, Any], Any] | None = None
    details_label: str = N_("What it sells")  # msgid: F7's name in the footer


def changed(fields: Sequence[Field], values: Values) -> dict[str, str | None]:
    """Each field's new text, or None where it is as it was."""
    return {f.key: (values[f.key] if values[f.key] != f.value else None) for f in fields}


class RegisterScreen(DocScreen):
    row_action = "edit"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("f2", "new", N_("New"), id="register.new"),
        Binding("f4", "edit", N_("Edit"), id="register.edit"),
        Binding("f6", "active", N_("Retire/reuse"), id="register.active"),
        Binding("f7", "details", N_("What it sells"), id="register.details"),
    ]

    def __init__(self, user: SessionUser, register: Register) -> None:
        super().__init__()
        self.user = user
        self.register = register
        self.rows: list[Any] = []
        keys = self._bindings.key_to_bindings
        keys["f7"] = [replace(b, description=_(register.details_label)) for b in keys["f7"]]

    def reload(self) -> None:
        self.rows = list(self.register.load())
        self.fill(_(self.register.title), _("{count} rows").format(count=len(self.rows)),
                  [_(c) for c in self.register.columns],
                  [self.register.cells(r) for r in self.rows])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F7 only on a register that has details (the suppliers')."""
        return self.register.details is not None if action == "details" else True

    def action_details(self) -> None:
        row, details = self.current(), self.register.details
        if row is not None and details is not None:
            self.app.push_screen(details(self.user, row))

    def current(self) -> Any | None:
        row = self.row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def action_new(self) -> None:
        def act(v: Values) -> str:
            made = self.register.create(self.user, v)
            return _("{code} added").format(code=made.code)

        self.ask(FormDialog(_(self.register.new_title), self.register.new_fields, act,
                            aliases=self.register.aliases),
                 self.reload_and_say)

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            return
        fields = list(self.register.edit_fields(row))

        def act(v: Values) -> str:
            done = self.register.change(self.user, row, changed(fields, v))
            return _("{code} changed").format(code=done.code)

        self.ask(FormDialog(_("Change {code}").format(code=row.code), fields, act,
                            aliases=self.register.aliases), self.reload_and_say)

    def action_active(self) -> None:
        row, toggle = self.current(), self.register.toggle
        if row is None or toggle is None:
            return
        if self.attempt(lambda: toggle(self.user, row.code, not row.active)):
            self.reload()
            self.say((_("{code} is in use again") if not row.active
                      else _("{code} is no longer in use")).format(code=row.code))
