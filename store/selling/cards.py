"""Stored-value cards (储值卡): top up at the till, pay with the balance, get it back.

A card is a 12-digit number (a Luhn check digit last: a mistyped digit is caught, and it is
never taken for a bank card) on a physical card's barcode, or a member's card found by their
member number or phone. It holds two balances:

- **paid**: the money its holder handed over. Owed to them as goods: 220301 (Dr the tender
  at a top-up, Cr 220301), so 220301 always equals the cards' paid balances.
- **bonus**: what a top-up rule gave on top (充100送10). Nobody paid it, so it is not a debt
  in money: nothing is booked at the top-up; spent, it is a discount (Dr 6001), not cash.

A payment takes both in the card's own proportion (100 paid and 10 bonus: of every 11 spent,
10 is paid money); a refund of goods bought by card puts back what that sale took, in the
same proportion. Closing a card gives back the paid part only (by permission); its bonus
lapses. Every movement is a `CardMove` in the same transaction as the card's balances, which
a guarded UPDATE changes: two tills spending one card at once cannot take more than is on it.

What a card may hold follows the 单用途商业预付卡 rules: 1,000 元 without a name, 5,000 元
for a member's (named) card."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import fn
from stdnum import luhn

from store.books import ledger
from store.books.ledger import Posting
from store.common import bounds
from store.common.numbering import document_number
from store.core import text
from store.core.db import unit_of_work
from store.core.errors import NotFound, StoreError, ValidationError
from store.core.fields import from_scaled
from store.core.i18n import N_, _, phrase
from store.core.money import ZERO, format_money, parse_decimal
from store.customers import lookup
from store.models import (
    Card,
    CardMove,
    Customer,
    Sale,
    Shift,
    TenderType,
    TopUpBonus,
    User,
)
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.shops import printing

CENT = Decimal("0.01")
MOST_ANONYMOUS, MOST_NAMED = Decimal(1000), Decimal(5000)
KINDS = {"top_up": N_("top-up"), "spend": N_("paid"), "refund": N_("refunded"),
         "cash_out": N_("cashed out")}
# A top-up is paid with money, never with another stored value.
TOP_UP_TENDERS = ("cash", "card", "wechat", "alipay")


@dataclass(frozen=True)
class CardView:
    number: str
    customer: str  # the member's code, "" for a card without a name
    customer_name: str
    paid: Decimal
    bonus: Decimal
    status: str
    created_at: dt.datetime

    @property
    def balance(self) -> Decimal:
        return self.paid + self.bonus

    @property
    def most(self) -> Decimal:
        return MOST_NAMED if self.customer else MOST_ANONYMOUS


@dataclass(frozen=True)
class MoveView:
    at: dt.datetime
    kind: str
    number: str
    paid: Decimal
    bonus: Decimal
    balance: Decimal  # after this move
    tender: str
    terminal: str
    user: str


@dataclass(frozen=True)
class TopUpView:
    number: str  # SV-000001
    card: CardView
    amount: Decimal
    bonus: Decimal
    tender: str


def new_number() -> str:
    body = "8" + "".join(secrets.choice("0123456789") for _ in range(10))
    return body + luhn.calc_check_digit(body)


def normalize(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def masked(number: str) -> str:
    """What a receipt shows: the last four digits."""
    return "****" + number[-4:]


def _checked(number: str) -> str:
    clean = normalize(number)
    if len(clean) != 12 or not luhn.is_valid(clean):
        raise ValidationError(_("'{value}' is not a stored-value card number (mistyped?)")
                              .format(value=number.strip()[:24]), field="card",
                              value=number.strip()[:24])
    return clean


def _row(number: str) -> Card:
    clean = _checked(number)
    card = Card.get_or_none(Card.number == clean)
    if card is None:
        raise NotFound(_("No stored-value card {number}").format(number=clean))
    return card


def _view(card: Card) -> CardView:
    member = Customer.get_by_id(card.customer_id) if card.customer_id else None
    return CardView(card.number, member.code if member else "", member.name if member else "",
                    Decimal(card.paid), Decimal(card.bonus), card.status, card.created_at)


def view(number: str) -> CardView:
    return _view(_row(number))


def _usable(number: str) -> Card:
    card = _row(number)
    if card.status != "active":
        raise StoreError(_("Stored-value card {number} is closed").format(number=card.number))
    return card


def check(number: str) -> tuple[str, Decimal]:
    """What the till shows when a card is scanned for payment: (number, balance)."""
    card = _usable(number)
    return card.number, Decimal(card.paid) + Decimal(card.bonus)


def of_customer(customer_id: int) -> str | None:
    """The member's card, if they have one: paying "by card" needs no scan when they are
    attached to the sale."""
    card = (Card.select(Card.number).where((Card.customer == customer_id)
                                           & (Card.status == "active")).first())
    return card.number if card else None


def cards(*, customer: str = "", status: str = "") -> list[CardView]:
    q = Card.select().order_by(Card.id.desc())
    if customer.strip():
        q = q.where(Card.customer == _member(customer).id)
    if status:
        q = q.where(Card.status == status)
    return [_view(c) for c in q]


def _member(who: str) -> Customer:
    return Customer.get_by_id(lookup.one(who).id)


@unit_of_work
def open_card(user: SessionUser, *, customer: str = "", number: str = "") -> CardView:
    """A new card: `number` from a pre-printed card's barcode, else one is made; `customer`
    (member number or phone) makes it theirs (one card per member)."""
    permissions.check(user, "top_up_card", reference=number.strip()[:24])
    member = _member(customer) if customer.strip() else None
    if member is not None:
        have = of_customer(member.id)
        if have is not None:
            raise StoreError(_("{name} already has card {number}").format(
                name=member.name, number=masked(have)))
    if number.strip():
        clean = _checked(number)
        if Card.get_or_none(Card.number == clean) is not None:
            raise StoreError(_("Card {number} is already in use").format(number=clean))
    else:
        clean = new_number()
        while Card.get_or_none(Card.number == clean) is not None:
            clean = new_number()
    card = Card.create(number=clean, customer=member.id if member else None,
                       created_by=user.id)
    audit.record("card_open", {"card": masked(clean), "customer": member.code if member
                               else ""}, user_id=user.id, reference=masked(clean))
    return _view(card)


def bonus_for(amount: Decimal) -> Decimal:
    """充 X 送 Y: the bonus of the largest rule `amount` reaches."""
    rule = (TopUpBonus.select().where(TopUpBonus.min_amount <= amount)
            .order_by(TopUpBonus.min_amount.desc()).first())
    return Decimal(rule.bonus) if rule else ZERO


def bonuses() -> list[tuple[Decimal, Decimal]]:
    return [(Decimal(r.min_amount), Decimal(r.bonus))
            for r in TopUpBonus.select().order_by(TopUpBonus.min_amount)]


def _money(value: Decimal | str, field: str) -> Decimal:
    return bounds.check_price(parse_decimal(value, field=field), field=field)


@unit_of_work
def set_bonus(user: SessionUser, min_amount: Decimal | str, bonus: Decimal | str) -> None:
    """A top-up of at least `min_amount` gets `bonus` on the card; a bonus of 0 removes the
    rule."""
    permissions.check(user, "manage_promotions", reference=f"top-up {min_amount}")
    least, extra = _money(min_amount, "min_amount"), _money(bonus, "bonus")
    if least <= 0:
        raise ValidationError(_("min_amount: '{value}' must be greater than zero").format(
            value=least), field="min_amount", value=least)
    if extra < 0 or extra >= least:
        raise ValidationError(_("bonus: '{value}' must be from 0 to less than the top-up "
                                "({least})").format(value=extra, least=least),
                              field="bonus", value=extra)
    TopUpBonus.delete().where(TopUpBonus.min_amount == least).execute()
    if extra:
        TopUpBonus.create(min_amount=least, bonus=extra)
    audit.record("card_bonus", {"min_amount": audit.minor(least), "bonus": audit.minor(extra)},
                 user_id=user.id, reference=f"top-up {least}")


def _open_shift(terminal: str) -> Shift:
    shift = Shift.get_or_none((Shift.terminal == terminal) & (Shift.status == "open"))
    if shift is None:
        raise StoreError(_("Open a shift first: the money goes into this till's drawer"))
    return shift


def _tender(code: str, allowed: Sequence[str]) -> TenderType:
    tender = TenderType.get_or_none((TenderType.code == code.strip().upper())
                                    & TenderType.active)
    if tender is None or tender.kind not in allowed:
        raise ValidationError(_("tender: '{value}' cannot pay for a top-up (cash, bank card, "
                                "WeChat or Alipay)").format(value=code.strip()[:20]),
                              field="tender", value=code.strip()[:20])
    return tender


def _claim(card: Card, paid: Decimal, bonus: Decimal) -> None:
    """Add (or, negative, take) the amounts, only if the card still holds what was read:
    another till's movement in between refuses this one, never overdraws."""
    done = (Card.update(paid=Card.paid + paid, bonus=Card.bonus + bonus)
            .where((Card.id == card.id) & (Card.status == "active")
                   & (Card.paid == card.paid) & (Card.bonus == card.bonus)).execute())
    if not done:
        raise StoreError(_("Card {number} has just been used at another till: try again")
                         .format(number=masked(card.number)))
    card.paid, card.bonus = Decimal(card.paid) + paid, Decimal(card.bonus) + bonus


