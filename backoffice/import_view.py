"""Bringing a file in from the back office (issue 16.4: "progress shown"), for an owner who
does not use the shell: which import and which file on a form; then a dry run in a worker
with its progress line, every bad row listed by line, field and value, and — only when the
file is clean, or the owner chose to skip bad rows — F2 to import it for real. The work is
the store's `run_import`, the same as `zhanggui import NAME FILE`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.binding import Binding
from textual.widgets import Label

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.core import text
from store.core.errors import StoreError, ValidationError
from store.core.i18n import N_, _
from store.core.importing import ImportRejected, ImportReport
from store.core.money import format_money
from store.onboarding import imports
from store.security.auth import SessionUser
from tui.guard import FAULTS, fault_message


@dataclass(frozen=True)
class Job:
    what: str
    path: Path
    warehouse: str  # or the shop, for shop prices: of the rows that name none
    skip_bad: bool


def import_form(opened: list[Job]) -> FormDialog:
    """What to import and from where; a missing file or an unknown import is said on the
    form. On a good one the job is put in `opened` for the import screen."""

    def act(v: dict[str, str]) -> str:
        what = v["what"].strip().lower()
        if what not in imports.KINDS:
            raise ValidationError(_("what: '{value}' is not one of {kinds}").format(
                value=what, kinds=", ".join(imports.KINDS)), field="what", value=what)
        path = Path(v["file"].strip()).expanduser()
        if not path.is_file():
            raise ValidationError(_("file: there is no file {path}").format(path=path),
                                  field="file", value=str(path))
        opened.append(Job(what, path, v["warehouse"].strip(),
                          text.yes_no(v["skip_bad"] or "no", field="skip_bad")))
        return ""

    return FormDialog(_("Import a file"), [
        Field("what", N_("Import"), hint=", ".join(imports.KINDS)),
        Field("file", N_("File"), hint=_("the path of a .csv or .xlsx file")),
        Field("warehouse", N_("Warehouse or shop"),
              hint=_("for stock the warehouse, for shop prices the shop, of rows that name "
                     "none")),
        Field("skip_bad", N_("Skip bad rows"), _("no"), hint=_("yes or no"))], act)


class ImportScreen(DocScreen):
    """The dry run's report, then the import's."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back"),
                Binding("f2", "import", N_("Import"), id="import.run"),
                Binding("f3", "choose", N_("Another file"), id="import.choose")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.job: Job | None = None
        self.report: ImportReport | None = None
        self.state = "choosing"  # choosing, checking, checked, refused, importing, done, failed

    def on_mount(self) -> None:
        super().on_mount()
        self.action_choose()

    def action_choose(self) -> None:
        if self.state in ("checking", "importing"):
            return
        opened: list[Job] = []

        def chosen(_said: str | None) -> None:
            if opened:
                self.job, self.report, self.state = opened[0], None, "checking"
                self.reload()
                self.run(dry_run=True)
            elif self.job is None:  # Esc on the first form: back to the menu
                self.app.pop_screen()

        self.ask(import_form(opened), chosen)

    def reload(self) -> None:
        r = self.report
        errors = r.errors if r is not None else []
        title = (_("Import {what}: {file}").format(what=self.job.what, file=self.job.path.name)
                 if self.job else _("Import a file"))
        self.fill(title, self._summary(),
                  [_("Line"), _("Field"), _("Value"), _("What is wrong")],
                  [[str(e.line), e.field or "", str(e.value)[:40], e.message] for e in errors])

    def _summary(self) -> str:
        r = self.report
        if r is None:
            return _("checking…") if self.job else ""
        counts = _("{created} new, {updated} changed, {unchanged} unchanged, {skipped} bad "
                   "({encoding})").format(created=r.created, updated=r.updated,
                                          unchanged=r.unchanged, skipped=r.skipped,
                                          encoding=r.encoding)
        if r.unlisted:
            counts += " " + _("(the first {listed} bad rows are listed)").format(
                listed=f"{len(r.errors):,}")
        totals = "  ".join(f"{k} {format_money(v)}" for k, v in r.totals.items())
        head = {"checked": _("Dry run, nothing written. F2 imports it."),
                "refused": _("Nothing can be imported: fix the rows below (or skip bad rows)."),
                "done": _("Imported.")}.get(self.state, "")
        return " · ".join(p for p in (head, counts, totals) if p)

    def progress(self, stage: str, line: int, lines: int) -> None:
        """From the worker's thread: the line reached, on the status line."""
        said = (_("checking line {line} of {lines}") if stage == "check"
                else _("writing line {line} of {lines}")).format(line=f"{line:,}",
                                                                 lines=f"{lines:,}")
        self.app.call_from_thread(self.query_one("#doc-status", Label).update, said)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run(self, dry_run: bool) -> None:
        job = self.job
        assert job is not None
        try:
            report = imports.run_import(job.what, job.path, self.user,
                                        warehouse=job.warehouse, shop=job.warehouse,
                                        dry_run=dry_run,
                                        skip_bad=job.skip_bad, progress=self.progress)
        except ImportRejected as err:
            self.app.call_from_thread(self.finished, err.report, "refused", "")
        except StoreError as err:
            self.app.call_from_thread(self.finished, None, "failed", str(err))
        except FAULTS as exc:  # the database away: said, the screen stays
            self.app.call_from_thread(self.finished, None, "failed", fault_message(exc))
        else:
            self.app.call_from_thread(self.finished, report, "checked" if dry_run else "done",
                                      "")

    def finished(self, report: ImportReport | None, state: str, message: str) -> None:
        self.report, self.state = report or self.report, state
        self.reload()
        self.say(message)

    def action_import(self) -> None:
        if self.state != "checked":
            self.app.bell()
            self.say(_("Only a file whose dry run passed can be imported."))
            return
        self.state = "importing"
        self.say(_("Importing…"))
        self.run(dry_run=False)
