"""Parking a basket to finish later (from any terminal of the shop) and cancelling one."""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal

from store.catalog.search import by_ids
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.i18n import _
from store.customers import lookup
from store.models import CancelledSale, ParkedSale, Terminal, User, Warehouse
from store.pricing import price_lists, promotions
from store.security import audit
from store.selling.basket import Basket, BasketLine
from store.shops import branches


@dataclass(frozen=True)
class ParkedView:
    uuid: uuidlib.UUID
    terminal: str
    parked_by: str
    total: Decimal
    items: Decimal
    created_at: dt.datetime


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _payload(basket: Basket) -> str:
    """Everything the basket holds, so a recalled basket is the same basket: prices,
    discounts and their approvals, returned lines, scanned lots, the customer."""
    return json.dumps({
        "customer": basket.customer.id if basket.customer else None,
        "original": basket.original, "approvals": basket.approvals,
        "lines": [{"id": ln.product.id, "qty": str(ln.qty), "price": str(ln.unit_price),
                   "fixed": _dec(ln.fixed_amount), "list": _dec(ln.list_price),
                   "discount": str(ln.discount), "pct": _dec(ln.discount_pct),
                   "note": ln.note, "approval": ln.approval_id, "return_of": ln.return_of,
                   "restock": ln.restock, "lot": ln.lot, "tax": _dec(ln.fixed_tax)}
                  for ln in basket.lines]})


@unit_of_work
def park(basket: Basket, *, terminal: str, user_id: int) -> ParkedView:
    if not basket:
        raise ValidationError(_("The basket is empty"), field="basket", value=None)
    if ParkedSale.get_or_none(ParkedSale.uuid == basket.uuid):
        raise StoreError(_("This basket is already parked"))
    ParkedSale.create(uuid=basket.uuid, terminal=terminal, parked_by=user_id, total=basket.total,
                      items=basket.items, payload=_payload(basket))
    return next(p for p in parked() if p.uuid == basket.uuid)


def parked(terminal: str | None = None) -> list[ParkedView]:
    """The parked baskets, oldest first: those of the tills of `terminal`'s shop (a basket
    parked in one shop of a chain is not finished in another); no terminal: all."""
    rows = ParkedSale.select(ParkedSale, User).join(User).order_by(ParkedSale.id)
    if terminal is not None:
        tills = (Terminal.select(Terminal.code).join(Warehouse)
                 .where(Warehouse.shop == branches.shop_of(terminal)))
        rows = rows.where(ParkedSale.terminal.in_(tills))
    return [ParkedView(p.uuid, p.terminal, p.parked_by.display_name or p.parked_by.username,
                       p.total, p.items, p.created_at) for p in rows]


@unit_of_work
def recall(parked_uuid: uuidlib.UUID, *, prices_include_tax: bool, terminal: str = ""
           ) -> Basket:
    """Take a parked basket back (it is no longer parked); same uuid, today's product data
    at the shop of `terminal` (its prices, promotions and time).

    The row is deleted with a condition, so two terminals recalling the same basket at once
    cannot both get it."""
    row = ParkedSale.get_or_none(ParkedSale.uuid == parked_uuid)
    shop = branches.shop_of(terminal) if terminal else None
    if row is not None and terminal and branches.shop_of(row.terminal) != shop:
        raise NotFound(_("That basket was parked in another shop"))
    if row is None or not ParkedSale.delete().where(ParkedSale.id == row.id).execute():
        raise NotFound(_("That basket is no longer parked (recalled elsewhere?)"))
    data = json.loads(row.payload)
    if isinstance(data, list):  # parked by an older version: lines only
        data = {"lines": data}
    lines = data["lines"]
    hits = {h.id: h for h in by_ids([ln["id"] for ln in lines], shop=shop)}
    basket = Basket(prices_include_tax=prices_include_tax, uuid=row.uuid,
                    original=data.get("original"), approvals=data.get("approvals") or {},
                    zone=branches.zone_of(terminal) if terminal else None)
    if data.get("customer"):
        who = lookup.get(data["customer"])
        basket.customer, basket.rules = who, price_lists.rules_for(who.price_list_id)
    for ln in lines:
        basket.lines.append(BasketLine(
            hits[ln["id"]], Decimal(ln["qty"]), Decimal(ln["price"]), _undec(ln["fixed"]),
            _undec(ln.get("list")), Decimal(ln.get("discount", "0")), _undec(ln.get("pct")),
            ln.get("note", ""), ln.get("approval"), ln.get("return_of"),
            ln.get("restock", True), lot=str(ln.get("lot") or ""),
            fixed_tax=_undec(ln.get("tax")) if ln.get("return_of") else None))
    basket.promotions, basket.promotion_rule = promotions.for_basket(shop)
    basket.reprice_promotions()
    return basket


@unit_of_work
def cancel(basket: Basket, *, terminal: str, user_id: int, reason: str) -> None:
    """Abandon a basket: nothing is sold, but the attempt is recorded with its reason."""
    if not basket:
        return
    reason = text.scrub(reason)  # the basket is cancelled whatever the reason says
    CancelledSale.create(uuid=basket.uuid, terminal=terminal, cancelled_by=user_id,
                         total=basket.total, reason=reason.strip()[:200],
                         payload=_payload(basket))
    audit.record("cancel", {"basket": str(basket.uuid), "total": audit.minor(basket.total),
                            "lines": [[ln.product.sku, audit.minor(ln.qty, 3),
                                       audit.minor(ln.amount)] for ln in basket.lines],
                            "reason": reason.strip()[:200]},
                 user_id=user_id, terminal=terminal, reference=str(basket.uuid))