@unit_of_work
def top_up(user: SessionUser, number: str, amount: Decimal | str, tender: str, *,
           terminal: str, reference: str = "") -> TopUpView:
    """Money onto a card at a till with an open shift: the paid balance goes up by the
    amount, the bonus by the rule's (Dr the tender's account, Cr 220301), a slip prints with
    the new balance and a cash top-up opens the drawer."""
    permissions.check(user, "top_up_card", reference=normalize(number)[-4:])
    card = _usable(number)
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationError(_("amount: '{value}' must be greater than zero").format(
            value=value), field="amount", value=value)
    paid_with = _tender(tender, TOP_UP_TENDERS)
    ref = text.clean(reference, field="reference")[:32]
    if paid_with.kind == "card" and len(normalize(ref)) > 4:
        raise ValidationError(_("Enter only the card's last 4 digits, never the full number"),
                              field="reference", value="****")
    shift = _open_shift(terminal)
    extra = bonus_for(value)
    view_before = _view(card)
    if view_before.balance + value + extra > view_before.most:
        raise ValidationError(_("A card {kind} may hold at most {most}: this one holds "
                                "{balance}").format(
            kind=_("with a member's name") if view_before.customer else _("without a name"),
            most=format_money(view_before.most), balance=format_money(view_before.balance)),
            field="amount", value=value)
    _claim(card, value, extra)
    doc = document_number("SV", "card")
    CardMove.create(card=card.id, kind="top_up", number=doc, paid=value, bonus=extra,
                    shift=shift.id, tender=paid_with.id, terminal=terminal, user=user.id)
    ledger.post_entry(phrase(N_("Card {card} topped up"), card=masked(card.number)), doc,
                      [ledger.signed(ledger.TENDER_ACCOUNTS[paid_with.kind], value),
                       Posting(ledger.CARDS, credit=value)], kind="cards", user_id=user.id)
    audit.record("card_top_up", {"card": masked(card.number), "amount": audit.minor(value),
                                 "bonus": audit.minor(extra), "tender": paid_with.code},
                 user_id=user.id, terminal=terminal, reference=doc)
    after = _view(card)
    name = paid_with.name
    if paid_with.opens_drawer:
        printing.enqueue(terminal, "drawer", "", reference=doc)
    printing.enqueue_lines(terminal, _("Card top-up {number}").format(number=doc), [
        (_("Card"), masked(card.number)), (name, format_money(value)),
        (_("Bonus"), format_money(extra)), (_("Balance"), format_money(after.balance))],
        reference=doc)
    return TopUpView(doc, after, value, extra, paid_with.code)


