"""Who can log in, and with which role: add a user, change a role or a name, set a PIN, stop
someone logging in or let them again, lift a lockout. The store checks who may (`manage_users`;
only an owner makes or unmakes an owner; the last owner stays) and records each change."""

from __future__ import annotations

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.core.i18n import N_, _
from store.security import accounts
from store.security.auth import ROLE_LABELS, SessionUser

ROLE_HINT = "cashier, supervisor, warehouse, accountant, owner"


class UsersScreen(DocScreen):
    row_action = "edit"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("n", "new", N_("New"), id="users.new"),
        Binding("enter", "edit", N_("Edit"), id="users.edit"),
        Binding("p", "pin", N_("PIN"), id="users.pin"),
        Binding("d", "active", N_("Retire/reuse"), id="users.active"),
        Binding("u", "unlock", N_("Unlock"), id="users.unlock"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[accounts.UserRow] = []

    def reload(self) -> None:
        self.rows = accounts.users()
        self.fill(_("Users"), _("{count} users").format(count=len(self.rows)),
                  [_("User"), _("Role"), _("Name"), _("Status")],
                  [[r.username, _(ROLE_LABELS[r.role]), r.display_name, r.status]
                   for r in self.rows])

    def current(self) -> accounts.UserRow | None:
        row = self.row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def action_new(self) -> None:
        def act(v: dict[str, str]) -> str:
            made = accounts.add_user(self.user, v["username"].strip(), v["role"].strip(),
                                     pin=v["pin"], display_name=v["name"])
            return _("{user} added").format(user=made.username)

        self.ask(FormDialog(_("New user"), [
            Field("username", N_("User")), Field("role", N_("Role"), hint=ROLE_HINT),
            Field("name", N_("Name")), Field("pin", N_("PIN"), secret=True)], act,
            aliases={"pin": "pin", "role": "role"}), self.reload_and_say)

    def action_edit(self) -> None:
        r = self.current()
        if r is None:
            return

        def act(v: dict[str, str]) -> str:
            role = v["role"].strip()
            changed = accounts.change_user(
                self.user, r.username, role=role if role != r.role else None,
                display_name=v["name"] if v["name"] != r.display_name else None)
            return _("{user}: {role}, {name}").format(
                user=changed.username, role=_(ROLE_LABELS[changed.role]),
                name=changed.display_name or "-")

        self.ask(FormDialog(_("Change {user}").format(user=r.username), [
            Field("role", N_("Role"), value=r.role, hint=ROLE_HINT),
            Field("name", N_("Name"), value=r.display_name)], act,
            aliases={"display_name": "name"}), self.reload_and_say)

    def action_pin(self) -> None:
        r = self.current()
        if r is None:
            return

        def act(v: dict[str, str]) -> str:
            accounts.change_secret(self.user, r.username, pin=v["pin"])
            return _("{user}'s PIN is changed").format(user=r.username)

        self.ask(FormDialog(_("New PIN for {user}").format(user=r.username),
                            [Field("pin", N_("PIN"), secret=True)], act), self.reload_and_say)

    def action_active(self) -> None:
        r = self.current()
        if r is not None and self.attempt(lambda: accounts.set_active(self.user, r.username,
                                                                        not r.active)):
            self.reload()
            self.say((_("{user} can log in again.") if not r.active
                      else _("{user} can no longer log in.")).format(user=r.username))

    def action_unlock(self) -> None:
        r = self.current()
        if r is not None and self.attempt(lambda: accounts.unlock(self.user, r.username)):
            self.reload()
            self.say(_("{user} is unlocked.").format(user=r.username))
