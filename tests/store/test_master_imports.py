"""Bringing a shop's old data in (issue 16.4): opening stock, customers and suppliers from
CSV or XLSX, all or nothing, every bad row named; the opening stock is one balanced entry
against capital; a second run changes nothing; the templates read back as imports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from store.books import ledger
from store.catalog import products, variants
from store.catalog.products import ProductInput
from store.core import i18n
from store.core.errors import PermissionDenied, ValidationError
from store.core.importing import ImportRejected
from store.customers import lookup, parties, party_import
from store.models import AuditEvent, Customer, JournalEntry, StockLevel, StockMove, Supplier
from store.onboarding import templates
from store.security import accounts, audit, auth
from store.stock import costing, inventory
from store.stock.opening_import import import_stock


@pytest.fixture
def boss(shop):
    for sku, unit in (("COKE", "bottle"), ("RICE", "kg"), ("BAG", "pcs")):
        products.create_product(ProductInput(sku, sku.lower(), "5.00", "13%", unit=unit,
                                             cost="2.00", stock_tracked=sku != "BAG"))
    return auth.authenticate("boss", "8888")


def write(tmp_path: Path, text: str, name: str = "f.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


STOCK = ("商家编码,仓库,期初数量,成本价\n"
         "coke,STORE,48,2.10\n"
         "COKE,仓库,120,\n"  # the warehouse by name, the product's cost
         "RICE,WH,12.345,4.8\n")


def test_opening_stock_is_moves_and_one_entry_against_capital(boss, tmp_path) -> None:
    report = import_stock(write(tmp_path, STOCK, encoding="gb18030"), boss)
    assert (report.created, report.errors, report.encoding) == (3, [], "gb18030")
    coke = products.get_product("COKE")
    assert inventory.on_hand(coke.id) == Decimal(168)
    assert {m.reason for m in StockMove.select()} == {"opening"}
    # the empty cost is the product's cost as it is then: the first row's 2.10 average
    value = 168 * Decimal("2.10") + Decimal("12.345") * Decimal("4.8")
    (entry,) = JournalEntry.select().where(JournalEntry.kind == "opening")  # one entry
    assert entry.reference == "OPENING"
    assert ledger.balance(ledger.INVENTORY) == value.quantize(Decimal("0.01"))
    assert ledger.balance(ledger.CAPITAL) == -value.quantize(Decimal("0.01"))
    assert sum(r.balance for r in ledger.trial_balance()) == 0
    assert costing.unit_cost(coke.id) == Decimal("2.10")
    # again: every row already has stock — refused, nothing doubled
    with pytest.raises(ImportRejected) as err:
        import_stock(write(tmp_path, STOCK, name="g.csv"), boss)
    assert {e.line for e in err.value.report.errors} == {2, 3, 4}
    assert "stock count" in err.value.report.errors[0].message
    assert inventory.on_hand(coke.id) == Decimal(168)
    assert JournalEntry.select().where(JournalEntry.kind == "opening").count() == 1
    assert audit.verify_chain()[1] is None


def test_bad_stock_rows_are_named_and_nothing_is_written(boss, tmp_path) -> None:
    bad = ("sku,warehouse,qty,unit_cost\n"
           "NOPE,STORE,1,1\n"  # 2: no product
           "COKE,NOWHERE,1,1\n"  # 3: no warehouse
           "COKE,STORE,1.5,1\n"  # 4: half a bottle
           "COKE,STORE,-3,1\n"  # 5: negative
           "BAG,STORE,10,1\n"  # 6: keeps no stock
           "RICE,STORE,2,1,5\n"  # fine
           "RICE,STORE,1,1\n"  # 8: twice
           "COKE,WH,3,3,00\n")  # 9: fine, the extra cell ignored
    with pytest.raises(ImportRejected) as err:
        import_stock(write(tmp_path, bad), boss)
    found = {(e.line, e.field) for e in err.value.report.errors}
    assert found == {(2, "sku"), (3, "warehouse"), (4, "qty"), (5, "qty"), (6, "sku"),
                     (8, "sku")}
    assert StockMove.select().count() == 0 and JournalEntry.select().count() == 0
    report = import_stock(write(tmp_path, bad, name="g.csv"), boss, skip_bad=True)
    assert (report.created, report.skipped) == (2, 6)
    assert StockLevel.select().count() == 2


def test_dry_run_and_the_warehouse_option(boss, tmp_path) -> None:
    path = write(tmp_path, "sku,qty\nCOKE,10\n")
    with pytest.raises(ValidationError, match="--warehouse"):
        import_stock(path, boss)
    report = import_stock(path, boss, warehouse="wh", dry_run=True)
    assert report.created == 1 and StockMove.select().count() == 0
    assert import_stock(path, boss, warehouse="wh").created == 1
    assert StockMove.get().warehouse.code == "WH"


def test_who_may_import(boss, tmp_path) -> None:
    accounts.add_user(boss, "ann", "cashier", pin="1111")
    ann = auth.authenticate("ann", "1111")
    for run in (lambda p: import_stock(p, ann, warehouse="STORE"),
                lambda p: party_import.import_customers(p, ann),
                lambda p: party_import.import_suppliers(p, ann)):
        with pytest.raises(PermissionDenied):
            run(write(tmp_path, "sku,qty,code,name\nCOKE,1,C1,x\n"))
    assert StockMove.select().count() == 0 and Customer.select().count() == 0


CUSTOMERS = ("会员号,姓名,手机号,邮箱,地址,信用额度\n"
             "M001,王芳,138-0013-8000,wang@example.cn,上海市长宁区,500\n"
             "M002,李雷,13900139000,,,\n")


def test_customers_from_a_member_list(boss, tmp_path) -> None:
    report = party_import.import_customers(write(tmp_path, CUSTOMERS), boss)
    assert report.created == 2
    (found,) = lookup.find("13800138000")
    assert found.code == "M001" and found.name == "王芳"
    wang = Customer.get(Customer.code == "M001")
    assert "13800138000" not in wang.phone_enc and wang.credit_limit == Decimal(500)
    again = party_import.import_customers(write(tmp_path, CUSTOMERS + "M003,韩梅梅,,,,\n",
                                                name="g.csv"), boss)
    assert (again.created, again.unchanged) == (1, 2)
    with pytest.raises(ImportRejected) as err:
        party_import.import_customers(write(tmp_path, "code,name,phone,group\n"
                                            "M009,张三,138abc,\nM010,,,\nM011,李四,,VIP\n",
                                            name="h.csv"), boss)
    assert {(e.line, e.field) for e in err.value.report.errors} == {(2, "phone"),
                                                                     (3, "name"),
                                                                     (4, "group")}
    assert Customer.select().count() == 3


def test_a_long_member_list_is_checked_whole_before_anything_is_written(boss,
                                                                       tmp_path) -> None:
    """1,200 rows, read CHUNK at a time: a bad row and a repeated code in the last chunk
    stop the whole file; a code the shop has in another letter case is left as it is; a
    retired group is refused; --skip-bad writes the rest, sealed like one added by hand."""
    parties.create_customer("m000007", "老会员")
    parties.create_customer_group("OLD", "旧会员")
    shops = []
    for i in range(1200):
        shops.append(f"M{i:06d},会员{i},139{i:08d},,,0")
    shops[1100] = "M001100,会员,139abc,,,0"  # line 1102: a phone with letters
    shops[1150] = "m000003,重复,,,,0"  # line 1152: line 5 again (in lower case)
    text = "会员号,姓名,手机,邮箱,地址,信用额度\n" + "\n".join(shops) + "\n"
    with pytest.raises(ImportRejected) as err:
        party_import.import_customers(write(tmp_path, text), boss)
    assert {(e.line, e.field) for e in err.value.report.errors} == {(1102, "phone"),
                                                                     (1152, "code")}
    assert "line 5" in err.value.report.errors[1].message
    assert Customer.select().count() == 1
    dry = party_import.import_customers(write(tmp_path, text), boss, dry_run=True,
                                        skip_bad=True)
    assert (dry.created, dry.unchanged, dry.skipped) == (1197, 1, 2)
    assert Customer.select().count() == 1
    report = party_import.import_customers(write(tmp_path, text), boss, skip_bad=True)
    assert (report.created, report.unchanged, report.skipped) == (1197, 1, 2)
    assert Customer.get(Customer.code == "m000007").name == "老会员"
    (found,) = lookup.find("13900000999")
    assert found.code == "M000999"
    assert "13900000999" not in Customer.get(Customer.code == "M000999").phone_enc
    parties.create_customer_group("MID", "银卡")
    report = party_import.import_customers(write(tmp_path, "code,name,group\nG1,组员,mid\n",
                                                 name="f.csv"), boss)  # a group in any case
    assert report.created == 1 and Customer.get(Customer.code == "G1").group.code == "MID"
    parties.set_customer_group_active(boss, "OLD", False)
    with pytest.raises(ImportRejected) as err:
        party_import.import_customers(write(tmp_path, "code,name,group\nN1,新,OLD\n",
                                            name="g.csv"), boss)
    assert "deactivated" in err.value.report.errors[0].message
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.kind == "customers_imported")]
    assert len(kinds) == 2  # the refused and dry runs wrote nothing
    assert audit.verify_chain()[1] is None


def test_suppliers_from_a_sheet(boss, tmp_path) -> None:
    text = ("供应商编码,供应商名称,联系人,联系电话,账期,到货天数\n"
            "s001,杭州饮料批发,李经理,0571-88886666,30天,3\n"
            "S002,粮油公司,,,45,\n"
            "S003,坏账期,,,九十,\n")
    with pytest.raises(ImportRejected) as err:
        party_import.import_suppliers(write(tmp_path, text), boss)
    assert [(e.line, e.field) for e in err.value.report.errors] == [(4, "payment_days")]
    report = party_import.import_suppliers(write(tmp_path, text, name="g.csv"), boss,
                                           skip_bad=True)
    assert report.created == 2
    s1 = Supplier.get(Supplier.code == "S001")
    assert (s1.name, s1.payment_days, s1.lead_time_days) == ("杭州饮料批发", 30, 3)
    assert Supplier.get(Supplier.code == "S002").lead_time_days == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_each_template_imports_as_it_is(boss, tmp_path, fmt, lang) -> None:
    """A template filled with nothing but its example row is a valid file for its import."""
    from store.catalog.product_import import import_products

    i18n.set_language(lang)
    products.create_unit("btl2", "瓶装", "bottled")
    for name, run in (("products", lambda p: import_products(p, boss)),
                      ("suppliers", lambda p: party_import.import_suppliers(p, boss)),
                      ("customers", lambda p: party_import.import_customers(p, boss)),
                      ("stock", lambda p: import_stock(p, boss))):
        path = templates.write_template(name, tmp_path / f"{name}.{fmt}", fmt)
        report = run(path)
        made = 2 if name == "products" else 1  # products: a variant of a style too
        assert report.created == made and report.errors == [], (name, report)
    assert products.get_product("COKE330").price == Decimal("3.50")
    assert [v.sku for v in variants.variants_of("TSHIRT")] == ["TSHIRT-M-WHITE"]
