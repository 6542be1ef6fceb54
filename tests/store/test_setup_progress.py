"""The set-up checklist's steps are read from the shop itself (issue 16.1: "can be left and
resumed"): a new shop has its warehouses, till and tenders; each other step is done when the
shop holds what it needs, whenever that happened."""

from __future__ import annotations

from store.catalog import products
from store.catalog.products import ProductInput
from store.customers import parties
from store.onboarding import progress
from store.security import accounts, auth
from store.stock import inventory


def test_the_steps_follow_the_shop(shop) -> None:
    done = {s.key: (s.count, s.done) for s in progress.steps()}
    assert done["warehouses"][1] and done["tills"][1] and done["tenders"][1]
    assert done["products"] == (0, False) and done["stock"] == (0, False)
    assert done["users"] == (1, False) and done["customers"] == (0, True)  # optional
    assert not progress.complete()
    boss = auth.authenticate("boss", "8888")
    accounts.add_user(boss, "ann", "cashier", pin="4321")
    parties.create_supplier("S1", "供应商")
    products.create_product(ProductInput("P1", "可乐", "3.00", "13%"))
    inventory.post_opening_stock("P1", "STORE", "24")
    done = {s.key: (s.count, s.done) for s in progress.steps()}
    assert done["products"] == (1, True) and done["stock"] == (1, True)
    assert done["users"] == (2, True) and done["suppliers"] == (1, True)
    assert progress.complete()
