"""A sale an offline till made, as its outbox keeps it: JSON that holds what the customer was
charged line by line (prices, discounts, what each promotion took), the payments, and the
facts the till decided (receipt number, time, shift, cashier). Read back, it is checked
field by field: an outbox is a file on a till, and a damaged or hand-made one is refused by
name, never half-posted."""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from store.catalog.search import ProductHit, by_ids
from store.core.errors import ValidationError
from store.core.i18n import _
from store.customers import lookup
from store.pricing.promotions import Share
from store.security.approvals import OfflineApproval
from store.security.permissions import PERMISSIONS
from store.selling.basket import Basket, BasketLine
from store.selling.sales import OfflineFacts, PaymentInput

VERSION = 1


@dataclass(frozen=True)
class OfflineSale:
    basket: Basket
    payments: list[PaymentInput]
    facts: OfflineFacts
    terminal: str
    cashier_id: int


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def dumps(basket: Basket, payments: list[PaymentInput], facts: OfflineFacts, *,
          terminal: str, cashier_id: int) -> str:
    return json.dumps({
        "v": VERSION, "uuid": str(basket.uuid), "terminal": terminal, "cashier": cashier_id,
        "number": facts.number, "sold_at": facts.sold_at.isoformat(), "shift": facts.shift_id,
        "customer": basket.customer.id if basket.customer else None,
        "original": basket.original, "given": dict(basket.approvals),
        "priced_at": basket.priced_at.isoformat() if basket.priced_at else None,
        "prices_include_tax": basket.prices_include_tax,
        "approvals": [[a.key, a.approver_id, a.permission, a.reason, a.at.isoformat()]
                      for a in facts.approvals],
        "lines": [{"id": ln.product.id, "sku": ln.product.sku, "qty": str(ln.qty),
                   "price": str(ln.unit_price), "fixed": _dec(ln.fixed_amount),
                   "list": _dec(ln.list_price), "discount": str(ln.discount),
                   "pct": _dec(ln.discount_pct), "note": ln.note, "approval": ln.approval_id,
                   "return_of": ln.return_of, "restock": ln.restock, "lot": ln.lot,
                   "tax": _dec(ln.fixed_tax),
                   "promos": [[s.promo_id, s.code, s.name, str(s.amount)] for s in ln.promos]}
                  for ln in basket.lines],
        "payments": [[p.tender, str(p.amount), p.reference] for p in payments],
    }, ensure_ascii=False, sort_keys=True)


