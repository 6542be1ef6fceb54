"""The shop's own details from the shell (issue 16.2): name, address, phone and tax ID at the
head of every receipt, its closing line, tax-inclusive prices — by someone allowed to, with
bad input refused in words and each change in the audit chain."""

from __future__ import annotations

from store import bootstrap
from store.models import AuditEvent
from store.shops import org
from tests.test_cli import env, new_shop, run  # noqa: F401  (the fixture)

USCC = "91110108551385082Q"


def test_the_shop_on_its_receipts(capsys, db_url, env, monkeypatch) -> None:  # noqa: F811
    from devices.document import Text
    from devices.layout import layout_receipt
    from store.catalog import products
    from store.catalog.products import ProductInput
    from store.selling import sales
    from store.selling.basket import Basket
    from store.selling.sales import PaymentInput
    from tui.receipts import build_receipt

    as_ = new_shop(capsys, db_url, monkeypatch)
    as_("2580")
    code, out, err = run(capsys, "--db", db_url, "settings", "shop", "--name", "老王便利店",
                         "--address", "上海市长宁区愚园路100号", "--phone", "021-62345678",
                         "--tax-id", USCC.lower(), "--receipt-footer", "谢谢惠顾，欢迎再来",
                         "--as", "lao")
    assert code == 0 and "老王便利店" in out and USCC in out, err
    for argv, words in ((["--tax-id", "91110108551385082X"], "unified social credit"),
                        (["--name", ""], "must not be empty"),
                        (["--address", "x" * 201], "longer than 200"),
                        (["--phone", "021\x1b[2J"], "phone"),
                        ([], "Nothing to change")):
        as_("2580")
        code, _o, err = run(capsys, "--db", db_url, "settings", "shop", *argv, "--as", "lao")
        assert code == 1 and words in err and "\x1b" not in err, (argv, err)
    as_("2580")
    run(capsys, "--db", db_url, "user", "add", "amy", "--role", "cashier", "--pin", "1357",
        "--as", "lao")
    as_("1357")
    code, _o, err = run(capsys, "--db", db_url, "settings", "shop", "--name", "x", "--as", "amy")
    assert code == 1 and "may not" in err
    code, out, _e = run(capsys, "--db", db_url, "settings", "show")
    assert "021-62345678" in out and "谢谢惠顾" in out
    bootstrap.open_store(db_url)
    shop = org.settings()
    assert (shop.name, shop.tax_id, shop.prices_include_tax) == ("老王便利店", USCC, True)
    products.create_product(ProductInput("TEA", "茶", "5.00", "13%"))
    from store.security import auth
    lao = auth.authenticate("lao", "2580")
    sales.open_shift("T1", lao.id, "0")
    b = Basket()
    from store.catalog import search
    b.add(search.lookup_code("TEA"))
    sale = sales.post_sale(b, [PaymentInput("CASH", b.total)], terminal="T1", cashier_id=lao.id)
    text = "\n".join(b.text for b in layout_receipt(build_receipt(sales.get_sale(sale.number)),
                                                     42) if isinstance(b, Text))
    # (full-width ， is kept as , : shop text is NFKC-normalised, issue 15.6)
    for line in ("老王便利店", "上海市长宁区愚园路100号", "021-62345678", USCC, "谢谢惠顾，欢迎再来"):
        assert line in text, text
    kinds = [e.kind for e in AuditEvent.select().where(AuditEvent.kind == "setting_change")]
    assert len(kinds) == 1
    bootstrap.close_store()
