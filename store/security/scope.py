"""Which shops a user works for (issue 18.1): a shop's manager approves, and its cashiers
sell, at that shop's tills only; reports show them their shops only. A user with no shops
named works for all (an owner; every user of a one-shop database). Checked here, in the
store's services, whatever screen or command asks."""

from __future__ import annotations

from typing import Any

from store.core.errors import PermissionDenied
from store.core.i18n import _
from store.models import Shop, Terminal, User, UserShop, Warehouse
from store.security import audit
from store.security.auth import SessionUser


def shops_of(user_id: int) -> frozenset[int] | None:
    """The ids of the shops the user works for; None: all of them."""
    ids = frozenset(r.shop_id for r in UserShop.select(UserShop.shop).where(
        UserShop.user == user_id))
    return ids or None


def shop_codes(user_id: int) -> list[str]:
    """The codes of the user's shops ([] for all), for messages and lists."""
    return [s.code for s in Shop.select(Shop.code).join(UserShop)
            .where(UserShop.user == user_id).order_by(Shop.code)]


def shop_of_till(terminal: str) -> int | None:
    return (Warehouse.select(Warehouse.shop).join(Terminal)
            .where(Terminal.code == terminal).scalar())


def check_till(user_id: int, terminal: str, *, doing: str) -> None:
    """Refuse (and record) a user working at a till of a shop they do not work for. One
    query for a user of all shops (the usual case at the till)."""
    mine = shops_of(user_id)
    if mine is None:
        return
    shop = shop_of_till(terminal)
    if shop is None or shop in mine:
        return
    who = User.get_by_id(user_id)
    raise _refused(_("{user} works for {shops}, not for till {till}'s shop").format(
        user=who.display_name or who.username, shops=", ".join(shop_codes(user_id)),
        till=terminal), doing, who.role, user_id, terminal=terminal)


def check_shop(user: SessionUser, shop_id: int | None, *, doing: str) -> None:
    """Refuse a user asking for a shop they do not work for (None: all shops — refused to a
    user who works for some only)."""
    mine = shops_of(user.id)
    if mine is None or (shop_id is not None and shop_id in mine):
        return
    raise _refused(_("{user} sees {shops} only").format(
        user=user.display_name or user.username, shops=", ".join(shop_codes(user.id))),
        doing, user.role, user.id)


def _refused(message: str, doing: str, role: str, user_id: int, *, terminal: str = "",
             **detail: str) -> PermissionDenied:
    """The refusal of a shop's work to a user of other shops, recorded after the rollback."""
    err = PermissionDenied(message, permission="shop_scope")
    err.after_rollback = audit.record_apart(
        "permission_denied", {"permission": "shop_scope", "doing": doing, "role": role,
                              **detail}, user_id=user_id, terminal=terminal)
    return err


def warehouses_seen(user: SessionUser | None) -> Any:
    """The ids of the warehouses of the user's shops, as a subquery to filter a list by; None:
    every warehouse (a user of all shops, or no user: the system itself)."""
    mine = shops_of(user.id) if user is not None else None
    if mine is None:
        return None
    return Warehouse.select(Warehouse.id).where(Warehouse.shop.in_(list(mine)))


def check_warehouse(user: SessionUser, warehouse_id: int, *, doing: str) -> None:
    """Refuse (and record) a user moving, counting or receiving stock in a warehouse of a shop
    they do not work for. A warehouse of no shop (the chain's transit) is the chain's."""
    mine = shops_of(user.id)
    if mine is None:
        return
    row = Warehouse.get_by_id(warehouse_id)
    if row.shop_id is not None and row.shop_id in mine:
        return
    raise _refused(_("{user} works for {shops}, not for warehouse {code}'s shop").format(
        user=user.display_name or user.username, shops=", ".join(shop_codes(user.id)),
        code=row.code), doing, user.role, user.id, warehouse=row.code)
