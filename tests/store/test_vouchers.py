"""Vouchers (issue 19.3) on both engines: a batch's codes used once at the till as the
voucher tender's reference, within their terms; a promotion voucher costs the shop (6601), a
gift voucher releases what it was sold for from 2203 (what the customer did not spend is
forfeited to 6301); two tills taking the same code at the same moment cannot both have it;
2203 always equals the gift vouchers' uses still to come."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.books import ledger
from store.catalog import search
from store.common import clock
from store.core.errors import NotFound, PermissionDenied, StoreError, ValidationError
from store.models import JournalEntry, Sale, Voucher
from store.security import auth
from store.selling import sales, vouchers
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.at_once import two_tills
from tests.store.stock_helpers import stock_shop

D = Decimal


@pytest.fixture
def people(shop):
    found = stock_shop()
    sales.open_shift("T1", found["cashier"].id, "0")
    return found


def pay(cashier, qty: int, *payments: tuple[str, str, str]) -> sales.SaleView:
    """COKE (3.50 each) paid by (tender, amount, reference)…; the last CASH takes the rest."""
    b = Basket()
    b.add(search.lookup_code("COKE"), D(qty))
    given = [PaymentInput(t, D(a), r) for t, a, r in payments]
    rest = b.total - sum((p.amount for p in given), D(0))
    if rest > 0:
        given.append(PaymentInput("CASH", rest))
    return sales.post_sale(b, given, terminal="T1", cashier_id=cashier.id)


def check_liability() -> None:
    assert -ledger.balance(ledger.DEPOSITS) == vouchers.owed()


def test_a_promotion_voucher_used_once_within_its_terms(people) -> None:
    boss, cashier = people["owner"], people["cashier"]
    batch, codes = vouchers.issue(boss, "满50减10", "promo", "10", 3, min_spend="50")
    assert batch.number == "VB-000001" and len(codes) == 3 == len(set(codes))
    assert all(len(c) == 12 and set(c) <= set(vouchers.ALPHABET) for c in codes)
    assert ledger.balance(ledger.DEPOSITS) == 0  # given away: nothing owed
    sale = pay(cashier, 15, ("VOUCHER", "10", codes[0].lower()))  # 52.50, typed lower case
    assert ledger.balance(ledger.SELLING) == D("10.00")  # what the voucher paid cost the shop
    assert Voucher.get(Voucher.code == codes[0]).uses_left == 0
    entries = JournalEntry.select().count()
    with pytest.raises(StoreError, match="has been used"):
        pay(cashier, 15, ("VOUCHER", "10", codes[0]))
    with pytest.raises(StoreError, match="needs a spend of"):
        pay(cashier, 10, ("VOUCHER", "10", codes[1]))  # 35.00
    with pytest.raises(StoreError, match="worth"):
        pay(cashier, 15, ("VOUCHER", "12", codes[1]))
    with pytest.raises(ValidationError, match="not a voucher code"):
        pay(cashier, 15, ("VOUCHER", "10", codes[1][:-1] + ("2" if codes[1][-1] != "2"
                                                            else "3")))
    with pytest.raises(ValidationError, match="reference"):
        pay(cashier, 15, ("VOUCHER", "10", ""))
    assert JournalEntry.select().count() == entries  # every refusal wrote nothing
    assert Voucher.get(Voucher.code == codes[1]).uses_left == 1
    assert vouchers.view(batch.number).used == 1
    assert [u for u in vouchers.codes(batch.number) if u[1] == 0] == [(codes[0], 0, "active")]
    assert sales.get_sale(sale.number).payments[0].reference == codes[0].lower()


def test_dates_and_shops(people) -> None:
    boss, cashier = people["owner"], people["cashier"]
    today = clock.local_today()
    _b, later = vouchers.issue(boss, "下月券", "promo", "5", 1,
                               valid_from=today + dt.timedelta(days=3))
    _b, old = vouchers.issue(boss, "旧券", "promo", "5", 1,
                             valid_from=today - dt.timedelta(days=30),
                             valid_to=today - dt.timedelta(days=1))
    with pytest.raises(StoreError, match="good from"):
        pay(cashier, 2, ("VOUCHER", "5", later[0]))
    with pytest.raises(StoreError, match="expired"):
        pay(cashier, 2, ("VOUCHER", "5", old[0]))
    from store.shops import branches

    branches.add_shop(boss, "B2", "二店")
    _b, elsewhere = vouchers.issue(boss, "二店券", "promo", "5", 1, shop="b2")
    with pytest.raises(StoreError, match="shop B2 only"):
        pay(cashier, 2, ("VOUCHER", "5", elsewhere[0]))
    with pytest.raises(NotFound):
        pay(cashier, 2, ("VOUCHER", "5", vouchers.new_code()))


def test_gift_vouchers_are_owed_until_used(people) -> None:
    boss, cashier = people["owner"], people["cashier"]
    _batch, codes = vouchers.issue(boss, "购物卡 50 元", "gift", "50", 4, paid_into="1001")
    assert ledger.balance(ledger.CASH) == D("200.00")
    assert -ledger.balance(ledger.DEPOSITS) == D("200.00") == vouchers.owed()
    pay(cashier, 20, ("VOUCHER", "50", codes[0]))  # 70.00: 50 by the voucher
    check_liability()
    pay(cashier, 10, ("VOUCHER", "35", codes[1]))  # 35.00 all by a 50 voucher: 15 forfeited
    assert ledger.balance(ledger.OTHER_INCOME) == D("-15.00")
    check_liability()
    vouchers.void(boss, codes[2], "顾客遗失，已补发")
    assert -ledger.balance(ledger.DEPOSITS) == D("50.00") == vouchers.owed()
    with pytest.raises(StoreError, match="voided"):
        pay(cashier, 20, ("VOUCHER", "50", codes[2]))
    with pytest.raises(StoreError, match="voided"):
        vouchers.void(boss, codes[2], "again")
    check_liability()
    assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0


def test_who_may_and_what_is_refused(people) -> None:
    boss = people["owner"]
    with pytest.raises(PermissionDenied):
        vouchers.issue(people["cashier"], "券", "promo", "5", 1)
    for kwargs, words in (({"kind": "cash"}, "gift or promo"), ({"value": "0"}, "value"),
                          ({"count": 0}, "count"), ({"count": 10_001}, "count"),
                          ({"uses": 0}, "uses"), ({"min_spend": "-1"}, "min_spend"),
                          ({"kind": "gift"}, "paid_into"),
                          ({"paid_into": "1001"}, "given away"),
                          ({"valid_from": "2026-12-31", "valid_to": "2026-12-01"}, "valid_to"),
                          ({"shop": "NOPE"}, "shop"), ({"value": "1e11"}, "value")):
        args: dict[str, Any] = {"name": "券", "kind": "promo", "value": "5", "count": 2,
                                **kwargs}
        with pytest.raises(ValidationError, match=words):
            vouchers.issue(boss, args.pop("name"), args.pop("kind"), args.pop("value"),
                           args.pop("count"), **args)
    assert Voucher.select().count() == 0

def test_a_return_gives_back_the_money_not_the_voucher(people) -> None:
    from store.selling import returns

    boss, cashier = people["owner"], people["cashier"]
    _b, codes = vouchers.issue(boss, "券", "promo", "10", 2)
    sale = pay(cashier, 15, ("VOUCHER", "10", codes[0]))  # 52.50: 10 voucher, 42.50 cash
    receipt = returns.returnable(sale.number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(15))

    def refund(*payments: PaymentInput) -> sales.SaleView:
        return sales.post_sale(b, list(payments), terminal="T1", cashier_id=boss.id)

    with pytest.raises(StoreError, match="not refunded"):  # another voucher: no
        refund(PaymentInput("VOUCHER", D("-10"), codes[1]), PaymentInput("CASH", D("-42.50")))
    back = refund(PaymentInput("VOUCHER", D("-10"), codes[0]),
                  PaymentInput("CASH", D("-42.50")))
    assert back.total == D("-52.50")
    assert ledger.balance(ledger.SELLING) == 0  # the promotion's cost is taken back
    assert Voucher.get(Voucher.code == codes[0]).uses_left == 0  # and the voucher stays used


def _till(url: str, code: str, terminal: str, start: Any, results: Any) -> None:
    from store import bootstrap

    bootstrap.open_store(url)
    cashier = auth.authenticate("cashier", "1357")
    b = Basket()
    b.add(search.lookup_code("COKE"), D(4))
    start.wait(timeout=120)
    try:
        sale = sales.post_sale(b, [PaymentInput("VOUCHER", D("5"), code),
                                   PaymentInput("CASH", b.total - 5)], terminal=terminal,
                               cashier_id=cashier.id)
        results.put((terminal, sale.number, ""))
    except StoreError as err:
        results.put((terminal, "", str(err)))
    except Exception as exc:  # reported to the test, which fails
        results.put((terminal, "", f"{type(exc).__name__}: {exc}"))
    bootstrap.close_store()


def test_two_tills_take_the_same_voucher_at_once(people, db_url) -> None:
    from store.shops import org

    boss = people["owner"]
    _b, codes = vouchers.issue(boss, "券", "promo", "5", 1)
    org.create_terminal("T2", "T2", "STORE")
    sales.open_shift("T2", people["cashier"].id, "0")
    got = two_tills(_till, db_url, codes[0])
    sold = [g for g in got if g[1]]
    refused = [g for g in got if not g[1]]
    assert len(sold) == 1 and len(refused) == 1, got
    assert "used" in refused[0][2], refused
    assert Sale.select().count() == 1 and Voucher.get().uses_left == 0


voucher_step = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(("gift", "promo")), st.integers(1, 30),
              st.integers(1, 3), st.integers(1, 2)),
    st.tuples(st.just("use"), st.integers(0, 50), st.integers(1, 30), st.integers(1, 12)),
    st.tuples(st.just("void"), st.integers(0, 50)),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(voucher_step, min_size=1, max_size=10))
def test_the_voucher_liability_is_the_gift_vouchers_still_to_use(people, ops) -> None:
    """Any run of issues, uses (of any code, at any amount, on any basket) and voids: every
    entry balances, 2203 equals the value of the gift vouchers' uses still to come, and the
    uses ledger holds exactly what the sales took by voucher."""
    from store.models import Payment, TenderType, VoucherUse

    boss, cashier = people["owner"], people["cashier"]
    for op in ops:
        try:
            if op[0] == "issue":
                vouchers.issue(boss, "券", op[1], D(op[2]), op[3], uses=op[4],
                               paid_into="1002" if op[1] == "gift" else "")
            elif op[0] == "use":
                all_codes = [c for (c,) in Voucher.select(Voucher.code).order_by(Voucher.id)
                             .tuples()]
                if all_codes:
                    amount = min(D(op[2]), D("3.50") * op[3])  # never beyond the sale
                    pay(cashier, op[3], ("VOUCHER", str(amount),
                                         all_codes[op[1] % len(all_codes)]))
            else:
                all_codes = [c for (c,) in Voucher.select(Voucher.code).order_by(Voucher.id)
                             .tuples()]
                if all_codes:
                    vouchers.void(boss, all_codes[op[1] % len(all_codes)], "作废")
        except StoreError as exc:  # only the refusals the terms allow
            assert any(w in str(exc) for w in ("used", "voided", "worth", "spend")), exc
        check_liability()
        assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0
        by_voucher = sum((p.amount for p in Payment.select().join(TenderType)
                          .where(TenderType.kind == "voucher")), D(0))
        used = sum((u.amount for u in VoucherUse.select().where(VoucherUse.sale.is_null(False))),
                   D(0))
        assert by_voucher == used


def test_expired_gift_vouchers_are_no_longer_owed(people) -> None:
    from store.jobs import tasks

    boss, cashier = people["owner"], people["cashier"]
    today = clock.local_today()
    _b, old = vouchers.issue(boss, "中秋礼券", "gift", "20", 3, paid_into="1002",
                             valid_from=today - dt.timedelta(days=60),
                             valid_to=today - dt.timedelta(days=1))
    _b, live = vouchers.issue(boss, "新年礼券", "gift", "30", 1, paid_into="1002")
    assert vouchers.owed() == D("90.00")
    from pathlib import Path

    outcome = tasks.TASKS["vouchers"](tasks.Context(boss, "", Path("."), "test"))
    assert outcome.ok and "3" in outcome.message
    assert vouchers.owed() == D("30.00") and ledger.balance(ledger.OTHER_INCOME) == D("-60.00")
    check_liability()
    assert vouchers.expire(boss.id) == (0, D(0))  # once
    with pytest.raises(StoreError, match="expired"):
        pay(cashier, 10, ("VOUCHER", "20", old[0]))
    pay(cashier, 10, ("VOUCHER", "30", live[0]))
    check_liability()


def test_a_percentage_coupon_pays_its_share_at_most_its_value(people) -> None:
    boss, cashier = people["owner"], people["cashier"]
    batch, codes = vouchers.issue(boss, "满30打9折", "promo", "5", 2, percent="10",
                                  min_spend="30")
    assert batch.terms == "10% off (at most ￥5.00) on a spend of ￥30.00"
    with pytest.raises(ValidationError, match="percent"):
        vouchers.issue(boss, "礼券九折", "gift", "5", 1, percent="10", paid_into="1001")
    assert vouchers.check(codes[0], "T1", D("35.00"))[1] == D("3.50")
    assert vouchers.check(codes[0], "T1", D("70.00"))[1] == D("5.00")  # the most
    with pytest.raises(StoreError, match=r"worth ￥3\.50, not ￥4\.00"):
        pay(cashier, 10, ("VOUCHER", "4", codes[0]))  # 35.00: 10 % is 3.50
    pay(cashier, 10, ("VOUCHER", "3.50", codes[0]))
    assert ledger.balance(ledger.SELLING) == D("3.50")
    check_liability()


def test_a_next_visit_coupon_on_the_receipt(people) -> None:
    from tui.receipts import build_receipt

    boss, cashier = people["owner"], people["cashier"]
    batch, codes = vouchers.issue(boss, "下次满50减5", "promo", "5", 0, min_spend="50",
                                  on_receipts="30")
    assert codes == [] and batch.count == 0 and batch.receipt_min == D(30)
    small = pay(cashier, 2)  # 7.00: below 30, no coupon
    assert vouchers.handed_out(small.id) == []
    big = pay(cashier, 10)  # 35.00
    ((code, terms),) = vouchers.handed_out(big.id)
    assert terms.number == batch.number and vouchers.view(batch.number).count == 1
    notes = build_receipt(sales.get_sale(big.number)).notes
    assert notes == ["Next visit: ￥5.00 off on a spend of ￥50.00",
                     f"Code {vouchers.pretty(code)}", f"Good until {batch.valid_to}"]
    with pytest.raises(StoreError, match="needs a spend of"):
        pay(cashier, 10, ("VOUCHER", "5", vouchers.pretty(code)))
    pay(cashier, 15, ("VOUCHER", "5", vouchers.pretty(code)))  # 52.50: the code, typed
    assert Voucher.get(Voucher.code == code).uses_left == 0
    with pytest.raises(ValidationError, match="on_receipts"):
        vouchers.issue(boss, "礼", "gift", "5", 0, on_receipts="30", paid_into="1001")
