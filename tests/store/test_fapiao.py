"""发票 requests (issue 19.4), on both engines: a customer asks for an invoice for one or
more receipts — the buyer's title, a unified social credit code whose check character is
verified, an e-mail sealed like every personal detail — and it covers what the sales took
less what came back; a sale is on one request at most. The requests go out in the tax
platform's bulk-issue layout (two sheets), and the invoice numbers come back from its list:
requested → issued → sent, each step audited, nothing half-written by a bad file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from store.assurance import integrity
from store.catalog import products, search
from store.catalog.products import BarcodeInput, ProductInput
from store.common import clock
from store.core.errors import (
    NotFound,
    PermissionDenied,
    StoreError,
    ValidationError,
)
from store.core.importing import ImportRejected
from store.fapiao import batch, requests
from store.models import AuditEvent, FapiaoRequest
from store.security import auth
from store.selling import returns, sales
from store.selling.basket import Basket
from store.selling.sales import PaymentInput
from store.stock import inventory

D = Decimal
COMPANY = "91110000600037341L"  # a unified social credit code with its check character
OTHER = "91310115MA1H7ABC1A"
DRINKS = "1030201010000000000"  # a tax classification code: 19 digits


@pytest.fixture
def shop_sales(shop):
    products.create_product(ProductInput("COKE", "可口可乐 330ml", "3.50", "13%", cost="2",
                                        category="DRINK",
                                        barcodes=[BarcodeInput("6901234567892")]))
    products.create_category("GRAIN", "粮油", "Grain")
    products.create_product(ProductInput("RICE", "东北大米 5kg", "39.90", "9%", cost="30",
                                        category="GRAIN"))
    inventory.post_opening_stock("COKE", "STORE", "100")
    inventory.post_opening_stock("RICE", "STORE", "20")
    cashier = auth.create_user("ann", "cashier", pin="1234")
    sales.open_shift("T1", cashier.id, "100")
    boss = auth.authenticate("boss", "8888")
    return cashier, boss


def _sell(cashier, *items: tuple[str, str]) -> sales.SaleView:
    b = Basket()
    for code, qty in items:
        b.add(search.lookup_code(code), D(qty))
    return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                           cashier_id=cashier.id)


def test_a_request_covers_what_the_sales_took_less_what_came_back(shop_sales) -> None:
    cashier, boss = shop_sales
    first = _sell(cashier, ("COKE", "10"), ("RICE", "1"))  # 35.00 + 39.90
    second = _sell(cashier, ("COKE", "2"))  # 7.00
    receipt = returns.returnable(first.number)
    back = Basket()
    returns.add_return(back, receipt, receipt.lines[0].line_id, D(4))  # 4 cokes: 14.00
    sales.post_sale(back, [PaymentInput("CASH", D("-14.00"))], terminal="T1",
                    cashier_id=boss.id)
    view = requests.request(cashier, [first.number, second.number, first.number],
                            title=" 北京某某科技有限公司 ", tax_id=COMPANY.lower(),
                            email="ap@example.com")
    assert view.number == "FP-000001" and view.status == "requested"
    assert view.sales == (first.number, second.number) and view.tax_id == COMPANY
    assert view.title == "北京某某科技有限公司" and view.email == "ap@example.com"
    assert view.amount == D("67.90")  # 74.90 + 7.00 − 14.00
    lines = requests.invoice_lines([s.id for s in sales_of(first, second)])
    assert [(ln.sku, ln.qty, ln.amount, ln.rate) for ln in lines] == [
        ("COKE", D(8), D("28.00"), D("0.13")), ("RICE", D(1), D("39.90"), D("0.09"))]
    assert view.tax == sum((ln.tax for ln in lines), D(0)) > 0
    row = FapiaoRequest.get()
    assert "example" not in row.email_enc  # sealed
    event = AuditEvent.select().where(AuditEvent.kind == "fapiao_requested").get()
    assert "example" not in event.payload and COMPANY in event.payload
    with pytest.raises(StoreError, match=f"{first.number} is on 发票 request FP-000001"):
        requests.request(cashier, [first.number], title="张三")
    assert integrity.verify().ok


def sales_of(*views: sales.SaleView) -> list:
    from store.models import Sale

    return list(Sale.select().where(Sale.number.in_([v.number for v in views])))


@pytest.mark.parametrize("field, kwargs, words", [
    ("tax_id", {"tax_id": "91110000600037341X"}, "not a valid unified social credit code"),
    ("tax_id", {"tax_id": "1234"}, "not a valid unified social credit code"),
    ("title", {"title": "  "}, "must not be empty"),
    ("title", {"title": "公司\x1b[2J"}, "control character"),
    ("email", {"email": "not-an-address"}, "not an e-mail address"),
    ("kind", {"kind": "gold"}, "not normal or special"),
    ("tax_id", {"kind": "special", "tax_id": COMPANY}, "special VAT invoice"),
])
def test_bad_input_is_refused_by_field_and_nothing_written(shop_sales, field, kwargs,
                                                           words) -> None:
    cashier, _boss = shop_sales
    sold = _sell(cashier, ("COKE", "1"))
    given = {"title": "某某公司", **kwargs}
    with pytest.raises(ValidationError, match=words) as err:
        requests.request(cashier, [sold.number], **given)
    assert err.value.field == field
    assert FapiaoRequest.select().count() == 0


def test_what_cannot_be_invoiced_is_refused(shop_sales) -> None:
    cashier, boss = shop_sales
    sold = _sell(cashier, ("COKE", "2"))
    with pytest.raises(NotFound, match="T1-999999"):
        requests.request(cashier, ["T1-999999"], title="张三")
    receipt = returns.returnable(sold.number)
    back = Basket()
    returns.add_return(back, receipt, receipt.lines[0].line_id, D(2))
    refund = sales.post_sale(back, [PaymentInput("CASH", D("-7.00"))], terminal="T1",
                             cashier_id=boss.id)
    with pytest.raises(ValidationError, match="is a refund"):
        requests.request(cashier, [refund.number], title="张三")
    with pytest.raises(StoreError, match="Everything on these sales came back"):
        requests.request(cashier, [sold.number], title="张三")
    with pytest.raises(ValidationError, match="name 1 to 50 receipts"):
        requests.request(cashier, [], title="张三")


def test_out_to_the_platform_and_numbers_back(shop_sales, tmp_path) -> None:
    cashier, boss = shop_sales
    a = _sell(cashier, ("COKE", "3"), ("RICE", "1"))
    b = _sell(cashier, ("COKE", "1"))
    first = requests.request(cashier, [a.number], title="北京某某科技有限公司", tax_id=COMPANY)
    second = requests.request(cashier, [b.number], title="李四", email="li@example.com")
    out = tmp_path / "batch.xlsx"
    with pytest.raises(PermissionDenied):
        batch.export(cashier, out)
    with pytest.raises(ValidationError, match="19 digits"):
        requests.set_tax_code(boss, "DRINK", "10302")
    requests.set_tax_code(boss, "DRINK", DRINKS)
    with pytest.raises(ValidationError, match=r"东北大米 5kg \(RICE\) has no tax classification"):
        batch.export(boss, out)  # its category has no code yet: nothing written
    assert not out.exists()
    requests.set_tax_code(boss, "grain", "1010101020000000000")
    assert batch.export(boss, out) == 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["1-发票基本信息", "2-发票明细信息"]
    basic = [[c.value for c in r] for r in book["1-发票基本信息"].iter_rows()]
    assert basic[0][:7] == ["发票流水号", "发票类型", "特定业务类型", "是否含税",
                            "受票方自然人标识", "购买方名称", "购买方纳税人识别号"]
    assert [r[0] for r in basic[1:]] == ["FP-000001", "FP-000002"]
    assert basic[1][1:7] == ["普通发票", None, "是", "否", "北京某某科技有限公司", COMPANY]
    assert basic[2][4:7] == ["是", "李四", None] and basic[2][12] == "li@example.com"
    detail = [[c.value for c in r] for r in book["2-发票明细信息"].iter_rows()][1:]
    assert [(r[0], r[1], r[2], r[5], r[7], r[8]) for r in detail] == [
        ("FP-000001", "可口可乐 330ml", DRINKS, 3, 10.5, 0.13),
        ("FP-000001", "东北大米 5kg", "1010101020000000000", 1, 39.9, 0.09),
        ("FP-000002", "可口可乐 330ml", DRINKS, 1, 3.5, 0.13)]
    with pytest.raises(StoreError, match="exists"):  # never over a file without --force
        batch.export(boss, out)

    back = tmp_path / "issued.csv"  # the platform's list: one good, one wrong, one unknown
    back.write_text("发票流水号,数电票号码,开票日期\n"
                    "FP-000001,24112000000012345678,2026-12-05 10:31:00\n"
                    "FP-000002,12AB,2026-12-05\n"
                    "FP-000099,24112000000012345679,2026-12-05\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        batch.import_issued(back, boss)
    assert [(e.line, e.field) for e in rejected.value.report.errors] == [
        (3, "invoice_number"), (4, "request")]
    assert requests.get(first.number).status == "requested"  # nothing half-written
    back.write_text("发票流水号,数电票号码,开票日期\n"
                    "FP-000001,24112000000012345678,2026年12月05日\n", encoding="utf-8")
    report = batch.import_issued(back, boss)
    assert report.updated == 1
    assert batch.import_issued(back, boss).unchanged == 1  # the same file again
    issued = requests.get(first.number)
    assert (issued.status, issued.invoice_number, issued.issued_on) == (
        "issued", "24112000000012345678", dt.date(2026, 12, 5))
    with pytest.raises(ValidationError, match="on FP-000001 already"):
        requests.issue(boss, second.number, "24112000000012345678")
    with pytest.raises(StoreError, match="is issued"):
        requests.cancel(boss, first.number, "wrong title")
    assert requests.mark_sent(boss, first.number).status == "sent"
    with pytest.raises(StoreError, match="is sent"):
        requests.mark_sent(boss, first.number)
    # Withdrawn before it is issued: its sale may be asked for again, by another title.
    requests.cancel(boss, second.number, "wrong title")
    again = requests.request(cashier, [b.number], title="李四家")
    assert again.number == "FP-000003" and again.sales == (b.number,)
    assert [r.number for r in requests.requests(boss)] == ["FP-000003", "FP-000002",
                                                           "FP-000001"]
    assert [r.number for r in requests.requests(boss, status="cancelled")] == ["FP-000002"]
    with pytest.raises(PermissionDenied):  # buyers' e-mails: not for every cashier
        requests.requests(cashier)
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.kind.startswith("fapiao"))
             .order_by(AuditEvent.id)]
    assert kinds == ["fapiao_requested", "fapiao_requested", "fapiao_exported",
                     "fapiao_issued", "fapiao_sent", "fapiao_cancelled", "fapiao_requested"]
    assert integrity.verify().ok


def test_a_customers_details_are_remembered_for_the_next_one(shop_sales) -> None:
    from store.customers import lookup, parties
    from store.pricing import price_lists

    cashier, _boss = shop_sales
    parties.create_customer("M0001", "王芳", phone="13800138000")
    member = lookup.find("M0001")[0]

    def sell_to(who) -> sales.SaleView:
        b = Basket()
        b.add(search.lookup_code("COKE"), D(2))
        if who is not None:
            b.attach(who, price_lists.rules_for(who.price_list_id))
        return sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1",
                               cashier_id=cashier.id)

    first = sell_to(member)
    assert requests.remembered_buyer(first.number) is None  # never asked before
    requests.request(cashier, [first.number], title="北京某某科技有限公司", tax_id=COMPANY,
                     email="ap@example.com")
    again = sell_to(member)
    known = requests.remembered_buyer(again.number)
    assert known == requests.Buyer("北京某某科技有限公司", COMPANY, "ap@example.com")
    assert requests.remembered_buyer(sell_to(None).number) is None  # nobody on the sale
    assert requests.remembered_buyer("T9-999999") is None


def test_an_invoice_issued_without_a_date_is_of_the_shops_day(shop_sales) -> None:
    """At 04:30 in Beijing it is still the day before in UTC: the invoice is of the shop's
    day (it was dated by UTC's)."""
    cashier, boss = shop_sales
    sale = _sell(cashier, ("COKE", "2"))
    asked = requests.request(cashier, [sale.number], title="张三")
    clock.set_shop_zone("Asia/Shanghai")
    with clock.freeze(dt.datetime(2026, 12, 5, 20, 30)):  # UTC: 04:30 on the 6th in Beijing
        issued = requests.issue(boss, asked.number, "24112000000099999999")
    assert issued.issued_on == dt.date(2026, 12, 6)
