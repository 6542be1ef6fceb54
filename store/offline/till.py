"""A till's link to the database (issue 18.2): while the database answers in time, scans and
sales go to it; when it does not — refused, dropped, or silent (a blackholed link answers
nothing, ever) — the till says so and keeps selling from its local copy into its outbox. The
cashier never waits on the network longer than `timeout`: each call runs on a thread of the
link's and is given up when late (the thread is left to its dead socket; the next call gets
a fresh one). A background thread probes the database, posts the outbox when it answers,
then refreshes the local copy; sales queue behind the outbox until it is empty, so receipts
keep their order and the till's series has no gaps."""

from __future__ import annotations

import hashlib
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from peewee import InterfaceError, OperationalError

from store.catalog import search, variants
from store.catalog.search import ProductHit
from store.catalog.variants import VariantView
from store.core.config import data_dir
from store.core.db import database, engine_of, mask_url
from store.core.errors import (
    AuthError,
    DatabaseUnavailable,
    PermissionDenied,
    StoreError,
    ValidationError,
    first_line,
)
from store.core.i18n import _
from store.customers import lookup
from store.customers.lookup import CustomerView
from store.models.base import utcnow
from store.pricing import price_lists, promotions
from store.pricing.price_lists import PriceRules
from store.pricing.promotions import Promo
from store.security import auth
from store.security.approvals import OfflineApproval
from store.security.auth import SessionUser
from store.selling import returns, sales, voids
from store.selling.basket import Basket
from store.selling.returns import Returnable
from store.selling.sales import LineView, PaymentInput, PaymentView, SaleView

from . import judge, sync
from .local_copy import LocalCopy
from .outbox import Depth, Outbox

log = logging.getLogger(__name__)

T = TypeVar("T")
# What a database that cannot be reached raises (not what it refuses: that is the answer).
CONNECTION_FAULTS = (OperationalError, InterfaceError, DatabaseUnavailable, OSError)


class Offline(Exception):
    """The database did not answer in time, or could not be reached."""


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class _Runner:
    """One daemon thread running database calls in turn, on its own connection."""

    def __init__(self, name: str) -> None:
        self.db = database.obj  # the database its connection is to, whatever comes after
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                job.result = job.fn(*job.args, **job.kwargs)
            except BaseException as exc:  # handed to the caller, whatever it is
                job.error = exc
            job.done.set()
        try:
            self.db.close()  # this thread's connection
        except Exception:  # already gone with the link
            log.debug("closing a runner's connection", exc_info=True)

    def run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any],
            timeout: float) -> T:
        job = _Job(fn, args, kwargs)
        self.jobs.put(job)
        if not job.done.wait(timeout):
            raise TimeoutError
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def stop(self) -> None:
        self.jobs.put(None)


@dataclass(frozen=True)
class LinkState:
    online: bool
    reason: str  # why it is offline
    waiting: int  # sales in the outbox
    held: int  # sales the database refused, for a person


