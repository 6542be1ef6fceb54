"""Shared set-up and invariant checks for the stockroom tests."""

from __future__ import annotations

from decimal import Decimal

from peewee import fn

from store.books import ledger
from store.catalog import products, search
from store.catalog.products import BarcodeInput, ProductInput
from store.core.fields import from_scaled
from store.models import Sale, SaleLine, StockLevel, StockMove, StockValue
from store.security import auth
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import inventory

D = Decimal


def stock_shop() -> dict[str, auth.SessionUser]:
    """Two products with stock in STORE (sells below zero) and WH (never below zero), a
    supplier, and one user of each role that works in the stockroom."""
    from store.customers import parties

    products.create_product(ProductInput("COKE", "可口可乐 330ml", "3.50", "13%", cost="2.00",
                                        category="DRINK",
                                        barcodes=[BarcodeInput("6901234567892"),
                                                  BarcodeInput("16901234567899", D(12))]))
    products.create_product(ProductInput("TEA", "绿茶", "4.00", "13%", cost="2.50",
                                        barcodes=[BarcodeInput("6901234567908")]))
    inventory.post_opening_stock("COKE", "WH", "10")
    parties.create_supplier("S1", "可口可乐装瓶厂")
    users = {role: auth.create_user(role, role, pin="1357") for role in
             ("cashier", "warehouse", "supervisor")}
    users["owner"] = auth.authenticate("boss", "8888")
    return users


def sell(user: auth.SessionUser, code: str, qty: str | int, terminal: str = "T1") -> Decimal:
    """Sell qty of a product for cash at its price; returns the sale's cost of goods."""
    if sales.current_shift(terminal) is None:
        sales.open_shift(terminal, user.id, "0")
    b = Basket()
    b.add(search.lookup_code(code), D(qty))
    view = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal=terminal,
                           cashier_id=user.id)
    lines = SaleLine.select(SaleLine.cost).join(Sale).where(Sale.number == view.number)
    return sum((ln.cost for ln in lines), D(0))


def check_stock_invariants() -> None:
    """Level = Σ moves per warehouse; a product's valued qty = Σ levels; its value = Σ move
    values; the inventory account = Σ values; averages are never negative."""
    moved = {(p, w): from_scaled(StockMove.qty, q) for p, w, q in
             StockMove.select(StockMove.product, StockMove.warehouse, fn.SUM(StockMove.qty))
             .group_by(StockMove.product, StockMove.warehouse).tuples()}
    levels = {(lv.product_id, lv.warehouse_id): lv.on_hand for lv in StockLevel.select()}
    assert {k: v for k, v in moved.items() if v} == {k: v for k, v in levels.items() if v}
    move_value = {p: from_scaled(StockMove.value, v) for p, v in
                  StockMove.select(StockMove.product, fn.SUM(StockMove.value))
                  .group_by(StockMove.product).tuples()}
    total = D(0)
    for row in StockValue.select():
        on_hand = sum((v for (p, _w), v in levels.items() if p == row.product_id), D(0))
        assert row.qty == on_hand, (row.product_id, row.qty, on_hand)
        assert row.value == move_value.get(row.product_id, D(0))
        assert row.unit_cost >= 0
        if row.qty > 0:
            assert row.value >= 0
            # The average is the value spread over the units, to its 4 places.
            assert abs(row.qty * row.unit_cost - row.value) <= row.qty * D("0.00005") + D(
                "0.005")
        if row.qty == 0:
            assert row.value == 0
        total += row.value
    assert ledger.balance(ledger.INVENTORY) == total
    assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0
