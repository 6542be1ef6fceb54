"""Fuzz (issue 16, "Bad input"): hypothesis feeds every importer — customers, suppliers,
opening stock, opening balances — and every master-data editor malformed input: wrong types,
control characters, huge fields, formulas, powers of ten, mixed encodings, duplicates, unknown
references. Each either works or refuses with a StoreError naming what is wrong; nothing
raises anything else, and a refused import writes nothing at all."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from store.catalog import master, products
from store.catalog.products import ProductInput
from store.core.errors import StoreError, ValidationError
from store.core.importing import ImportRejected, ImportReport
from store.customers import parties, party_import
from store.models import AuditEvent, Customer, JournalEntry, Receivable, StockMove, Supplier
from store.onboarding import opening_balances
from store.security import auth
from store.shops import org, retiring
from store.stock import opening_import

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["M001", "m001", "S1", "FUZZ", "1001", "1122", "1405", "6001", "STORE", "WH",
                     "nowhere", "customer", "supplier", "account", "客户", "供应商", "科目", "x",
                     "12.50", "-3", "0", "1e11", "1.23457E+11", "3,00", "1,299.00", "NaN",
                     "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+86 138 0013 8000",
                     "13800138000", "a@b.cn", "2026-11-30", "2026-02-30", "2099-01-01",
                     "30天", "-5", "99999999999", "VIP", "是", "", " ", '"', "\x00", "\x1b[2J",
                     "x" * 5000]),
)
HEADERS = {
    "customers": ["code", "name", "phone", "email", "address", "credit_limit", "group",
                  "会员号", "姓名", "手机"],
    "suppliers": ["code", "name", "contact", "phone", "payment_days", "lead_time_days",
                  "供应商编码", "账期"],
    "stock": ["sku", "warehouse", "qty", "unit_cost", "商家编码", "仓库", "数量"],
    "balances": ["kind", "code", "amount", "debit", "credit", "date", "due_date",
                 "reference", "类型", "编码", "期初余额"],
}
REQUIRED = {"customers": ["code", "name"], "suppliers": ["code", "name"],
            "stock": ["sku", "qty"], "balances": ["kind", "code", "amount"]}
IMPORTERS: dict[str, Callable[[Path, auth.SessionUser], ImportReport]] = {
    "customers": party_import.import_customers,
    "suppliers": party_import.import_suppliers,
    "stock": lambda path, boss: opening_import.import_stock(path, boss, warehouse="STORE"),
    "balances": opening_balances.import_balances,
}
MODELS = (Customer, Supplier, StockMove, JournalEntry, Receivable, AuditEvent)


def _some_data() -> None:
    """What the rows may name, made once (the database is shared by the examples)."""
    if products.find_product("FUZZ") is None:
        products.create_product(ProductInput("FUZZ", "模糊", "3.00", "13%"))
        parties.create_customer("M001", "王芳")
        parties.create_supplier("S1", "供应商")


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in MODELS)


@FUZZ
@given(what=st.sampled_from(sorted(IMPORTERS)), data=st.data(),
       rows=st.lists(st.lists(cells, min_size=1, max_size=8), max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "mixed"]))
def test_every_importer_refuses_clearly_or_imports(shop, tmp_path_factory, what, data, rows,
                                                    encoding) -> None:
    _some_data()
    # Mostly a header the importer reads (its required columns, then any others), so the
    # rows below it are what is tried; sometimes anything at all.
    known = st.lists(st.sampled_from(HEADERS[what] + ["??", ""]), min_size=1, max_size=8)
    header = data.draw(st.one_of(
        st.builds(lambda rest: REQUIRED[what] + rest, known), known), label="header")
    lines = [",".join(r) for r in [header, *rows]]
    if encoding == "mixed":  # a file saved by two programs: some lines UTF-8, some GBK
        chosen = random.Random(len(lines))
        raw = b"\n".join(line.encode(chosen.choice(["utf-8", "gb18030"]), "replace")
                         for line in lines)
    else:
        try:
            raw = "\n".join(lines).encode(encoding)
        except UnicodeEncodeError:
            return
    path = tmp_path_factory.mktemp("fuzz") / f"{what}.csv"
    path.write_bytes(raw)
    before = _counts()
    try:
        report = IMPORTERS[what](path, auth.authenticate("boss", "8888"))
    except ImportRejected as err:
        event(f"{what}: rows refused")
        assert err.report.errors and all(e.message for e in err.report.errors)
        assert _counts() == before  # all or nothing: not even an audit event
        return
    except StoreError as err:
        event(f"{what}: file refused")
        assert str(err)
        assert _counts()[:5] == before[:5]  # a refused file (a refusal's audit event aside)
        return
    event(f"{what}: imported {min(report.created, 1)}+")
    assert not report.errors
    if what == "customers":
        assert Customer.select().count() == before[0] + report.created


texts = st.one_of(st.text(max_size=30), cells)


@FUZZ
@given(code=texts, name=texts, other=texts, flag=st.booleans())
@example(code="\x00", name="\x00", other="\x00", flag=True)  # PostgreSQL refuses a NUL itself
def test_every_master_data_editor_refuses_clearly_or_saves(shop, code, name, other,
                                                           flag) -> None:
    boss = auth.authenticate("boss", "8888")
    attempts: list[Callable[[], object]] = [
        lambda: master.add_category(boss, code, name, parent=other or None),
        lambda: master.change_category(boss, "DRINK", name=name, parent=other),
        lambda: master.add_unit(boss, code, name, decimals=3),
        lambda: master.change_unit(boss, "pcs", name=name, name_en=other),
        lambda: master.set_unit_active(boss, code, flag),
        lambda: master.add_tax_rate(boss, code, name, other),
        lambda: master.set_tax_rate_active(boss, code, flag),
        lambda: org.add_warehouse(boss, code, name, name_en=other),
        lambda: retiring.change_warehouse(boss, "WH", name=name, allow_negative=flag),
        lambda: org.add_terminal(boss, code, other, name=name),
        lambda: retiring.add_tender(boss, code, name, other),
        lambda: retiring.change_tender(boss, "CARD", name=name, needs_reference=flag),
        lambda: parties.add_supplier(boss, code, name, contact=other, phone=other),
        lambda: parties.add_customer_group(boss, code, name, price_list=other or None),
        lambda: parties.change_customer_group(boss, code, name=name, price_list=other),
        lambda: org.change_shop(boss, name=name, address=other, tax_id=code,
                                cash_rounding=other, timezone=code),
    ]
    for attempt in attempts:
        try:
            attempt()
        except ValidationError as err:  # names what is wrong: its field, or the value itself
            assert str(err) and (err.field or str(err.value)[:3] in str(err))
        except StoreError as err:
            assert str(err)
