"""The shop's scheduled jobs inside the app (`[jobs] in_app = true`): for a single-till shop
with no server to run `zhanggui worker` on. The same worker loop in a thread of the app, as
the configured user; a job that is due while the app is closed (the nightly backup) runs when
it opens. A bad user or secret is said in the header, never the end of the app."""

from __future__ import annotations

import threading

from store.core import config as configuration
from store.core import files
from store.core.config import Config
from store.core.errors import StoreError
from store.core.i18n import _
from store.jobs import schedule
from store.jobs.tasks import Context
from store.security import auth


class InAppJobs:
    POLL = 30.0

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> str:
        """Start the loop; "" when it runs, else why not, in words."""
        jobs = self.cfg.jobs
        try:
            secret = files.read_small_text(jobs.secret_file, field="jobs.secret_file",
                                           limit=1024).strip() if jobs.secret_file else ""
            actor = auth.authenticate(jobs.user, secret)
        except StoreError as err:
            return _("jobs not started: {reason}").format(reason=err)
        ctx = Context(actor=actor, db_url=self.cfg.db_url,
                      backup_dir=configuration.data_dir() / "backups",
                      holder=schedule.holder_name())
        self.thread = threading.Thread(target=schedule.serve, args=(ctx, self.stop_event),
                                       kwargs={"poll": self.POLL}, name="jobs", daemon=True)
        self.thread.start()
        return ""

    def stop(self, timeout: float = 2.0) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)
