"""Changing and retiring what the shop is made of — warehouses, tills, tenders — by someone
allowed to change settings, each change in the audit chain. Nothing is deleted: sales, moves
and shifts refer to these rows, so they are deactivated, and only when that leaves nothing
stranded (stock on a shelf nobody can sell from, a till with a shift open, a shop without
cash)."""

from __future__ import annotations

from peewee import JOIN, fn

from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, ValidationError, nothing_to_change
from store.core.i18n import _
from store.models import Shift, Shop, StockLevel, TenderType, Terminal, Warehouse
from store.models.org import TENDER_KINDS
from store.security import audit, changes, permissions
from store.security.auth import SessionUser
from store.shops.org import create_tender_type, get_warehouse

__all__ = ["TENDER_KINDS", "add_tender", "all_tenders", "all_terminals", "all_warehouses",
           "change_tender", "change_terminal", "change_warehouse", "set_tender_active",
           "set_terminal_active", "set_warehouse_active"]


def _terminal(code: str) -> Terminal:
    found = Terminal.get_or_none(fn.UPPER(Terminal.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No till '{code}'").format(code=code))
    return found


def _tender(code: str) -> TenderType:
    found = TenderType.get_or_none(fn.UPPER(TenderType.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No tender '{code}'").format(code=code))
    return found


@unit_of_work
def change_warehouse(actor: SessionUser, code: str, *, name: str | None = None,
                     name_en: str | None = None,
                     allow_negative: bool | None = None) -> Warehouse:
    """A warehouse's names, and whether the till may sell below zero there."""
    permissions.check(actor, "change_settings", reference=code[:64])
    w = get_warehouse(code)
    values: dict[str, object] = {**text.names(name, name_en, longest=100)}
    if allow_negative is not None and allow_negative != w.allow_negative:
        values["allow_negative"] = allow_negative
    return changes.save_changes(actor, w, values, "warehouse_changed")


@unit_of_work
def set_warehouse_active(actor: SessionUser, code: str, active: bool) -> Warehouse:
    """A warehouse out of use: only once it holds no stock and no till sells from it."""
    permissions.check(actor, "change_settings", reference=code[:64])
    w = get_warehouse(code)
    if not active:
        held = (StockLevel.select().where((StockLevel.warehouse == w.id)
                                          & (StockLevel.on_hand != 0)).count())
        if held:
            raise ValidationError(
                _("{code} still holds stock of {count} product(s): move it out or count it "
                  "to zero first").format(code=w.code, count=held), field="warehouse",
                value=w.code)
        tills = [t.code for t in Terminal.select().where((Terminal.warehouse == w.id)
                                                          & (Terminal.active == True))]  # noqa: E712
        if tills:
            raise ValidationError(_("{code} is where till(s) {tills} sell from").format(
                code=w.code, tills=", ".join(tills)), field="warehouse", value=w.code)
    Warehouse.update(active=active).where(Warehouse.id == w.id).execute()
    audit.record("warehouse_activated" if active else "warehouse_deactivated",
                 {"code": w.code}, user_id=actor.id, reference=w.code)
    return Warehouse.get_by_id(w.id)


@unit_of_work
def change_terminal(actor: SessionUser, code: str, *, name: str | None = None,
                    warehouse: str | None = None) -> Terminal:
    """A till's name, or the warehouse it sells from (not while a shift is open on it)."""
    permissions.check(actor, "change_settings", reference=code[:64])
    t = _terminal(code)
    values: dict[str, object] = {**text.names(name, None, longest=100)}
    if warehouse is not None:
        w = get_warehouse(warehouse)
        if not w.active:
            raise ValidationError(_("warehouse: '{value}' is not in use").format(value=w.code),
                                  field="warehouse", value=w.code)
        _no_open_shift(t)
        values["warehouse"] = w.id
    if not values:
        raise nothing_to_change()
    Terminal.update(**values).where(Terminal.id == t.id).execute()
    audit.record("terminal_changed", {"code": t.code, **{k: str(v) for k, v in values.items()}},
                 user_id=actor.id, reference=t.code)
    return Terminal.get_by_id(t.id)


def _no_open_shift(t: Terminal) -> None:
    if Shift.select().where((Shift.terminal == t.code) & (Shift.status == "open")).exists():
        raise ValidationError(_("{code} has a shift open: close it first").format(code=t.code),
                              field="terminal", value=t.code)


@unit_of_work
def set_terminal_active(actor: SessionUser, code: str, active: bool) -> Terminal:
    permissions.check(actor, "change_settings", reference=code[:64])
    t = _terminal(code)
    if not active:
        _no_open_shift(t)
    elif not Warehouse.get_by_id(t.warehouse_id).active:
        raise ValidationError(_("warehouse: '{value}' is not in use").format(
            value=Warehouse.get_by_id(t.warehouse_id).code), field="warehouse", value=code)
    Terminal.update(active=active).where(Terminal.id == t.id).execute()
    audit.record("terminal_activated" if active else "terminal_deactivated", {"code": t.code},
                 user_id=actor.id, reference=t.code)
    return Terminal.get_by_id(t.id)


@unit_of_work
def add_tender(actor: SessionUser, code: str, name: str, kind: str, *, name_en: str = "",
               opens_drawer: bool | None = None, needs_reference: bool = False) -> TenderType:
    """A way to pay (a second card terminal, a meal voucher): of one of the kinds the books
    know, so its money lands in the right account."""
    permissions.check(actor, "change_settings", reference=code[:64])
    code = text.code(code, field="code", longest=20)
    if TenderType.get_or_none(fn.UPPER(TenderType.code) == code):
        raise ValidationError(_("tender: '{value}' already exists").format(value=code),
                              field="tender", value=code)
    if kind not in TENDER_KINDS:
        raise ValidationError(_("kind: '{value}' is not one of {kinds}").format(
            value=kind, kinds=", ".join(TENDER_KINDS)), field="kind", value=kind)
    last = TenderType.select(fn.MAX(TenderType.sort_order)).scalar() or 0
    tender = create_tender_type(code, text.name(name, longest=50), kind,
                                name_en=text.clean(name_en, field="name_en")[:50],
                                opens_drawer=kind == "cash" if opens_drawer is None
                                else opens_drawer,
                                needs_reference=needs_reference, sort_order=last + 1)
    audit.record("tender_added", {"code": code, "kind": kind}, user_id=actor.id,
                 reference=code)
    return tender


@unit_of_work
def change_tender(actor: SessionUser, code: str, *, name: str | None = None,
                  name_en: str | None = None, opens_drawer: bool | None = None,
                  needs_reference: bool | None = None) -> TenderType:
    """A tender's names, whether it opens the drawer and whether the till asks for a
    reference (a card's last digits). Its kind stays: past payments were booked by it."""
    permissions.check(actor, "change_settings", reference=code[:64])
    t = _tender(code)
    values: dict[str, object] = {**text.names(name, name_en, longest=50)}
    if opens_drawer is not None and opens_drawer != t.opens_drawer:
        values["opens_drawer"] = opens_drawer
    if needs_reference is not None and needs_reference != t.needs_reference:
        values["needs_reference"] = needs_reference
    return changes.save_changes(actor, t, values, "tender_changed")


@unit_of_work
def set_tender_active(actor: SessionUser, code: str, active: bool) -> TenderType:
    """A tender the tills stop offering; the shop keeps at least one cash tender."""
    permissions.check(actor, "change_settings", reference=code[:64])
    t = _tender(code)
    if not active and t.kind == "cash":
        others = TenderType.select().where((TenderType.kind == "cash") & TenderType.active
                                           & (TenderType.id != t.id)).count()
        if not others:
            raise ValidationError(_("{code} is the only cash tender").format(code=t.code),
                                  field="tender", value=t.code)
    return changes.save_active(actor, t, active, "tender")


def all_tenders() -> list[TenderType]:
    return list(TenderType.select().order_by(TenderType.sort_order, TenderType.id))


def all_warehouses() -> list[Warehouse]:
    """Every warehouse, those out of use too (after the ones in use)."""
    return list(Warehouse.select(Warehouse, Shop).join(Shop, JOIN.LEFT_OUTER)
                .order_by(Warehouse.active.desc(), Warehouse.id))  # each row's shop: joined


def all_terminals() -> list[Terminal]:
    return list(Terminal.select(Terminal, Warehouse).join(Warehouse)
                .order_by(Terminal.active.desc(), Terminal.code))
