"""Fixtures the store's buying tests share."""

from __future__ import annotations

import pytest

from tests.store.stock_helpers import stock_shop


@pytest.fixture
def users(shop):
    """The stockroom's shop (stock_shop) and an accountant, kuaiji (PIN 3690)."""
    from store.security import auth

    people = stock_shop()
    people["accountant"] = auth.create_user("kuaiji", "accountant", pin="3690")
    return people
