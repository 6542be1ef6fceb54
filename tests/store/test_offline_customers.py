"""An offline till and its customers (issue 18.2), on both engines: a customer is found in the
till's copy as the database finds them (member number, phone by its keyed hash, name) with
their price list; a sale on account goes into the outbox within the limit the copy knows
(what they owed at the refresh, and what this till sold them since), beyond it is refused in
words; goods come back from a receipt in the copy — in cash or to the account, never to a
card — once, not twice; the database judges each again when it posts and keeps for a person
what it would have refused (the same item returned meanwhile at another till)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store.assurance import integrity
from store.books import ledger
from store.common import clock
from store.core import i18n
from store.core.errors import PermissionDenied, StoreError, ValidationError
from store.customers import lookup, parties, receivables
from store.models import AuditEvent, Receivable, Sale, SaleLine, SaleReview, StockLevel
from store.offline import sync
from store.offline.copy_receipts import RETURN_DAYS
from store.offline.till import TillLink
from store.pricing import price_lists
from store.security import approvals, auth
from store.selling import points, returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from tests.store.test_ledger import check_days_equal_the_journal
from tests.store.test_sales import basket_of, till  # noqa: F401  (the fixture)

D = Decimal


@pytest.fixture
def offline(till, tmp_path):  # noqa: F811
    """The shop of test_sales with a trade customer (limit 100, a price list), a walk-in
    member, a supervisor; a till whose copy was refreshed, then cut off."""
    boss = auth.authenticate("boss", "8888")
    parties.create_price_list(boss, "TRADE", "批发价")
    price_lists.set_product_price(boss, "TRADE", "COKE", "3.00")
    price_lists.set_product_price(boss, "TRADE", "COKE", "2.80", min_qty="24")
    price_lists.set_category_discount(boss, "TRADE", "DRINK", "10")
    parties.create_customer("W001", "张记小卖部", credit_limit=D("100"), phone="13800138000",
                            price_list="TRADE")
    parties.create_customer("M002", "李四", phone="139 0013 9000")
    auth.create_user("sue", "supervisor", pin="5678")
    link = TillLink("T1", tmp_path, timeout=0.5, every=3600)
    link.refresh()
    link.online, link.reason = False, "cut off"  # as the link leaves itself when cut off
    yield till, link
    link.stop()


def _sell(link: TillLink, cashier, basket: Basket, *payments: PaymentInput) -> sales.SaleView:
    shift = sales.current_shift("T1")
    assert shift is not None
    return link.sell(basket, list(payments), cashier=cashier, shift_id=shift.id)


def test_a_customer_is_found_in_the_copy_with_their_prices(offline) -> None:
    _cashier, link = offline
    for text in ("W001", "13800138000", "138 0013 8000", "张记", "13900139000", "李"):
        assert link.customers(text) == lookup.find(text), text
    assert link.customers("nobody") == [] and link.customers("  ") == []
    assert link.customers("%") == []  # a wildcard is a character, as online
    who = link.customers("13800138000")[0]
    assert who.phone_hint == "…8000" and who.code == "W001"
    assert link.price_rules(who.price_list_id) == price_lists.rules_for(who.price_list_id)
    b = Basket()
    b.attach(who, link.price_rules(who.price_list_id))
    b.add(link.lookup("COKE", None), D(24))
    assert b.lines[0].unit_price == D("2.80")  # the list's break at 24
    with link.copy._db() as db:  # no phone in the copy: a keyed hash and four digits
        dump = "\n".join(db.iterdump())
    assert "13800138000" not in dump and "0013" not in dump


def test_on_account_within_the_limit_the_copy_knows(offline) -> None:
    cashier, link = offline
    who = link.customers("W001")[0]
    b = basket_of(("6901234567892", "10"))
    b.attach(who, link.price_rules(who.price_list_id))  # 10 × 3.00
    view = _sell(link, cashier, b, PaymentInput("ACCOUNT", D("30.00")))
    assert view.status == "offline" and view.customer_code == "W001"
    b = basket_of(("6901234567892", "20"))
    b.attach(who, link.price_rules(who.price_list_id))  # 60.00: 90 of 100
    _sell(link, cashier, b, PaymentInput("ACCOUNT", D("60.00")))
    b = basket_of(("6901234567892", "4"))  # 12.00 more: 102 > 100
    b.attach(who, link.price_rules(who.price_list_id))
    with pytest.raises(StoreError, match=r"limit ￥100\.00: they owe ￥90\.00, this sale makes ￥102\.00"):
        _sell(link, cashier, b, PaymentInput("ACCOUNT", D("12.00")))
    _sell(link, cashier, b, PaymentInput("ACCOUNT", D("10.00")), PaymentInput("CASH", D("2")))
    walk_in = basket_of(("6901234567892", "1"))
    with pytest.raises(ValidationError, match="attach the customer"):
        _sell(link, cashier, walk_in, PaymentInput("ACCOUNT", D("3.50")))
    assert link.state().waiting == 3
    result = sync.drain(link.outbox)
    assert len(result.posted) == 3 and not result.held
    w001 = Receivable.get().customer_id
    assert receivables.balance(w001) == D("100.00") == ledger.balance(ledger.AR)
    assert SaleReview.select().count() == 0
    # Posted and refreshed: the copy knows they owe 100 and refuses a cent more.
    link.refresh()
    assert link.copy.credit(w001) == (D("100"), D("100.00"))
    b = basket_of(("6901234567892", "1"))
    b.attach(who, link.price_rules(who.price_list_id))
    with pytest.raises(StoreError, match=r"they owe ￥100\.00"):
        _sell(link, cashier, b, PaymentInput("ACCOUNT", D("3.00")))
    check_days_equal_the_journal()
    assert integrity.verify().ok


def test_on_account_beyond_the_limit_made_elsewhere_is_posted_and_flagged(offline) -> None:
    cashier, link = offline
    who = link.customers("W001")[0]
    b = basket_of(("6901234567892", "20"))
    b.attach(who, link.price_rules(who.price_list_id))
    _sell(link, cashier, b, PaymentInput("ACCOUNT", D("60.00")))
    # Meanwhile another till, online, sold them 60 on account with a supervisor's approval.
    there = basket_of(("6901234567892", "20"))
    there.attach(lookup.find("W001")[0], price_lists.rules_for(who.price_list_id))
    grant = approvals.grant("credit_limit", username="sue", secret="5678",
                            requested_by=cashier, reason="regular")
    there.approvals["credit_limit"] = grant.id
    sales.post_sale(there, [PaymentInput("ACCOUNT", D("60.00"))], terminal="T1",
                    cashier_id=cashier.id)
    result = sync.drain(link.outbox)  # 120 > 100: the goods left; posted, for a person
    assert len(result.posted) == 1 and not result.held
    flagged = {(r.kind, r.detail) for r in SaleReview.select()}  # (and renumbered: the
    assert ("credit", "W001 60.00") in flagged  # other sale took its number on this one till)
    assert receivables.balance(Receivable.get().customer_id) == D("120.00")
    assert integrity.verify().ok


def _sold(cashier, *payments: PaymentInput, customer: str | None = None,
          qty: str = "4") -> sales.SaleView:
    b = basket_of(("6901234567892", qty), ("APPLE", "1.000"))  # 4 × 3.50 + 12.80
    if customer:
        b.customer = lookup.find(customer)[0]
    return sales.post_sale(b, list(payments), terminal="T1", cashier_id=cashier.id)


def _back(link: TillLink, number: str, qty: str, line: int = 0) -> Basket:
    receipt = link.returnable(number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[line].line_id, D(qty),
                       product=link.product(receipt.lines[line].product_id))
    return b


def test_goods_come_back_from_a_receipt_in_the_copy(offline) -> None:
    cashier, link = offline
    link.online = True
    cash = _sold(cashier, PaymentInput("CASH", D("50")))
    card = _sold(cashier, PaymentInput("CARD", D("26.80"), "1234"))
    link.refresh()
    link.online = False
    assert link.returnable(cash.number) == returns.returnable(cash.number)
    coke = StockLevel.get(StockLevel.product == SaleLine.get().product_id).on_hand
    # A cashier may not refund (issue 14.7): the copy's rules say so, as the database's do.
    b = _back(link, cash.number, "2")
    with pytest.raises(PermissionDenied) as denied:
        _sell(link, cashier, b, PaymentInput("CASH", D("-7.00")))
    assert denied.value.permission == "refund"
    key = link.grant_offline("refund", username="sue", secret="5678", requested_by=cashier,
                             reason="flat")
    b.approvals["refund"] = key
    view = _sell(link, cashier, b, PaymentInput("CASH", D("-7.00")))
    assert view.status == "offline" and view.total == D("-7.00") and view.is_return
    assert view.original == cash.number
    # Counted at once in the copy: two more of the four, not three.
    left = link.returnable(cash.number).lines[0]
    assert (left.returned_qty, left.refunded, left.tax_back) == (D(2), D("7.00"), -view.tax)
    first_tax = view.tax  # its share of the line's tax, as the database gives it
    with pytest.raises(ValidationError, match="more than the 2"):
        _back(link, cash.number, "3")
    # A card payment does not go back to the card offline: cash, approved for it.
    sue = auth.authenticate("sue", "5678")
    b = _back(link, card.number, "1", line=1)
    with pytest.raises(StoreError, match="银行卡 waits for the database"):
        _sell(link, sue, b, PaymentInput("CARD", D("-12.80"), "1234"))
    with pytest.raises(PermissionDenied):  # a card sale back in cash: refund_to_cash
        _sell(link, cashier, b, PaymentInput("CASH", D("-12.80")))
    assert link.outbox.events_waiting()[-1][1] == "permission_denied"
    view = _sell(link, sue, b, PaymentInput("CASH", D("-12.80")))
    with pytest.raises(StoreError, match="is not in this till's copy"):
        link.returnable("T1-000099")
    result = sync.drain(link.outbox)
    assert len(result.posted) == 2 and not result.held, result
    back = sales.get_sale(result.posted[0])
    assert back.original == cash.number and back.total == D("-7.00")
    assert back.tax == first_tax and returns.returnable(cash.number).lines[0].tax_back == (
        -first_tax)
    assert StockLevel.get(StockLevel.product == SaleLine.get().product_id).on_hand == coke + 2
    assert returns.returnable(cash.number).lines[0].returned_qty == D(2)
    assert SaleReview.select().count() == 0  # each judged again: nothing to look at
    denials = AuditEvent.select().where(AuditEvent.kind == "permission_denied")
    assert {e.terminal for e in denials} == {"T1"} and denials.count() == 2
    check_days_equal_the_journal()
    assert integrity.verify().ok


def test_a_sale_made_online_at_this_till_comes_back_offline_before_a_refresh(
        offline) -> None:
    cashier, link = offline
    link.online = True
    sue = auth.authenticate("sue", "5678")
    sold = _sell(link, cashier, basket_of(("6901234567892", "4"), ("APPLE", "1.000")),
                 PaymentInput("CARD", D("10.00"), "1234"), PaymentInput("CASH", D("20")))
    assert link.copy.receipt(sold.number) == returns.returnable(sold.number)  # change: 3.20
    back = _back(link, sold.number, "1", line=1)  # online, through the till's link
    _sell(link, sue, back, PaymentInput("CASH", D("-12.80")))
    assert link.copy.receipt(sold.number) == returns.returnable(sold.number)
    link.online = False  # the network goes before the next refresh
    again = _back(link, sold.number, "4")
    view = _sell(link, sue, again, PaymentInput("CASH", D("-14.00")))
    assert view.status == "offline"
    with pytest.raises(ValidationError, match="more than the 0"):
        _back(link, sold.number, "1", line=1)
    assert len(sync.drain(link.outbox).posted) == 1
    assert [ln.remaining for ln in returns.returnable(sold.number).lines] == [0, 0]
    assert SaleReview.select().count() == 0
    assert integrity.verify().ok


def test_an_item_returned_twice_at_two_tills_is_posted_and_flagged(offline) -> None:
    cashier, link = offline
    link.online = True
    sold = _sold(cashier, PaymentInput("CASH", D("50")))
    link.refresh()
    link.online = False
    sue = auth.authenticate("sue", "5678")
    offline_back = _back(link, sold.number, "3")
    _sell(link, sue, offline_back, PaymentInput("CASH", D("-10.50")))
    there = Basket()  # meanwhile at another till, online: three of the same four
    receipt = returns.returnable(sold.number)
    returns.add_return(there, receipt, receipt.lines[0].line_id, D(3))
    sales.post_sale(there, [PaymentInput("CASH", D("-10.50"))], terminal="T1",
                    cashier_id=sue.id)
    result = sync.drain(link.outbox)  # the money went back at both: posted, for a person
    assert len(result.posted) == 1 and not result.held
    flagged = {(r.kind, r.detail) for r in SaleReview.select()}
    assert ("returned", "COKE 3>1") in flagged
    assert returns.returnable(sold.number).lines[0].returned_qty == D(6)
    assert integrity.verify().ok


def test_the_copy_holds_a_month_of_the_shops_receipts(offline) -> None:
    cashier, link = offline
    link.online = True
    old_day = clock.local_today() - dt.timedelta(days=RETURN_DAYS + 1)
    with clock.at(clock.local_moment(old_day, dt.time(11))):
        old = _sold(cashier, PaymentInput("CASH", D("50")))
    recent = _sold(cashier, PaymentInput("CASH", D("50")))
    full = link.copy.refresh(full=True)
    assert full.receipts == 1 and full.customers == 2
    link.online = False
    with pytest.raises(StoreError, match=f"last {RETURN_DAYS} days"):
        link.returnable(old.number)
    # Returned online since: the next (incremental) refresh knows it.
    sue = auth.authenticate("sue", "5678")
    there = Basket()
    receipt = returns.returnable(recent.number)
    returns.add_return(there, receipt, receipt.lines[1].line_id, D(1))
    sales.post_sale(there, [PaymentInput("CASH", D("-12.80"))], terminal="T1",
                    cashier_id=sue.id)
    again = link.copy.refresh()
    assert not again.full and again.receipts == 1  # the sale returned from (a return itself
    # has nothing to return)    assert link.copy.receipt(recent.number) == returns.returnable(recent.number)
    assert Sale.select().count() == 3


def test_a_voucher_waits_for_the_database(offline) -> None:
    """Used once whichever till takes it first: only the database can say it is still good."""
    from store.selling import vouchers

    cashier, link = offline
    _batch, codes = vouchers.issue(auth.authenticate("boss", "8888"), "券", "promo", "1", 1)
    with pytest.raises(StoreError, match="voucher needs the database"):
        _sell(link, cashier, basket_of(("6901234567892", "1")),
              PaymentInput("VOUCHER", D("1"), codes[0]), PaymentInput("CASH", D("2.50")))
    assert link.state().waiting == 0


def test_a_member_has_their_points_and_tier_offline_and_earns_when_posted(offline) -> None:
    cashier, link = offline
    boss = auth.authenticate("boss", "8888")
    points.set_rule(boss, "1")
    points.set_tier(boss, "SILVER", "银卡", "0", name_en="Silver")
    points.adjust(boss, "M002", 120, reason="welcome")
    link.refresh()  # (as the link's round does while the database answers)
    for language, tier in (("zh_CN", "银卡"), ("en", "Silver")):
        i18n.set_language(language)
        who = link.customers("13900139000")[0]
        assert (who.points, who.tier) == (120, tier) and [who] == lookup.find("M002")
    b = basket_of(("6901234567892", "10"))  # 35.00 by this member, offline
    b.attach(who, link.price_rules(who.price_list_id))
    _sell(link, cashier, b, PaymentInput("CASH", b.total))
    assert points.member("M002").points == 120  # the database has not had the sale yet
    with pytest.raises(StoreError, match="points need the database"):
        _sell(link, cashier, basket_of(("6901234567892", "1")),
              PaymentInput("POINTS", D("3.50")))
    assert sync.drain(link.outbox).posted
    assert points.member("M002").points == 120 + 35  # earned as it posted
