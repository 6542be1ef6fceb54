"""Vouchers (代金券/优惠券): a batch issued with its terms — a value, a minimum spend, the days
it is good for, the shop it is good at, how many times each voucher may be used — each
voucher a unique code (11 characters and a check character, nothing that reads as another:
no 0/O, 1/I/L). At the till the code is the voucher tender's reference; the sale claims one
use with a guarded UPDATE in its own transaction, so two tills taking the same code at the
same moment cannot both have it.

The books: a **gift** voucher was sold (Dr the account paid into, Cr 2203 at issue); used, it
releases its whole value from 2203 — what the sale took as payment, and the rest, if the
customer spent less, to 6301 (forfeited: vouchers give no change). A **promo** voucher was
given away: used, what it paid is a selling expense (6601) instead of money. So 2203's
voucher part always equals the value of the gift vouchers' uses still to come."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn
from stdnum import luhn

from store.books import ledger
from store.books.ledger import Posting
from store.common import bounds, clock
from store.common.kept import Kept
from store.common.numbering import document_number
from store.core import dates, text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_money, parse_decimal, round_money
from store.models import Voucher, VoucherBatch, VoucherUse
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.shops import branches

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters that cannot be misread
KINDS = {"gift": N_("gift (sold)"), "promo": N_("promotion (given)")}
PROMO_ACCOUNT, FORFEITED = ledger.SELLING, ledger.OTHER_INCOME
MOST = 10_000  # vouchers in one batch


@dataclass(frozen=True)
class BatchView:
    number: str
    name: str
    kind: str
    value: Decimal
    min_spend: Decimal
    valid_from: dt.date
    valid_to: dt.date
    uses: int
    shop: str
    count: int
    used: int  # uses taken, all vouchers
    void: int
    percent: Decimal = ZERO  # a percentage coupon's share of the sale (value: at most)
    receipt_min: Decimal | None = None  # a "next visit" coupon: handed out on receipts of this

    @property
    def terms(self) -> str:
        """满50减10, 满100打9折 (at most 20), in the reader's words."""
        off = (_("{percent}% off (at most {value})").format(
            percent=f"{self.percent.normalize():f}", value=format_money(self.value))
            if self.percent else _("{value} off").format(value=format_money(self.value)))
        if self.min_spend:
            return _("{off} on a spend of {least}").format(off=off,
                                                           least=format_money(self.min_spend))
        return off


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(11))
    return body + luhn.calc_check_digit(body, ALPHABET)


