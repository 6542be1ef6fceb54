"""Scheduled jobs and connected channels (issue 17.6): when each job runs next, how its last
run went in words, "run now", on/off and its schedule; the channels' last syncs beside them;
whether a worker runs at all. A run started here runs in a worker thread, held like any
worker's, so the screen never freezes and a second "run now" elsewhere is told it runs."""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import DataTable

from store.channels import links, syncing
from store.common import clock
from store.core import config
from store.core.errors import StoreError
from store.core.i18n import N_, _
from store.jobs import schedule
from store.jobs.tasks import Context
from store.security.auth import SessionUser
from tui.guard import fault_message
from tui.screens.stockdoc import clip

from .forms import Field, FormDialog
from .purchasing import DocScreen


class JobsScreen(DocScreen):
    reload_on_resume = True
    BINDINGS = [
        Binding("r", "run_now", N_("Run now"), id="jobs.run"),
        Binding("o", "switch", N_("On/off"), id="jobs.toggle"),
        Binding("s", "schedule", N_("Schedule"), id="jobs.schedule"),
        Binding("c", "channels", N_("Channels"), id="jobs.channels"),
        Binding("a", "add_channel", N_("Connect"), id="jobs.add_channel"),
        Binding("t", "test_channel", N_("Test"), id="jobs.test_channel"),
        Binding("delete", "remove_channel", N_("Disconnect"), id="jobs.remove_channel"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.names: list[str] = []
        self.channels: list[str] = []
        self.messages: list[str] = []
        self.show_channels = False

    def reload(self) -> None:
        beats = schedule.workers()
        worker = (_("worker: {list}").format(list=", ".join(":".join(h.split(":")[:2])
                                                             for h, _s, _n in beats))
                  if beats else _("no worker is running: start `zhanggui worker --as USER`"))
        if self.show_channels:
            rows = links.links()
            self.names = []
            self.channels = [r.name for r in rows]
            self.messages = [r.message for r in rows]
            self.fill(_("Connected channels"), worker,
                      [_("Name"), _("Kind"), _("Status"), _("Last sync"), _("Message")],
                      [[r.name, r.kind, _(links.STATUSES.get(r.status, r.status)),
                        clock.short(r.synced_at), clip(r.message, 30)] for r in rows])
        else:
            jobs = schedule.jobs()
            self.names = [j.name for j in jobs]
            self.messages = [j.last_message for j in jobs]
            self.fill(_("Scheduled jobs"), worker,
                      [_("Job"), _("Schedule"), _("Next run"), _("Result"), _("Last run")],
                      [[clip(j.label, 28),
                        schedule.describe(j.every, j.at) if j.enabled else _("off"),
                        _("running") if j.running else (clock.short(j.next_run) or _("now")),
                        _(schedule.RESULTS[j.last_status]) if j.last_status else "",
                        clock.short(j.last_finished)] for j in jobs])
        self.show_message()

    def show_message(self) -> None:
        i = self.row()
        self.say(self.messages[i] if 0 <= i < len(self.messages) else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_message()

    def _job(self) -> str:
        i = self.row()
        return self.names[i] if 0 <= i < len(self.names) else ""

    def action_channels(self) -> None:
        self.show_channels = not self.show_channels
        self.reload()

    def action_run_now(self) -> None:
        name = self._job()
        if name:
            self.say(_("{job}: running…").format(job=name))
            self.run_job(name)

    @work(thread=True, exit_on_error=False, group="jobs")
    def run_job(self, name: str) -> None:
        ctx = Context(actor=self.user, db_url=self.app.config.db_url,  # type: ignore[attr-defined]
                      backup_dir=config.data_dir() / "backups",
                      holder=schedule.holder_name())
        try:
            outcome = schedule.run(name, ctx, force=True)
        except Exception as exc:  # the database away: said, the screen stays
            self.app.call_from_thread(self.say, fault_message(exc))
            return
        said = (_("{job}: another worker is running it now").format(job=name)
                if outcome is None else _("{job}: {status} — {message}").format(
                    job=name, status=_("ok") if outcome.ok else _("failed"),
                    message=outcome.message))
        self.app.call_from_thread(self._ran, said)

    def _ran(self, said: str) -> None:
        self.reload()
        self.say(said)

    def action_switch(self) -> None:
        name = self._job()
        if name:
            on = schedule.get(name).enabled
            if self.attempt(lambda: schedule.change(self.user, name, enabled=not on)):
                self.reload()

    def action_schedule(self) -> None:
        name = self._job()
        if not name:
            return
        job = schedule.get(name)

        def act(v: dict[str, str]) -> str:
            given = v["when"].strip()
            view = (schedule.change(self.user, name, every=int(given)) if given.isdigit()
                    else schedule.change(self.user, name, at=given))
            return _("{job}: {schedule}, {state}").format(
                job=view.label, schedule=schedule.describe(view.every, view.at),
                state=_("on") if view.enabled else _("off"))

        self.app.push_screen(FormDialog(job.label, [
            Field("when", N_("Every N minutes, or daily at HH:MM"),
                  str(job.every) if job.every else job.at, hint="10 · 02:30")], act,
            aliases={"every": "when", "at": "when"}), self.reload_and_say)

    def _channel(self) -> str:
        i = self.row()
        return self.channels[i] if self.show_channels and 0 <= i < len(self.channels) else ""

    def action_add_channel(self) -> None:
        """Connect a web shop or a courier's API: the secrets typed here (shown as dots) are
        sealed at once, never shown again."""
        def act(v: dict[str, str]) -> str:
            kind = v["kind"].strip().lower()
            url = v["url"].strip() or syncing.default_url(kind, v["ident"])
            view = links.add_link(self.user, kind, name=v["name"], url=url,
                                  secrets=syncing.credentials(kind, v["ident"].strip(),
                                                              v["secret"].strip(),
                                                              v["session"].strip()),
                                  warehouse=v["warehouse"].strip() or "STORE")
            self.show_channels = True
            return _("{name} connected ({kind}, {url})").format(name=view.name,
                                                               kind=view.kind, url=view.url)

        self.app.push_screen(FormDialog(_("Connect a channel"), [
            Field("kind", N_("Kind"), "taobao", hint="taobao · tmall · shopify · kuaidi100"),
            Field("ident", N_("App key, shop or customer id"),
                  hint="12345678 · laowang.myshopify.com"),
            Field("secret", N_("App secret, access token or key"), secret=True),
            Field("session", N_("Session key (Taobao, Tmall)"), secret=True),
            Field("url", N_("Address (empty: the platform's own)")),
            Field("name", N_("Name (empty: the kind)")),
            Field("warehouse", N_("Warehouse its orders ship from"), "STORE")], act,
            aliases={"app_key": "ident", "customer": "ident", "app_secret": "secret",
                     "token": "secret", "key": "secret"}), self.reload_and_say)

    def action_test_channel(self) -> None:
        name = self._channel()
        if name:
            self.say(_("{name}: asking…").format(name=name))
            self.test_channel(name)

    @work(thread=True, exit_on_error=False, group="jobs")
    def test_channel(self, name: str) -> None:
        try:
            said = _("{name}: the credentials work ({said})").format(
                name=name, said=syncing.check(links.get(name)))
        except Exception as exc:  # refused, unreachable, the database away: said in words
            said = _("{name}: {message}").format(name=name, message=fault_message(exc)
                                                  if not isinstance(exc, StoreError) else exc)
        self.app.call_from_thread(self.say, said)

    def action_remove_channel(self) -> None:
        name = self._channel()
        if name and self.attempt(lambda: links.remove_link(self.user, name)):
            self.reload()
            self.say(_("{name} disconnected; its orders stay").format(name=name))