@unit_of_work
def top_up_at_till(user: SessionUser, card: str, amount: Decimal | str, tender: str, *,
                   terminal: str, reference: str = "", member: str = "") -> TopUpView:
    """The till's top-up: a blank card number means the attached member's card (`member`:
    their number), or a new card (theirs, when one is attached), opened in the same
    transaction: a refused top-up leaves no empty card behind."""
    number = card.strip()
    if not number and member:
        number = of_customer(_member(member).id) or ""
    if not number:
        number = open_card(user, customer=member).number
    return top_up(user, number, amount, tender, terminal=terminal, reference=reference)


def _split(card: Card, amount: Decimal) -> tuple[Decimal, Decimal]:
    """(paid, bonus) parts of spending `amount`, in the card's proportion."""
    paid, bonus = Decimal(card.paid), Decimal(card.bonus)
    if amount > paid + bonus:
        raise StoreError(_("Card {number} holds {balance}, not {amount}").format(
            number=masked(card.number), balance=format_money(paid + bonus),
            amount=format_money(amount)))
    part = (amount * paid / (paid + bonus)).quantize(CENT, ROUND_HALF_UP)
    part = min(part, paid)
    if amount - part > bonus:
        part = amount - bonus
    return part, amount - part


def redeem(sale_id: int, number: str, payments: Sequence[Any], kinds: Sequence[str], *,
           terminal: str, user_id: int, original: int | None = None) -> list[Posting]:
    """Inside `post_sale`: each card payment taken off its card (a refund put back on it).
    The payments post to 220301 as any tender does; returned are the postings that move a
    payment's bonus part from 220301 to revenue (a discount, not money)."""
    extra: list[Posting] = []
    for p, kind in zip(payments, kinds, strict=True):
        if kind != "store_credit":
            continue
        if not p.reference.strip():
            raise ValidationError(_("Stored-value card: scan the card or type its number as "
                                    "the reference"), field="reference", value="")
        card = _usable(p.reference)
        if p.amount > 0:
            paid, bonus = _split(card, p.amount)
            _claim(card, -paid, -bonus)
            move = "spend"
        else:
            paid, bonus = _put_back(card, -p.amount, original)
            _claim(card, paid, bonus)
            move = "refund"
        CardMove.create(card=card.id, kind=move, number=number, paid=paid if move == "refund"
                        else -paid, bonus=bonus if move == "refund" else -bonus, sale=sale_id,
                        terminal=terminal, user=user_id)
        if bonus:
            sign = Decimal(1) if move == "spend" else Decimal(-1)
            extra += [ledger.signed(ledger.REVENUE, sign * bonus),
                      ledger.signed(ledger.CARDS, -sign * bonus)]
    return extra


