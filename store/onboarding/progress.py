"""How far a new shop has come in setting itself up (issue 16.1: the set-up "can be left and
resumed"): each step with what the database already holds, so the checklist that shows them
is the same whether the owner comes back in an hour or a week — nothing is remembered but the
shop itself."""

from __future__ import annotations

from dataclasses import dataclass

from store.core.i18n import N_
from store.models import (
    Customer,
    Product,
    StockLevel,
    Supplier,
    TenderType,
    Terminal,
    User,
    Warehouse,
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # msgid
    count: int
    done: bool


def steps() -> list[Step]:
    """The set-up's steps in the order a shop takes them, each with its count."""
    counts = [
        ("warehouses", N_("Warehouses"), Warehouse.select().where(Warehouse.active).count(), 1),
        ("tills", N_("Tills"), Terminal.select().where(Terminal.active).count(), 1),
        ("tenders", N_("Tenders"), TenderType.select().where(TenderType.active).count(), 1),
        ("users", N_("Users"), User.select().count(), 2),
        ("suppliers", N_("Suppliers"), Supplier.select().where(Supplier.active).count(), 1),
        ("products", N_("Products"), Product.select().where(Product.active).count(), 1),
        ("stock", N_("Opening stock"),
         StockLevel.select(StockLevel.product).where(StockLevel.on_hand != 0).distinct()
         .count(), 1),
        ("customers", N_("Customers"), Customer.select().count(), 0),
    ]
    return [Step(key, label, n, n >= needed) for key, label, n, needed in counts]


def complete() -> bool:
    """Every step the shop needs before it sells (customers are optional)."""
    return all(s.done for s in steps())
