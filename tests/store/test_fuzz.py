"""Fuzz: hypothesis feeds malformed input to the CSV importer, the barcode and scale-label
decoders, the configuration loader, the command line and the services' inputs. Each either
works or refuses with a StoreError (a clear message); nothing raises anything else, and a
refused import writes nothing."""

from __future__ import annotations

import contextlib
import io
import string
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.books import ledger
from store.catalog import product_import, scale, search
from store.core import config
from store.core.errors import StoreError
from store.models import Product
from store.security import auth
from store.selling import basket

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["3.50", "￥3.50", "3.50元", "-1", "1e9", "NaN", "Infinity", "0.001",
                     "13%", "99%", "VAT13", "6901234567892", "6901234567893", "2100001005003",
                     "6901234567892*12", "|", "*0", "是", "否", "kg", "", " ", '"', "\x00"]),
)


@FUZZ
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=6), max_size=6),
       header=st.lists(st.sampled_from(["sku", "name", "price", "tax_rate", "barcodes",
                                        "商品名称", "售价", "unit", "cost", "??", ""]),
                       min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_the_product_importer_refuses_clearly_or_imports(shop, tmp_path_factory, rows, header,
                                                          encoding) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "p.csv"
    text = "\n".join(",".join(r) for r in [header, *rows])
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        return
    before = Product.select().count()
    try:
        report = product_import.import_products(path, auth.authenticate("boss", "8888"))
    except StoreError:
        assert Product.select().count() == before  # all or nothing
        return
    assert Product.select().count() == before + report.created


KNOWN = {"barcode": "6901234567892", "sku": "SKU-Fz1"}


def _known_product() -> None:
    """One product to be found; made once, as the database is shared by the examples."""
    from store.catalog import products
    from store.catalog.products import BarcodeInput, ProductInput

    if products.find_product(KNOWN["sku"]) is None:
        products.create_product(ProductInput(KNOWN["sku"], "可乐", "3.00", "13%",
                                             barcodes=[BarcodeInput(KNOWN["barcode"])]))


@FUZZ
@given(code=st.one_of(st.text(max_size=20),
                      st.text(alphabet=string.digits, min_size=12, max_size=14),
                      st.sampled_from(["6901234567892", " 6901234567892\r", "６９０１２３４５６７８９２",
                                       "SKU-Fz1", "sku-fz1", "ＳＫＵ－Ｆｚ１", "6901234567892\x1d"])))
def test_codes_and_scale_labels_never_crash(shop, code) -> None:
    import unicodedata

    from store.core.text import sku_key

    _known_product()
    with contextlib.suppress(StoreError):
        scale.decode(code)
    with contextlib.suppress(StoreError):
        basket.parse_entry(code)
    hit = search.lookup_code(code)  # None or a product, for anything typed or scanned
    typed = unicodedata.normalize("NFKC", search.clean(code)).strip()
    is_known = typed == KNOWN["barcode"] or sku_key(typed) == sku_key(KNOWN["sku"])
    # found exactly when the code (as a scanner or an input method sends it) is the product's
    assert (hit is not None) == is_known, (code, hit)
    if hit is not None:
        assert hit.sku == KNOWN["sku"]
        assert hit.matched == ("barcode" if typed == KNOWN["barcode"] else "sku")
    search.search(code, 5)


@FUZZ
@given(toml=st.one_of(st.text(max_size=200), st.builds(
    lambda section, key, value: f"[{section}]\n{key} = {value}\n",
    st.sampled_from(["database", "ui", "till", "printer", "scanner", "keys", "nope"]),
    st.sampled_from(["url", "language", "max_qty", "columns", "timeout", "cut", "x"]),
    st.sampled_from(['"x"', "1", "-5", "true", "[1,2]", '"tcp://"', '"zh_CN"', "1.5", "{}"]))))
def test_the_config_loader_refuses_clearly_or_loads(tmp_path_factory, toml) -> None:
    path = tmp_path_factory.mktemp("cfg") / "zhanggui.toml"
    path.write_text(toml, encoding="utf-8")
    try:
        cfg = config.load(path, env={})
    except StoreError:
        return
    assert cfg.database.url is not None


argv_words = st.sampled_from([
    "products", "list", "import", "--json", "--limit", "-1", "abc", "sales", "show", "X-1",
    "stock", "moves", "--sku", "report", "daily", "--date", "2026-13-01", "pnl", "--from",
    "ledger", "post", "--debit", "6602=abc", "--credit", "1001", "--description", "",
    "purchase", "create", "--line", "A:B:C", "bills", "post", "pay", "S1", "1e99",
    "receivables", "warehouses", "negative", "on", "backup", "restore", "--to", "mysql://x",
    "audit", "verify", "db", "status", "config", "show", "--as", "nobody", "🍎", "\x00"])


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=st.lists(argv_words, min_size=1, max_size=6))
def test_the_command_line_never_shows_a_traceback(shop, db_url, monkeypatch, tmp_path,
                                                  argv) -> None:
    from store import bootstrap
    from tui.cli.main import main

    monkeypatch.chdir(tmp_path)  # "backup nobody" writes a file named nobody: not in the repo
    monkeypatch.setattr("sys.stdin", io.StringIO("0000\n"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", db_url, *argv])
        except SystemExit as exit_:  # argparse: a usage error, said in one line
            code = int(exit_.code or 0)
    bootstrap.close_store()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err.getvalue() + out.getvalue()
    assert "unexpected" not in err.getvalue(), (argv, err.getvalue())


@FUZZ
@given(lines=st.lists(st.tuples(st.sampled_from(["1001", "6602", "9999", "", "abc", "1001 "]),
                                cells, cells), max_size=4),
       description=st.text(max_size=30))
def test_a_manual_entry_is_posted_or_refused_clearly(shop, lines, description) -> None:
    from store.common import clock
    from store.models import JournalEntry
    from store.security import auth

    boss = auth.authenticate("boss", "8888")
    before = JournalEntry.select().count()
    try:
        ledger.post_manual(boss, clock.local_today(), description,
                           [ledger.ManualLine(a, d, c) for a, d, c in lines])
    except StoreError:
        assert JournalEntry.select().count() == before
        return
    assert JournalEntry.select().count() == before + 1


@FUZZ
@given(text=st.one_of(st.text(max_size=20), cells))
def test_amounts_are_parsed_or_refused_clearly(text) -> None:
    from store.core.money import parse_decimal

    try:
        value = parse_decimal(text, field="amount")
    except StoreError:
        return
    assert isinstance(value, Decimal) and value.is_finite() and value >= 0
