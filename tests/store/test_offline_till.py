"""A till's link to PostgreSQL through a proxy that fails as networks fail (issue 18.2): it
sells online while the database answers; blackholed (no RST, nothing), refused or too slow,
the cashier waits at most the link's timeout once, then scans and sells from the local copy
into the outbox; when the database answers again the outbox goes in, each sale once —
including the one whose answer was lost on the way back."""

from __future__ import annotations

import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest

from store.assurance import integrity
from store.books import ledger
from store.core.db import connect
from store.models import Sale, TillSync
from store.offline.till import TillLink
from store.selling import sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import inventory
from tests.netproxy import TcpProxy
from tests.store.stock_helpers import check_stock_invariants, stock_shop

D = Decimal
TIMEOUT = 0.5

pytestmark = pytest.mark.pg_only


@pytest.fixture
def linked(shop, db_url, tmp_path):
    users = stock_shop()
    inventory.post_opening_stock("COKE", "STORE", "50")
    shift = sales.open_shift("T1", users["cashier"].id, "100")
    parts = urlsplit(db_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    connect(urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}")))
    states = []
    link = TillLink("T1", tmp_path, timeout=TIMEOUT, every=3600, on_change=states.append)
    link.refresh()
    yield users, shift, proxy, link, states
    link.stop()
    proxy.close()
    connect(db_url)


def _basket(link: TillLink, *codes: str) -> Basket:
    b = Basket()
    for code in codes:
        hit = link.lookup(code, None)
        assert hit is not None, code
        b.add(hit)
    return b


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.monotonic()
    return fn(*args, **kwargs), time.monotonic() - start


def test_the_till_sells_through_an_outage_and_catches_up(linked) -> None:
    users, shift, proxy, link, states = linked
    cashier = users["cashier"]
    b = _basket(link, "COKE")
    first = link.sell(b, [PaymentInput("CASH", D("3.50"))], cashier=cashier, shift_id=shift.id)
    assert first.number == "T1-000001" and first.status == "completed"
    proxy.set("blackhole")  # the cable pulled: no answer, no reset
    hit, took = _timed(link.lookup, "6901234567892", None)
    assert hit is not None and hit.sku == "COKE"
    assert TIMEOUT <= took < TIMEOUT + 1.5  # once, the deadline
    assert not link.online and "did not answer" in link.reason
    assert states and not states[-1].online
    hit, took = _timed(link.lookup, "TEA", None)  # known offline: no wait at all
    assert hit is not None and took < 0.2
    offline = []
    for codes in (("COKE", "TEA"), ("COKE",), ("TEA", "TEA")):
        b = _basket(link, *codes)
        view, took = _timed(link.sell, b, [PaymentInput("CASH", D("20"))], cashier=cashier,
                            shift_id=shift.id)
        assert took < 0.5 and view.status == "offline"
        offline.append(view)
    assert [v.number for v in offline] == ["T1-000002", "T1-000003", "T1-000004"]
    assert offline[0].total == D("7.50") and offline[0].change == D("12.50")
    assert link.state().waiting == 3
    proxy.set("refuse")  # the router restarting: resets at once
    assert link.tick() is None and not link.online
    proxy.set("pass")
    result = link.tick()
    assert result is not None and result.posted == ["T1-000002", "T1-000003", "T1-000004"]
    assert link.online and link.state().waiting == 0 and states[-1].online
    # Online again: the next sale goes straight in, after the offline ones.
    b = _basket(link, "TEA")
    assert link.sell(b, [PaymentInput("CASH", D("4"))], cashier=cashier,
                     shift_id=shift.id).number == "T1-000005"
    assert Sale.select().count() == 5
    assert sales.get_sale("T1-000003").total == D("3.50")
    assert ledger.balance(ledger.CASH) == D("26.50")
    assert TillSync.get(TillSync.terminal == "T1").waiting == 0
    check_stock_invariants()
    assert integrity.verify().ok


def test_a_sale_whose_answer_is_lost_goes_in_once(linked) -> None:
    users, shift, proxy, link, _states = linked
    cashier = users["cashier"]
    b = _basket(link, "COKE")
    # Every exchange slowed: the sale's few dozen statements go in, seconds after the till
    # gave up waiting on them.
    proxy.set("pass", delay=0.05)
    view = link.sell(b, [PaymentInput("CASH", D("3.50"))], cashier=cashier, shift_id=shift.id)
    assert view.status == "offline" and view.number == "T1-000001"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Sale.select().count():
        time.sleep(0.1)  # the slow post lands on its own …
    assert Sale.select().count() == 1 and link.state().waiting == 1  # … unbeknown to the till
    proxy.set("pass")
    for _ in range(3):  # and the outbox replays it, three times over
        link.tick()
        link.outbox.release(str(b.uuid))
        with link.outbox._db() as db:
            db.execute("UPDATE outbox SET posted_at = NULL")
    link.tick()
    assert Sale.select().count() == 1
    assert Sale.get().number == "T1-000001"
    assert ledger.balance(ledger.CASH) == D("3.50")
    assert integrity.verify().ok
