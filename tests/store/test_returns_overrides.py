"""Discounts, price overrides with supervisor approval, returns and exchanges, cash rounding,
counted denominations, and the audit chain over all of them — on both engines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from peewee import fn

from store.assurance import integrity
from store.books import ledger
from store.catalog import products
from store.catalog.products import ProductInput
from store.core.db import database
from store.core.errors import AuthError, NotFound, PermissionDenied, ValidationError
from store.models import Approval, AuditEvent, Sale, SaleLine, StockLevel, Warehouse
from store.security import approvals, audit, auth, permissions
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.shops import org
from tests.store.test_sales import basket_of, till  # noqa: F401  (the fixture)

D = Decimal


@pytest.fixture
def boss(till):  # noqa: F811
    return auth.create_user("sue", "supervisor", pin="5678")


@pytest.fixture(autouse=True)
def cashiers_refund(request):
    """The returns here are about their arithmetic: the shop lets cashiers refund. By default
    a refund takes a supervisor (test_a_cashiers_refund_takes_a_supervisor)."""
    name = request.node.name  # (the tampering test counts on the audit chain's first events)
    if "till" in request.fixturenames and not any(
            word in name for word in ("takes_a_supervisor", "tampering")):
        request.getfixturevalue("till")
        owner = auth.create_user("own", "owner", pin="9999")
        permissions.set_permission(owner, "cashier", "refund", True)


def cash(amount: str) -> list[PaymentInput]:
    return [PaymentInput("CASH", D(amount))]


def sell(basket: Basket, payments: list[PaymentInput], cashier) -> sales.SaleView:
    return sales.post_sale(basket, payments, terminal="T1", cashier_id=cashier.id)


def test_a_discount_within_the_cashiers_limit_needs_no_one(till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "10"))  # 35.00
    b.discount_line(0, percent=D(10), reason="dented")
    view = sell(b, cash("31.50"), till)
    assert view.total == D("31.50")
    assert view.lines[0].discount == D("3.50") and view.lines[0].note == "dented"
    assert view.lines[0].list_price == D("3.50")


def test_the_limit_allows_what_its_percentage_rounds_to(till) -> None:  # noqa: F811
    b = basket_of(("APPLE", "0.100"))  # 1.28: 10% off is 0.128, given as 0.13 (10.2%)
    b.discount_line(0, percent=D(10), reason="bruised")
    assert sell(b, cash("1.15"), till).total == D("1.15")
    b = basket_of(("APPLE", "0.100"))
    b.discount_line(0, amount=D("0.14"), reason="bruised")  # 10.9%: beyond the limit
    with pytest.raises(PermissionDenied):
        sell(b, cash("1.14"), till)


def test_beyond_the_limit_is_refused_and_the_refusal_is_recorded(till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "10"))
    b.discount_line(0, percent=D(20), reason="friend")
    with pytest.raises(PermissionDenied) as err:
        sell(b, cash("28.00"), till)
    assert err.value.permission == "discount"
    assert Sale.select().count() == 0  # nothing half-written ...
    denied = audit.events(kind="permission_denied")
    assert [e.data["permission"] for e in denied] == ["discount"]  # ... but the refusal kept
    assert denied[0].user_id == till.id


def test_a_supervisor_approves_one_action_once(till, boss) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "10"))
    g = approvals.grant("discount", username="sue", secret="5678", requested_by=till,
                        reason="loyal customer", detail={"before": "35.00", "after": "28.00"},
                        discount_pct=D(20), terminal="T1")
    assert g.approver.username == "sue"
    b.discount_line(0, percent=D(20), reason="loyal customer", approval_id=g.id)
    view = sell(b, cash("28.00"), till)
    row = Approval.get_by_id(g.id)
    assert row.used_ref == view.number and row.used_at is not None
    assert view.lines[0].approval_id == g.id
    # The same approval cannot be spent on a second sale.
    b2 = basket_of(("6901234567892", "10"))
    b2.discount_line(0, percent=D(20), reason="again", approval_id=g.id)
    with pytest.raises(AuthError, match="already used"):
        sell(b2, cash("28.00"), till)
    kinds = [e.kind for e in audit.events()]
    assert "approval" in kinds and "sale" in kinds


def test_an_approval_needs_the_right_pin_and_enough_authority(till, boss) -> None:  # noqa: F811
    with pytest.raises(AuthError):
        approvals.grant("discount", username="sue", secret="0000", requested_by=till,
                        reason="x")
    assert audit.events(kind="login_failed")[0].data == {"username": "sue"}
    with pytest.raises(AuthError, match="at most 50"):
        approvals.grant("discount", username="sue", secret="5678", requested_by=till,
                        reason="x", discount_pct=D(60))
    with pytest.raises(PermissionDenied):  # a cashier cannot approve
        approvals.grant("no_sale", username="ann", secret="1234", requested_by=till,
                        reason="x")
    with pytest.raises(ValidationError, match="reason"):
        approvals.grant("discount", username="sue", secret="5678", requested_by=till,
                        reason=" ")


def test_a_price_override_needs_permission_and_below_cost_more(till, boss) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "2"))
    b.override_price(0, D("3.00"), reason="price match")
    with pytest.raises(PermissionDenied) as err:
        sell(b, cash("6.00"), till)
    assert err.value.permission == "price_override"
    g = approvals.grant("price_override", username="sue", secret="5678", requested_by=till,
                        reason="price match")
    b.override_price(0, D("3.00"), reason="price match", approval_id=g.id)
    view = sell(b, cash("6.00"), till)
    assert (view.lines[0].unit_price, view.lines[0].list_price) == (D("3.00"), D("3.50"))
    # Below the cost of 2.10, the owner's matrix decides: take it from supervisors.
    owner = auth.create_user("olga", "owner", pin="9999")
    permissions.set_permission(owner, "supervisor", "price_below_cost", False)
    from store.selling import overrides
    assert overrides.price_needs(boss, b.lines[0].product.id, D("2.00")) == "price_below_cost"
    b2 = basket_of(("6901234567892", "1"))
    g2 = approvals.grant("price_override", username="sue", secret="5678", requested_by=till,
                         reason="clearance")
    b2.override_price(0, D("2.00"), reason="clearance", approval_id=g2.id)
    with pytest.raises(AuthError, match="does not cover"):
        sell(b2, cash("2.00"), till)


def test_a_sale_discount_is_spread_to_the_cent(till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "3"), ("APPLE", "0.835"))  # 10.50 + 10.69
    b.discount_sale(amount=D("1.00"), reason="round down")
    assert sum((ln.discount for ln in b.lines), D(0)) == D("1.00")
    assert b.total == D("20.19")
    view = sell(b, cash("20.19"), till)
    assert sum((ln.amount for ln in view.lines), D(0)) == view.total == D("20.19")


def test_return_part_then_the_rest_refunds_exactly_what_was_paid(till) -> None:  # noqa: F811
    b = basket_of(("6901234567892", "3"))
    b.discount_line(0, amount=D("0.50"), reason="dented")  # 10.00 for 3
    sale = sell(b, cash("10.00"), till)
    receipt = returns.returnable(sale.number)
    line = receipt.lines[0]
    r1 = Basket()
    returns.add_return(r1, receipt, line.line_id, D(1))
    assert r1.total == D("-3.33")
    back1 = sell(r1, cash("-3.33"), till)
    assert back1.original == sale.number and back1.is_return
    receipt = returns.returnable(sale.number)
    assert receipt.lines[0].remaining == D(2) and receipt.lines[0].refunded == D("3.33")
    r2 = Basket()
    returns.add_return(r2, receipt, line.line_id, D(2), restock=False)
    assert r2.total == D("-6.67")  # 10.00 − 3.33: the last units take what is left
    sell(r2, cash("-6.67"), till)
    # Stock: 100 − 3 + 1 back on the shelf; 2 in the damaged warehouse.
    coke = b.lines[0].product.id
    store_wh = Warehouse.get(Warehouse.code == "STORE")
    damaged = Warehouse.get(Warehouse.code == sales.DAMAGED)
    levels = {lv.warehouse_id: lv.on_hand for lv in StockLevel.select().where(
        StockLevel.product == coke)}
    assert levels[store_wh.id] == D(98) and levels[damaged.id] == D(2)
    # Nothing more to return.
    with pytest.raises(ValidationError, match="more than the 0"):
        returns.add_return(Basket(), returns.returnable(sale.number), line.line_id, D(1))
    # The ledger balances and the shift's cash nets out.
    assert sum((r.debit - r.credit for r in ledger.trial_balance()), D(0)) == 0
    x = sales.shift_totals(sales.current_shift("T1").id)
    assert x.total == D(0) and x.returns == 2 and x.returns_total == D("-10.00")
    assert x.expected_cash == D("200.00")


def test_a_line_returned_in_parts_gives_back_exactly_the_tax_it_charged(till) -> None:  # noqa: F811
    """3 × 1.00 at 13 % charged 0.35 of VAT; one at a time each return's own 0.115 would
    round to 0.12 three times (0.36): the parts take their shares, the last the rest."""
    products.create_product(ProductInput("GUM", "口香糖", "1.00", "13%"))
    products.create_product(ProductInput("MINT", "薄荷糖", "1.00", "13%"))
    b = basket_of(("GUM", "3"), ("MINT", "2"))
    sale = sell(b, cash("5.00"), till)
    assert [ln.tax for ln in sale.lines] == [D("0.35"), D("0.23")]
    vat = ledger.balance(ledger.VAT)
    taxes = []
    for qty in ("1", "1", "1"):
        r = Basket()
        receipt = returns.returnable(sale.number)
        returns.add_return(r, receipt, receipt.lines[0].line_id, D(qty))
        taxes.append(r.tax)
        back = sell(r, cash(f"{r.total}"), till)
        assert back.tax == r.tax  # the receipt says what the books took
    assert taxes == [D("-0.12"), D("-0.12"), D("-0.11")] and sum(taxes) == -D("0.35")
    # Both of the other in one basket, a line each: 0.12, then the rest: 0.11.
    r = Basket()
    receipt = returns.returnable(sale.number)
    returns.add_return(r, receipt, receipt.lines[1].line_id, D(1))
    returns.add_return(r, receipt, receipt.lines[1].line_id, D(1))
    assert [r.tax_of(ln) for ln in r.lines] == [D("-0.12"), D("-0.11")]
    sell(r, cash(f"{r.total}"), till)
    assert ledger.balance(ledger.VAT) - vat == D("0.58")  # all of it back, to the cent
    assert Sale.select(fn.SUM(Sale.tax)).scalar() in (0, D(0))


def test_a_return_can_never_exceed_what_was_sold(till) -> None:  # noqa: F811
    sale = sell(basket_of(("6901234567892", "2")), cash("7.00"), till)
    receipt = returns.returnable(sale.number)
    r = Basket()
    returns.add_return(r, receipt, receipt.lines[0].line_id, D(2))
    # Another till returns one meanwhile: the first basket's commit is refused, not doubled.
    other = Basket()
    returns.add_return(other, receipt, receipt.lines[0].line_id, D(1))
    sell(other, cash("-3.50"), till)
    with pytest.raises(ValidationError, match="more than the 1"):
        sell(r, cash("-7.00"), till)
    with pytest.raises(ValidationError, match="more than the 2"):
        returns.add_return(Basket(), receipt, receipt.lines[0].line_id, D(3))
    with pytest.raises(NotFound):
        returns.returnable("T1-999999")


def test_refunds_go_back_to_the_tender_or_to_cash_with_permission(till, boss) -> None:  # noqa: F811
    sale = sell(basket_of(("6901234567892", "2")), [PaymentInput("WECHAT", D("7.00"), "42")],
                till)
    receipt = returns.returnable(sale.number)
    r = Basket()
    returns.add_return(r, receipt, receipt.lines[0].line_id, D(2))
    with pytest.raises(ValidationError, match=r"at most ￥0\.00"):
        sell(r, [PaymentInput("ALIPAY", D("-7.00"), "9")], till)
    with pytest.raises(PermissionDenied) as err:
        sell(r, cash("-7.00"), till)
    assert err.value.permission == "refund_to_cash"
    g = approvals.grant("refund_to_cash", username="sue", secret="5678", requested_by=till,
                        reason="phone dead")
    r.approvals["refund_to_cash"] = g.id
    view = sell(r, cash("-7.00"), till)
    assert view.total == D("-7.00") and view.payments[0].amount == D("-7.00")


def test_an_exchange_is_a_return_and_a_sale_in_one_ticket(till) -> None:  # noqa: F811
    sale = sell(basket_of(("6901234567892", "2")), cash("10.00"), till)
    receipt = returns.returnable(sale.number)
    ex = basket_of(("APPLE", "1.000"))  # 12.80
    returns.add_return(ex, receipt, receipt.lines[0].line_id, D(2))  # −7.00
    assert ex.total == D("5.80")
    view = sell(ex, cash("10.00"), till)
    assert view.change == D("4.20") and view.is_return
    assert sorted(ln.qty for ln in view.lines) == [D(-2), D(1)]


def test_cash_rounding_to_ten_fen(till) -> None:  # noqa: F811
    org.set_company("Shop", cash_rounding=D("0.10"))
    b = basket_of(("APPLE", "0.835"))  # 10.69
    assert sales.cash_due(b.total, D(0)) == (D("10.70"), D("0.01"))
    view = sell(b, cash("20.00"), till)
    assert (view.total, view.rounding, view.change) == (D("10.70"), D("0.01"), D("9.30"))
    assert sum((ln.amount for ln in view.lines), D(0)) + view.rounding == view.total
    # Card pays to the cent: no rounding.
    card = sell(basket_of(("APPLE", "0.835")), [PaymentInput("CARD", D("10.69"), "1234")], till)
    assert card.rounding == 0 and card.total == D("10.69")
    rows = {r.code: r for r in ledger.trial_balance()}
    assert rows[ledger.CASH_ROUNDING].credit - rows[ledger.CASH_ROUNDING].debit == D("0.01")


def test_floats_and_counts_by_denomination(till) -> None:  # noqa: F811
    sales.close_shift("T1", till, "200.00")
    with pytest.raises(ValidationError, match="denomination"):
        sales.open_shift("T1", till.id, counts={"3": 1})
    with pytest.raises(ValidationError, match="is not the"):
        sales.open_shift("T1", till.id, "10.00", counts={"5": 1})
    shift = sales.open_shift("T1", till.id, counts={"100": 1, "50": 1, "10": 4, "0.5": 20})
    assert shift.opening_float == D("200.00")
    sell(basket_of(("6901234567892", "2")), cash("7.00"), till)
    z = sales.close_shift("T1", till, counts={"100": 2, "5": 1, "1": 2})
    assert z.counted_cash == D("207.00") and z.over_short == 0
    assert [s.z_number for s in sales.list_shifts(terminal="T1")] == [2, 1]
    assert z.grand_total == D("7.00")


def test_audit_verify_passes_then_catches_each_kind_of_tampering(till) -> None:  # noqa: F811
    for _i in range(3):
        sell(basket_of(("6901234567892", "1")), cash("5.00"), till)
    sales.close_shift("T1", till, "210.50")
    report = integrity.verify()
    assert report.ok, report.problems
    assert report.sales == 3 and report.z_reports == 1 and report.events >= 5
    db = database.obj

    def broken_after(sql: str, params: tuple = ()) -> tuple[str, ...]:
        with db.atomic() as tx:
            db.execute_sql(sql.replace("?", "%s") if db.param == "%s" else sql, params)
            problems = integrity.verify().problems
            tx.rollback()
        return problems

    line = SaleLine.select().order_by(SaleLine.id).first()
    assert any("T1-000001 differs" in p for p in broken_after(
        'UPDATE sale_line SET amount = amount - 1 WHERE id = ?', (line.id,)))
    second = (AuditEvent.select().where(AuditEvent.kind == "sale")  # its payload names T1
              .order_by(AuditEvent.seq).first())
    assert any("was changed" in p for p in broken_after(
        "UPDATE audit_event SET payload = REPLACE(payload, 'T1', 'T9') WHERE id = ?",
        (second.id,)))
    assert any("missing" in p for p in broken_after(
        "DELETE FROM audit_event WHERE id = ?", (second.id,)))
    last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert any("cut off" in p for p in broken_after(
        "DELETE FROM audit_event WHERE id = ?", (last.id,)))
    assert any("Z report" in p for p in broken_after(
        "UPDATE shift SET grand_total = grand_total + 100"))
    assert integrity.verify().ok  # every change above was rolled back


def test_a_day_keeps_every_invariant(till, boss) -> None:  # noqa: F811
    """Sell (discounted, overridden, split, rounded), return, exchange, close: then stock =
    Σ moves, the ledger balances, every sale's lines + rounding = total = payments − change,
    and the audit chain verifies."""
    from peewee import fn

    from store.core.fields import from_scaled
    from store.models import StockLevel, StockMove

    org.set_company("Shop", cash_rounding=D("0.10"))
    a = basket_of(("6901234567892", "5"), ("APPLE", "0.835"))
    a.discount_sale(percent=D(5), reason="opening week")
    s1 = sell(a, [PaymentInput("WECHAT", D("10.00"), "77"), PaymentInput("CASH", D("50"))], till)
    g = approvals.grant("price_override", username="sue", secret="5678", requested_by=till,
                        reason="match")
    b = basket_of(("16901234567899", None))
    b.override_price(0, D("3.00"), reason="match", approval_id=g.id)
    sell(b, cash("40"), till)
    receipt = returns.returnable(s1.number)
    r = basket_of(("APPLE", "0.500"))
    returns.add_return(r, receipt, receipt.lines[0].line_id, D(2))
    returns.add_return(r, receipt, receipt.lines[1].line_id, D("0.835"), restock=False)
    assert r.total < D("-10")
    cash_back, _rounding = sales.cash_due(r.total, D("-10.00"))  # WeChat takes back its 10
    back = sell(r, [PaymentInput("WECHAT", D("-10.00"), "77"), PaymentInput("CASH", cash_back)],
                till)
    assert back.rounding == _rounding
    sales.close_shift("T1", till, "9999.00")
    for level in StockLevel.select():
        moved = (StockMove.select(fn.SUM(StockMove.qty))
                 .where((StockMove.product == level.product_id)
                        & (StockMove.warehouse == level.warehouse_id)).scalar())
        assert level.on_hand == from_scaled(StockMove.qty, moved)
    assert sum((row.debit - row.credit for row in ledger.trial_balance()), D(0)) == 0
    for view in sales.list_sales():
        assert sum((ln.amount for ln in view.lines), D(0)) + view.rounding == view.total
        assert sum((p.amount for p in view.payments), D(0)) - view.change == view.total
    assert integrity.verify().ok


def test_two_tills_returning_the_same_item_at_once_return_it_once(till, engine) -> None:  # noqa: F811
    """Both tills read the receipt, then commit together: the original's lines are locked
    (PostgreSQL) or the writers queue (SQLite), so exactly one return commits."""
    import threading

    sale = sell(basket_of(("6901234567892", "2")), cash("7.00"), till)
    org.create_terminal("T2", "2号收银台", "STORE")  # its own number series: no shared lock
    sales.open_shift("T2", till.id, "0")
    receipt = returns.returnable(sale.number)
    baskets = []
    for _i in range(2):
        r = Basket()
        returns.add_return(r, receipt, receipt.lines[0].line_id, D(2))
        baskets.append(r)
    barrier = threading.Barrier(2, timeout=10)
    results: list[str] = []

    def till_thread(basket: Basket, terminal: str) -> None:
        try:
            barrier.wait()
            sales.post_sale(basket, cash("-7.00"), terminal=terminal, cashier_id=till.id)
            results.append("ok")
        except ValidationError as err:
            results.append(f"refused: {err}")
        finally:
            database.obj.close()  # this thread's connection

    threads = [threading.Thread(target=till_thread, args=(b, t))
               for b, t in zip(baskets, ("T1", "T2"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not [t for t in threads if t.is_alive()]  # both tills answered
    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    assert returns.returnable(sale.number).lines[0].remaining == 0
    assert Sale.select().where(Sale.original.is_null(False)).count() == 1


def test_a_cashiers_refund_takes_a_supervisor(till, boss) -> None:  # noqa: F811
    """Issue 14.7: refunds follow the permission matrix, and by default a cashier's needs a
    supervisor's approval, spent once, on this refund."""
    sold = sell(basket_of(("6901234567892", "2")), cash("7.00"), till)
    receipt = returns.returnable(sold.number)
    b = Basket()
    returns.add_return(b, receipt, receipt.lines[0].line_id, D(1))
    with pytest.raises(PermissionDenied) as err:
        sell(b, cash("-3.50"), till)
    assert err.value.permission == "refund" and Sale.select().count() == 1
    b.approvals["refund"] = approvals.grant("refund", username="sue", secret="5678",
                                            requested_by=till, reason="wrong flavour",
                                            terminal="T1").id
    refund = sell(b, cash("-3.50"), till)
    assert refund.total == D("-3.50")
    assert Approval.get(Approval.used_ref == refund.number).permission == "refund"
    assert "refund" not in permissions.policy().matrix["cashier"]
    assert "refund" in permissions.policy().matrix["supervisor"]
