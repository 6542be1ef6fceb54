"""Price overrides and discounts at the till: what each line needs beyond the cashier's role,
checked when the cashier asks (to offer the supervisor dialog) and again when the sale commits
(so no screen or script can skip it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from store.catalog.search import by_ids
from store.core.errors import AuthError
from store.core.i18n import _
from store.core.money import round_money
from store.customers import lookup
from store.models import Product
from store.pricing import price_lists
from store.security import approvals
from store.security.auth import SessionUser
from store.security.permissions import Policy, denied, policy
from store.selling.basket import Basket, BasketLine
from store.shops import branches


def line_needs(line: BasketLine, role: str, rules: Policy, cost: Decimal,
               price: Decimal | None = None) -> str | None:
    """The permission a line's price or discount needs that `role` lacks, or None. `price`
    is what the line should cost (the shelf or the customer's list): any other unit price is
    an override, whether or not the basket says so."""
    if line.return_of is not None:
        return None
    overridden = line.list_price is not None or (
        price is not None and line.fixed_amount is None and line.unit_price != price)
    if overridden:
        if line.unit_price < cost and not rules.allows(role, "price_below_cost"):
            return "price_below_cost"
        if not rules.allows(role, "price_override"):
            return "price_override"
    if line.discount and line.gross > 0:
        # The limit as an amount, rounded like the discount was: 10% of 1.28 is 0.13, and a
        # cashier allowed 10% may give it (0.13 is 10.2% of 1.28).
        allowed = round_money(line.gross * rules.discount_limit(role) / 100)
        if line.discount > allowed and not rules.allows(role, "discount"):
            return "discount"
    return None


def discount_needs(user: SessionUser, percent: Decimal, rules: Policy | None = None
                   ) -> str | None:
    """For a discount about to be given: the permission it needs, or None. `rules`: the
    role rules as an offline till's copy has them (else the database's)."""
    rules = rules or policy()
    if percent > rules.discount_limit(user.role) and not rules.allows(user.role, "discount"):
        return "discount"
    return None


def price_needs(user: SessionUser, product_id: int, price: Decimal,
                rules: Policy | None = None) -> str | None:
    """For a price about to be set: the permission it needs, or None. With `rules` (an
    offline till's copy) the cost is not known: below cost is the server's to flag."""
    offline = rules is not None
    rules = rules or policy()
    cost = Decimal(0) if offline else Product.get_by_id(product_id).cost
    if price < cost and not rules.allows(user.role, "price_below_cost"):
        return "price_below_cost"
    if not rules.allows(user.role, "price_override"):
        return "price_override"
    return None


def check_basket(basket: Basket, cashier: SessionUser, *, reference: str,
                 terminal: str) -> None:
    """Every line's price and discount within the cashier's role, or approved by someone whose
    role allows it; each approval is spent once, on this sale. Prices are checked against
    the shelf and the customer's price list as the database has them, not as the basket says."""
    rules = policy()
    prices = price_lists.rules_for(
        lookup.price_list_of(basket.customer.id) if basket.customer else None)
    shelf = {p.id: p for p in by_ids([ln.product.id for ln in basket.lines],
                                     shop=branches.shop_of(terminal))}
    costs_q: Any = (Product.select(Product.id, Product.cost)
                    .where(Product.id.in_([ln.product.id for ln in basket.lines])).tuples())
    costs: dict[int, Decimal] = dict(costs_q)
    spent: set[int] = set()
    for line in basket.lines:
        cost = costs[line.product.id]
        price = prices.price(shelf[line.product.id], line.qty)
        need = line_needs(line, cashier.role, rules, cost, price)
        if need is None:
            continue
        if line.approval_id is None:
            raise denied(cashier, need, terminal=terminal, reference=reference)
        approver = approvals.approver_of(line.approval_id)
        if line_needs(line, approver.role, rules, cost, price) is not None:
            raise AuthError(_("{user}'s approval does not cover {name} at {price}").format(
                user=approver.display_name, name=line.product.name, price=line.amount))
        if line.approval_id not in spent:
            approvals.use(line.approval_id, requested_by=cashier.id, reference=reference)
            spent.add(line.approval_id)