class TillLink:
    """Where one till's scans and sales go. `folder` holds its local copy and outbox."""

    def __init__(self, terminal: str, folder: Path, *, timeout: float = 2.0,
                 every: float = 10.0, refresh_every: float = 300.0,
                 on_change: Callable[[LinkState], None] | None = None) -> None:
        self.terminal = terminal
        self.copy = LocalCopy(copy_file(folder, terminal), terminal)
        self.outbox = Outbox(outbox_file(folder, terminal), terminal)
        self.timeout, self.every, self.refresh_every = timeout, every, refresh_every
        self.on_change = on_change or (lambda state: None)
        self.online, self.reason = True, ""
        self._front = _Runner(f"till-{terminal}-front")
        self._back = _Runner(f"till-{terminal}-back")
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._refreshed = 0.0  # monotonic time of the last refresh
        self._locks: dict[str, tuple[int, float]] = {}  # offline logins: failures, until
        self._approvals: dict[int, OfflineApproval] = {}  # given offline, by their key
        self._thread: threading.Thread | None = None

    # -- calls with a deadline ----------------------------------------------------------
    def _attempt(self, runner: str, fn: Callable[..., T], *args: Any, timeout: float | None = None,
                 **kwargs: Any) -> T:
        which = self._front if runner == "front" else self._back
        try:
            return which.run(fn, args, kwargs, timeout or self.timeout)
        except TimeoutError:
            which.stop()  # it ends when its socket gives up; calls go to a fresh one
            if runner == "front":
                self._front = _Runner(f"till-{self.terminal}-front")
            else:
                self._back = _Runner(f"till-{self.terminal}-back")
            self._down(_("the database did not answer within {seconds} s").format(
                seconds=f"{timeout or self.timeout:g}"))
            raise Offline(self.reason) from None
        except CONNECTION_FAULTS as exc:
            self._down(first_line(exc))
            raise Offline(self.reason) from exc

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn` on the database, if it answers in time; Offline if not."""
        if not self.online:
            raise Offline(self.reason)
        return self._attempt("front", fn, *args, **kwargs)

    def _down(self, reason: str) -> None:
        changed = self.online
        self.online, self.reason = False, reason
        if changed:
            log.warning("till %s offline: %s", self.terminal, reason)
            self._changed()

    def _changed(self) -> None:
        try:
            self.on_change(self.state())
        except Exception:  # a screen gone: nothing to tell
            log.debug("link state listener failed", exc_info=True)

    def state(self) -> LinkState:
        depth: Depth = self.outbox.depth()
        return LinkState(self.online, self.reason, depth.waiting, depth.held)

    def start_offline(self, reason: str) -> TillLink:
        """A till started while the database cannot be reached: from its copy at once."""
        self.online, self.reason = False, reason
        return self.start()

    def grant_offline(self, permission: str, *, username: str, secret: str,
                      requested_by: SessionUser, reason: str,
                      discount_pct: Decimal | None = None) -> int:
        """A supervisor's approval while offline: their PIN against the copy, their role by
        the copy's rules. Returns the till's own (negative) id for it; the sale it approves
        carries it to the database, which records it and judges the role again."""
        if not reason.strip():
            raise ValidationError(_("reason: say why"), field="reason", value=reason)
        approver = self._check(username, secret)  # a wrong PIN kept for the chain, as online
        rules = self.copy.policy()
        if not rules.allows(approver.role, permission):
            raise AuthError(_("{user} may not approve this").format(
                user=approver.display_name))
        if discount_pct is not None and discount_pct > rules.discount_limit(approver.role):
            raise AuthError(_("{user} may give at most {limit}% off").format(
                user=approver.display_name, limit=rules.discount_limit(approver.role)))
        key = -(len(self._approvals) + 1)
        self._approvals[key] = OfflineApproval(key, approver.id, permission,
                                               reason.strip()[:200], utcnow())
        return key

    def login(self, username: str, secret: str) -> SessionUser:
        """A login at the till while offline: kept for the audit chain, which has it when
        the database answers (`login`, with when it was), as an online login is."""
        user = self._check(username, secret)
        self.outbox.add_event("login", {"role": user.role, "user": user.id})
        return user

    def _check(self, username: str, secret: str) -> SessionUser:
        """A PIN checked against the copy's users (those who may work at this till). Five
        wrong in a row lock the name here for a minute; the same words for every failure, as
        online, so a guesser learns nothing; each failure kept for the audit chain."""
        name = username.strip()
        now = time.monotonic()
        known = {u.username: u for u in self.copy.users()}
        user = known.get(name)
        if self._locks.get(name, (0, 0.0))[1] > now:
            auth.HASHER.hash(secret or "-")  # the time a real check takes: nothing told
            self.outbox.add_event("login_locked", {"username": name[:40],
                                                   "user": user.id if user else None})
            raise AuthError(_("Wrong user name or PIN"))
        if user is not None and auth.verify_hash(user.pin_hash, secret):
            self._locks.pop(name, None)
            return SessionUser(user.id, user.username, user.display_name, user.role)
        if user is None:
            auth.HASHER.hash(secret or "-")  # the same time for a name that does not exist
        failures = self._locks.get(name, (0, 0.0))[0] + 1
        self._locks[name] = (failures, now + 60.0 if failures >= 5 else 0.0)
        self.outbox.add_event("login_failed", {"username": name[:40],
                                               "user": user.id if user else None})
        raise AuthError(_("Wrong user name or PIN"))

    # -- what the till reads ------------------------------------------------------------
    def _read(self, from_copy: Callable[[], T], fn: Callable[..., T], *args: Any,
              **kwargs: Any) -> T:
        """`fn` on the database while it answers in time; else what the copy says."""
        if self.online:
            try:
                return self.call(fn, *args, **kwargs)
            except Offline:
                pass
        return from_copy()

    def lookup(self, code: str, shop: int | None) -> ProductHit | None:
        return self._read(lambda: self.copy.lookup_code(code), search.lookup_code, code,
                          shop=shop)

    def search(self, text: str, limit: int, shop: int | None) -> list[ProductHit]:
        return self._read(lambda: self.copy.search(text, limit), search.search, text, limit,
                          shop=shop)

    def promotions(self, shop: int | None) -> tuple[tuple[Promo, ...], str]:
        return self._read(self.copy.promotions, promotions.for_basket, shop)

    def variants_of(self, code: str) -> list[VariantView]:
        """A style's variants ([] when `code` is no style's)."""
        return self._read(lambda: self.copy.variants_of(code), variants.variants_of, code)

    def customers(self, text: str) -> list[CustomerView]:
        """Customers by member number, phone or name."""
        return self._read(lambda: self.copy.customers(text), lookup.find, text)

    def price_rules(self, price_list_id: int | None) -> PriceRules:
        return self._read(lambda: self.copy.price_rules(price_list_id),
                          price_lists.rules_for, price_list_id)

    def returnable(self, number: str) -> Returnable:
        """A receipt to take goods back from (offline: refused in words when the copy does
        not have it)."""
        return self._read(lambda: judge.returned(self.copy, number), returns.returnable,
                          number)

    def product(self, product_id: int) -> ProductHit | None:
        """A product by id (a returned line's), from the copy: a return offline."""
        return self.copy.product(product_id)

    # -- selling ------------------------------------------------------------------------
    def sell(self, basket: Basket, payments: list[PaymentInput], *, cashier: SessionUser,
             shift_id: int) -> SaleView:
        """Post the sale, or (offline, or behind an outbox not yet empty) commit it to the
        outbox and hand back its receipt. A refusal of the database (a price beyond the
        cashier's limit) is raised as it is: that is an answer, not an outage."""
        given_offline = any((ln.approval_id or 0) < 0 for ln in basket.lines)
        if self.online and not given_offline and self.outbox.depth().waiting == 0:
            try:
                view = self.call(sales.post_sale, basket, payments, terminal=self.terminal,
                                 cashier_id=cashier.id)
            except Offline:
                pass  # it may have gone in after all: the outbox posts it by its UUID
            else:
                self.outbox.know_number(view.number)
                try:  # back at once, should the network go before the next refresh
                    self.copy.remember(view)
                except Exception:  # the sale is in; the next refresh brings it anyway
                    log.warning("sale %s not kept in the copy", view.number, exc_info=True)
                return view
        return self._queue(basket, payments, cashier, shift_id)

    def _queue(self, basket: Basket, payments: list[PaymentInput], cashier: SessionUser,
               shift_id: int) -> SaleView:
        tenders = {t.code: t for t in self.copy.tenders()}
        for p in payments:
            if p.tender not in tenders:
                raise ValidationError(_("No tender '{code}'").format(code=p.tender),
                                      field="tender", value=p.tender)
        used = {ln.approval_id for ln in basket.lines if ln.approval_id is not None}
        used |= set(basket.approvals.values())
        if any(key not in self._approvals for key in used):
            raise StoreError(_("An approval made online cannot be used offline: take the "
                               "override off, or wait for the database"))
        settings = self.copy.settings()
        total, tax, rounding, change = sales.settle(basket, payments, tenders,
                                                    settings.cash_rounding)
        taken: list[judge.Taken] = []
        refunds: dict[str, Decimal] = {}
        try:
            if basket.original is not None:
                taken, refunds = judge.check_return(self.copy, basket, payments, tenders,
                                                    cashier, self.copy.policy(), used)
            judge.check_account(self.copy, self.outbox, basket, payments, tenders)
            judge.check_vouchers(payments, tenders)
        except PermissionDenied as err:  # for the audit chain, as online
            self.outbox.add_event("permission_denied", {"permission": err.permission,
                                                        "role": cashier.role,
                                                        "user": cashier.id})
            raise
        facts = self.outbox.add(basket, payments, cashier_id=cashier.id, shift_id=shift_id,
                                approvals=tuple(self._approvals[k] for k in sorted(used)))
        if basket.original is not None:
            self.copy.take_return(basket.original, taken, refunds)
        self._changed()
        self._wake.set()
        lines = tuple(LineView(ln.product.sku, ln.product.name, ln.qty, ln.unit_price,
                               ln.amount, ln.product.tax_rate, basket.tax_of(ln),
                               ln.original_price, ln.discount + ln.promo_off, ln.note,
                               ln.return_of, ln.restock,
                               promotions=tuple((s.name, s.amount) for s in ln.promos))
                      for ln in basket.lines)
        paid = tuple(PaymentView(p.tender, tenders[p.tender].name, tenders[p.tender].name_en,
                                 tenders[p.tender].kind, p.amount, p.reference)
                     for p in payments)
        who = basket.customer
        return SaleView(0, basket.uuid, facts.number, self.terminal, cashier.username,
                        cashier.display_name, facts.sold_at, "offline", total, tax, change,
                        lines, paid, rounding, basket.original, who.code if who else "",
                        who.name if who else "")

    def void(self, user: SessionUser, *, basket: uuid.UUID, sku: str, qty: Decimal,
             amount: Decimal, approval_id: int | None = None) -> None:
        """A line taken out of the basket, recorded: at the database, or offline kept to be
        recorded there later — where the role allows it without a supervisor (an approval
        needs the database)."""
        if self.online:
            try:
                self.call(voids.void_line, user, terminal=self.terminal, basket=basket,
                          sku=sku, qty=qty, amount=amount, approval_id=approval_id)
                return
            except Offline:
                pass
        if not self.copy.policy().allows(user.role, "void"):
            raise StoreError(_("Taking a line out needs a supervisor, and an approval needs "
                               "the database"))
        self.outbox.add_event("void", {"user": user.id, "basket": str(basket), "sku": sku,
                                       "qty": str(qty), "amount": str(amount)})

    # -- the background: probe, post, refresh ---------------------------------------------
    def start(self) -> TillLink:
        self._thread = threading.Thread(target=self._loop, name=f"till-{self.terminal}-link",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._front.stop()
        self._back.stop()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the link must outlive whatever went wrong this round
                log.exception("till link round failed")
            self._wake.wait(self.every)
            self._wake.clear()

    def tick(self) -> sync.SyncResult | None:
        """One round: is the database there; if so post the outbox, then (now and then)
        refresh the copy. Returns what the sync did, if it ran."""
        try:
            self._attempt("back", _probe)
        except Offline:
            return None
        result = None
        waiting = self.outbox.depth().waiting
        if waiting:
            try:  # a sale at a time, each within the deadline
                result = self._attempt("back", sync.drain, self.outbox,
                                       timeout=self.timeout * (5 + waiting))
            except Offline:
                return None
            if result.error:  # it stopped answering halfway: the rest wait for the next round
                self._down(result.error)
                self._changed()
                return result
        was = self.online
        self.online, self.reason = True, ""
        if not was or result is not None:
            self._changed()
        if time.monotonic() - self._refreshed >= self.refresh_every:
            try:
                self._attempt("back", self.refresh, timeout=max(60.0, self.timeout * 30))
            except Offline:
                return result
        return result

    def refresh(self) -> None:
        """The local copy brought up to the database, and the till's last number learnt."""
        self.copy.refresh()
        last = self.copy.last_number()
        if last:
            self.outbox.know_number(last)
        depth = self.outbox.depth()
        sync.report(self.terminal, depth.waiting, depth.held, refreshed=True)
        self._refreshed = time.monotonic()


def wanted(setting: str, url: str) -> bool:
    """Whether a till sells offline: `[till] offline` on, or auto with PostgreSQL (an embedded
    SQLite file cannot be out of reach)."""
    return setting == "on" or (setting == "auto" and engine_of(url) == "postgresql")


def folder(url: str) -> Path:
    """Where a till keeps its local copy and outbox for the database at `url`: a folder of
    that database's own in the user data directory — a till pointed at another database
    (the demo, a new server) never posts one database's sales into another."""
    masked = mask_url(url)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", urlsplit(masked).path.rsplit("/", 1)[-1])[:40]
    digest = hashlib.sha256(masked.encode("utf-8")).hexdigest()[:12]
    return data_dir() / "tills" / f"{name or 'db'}-{digest}"


def copy_file(folder: Path, terminal: str) -> Path:
    return folder / f"till-{terminal}-copy.db"


def outbox_file(folder: Path, terminal: str) -> Path:
    return folder / f"till-{terminal}-outbox.db"


def _probe() -> None:
    database.obj.execute_sql("SELECT 1")