def _put_back(card: Card, amount: Decimal, original: int | None) -> tuple[Decimal, Decimal]:
    """A refund onto the card the sale was paid with, up to what that sale took from it and
    has not had back, in the proportion it took it."""
    if original is None:
        raise StoreError(_("Only a return of a sale paid by card {number} goes back onto it")
                         .format(number=masked(card.number)))
    paid, bonus = _sums((CardMove.card == card.id) & (CardMove.sale == original)
                        & (CardMove.kind == "spend"))
    back_paid, back_bonus = _sums((CardMove.card == card.id) & (Sale.original == original)
                                  & (CardMove.kind == "refund"), join_sales=True)
    paid, bonus = -paid, -bonus
    left = paid + bonus - back_paid - back_bonus
    if amount > left:
        raise StoreError(_("Card {number}: at most {left} goes back onto it").format(
            number=masked(card.number), left=format_money(max(left, ZERO))))
    part = (amount * paid / (paid + bonus)).quantize(CENT, ROUND_HALF_UP)
    return part, amount - part


@unit_of_work
def cash_out(user: SessionUser, number: str, tender: str = "CASH", *, terminal: str,
             reason: str) -> tuple[Decimal, Decimal]:
    """Close a card and give back its paid balance (Dr 220301, Cr the tender's account); its
    bonus lapses (it was never money). Returns (given back, bonus lapsed)."""
    permissions.check(user, "cash_out_card", reference=normalize(number)[-4:])
    why = text.name(reason, field="reason", longest=200)
    card = _usable(number)
    back_by = _tender(tender, ("cash", "wechat", "alipay", "card"))
    paid, bonus = Decimal(card.paid), Decimal(card.bonus)
    shift = _open_shift(terminal) if back_by.kind == "cash" else None
    _claim(card, -paid, -bonus)
    Card.update(status="closed").where(Card.id == card.id).execute()
    doc = document_number("SV", "card")
    CardMove.create(card=card.id, kind="cash_out", number=doc, paid=-paid, bonus=-bonus,
                    shift=shift.id if shift else None, tender=back_by.id, terminal=terminal,
                    user=user.id)
    if paid:
        ledger.post_entry(phrase(N_("Card {card} closed: {reason}"), card=masked(card.number),
                                 reason=why), doc,
                          [Posting(ledger.CARDS, debit=paid),
                           ledger.signed(ledger.TENDER_ACCOUNTS[back_by.kind], -paid)],
                          kind="cards", user_id=user.id)
    audit.record("card_cash_out", {"card": masked(card.number), "paid": audit.minor(paid),
                                   "bonus": audit.minor(bonus), "reason": why},
                 user_id=user.id, terminal=terminal, reference=doc)
    if back_by.opens_drawer and paid:
        printing.enqueue(terminal, "drawer", "", reference=doc)
    return paid, bonus