def normalize(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def pretty(code: str) -> str:
    """ABCD-EFGH-JKLM: how a code is printed for people to read out and type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _date(value: dt.date | str | None, field: str, default: dt.date) -> dt.date:
    if value in (None, ""):
        return default
    if isinstance(value, dt.date):
        return value
    return dates.parse_day(str(value), field=field)


@unit_of_work
def issue(user: SessionUser, name: str, kind: str, value: Decimal | str, count: int, *,
          min_spend: Decimal | str = ZERO, valid_from: dt.date | str | None = None,
          valid_to: dt.date | str | None = None, uses: int = 1, shop: str = "",
          paid_into: str = "", percent: Decimal | str = ZERO,
          on_receipts: Decimal | str | None = None) -> tuple[BatchView, list[str]]:
    """A batch and its codes. A gift batch was sold: `paid_into` (cash, bank, WeChat/Alipay)
    takes its whole value, 2203 owes it. A promotion batch may be a percentage of the sale
    (`percent`, the value its most), and may be handed out on receipts instead of printed
    now (`on_receipts`: each receipt of at least this carries a new code; `count` is 0)."""
    permissions.check(user, "manage_promotions", reference=name[:64])
    label = text.name(name, field="name", longest=100)
    if kind not in KINDS:
        raise ValidationError(_("kind: '{value}' is not gift or promo").format(
            value=str(kind)[:20]), field="kind", value=kind)
    amount = bounds.check_price(parse_decimal(value, field="value"), field="value")
    if amount <= 0:
        raise ValidationError(_("value: '{value}' must be greater than zero").format(
            value=amount), field="value", value=amount)
    least = parse_decimal(min_spend, field="min_spend")
    if least < 0:
        raise ValidationError(_("min_spend: '{value}' cannot be negative").format(
            value=least), field="min_spend", value=least)
    share = parse_decimal(percent, field="percent")
    if share and (kind != "promo" or not ZERO < share < 100):
        raise ValidationError(_("percent: '{value}' must be above 0 and below 100, on "
                              "promotion vouchers").format(value=share), field="percent",
                              value=share)
    handed = None
    if on_receipts is not None and str(on_receipts).strip():
        handed = parse_decimal(on_receipts, field="on_receipts")
        if kind != "promo" or handed < 0:
            raise ValidationError(_("on_receipts: '{value}': promotion vouchers handed out "
                                    "on receipts of at least this (0 or more)").format(
                value=handed), field="on_receipts", value=handed)
        count = 0
    elif not 1 <= count <= MOST:
        raise ValidationError(_("count: '{value}' must be 1 to {most}").format(
            value=count, most=MOST), field="count", value=count)
    if not 1 <= uses <= 100:
        raise ValidationError(_("uses: '{value}' must be 1 to 100").format(value=uses),
                              field="uses", value=uses)
    today = clock.local_today()
    start = _date(valid_from, "valid_from", today)
    end = _date(valid_to, "valid_to", start + dt.timedelta(days=365))
    if end < start:
        raise ValidationError(_("valid_to: {end} is before {start}").format(end=end,
                                                                            start=start),
                              field="valid_to", value=end)
    where = None
    if shop.strip():
        try:
            where = branches.get_shop(shop)
        except NotFound:
            raise ValidationError(_("shop: no shop '{value}'").format(value=shop[:20]),
                                  field="shop", value=shop) from None
    account = None
    if kind == "gift":
        if not paid_into.strip():
            raise ValidationError(_("paid_into: a gift batch was sold: say where the money went "
                                    "(1001 cash, 1002 bank, 1012 WeChat/Alipay)"),
                                  field="paid_into", value="")
        from store.buying import payables

        account = payables.paying_account(paid_into)
    elif paid_into.strip():
        raise ValidationError(_("paid_into: promotion vouchers are given away, not sold"),
                              field="paid_into", value=paid_into)
    batch = VoucherBatch.create(number=document_number("VB", "voucher_batch"), name=label,
                                kind=kind, value=amount, min_spend=least, valid_from=start,
                                valid_to=end, uses=uses, shop=where, count=count,
                                paid_into=account, created_by=user.id,
                                percent_bp=int(share * 100), receipt_min=handed)
    if handed is not None:
        _receipt_batches.forget()
    ordered = sorted(_new_codes(count))
    for i in range(0, len(ordered), 500):
        Voucher.insert_many([{"code": c, "batch": batch.id, "uses_left": uses}
                             for c in ordered[i:i + 500]]).execute()
    if account is not None:
        total = amount * count * uses
        ledger.post_entry(phrase(N_("Gift vouchers {number} sold: {name}"),
                                 number=batch.number, name=label), batch.number,
                          [Posting(account.code, debit=total),
                           Posting(ledger.DEPOSITS, credit=total)],
                          kind="vouchers", date=today, user_id=user.id)
    audit.record("vouchers_issued", {"batch": batch.number, "kind": kind, "count": count,
                                     "value": audit.minor(amount), "uses": uses},
                 user_id=user.id, reference=batch.number)
    return view(batch.number), ordered


def _new_codes(count: int) -> set[str]:
    codes: set[str] = set()
    while count:  # 31^11 codes: a clash with one issued before is next to impossible, and handled
        while len(codes) < count:
            codes.add(new_code())
        clash: Any = Voucher.select(Voucher.code).where(Voucher.code.in_(list(codes))).tuples()
        taken = {row[0] for row in clash}
        if not taken:
            break
        codes -= taken
    return codes


def view(number: str) -> BatchView:
    b = VoucherBatch.get_or_none(VoucherBatch.number == number.strip().upper())
    if b is None:
        raise NotFound(_("No voucher batch '{number}'").format(number=number[:20]))
    used = (VoucherUse.select(fn.COUNT(VoucherUse.id)).join(Voucher)
            .where((Voucher.batch == b.id) & VoucherUse.sale.is_null(False)).scalar())
    void = Voucher.select().where((Voucher.batch == b.id) & (Voucher.status == "void")).count()
    return BatchView(b.number, b.name, b.kind, b.value, b.min_spend, b.valid_from,
                     b.valid_to, b.uses, b.shop.code if b.shop is not None else "", b.count,
                     int(used or 0), void, Decimal(b.percent_bp) / 100, b.receipt_min)


def batches() -> list[BatchView]:
    return [view(b.number) for b in VoucherBatch.select(VoucherBatch.number)
            .order_by(VoucherBatch.id.desc())]


def codes(number: str) -> list[tuple[str, int, str]]:
    """A batch's vouchers: (code, uses left, status), to print or hand out."""
    b = view(number)
    rows: Any = (Voucher.select(Voucher.code, Voucher.uses_left, Voucher.status)
                 .join(VoucherBatch).where(VoucherBatch.number == b.number)
                 .order_by(Voucher.code).tuples())
    return list(rows)


def sheet(number: str, shop_name: str) -> str | None:
    """A "vouchers" print job of the batch's codes still good to hand out (None: none left):
    each code as a barcode with the batch's name, value and terms."""
    batch = view(number)
    left = [c for c, n, status in codes(batch.number) if n > 0 and status == "active"]
    if not left:
        return None
    terms = _("On a spend of at least {least}; good {start} to {end}").format(
        least=format_money(batch.min_spend), start=batch.valid_from, end=batch.valid_to)
    value = (f"{batch.percent.normalize():f}%" if batch.percent
             else format_money(batch.value))
    return json.dumps({"shop": shop_name, "title": batch.name, "value": value,
                       "terms": terms, "codes": left}, ensure_ascii=False)


def _find(clean: str) -> Voucher:
    v = (Voucher.select(Voucher, VoucherBatch).join(VoucherBatch)
         .where(Voucher.code == clean).first())
    if v is None:
        raise NotFound(_("No voucher '{code}'").format(code=clean))
    return v


def _forfeited(amount: Decimal) -> list[Posting]:
    """What a gift voucher's holder gave up (unspent, voided, expired): no longer owed."""
    return [Posting(ledger.DEPOSITS, debit=amount), Posting(FORFEITED, credit=amount)]


def _usable(code: str, terminal: str, day: dt.date) -> Voucher:
    """The voucher, if it can be used at this till today; refused in words otherwise."""
    clean = normalize(code)
    if len(clean) != 12 or not luhn.is_valid(clean, ALPHABET):
        raise ValidationError(_("Voucher '{code}' is not a voucher code (mistyped?)").format(
            code=code[:24]), field="reference", value=code[:24])
    v = _find(clean)
    b = v.batch
    if v.status == "void":
        raise StoreError(_("Voucher {code} was voided").format(code=clean))
    if v.status == "expired" or day > b.valid_to:
        raise StoreError(_("Voucher {code} expired on {day}").format(code=clean,
                                                                      day=b.valid_to))
    if v.uses_left <= 0:
        raise StoreError(_("Voucher {code} has been used").format(code=clean))
    if day < b.valid_from:
        raise StoreError(_("Voucher {code} is good from {day}").format(code=clean,
                                                                        day=b.valid_from))
    if b.shop is not None and branches.shop_of(terminal) != b.shop_id:
        raise StoreError(_("Voucher {code} is good at shop {shop} only").format(
            code=clean, shop=b.shop.code))
    return v


def redeem(sale_id: int, number: str, payments: Sequence[Any], kinds: Sequence[str],
           total: Decimal, terminal: str, day: dt.date, *, original: int | None = None
           ) -> tuple[dict[int, str], list[Posting]]:
    """Inside `post_sale`: each voucher payment's code claimed for one use. Returns, by the
    payment's position, the account it debits instead of 2203 (a promo voucher's), and the
    postings of what gift vouchers forfeited.

    On a return, the voucher part of the refund (a negative voucher payment, its code one the
    original sale used) is not given back: the voucher stays used, and its part goes back
    against what it was booked to — a promotion's cost (6601), or, for a gift voucher, to
    6301 like any value a holder forfeits."""
    accounts: dict[int, str] = {}
    extra: list[Posting] = []
    for i, (p, kind) in enumerate(zip(payments, kinds, strict=True)):
        if kind != "voucher":
            continue
        if p.amount < 0:
            accounts[i] = _refunded(p.reference, original)
            continue
        if not p.reference.strip():
            raise ValidationError(_("Voucher: scan or type its code as the reference"),
                                  field="reference", value="")
        v = _usable(p.reference, terminal, day)
        b = v.batch
        if total < b.min_spend:
            raise StoreError(_("Voucher {code} needs a spend of {least} (this sale: {total})")
                             .format(code=v.code, least=format_money(b.min_spend),
                                     total=format_money(total)))
        worth = _worth(b, total)
        if p.amount > worth:
            raise StoreError(_("Voucher {code} is worth {value}, not {amount}").format(
                code=v.code, value=format_money(worth), amount=format_money(p.amount)))
        claimed = (Voucher.update(uses_left=Voucher.uses_left - 1)
                   .where((Voucher.id == v.id) & (Voucher.uses_left > 0)
                          & (Voucher.status == "active")).execute())
        if not claimed:
            raise StoreError(_("Voucher {code} has just been used at another till").format(
                code=v.code))
        VoucherUse.create(voucher=v.id, sale=sale_id, amount=p.amount)
        if b.kind == "promo":
            accounts[i] = PROMO_ACCOUNT
        elif p.amount < b.value:
            extra += _forfeited(b.value - p.amount)
    return accounts, extra


def _refunded(code: str, original: int | None) -> str:
    used = (VoucherUse.select(VoucherUse, Voucher, VoucherBatch).join(Voucher)
            .join(VoucherBatch)
            .where((Voucher.code == normalize(code)) & (VoucherUse.sale == original)).first()
            if original is not None else None)
    if used is None:
        raise StoreError(_("A voucher is not refunded: only the voucher the sale was paid "
                           "with takes back its part ({code})").format(code=code[:24]))
    return PROMO_ACCOUNT if used.voucher.batch.kind == "promo" else FORFEITED


def _worth(b: VoucherBatch, total: Decimal) -> Decimal:
    """What a voucher of the batch may pay of a sale of `total`: its value, or for a
    percentage coupon that share of the sale, at most its value."""
    if not b.percent_bp:
        return Decimal(b.value)
    return min(Decimal(b.value), round_money(max(total, ZERO) * b.percent_bp / 10000))


def check(code: str, terminal: str, total: Decimal | None = None
          ) -> tuple[str, Decimal, Decimal]:
    """What the till shows when a code is scanned: (code, what it pays of a sale of `total`
    (its value when no total is given), minimum spend)."""
    v = _usable(code, terminal, clock.local_today(branches.zone_of(terminal)))
    worth = Decimal(v.batch.value) if total is None else _worth(v.batch, total)
    return v.code, worth, Decimal(v.batch.min_spend)


def _load_receipt_batches() -> list[VoucherBatch]:
    return list(VoucherBatch.select().where(VoucherBatch.receipt_min.is_null(False))
                .order_by(VoucherBatch.id.desc()))


# The "next visit" batches, newest first: every sale asks, and most shops have none.
_receipt_batches = Kept(_load_receipt_batches)


def hand_out(sale_id: int, total: Decimal, terminal: str, day: dt.date) -> None:
    """Inside `post_sale`: a sale of at least a "next visit" batch's minimum gets a new code
    of it, printed on its receipt (the newest such batch good at this shop and today)."""
    good = [b for b in _receipt_batches.get()
            if b.receipt_min <= total and b.valid_from <= day <= b.valid_to]
    if good and any(b.shop_id is not None for b in good):
        shop = branches.shop_of(terminal)
        good = [b for b in good if b.shop_id in (None, shop)]
    if not good:
        return
    batch = good[0]
    (code,) = _new_codes(1)
    Voucher.create(code=code, batch=batch.id, uses_left=batch.uses, sale=sale_id)
    VoucherBatch.update(count=VoucherBatch.count + 1).where(VoucherBatch.id == batch.id).execute()


def handed_out(sale_id: int) -> list[tuple[str, BatchView]]:
    """The "next visit" codes a sale's receipt carries, with their batch's terms."""
    if not _receipt_batches.get():  # no such batch ever: no receipt carries one
        return []
    rows: Any = (Voucher.select(Voucher.code, VoucherBatch.number).join(VoucherBatch)
                 .where(Voucher.sale == sale_id).order_by(Voucher.id).tuples())
    return [(code, view(number)) for code, number in rows]


@unit_of_work
def void(user: SessionUser, code: str, reason: str) -> None:
    """A voucher taken out of use (lost, handed out by mistake). What a gift voucher still
    held is no longer owed: 2203 to 6301."""
    permissions.check(user, "manage_promotions", reference=code[:24])
    why = text.name(reason, field="reason", longest=200)
    clean = normalize(code)
    v = _find(clean)
    if v.status == "void":
        raise StoreError(_("Voucher {code} was voided").format(code=clean))
    left = v.uses_left
    Voucher.update(status="void", uses_left=0, void_reason=why).where(
        Voucher.id == v.id).execute()
    if v.batch.kind == "gift" and left:
        held = v.batch.value * left
        VoucherUse.create(voucher=v.id, sale=None, amount=held)
        ledger.post_entry(phrase(N_("Voucher {code} voided: {reason}"), code=clean,
                                 reason=why), v.batch.number, _forfeited(held),
                          kind="vouchers", user_id=user.id)
    audit.record("voucher_void", {"code": clean, "reason": why}, user_id=user.id,
                 reference=v.batch.number)


@unit_of_work
def expire(user_id: int | None, day: dt.date | None = None) -> tuple[int, Decimal]:
    """Gift vouchers whose last day has passed: what they still held is no longer owed
    (2203 to 6301), and they are marked expired. The nightly job runs it (any user may: it
    only applies the batches' own terms); returns how many and how much."""
    today = day or clock.local_today()
    gone: Any = (Voucher.select(Voucher, VoucherBatch).join(VoucherBatch)
                 .where((VoucherBatch.kind == "gift") & (VoucherBatch.valid_to < today)
                        & (Voucher.status == "active") & (Voucher.uses_left > 0)))
    count, total = 0, ZERO
    by_batch: dict[str, Decimal] = {}
    for v in gone:
        held = v.batch.value * v.uses_left
        claimed = (Voucher.update(status="expired", uses_left=0)
                   .where((Voucher.id == v.id) & (Voucher.status == "active")).execute())
        if not claimed:
            continue
        VoucherUse.create(voucher=v.id, sale=None, amount=held)
        by_batch[v.batch.number] = by_batch.get(v.batch.number, ZERO) + held
        count, total = count + 1, total + held
    for number, held in by_batch.items():
        ledger.post_entry(phrase(N_("Gift vouchers {number} expired"), number=number), number,
                          _forfeited(held),
                          kind="vouchers", date=today, user_id=user_id)
    return count, total


def owed() -> Decimal:
    """What the gift vouchers' uses still to come are worth: 2203's voucher part."""
    rows: Any = (Voucher.select(fn.SUM(Voucher.uses_left * VoucherBatch.value))
                 .join(VoucherBatch)
                 .where((VoucherBatch.kind == "gift") & (Voucher.status == "active")))
    return from_scaled(VoucherBatch.value, rows.scalar() or 0)