def _lot(value: object, n: int) -> str:
    """A line's scanned lot (a GS1-128 label's): text of at most 20 characters, or none."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 20 or not value.isprintable():
        raise _bad(f"lines[{n}].lot", value)
    return value


def _bad(field: str, value: object) -> ValidationError:
    return ValidationError(_("offline sale: {field} '{value}' is not valid").format(
        field=field, value=str(value)[:60]), field=field, value=value)


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _bad(key, value)
    return value


def _money(text: object, field: str, *, optional: bool = False) -> Decimal | None:
    if text is None and optional:
        return None
    try:
        value = Decimal(str(text)) if isinstance(text, str) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > Decimal(10) ** 9:
        raise _bad(field, text)
    return value


def _time(text: object, field: str) -> dt.datetime:
    """A time as the till wrote it: UTC without a zone, or with one (turned into UTC)."""
    try:
        stamp = dt.datetime.fromisoformat(str(text))
    except ValueError:
        raise _bad(field, text) from None
    return stamp.astimezone(dt.UTC).replace(tzinfo=None) if stamp.tzinfo else stamp


def loads(text: str) -> OfflineSale:
    """The sale back, against today's products (their names and tax rates); what the
    customer was charged is what the till charged."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise _bad("payload", text[:60] if isinstance(text, str) else text) from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise _bad("v", data.get("v") if isinstance(data, dict) else data)
    try:
        sale_uuid = uuidlib.UUID(_get(data, "uuid", str))
    except ValueError:
        raise _bad("uuid", data.get("uuid")) from None
    lines = _get(data, "lines", list)
    if not lines or not all(isinstance(ln, dict) for ln in lines):
        raise _bad("lines", lines)
    ids = [_get(ln, "id", int) for ln in lines]
    hits: dict[int, ProductHit] = {h.id: h for h in by_ids(ids)}
    basket = Basket(prices_include_tax=bool(data.get("prices_include_tax", True)),
                    uuid=sale_uuid)
    if data.get("priced_at"):  # the till's local time, with its zone
        try:
            basket.priced_at = dt.datetime.fromisoformat(str(data["priced_at"]))
        except ValueError:
            raise _bad("priced_at", data["priced_at"]) from None
        if basket.priced_at.tzinfo is None:
            raise _bad("priced_at", data["priced_at"])
    if data.get("customer") is not None:
        basket.customer = lookup.get(_get(data, "customer", int))
    given = []
    for n, a in enumerate(data.get("approvals") or [], start=1):
        if (not isinstance(a, list) or len(a) != 5 or not all(isinstance(v, int) for v in a[:2])
                or a[0] >= 0 or a[2] not in PERMISSIONS):
            raise _bad(f"approvals[{n}]", a)
        given.append(OfflineApproval(a[0], a[1], a[2], str(a[3])[:200],
                                     _time(a[4], f"approvals[{n}].at")))
    keys = {a.key for a in given}
    if data.get("original") is not None:
        basket.original = _get(data, "original", str)[:32]
    spent = data.get("given") or {}
    if not isinstance(spent, dict):
        raise _bad("given", spent)
    for permission, key in spent.items():  # a refund or a credit limit, approved offline
        if permission not in PERMISSIONS or not isinstance(key, int) or key not in keys:
            raise _bad(f"given.{permission}"[:40], key)
        basket.approvals[permission] = key
    for n, ln in enumerate(lines, start=1):
        hit = hits.get(ln["id"])
        if hit is None:
            raise _bad(f"lines[{n}].id", ln["id"])
        promos = ln.get("promos") or []
        if not isinstance(promos, list) or not all(
                isinstance(p, list) and len(p) == 4 for p in promos):
            raise _bad(f"lines[{n}].promos", promos)
        qty = _money(ln.get("qty"), f"lines[{n}].qty")
        assert qty is not None
        return_of = ln.get("return_of")
        if return_of is not None and (not isinstance(return_of, int) or basket.original is None
                                      or qty >= 0):
            raise _bad(f"lines[{n}].return_of", return_of)
        if qty == 0 or (qty < 0 and return_of is None):  # a line back names what it returns
            raise _bad(f"lines[{n}].qty", ln.get("qty"))
        basket.lines.append(BasketLine(
            hit, qty, _money(ln.get("price"), f"lines[{n}].price") or Decimal(0),
            _money(ln.get("fixed"), f"lines[{n}].fixed", optional=True),
            _money(ln.get("list"), f"lines[{n}].list", optional=True),
            _money(ln.get("discount", "0"), f"lines[{n}].discount") or Decimal(0),
            _money(ln.get("pct"), f"lines[{n}].pct", optional=True),
            str(ln.get("note", ""))[:200], _approval(ln.get("approval"), keys, n),
            promos=[Share(n - 1, int(p[0]), str(p[1]), str(p[2]),
                          _money(p[3], f"lines[{n}].promos") or Decimal(0)) for p in promos],
            return_of=return_of, restock=ln.get("restock") is not False,
            lot=_lot(ln.get("lot"), n),
            fixed_tax=_money(ln.get("tax"), f"lines[{n}].tax", optional=True)
            if return_of is not None else None))
    payments = []
    for n, p in enumerate(_get(data, "payments", list), start=1):
        if not isinstance(p, list) or len(p) != 3 or not isinstance(p[0], str):
            raise _bad(f"payments[{n}]", p)
        amount = _money(p[1], f"payments[{n}].amount")
        assert amount is not None
        payments.append(PaymentInput(p[0], amount, str(p[2] or "")[:64]))
    facts = OfflineFacts(_get(data, "number", str)[:32], _time(data.get("sold_at"), "sold_at"),
                         _get(data, "shift", int), tuple(given))
    return OfflineSale(basket, payments, facts, _get(data, "terminal", str)[:20],
                       _get(data, "cashier", int))


def _approval(value: object, keys: set[int], n: int) -> int | None:
    """A line's approval: one the till gave offline (its key), or none."""
    if value is None:
        return None
    if not isinstance(value, int) or value not in keys:
        raise _bad(f"lines[{n}].approval", value)
    return value


def loads_facts(text: str) -> OfflineFacts:
    """Only the till's facts (number, time, shift): read on the till, with no database."""
    data = json.loads(text)
    return OfflineFacts(data["number"], _time(data["sold_at"], "sold_at"), int(data["shift"]))
