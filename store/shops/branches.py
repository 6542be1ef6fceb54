"""Shops (门店) of a chain (issue 18.1): each warehouse belongs to one, and each till to its
warehouse's shop. A database has at least MAIN, made with the company; more are added by a
user allowed to change settings, recorded in the audit chain."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import fn

from store.common import clock
from store.core import text
from store.core.db import database, unit_of_work
from store.core.errors import NotFound, ValidationError
from store.core.i18n import _
from store.models import Company, Shop, Terminal, User, UserShop, Warehouse
from store.security import audit, changes, permissions, scope
from store.security.auth import SessionUser

MAIN = "MAIN"


@dataclass(frozen=True)
class ShopView:
    code: str
    name: str
    name_en: str
    timezone: str
    warehouses: list[str]
    terminals: list[str]
    active: bool


def main_shop() -> Shop:
    """The first shop; made (as MAIN, named after the company) when there is none yet."""
    first = Shop.select().order_by(Shop.id).first()
    if first is not None:
        return first
    company = Company.select().order_by(Company.id).first()
    return Shop.create(code=MAIN, name=(company.name if company else MAIN)[:100],
                       name_en=(company.name_en if company else "")[:100])


def get_shop(code: str) -> Shop:
    found = Shop.get_or_none(fn.UPPER(Shop.code) == code.strip().upper())
    if found is None:
        raise NotFound(_("No shop '{code}'").format(code=code[:20]))
    return found


def _zone(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("timezone: unknown time zone '{value}'").format(value=name[:64]),
                              field="timezone", value=name[:64]) from None
    return name


@unit_of_work
def add_shop(actor: SessionUser, code: str, name: str, *, name_en: str = "",
             timezone: str = "") -> ShopView:
    """A new shop of the chain: a code (20), a name, an English name, a time zone (IANA, or
    "" for the company's)."""
    permissions.check(actor, "change_settings", reference=code[:64])
    main_shop()  # the first shop stays the one older warehouses belong to
    code = text.code(code, field="shop", longest=20)
    if Shop.get_or_none(fn.UPPER(Shop.code) == code.upper()):
        raise ValidationError(_("shop: '{value}' already exists").format(value=code),
                              field="shop", value=code)
    shop = Shop.create(code=code, name=text.name(name, field="name", longest=100),
                       name_en=text.clean(name_en, field="name_en")[:100],
                       timezone=_zone(timezone))
    audit.record("shop_added", {"code": shop.code, "name": shop.name,
                                "timezone": shop.timezone}, user_id=actor.id,
                 reference=shop.code)
    return view(shop)


def view(shop: Shop) -> ShopView:
    houses = list(Warehouse.select().where(Warehouse.shop == shop.id).order_by(Warehouse.code))
    tills = (Terminal.select(Terminal.code).where(Terminal.warehouse.in_([w.id for w in houses]))
             .order_by(Terminal.code)) if houses else []
    return ShopView(shop.code, shop.name, shop.name_en, shop.timezone,
                    [w.code for w in houses], [t.code for t in tills], shop.active)


def shops() -> list[ShopView]:
    main_shop()
    return [view(s) for s in Shop.select().order_by(Shop.id)]


def seen_by(viewer: SessionUser | None) -> list[str]:
    """The codes of the active shops a user works for (every one for a user of all shops)."""
    mine = scope.shops_of(viewer.id) if viewer is not None else None
    return [s.code for s in Shop.select(Shop.id, Shop.code).where(Shop.active == True)  # noqa: E712
            .order_by(Shop.code) if mine is None or s.id in mine]


def shop_code(warehouse: Warehouse) -> str:
    """The warehouse's shop's code ("" for none): free when the list joined Shop, as
    org.warehouses and retiring.all_warehouses do; one query otherwise."""
    shop = warehouse.shop if warehouse.shop_id else None
    return shop.code if shop is not None else ""


ZONE_SECONDS = 30.0  # a till's shop and time zone, as a till sees them, are read again after
_places: dict[tuple[object, str], tuple[float, int | None, str]] = {}


def _place(terminal: str) -> tuple[int | None, str]:
    """A till's shop id and its time zone's name ("": the company's). Cached for a moment:
    every scan and sale asks."""
    key = (database.obj, terminal)
    hit = _places.get(key)
    now = time.monotonic()
    if hit is None or hit[0] < now:
        row = (Shop.select(Shop.id, Shop.timezone).join(Warehouse).join(Terminal)
               .where(Terminal.code == terminal).tuples().first())
        shop_id, zone = row if row else (None, "")
        hit = _places[key] = (now + ZONE_SECONDS, shop_id, str(zone or ""))
    return hit[1], hit[2]


def zone_of(terminal: str) -> dt.tzinfo:
    """The time zone a till's days and hours are counted in: its shop's, else the company's."""
    name = _place(terminal)[1]
    return ZoneInfo(name) if name else clock.shop_zone()


def zone_of_shop(shop_id: int | None) -> dt.tzinfo:
    """A shop's time zone (None, or one of no zone of its own: the company's)."""
    name = Shop.select(Shop.timezone).where(Shop.id == shop_id).scalar() if shop_id else ""
    return ZoneInfo(name) if name else clock.shop_zone()


def shop_of(terminal: str) -> int | None:
    """The id of the shop a till sells for (its prices and promotions); None: no such till."""
    return _place(terminal)[0]


@unit_of_work
def assign(actor: SessionUser, username: str, codes: list[str]) -> list[str]:
    """The shops a user works for (none named: all), by someone allowed to manage users;
    recorded. Returns their codes."""
    permissions.check(actor, "manage_users", reference=username[:64])
    user = User.get_or_none(fn.LOWER(User.username) == username.strip().lower())
    if user is None:
        raise NotFound(_("No user '{name}'").format(name=username[:40]))
    chosen = sorted({get_shop(c).code: get_shop(c).id for c in codes}.items())
    UserShop.delete().where(UserShop.user == user.id).execute()
    for _code, shop_id in chosen:
        UserShop.create(user=user.id, shop=shop_id)
    audit.record("user_shops", {"user": user.username, "shops": [c for c, _i in chosen]},
                 user_id=actor.id, reference=user.username)
    return [c for c, _i in chosen]


@unit_of_work
def change_shop(actor: SessionUser, code: str, *, name: str | None = None,
                name_en: str | None = None, timezone: str | None = None) -> ShopView:
    """A shop's names and time zone (its tills count their days in it from their next sale)."""
    permissions.check(actor, "change_settings", reference=code[:64])
    shop = get_shop(code)
    values: dict[str, object] = {**text.names(name, name_en, longest=100)}
    if timezone is not None and timezone.strip() != shop.timezone:
        values["timezone"] = _zone(timezone)
    _places.clear()  # this terminal sees the new zone at once; the others within ZONE_SECONDS
    return view(changes.save_changes(actor, shop, values, "shop_changed"))


def all_shops() -> list[Shop]:
    """The shops as rows, for the back office's register."""
    main_shop()
    return list(Shop.select().order_by(Shop.id))


@unit_of_work
def set_shop_active(actor: SessionUser, code: str, active: bool) -> Shop:
    """A shop out of use: only once none of its warehouses is in use."""
    permissions.check(actor, "change_settings", reference=code[:64])
    shop = get_shop(code)
    if not active:
        used = [w.code for w in Warehouse.select().where((Warehouse.shop == shop.id)
                                                         & Warehouse.active)]
        if used:
            raise ValidationError(_("{code} still has warehouses in use: {list}").format(
                code=shop.code, list=", ".join(used)), field="shop", value=shop.code)
    return changes.save_active(actor, shop, active, "shop")
