"""What an offline till decides alone before a sale goes into its outbox (issue 18.2): a sale
on account within the customer's credit limit as its copy knows it, and a return of a
receipt in its copy, refunded in cash or to the customer's account. The rules and the words
are the database's; the database judges the sale again when it posts, and keeps for a
person what it would have refused (a sale on account made meanwhile at another till)."""

from __future__ import annotations

from decimal import Decimal

from store.core.errors import StoreError, ValidationError
from store.core.i18n import _
from store.core.money import format_money
from store.security import permissions
from store.security.auth import SessionUser
from store.security.permissions import Policy
from store.selling.basket import Basket
from store.selling.returns import Returnable, refund_limits
from store.selling.sales import PaymentInput
from store.shops.org import TenderType

from .copy_receipts import RETURN_DAYS, Taken
from .local_copy import LocalCopy
from .outbox import Outbox

# A refund goes back by what was paid; offline only these need no one else to answer (a
# card, WeChat or Alipay refund needs the payment's provider, through the database).
REFUNDS_OFFLINE = ("cash", "account")


def check_account(copy: LocalCopy, outbox: Outbox, basket: Basket,
                  payments: list[PaymentInput], tenders: dict[str, TenderType]) -> None:
    """A sale on account: the customer attached, in the copy, and within their limit — what
    they owed at the last refresh, plus what this till sold them on account since, plus
    this sale. Beyond it the sale is refused: an approval needs what they owe now."""
    accounts = {code for code, t in tenders.items() if t.kind == "account"}
    amount = sum((p.amount for p in payments if p.tender in accounts), Decimal(0))
    if amount <= 0:
        return
    who = basket.customer
    if who is None:
        raise ValidationError(_("On account: attach the customer first (Shift+F2)"),
                              field="customer", value=None)
    credit = copy.credit(who.id)
    if credit is None:
        raise StoreError(_("{name} is not in this till's copy: on account waits for the "
                           "database").format(name=who.label))
    limit, owed = credit
    mark = copy.refreshed_at
    owed += outbox.on_account(who.id, accounts, mark.isoformat() if mark else None)
    if owed + amount > limit:
        raise StoreError(_("Offline limit {limit}: they owe {owed}, this sale makes "
                           "{total}").format(limit=format_money(limit), owed=format_money(owed),
                                             total=format_money(owed + amount)))


def check_vouchers(payments: list[PaymentInput], tenders: dict[str, TenderType]) -> None:
    """A voucher is used once, whichever till takes it first, and a stored-value card's
    balance and a member's points are spent at any till: only the database can say what is
    left, so offline they are refused (a card's refund too: its balance is the
    database's)."""
    kinds = {tenders[p.tender].kind for p in payments}
    if "voucher" in kinds:
        raise StoreError(_("Offline: a voucher needs the database; take another payment"))
    if "store_credit" in kinds:
        raise StoreError(_("Offline: a stored-value card needs the database; take another "
                           "payment"))
    if "points" in kinds:
        raise StoreError(_("Offline: points need the database; take another payment"))


def returned(copy: LocalCopy, number: str) -> Returnable:
    """A receipt to take goods back from, as the copy has it; refused in words when the
    copy does not have it."""
    receipt = copy.receipt(number)
    if receipt is None:
        raise StoreError(_("Sale {number} is not in this till's copy (last {days} days): "
                           "return it online").format(number=number.strip()[:20],
                                                      days=RETURN_DAYS))
    return receipt


def check_return(copy: LocalCopy, basket: Basket, payments: list[PaymentInput],
                 tenders: dict[str, TenderType], cashier: SessionUser, rules: Policy,
                 given: set[int]) -> tuple[list[Taken], dict[str, Decimal]]:
    """A return (or an exchange) against its receipt in the copy, as `post_sale` checks it
    online. Returns what it takes: (line id, qty, amount, tax) per line, refund per tender."""
    assert basket.original is not None
    receipt = returned(copy, basket.original)
    _allowed(cashier, "refund", rules, basket, given)
    by_id = {ln.line_id: ln for ln in receipt.lines}
    taken: list[Taken] = []
    for line in basket.lines:
        if line.return_of is None:
            continue
        sold = by_id.get(line.return_of)
        qty = -line.qty
        back = sum((q for i, q, _a, _t in taken if i == line.return_of), Decimal(0))
        if sold is None or qty <= 0 or qty + back > sold.remaining:
            raise ValidationError(_("qty: '{value}' is more than the {left} that can be "
                                    "returned of {name}").format(
                value=qty, left=sold.remaining - back if sold else 0,
                name=sold.name if sold else line.product.name), field="qty", value=qty)
        taken.append((line.return_of, qty, -line.amount, -basket.tax_of(line)))
    refunds: dict[str, Decimal] = {}
    if basket.total < 0:
        for p in payments:
            kind = tenders[p.tender].kind
            if kind not in REFUNDS_OFFLINE:
                raise StoreError(_("Offline, refunds go in cash or to the account: "
                                   "{tender} waits for the database").format(
                    tender=tenders[p.tender].name))
            if kind == "cash":
                if "cash" not in receipt.paid_kinds.values():
                    _allowed(cashier, "refund_to_cash", rules, basket, given)
            else:
                left = refund_limits(receipt).get(p.tender, Decimal(0))
                if -p.amount > left:
                    raise ValidationError(_("Refund at most {left} to {tender}: that is what is "
                                            "left of what was paid with it").format(
                        left=format_money(left), tender=tenders[p.tender].name),
                        field="tender", value=p.tender)
            refunds[p.tender] = refunds.get(p.tender, Decimal(0)) - p.amount
    return taken, refunds


def _allowed(user: SessionUser, permission: str, rules: Policy, basket: Basket,
             given: set[int]) -> None:
    """The cashier's role allows it by the copy's rules, or a supervisor approved it at this
    till while offline; else the refusal the till asks a supervisor to lift."""
    if rules.allows(user.role, permission) or basket.approvals.get(permission) in given:
        return
    raise permissions.refusal(user, permission)