def statement(number: str) -> list[MoveView]:
    """Every movement of the card, oldest first, with the balance after each."""
    card = _row(number)
    tenders: dict[int, str] = dict(TenderType.select(TenderType.id, TenderType.code)
                                   .tuples())  # type: ignore[arg-type]
    users: dict[int, str] = dict(User.select(User.id, User.username)
                                 .tuples())  # type: ignore[arg-type]
    out, balance = [], ZERO
    for m in CardMove.select().where(CardMove.card == card.id).order_by(CardMove.id):
        balance += Decimal(m.paid) + Decimal(m.bonus)
        out.append(MoveView(m.created_at, m.kind, m.number, Decimal(m.paid), Decimal(m.bonus),
                            balance, tenders.get(m.tender_id or 0, ""), m.terminal,
                            users.get(m.user_id or 0, "")))
    return out


def after_sale(sale_id: int) -> list[tuple[str, Decimal]]:
    """For the receipt: each card the sale moved, masked, and its balance just after."""
    out = []
    for m in CardMove.select().where(CardMove.sale == sale_id).order_by(CardMove.id):
        paid, bonus = _sums((CardMove.card == m.card_id) & (CardMove.id <= m.id))
        out.append((masked(Card.get_by_id(m.card_id).number), paid + bonus))
    return out


def _sums(where: Any, join_sales: bool = False) -> tuple[Decimal, Decimal]:
    """Σ paid and Σ bonus of the moves `where` picks."""
    q: Any = CardMove.select(fn.COALESCE(fn.SUM(CardMove.paid), 0),
                        fn.COALESCE(fn.SUM(CardMove.bonus), 0))
    if join_sales:
        q = q.join(Sale, on=(CardMove.sale == Sale.id))
    paid, bonus = q.where(where).tuples().get()
    return from_scaled(CardMove.paid, paid), from_scaled(CardMove.bonus, bonus)


def owed() -> Decimal:
    """What the cards' holders paid in and have not spent: 220301's balance."""
    total: Any = Card.select(fn.SUM(Card.paid)).scalar()
    return from_scaled(Card.paid, total or 0)
