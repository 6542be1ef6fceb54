"""The set-up menu's registers at 80x24 (issue 16.2: master data "in the back office and the
CLI"): the owner changes the shop's receipt details and rounding, adds a till and retires it,
adds a unit, changes a supplier's terms and a customer group; each refusal (a wrong number, a
unit still on sale, nothing changed) is said on the form or the screen, with the field
focused, and nothing is half-written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.forms import FormDialog
from backoffice.registers import RegisterScreen
from backoffice.supplier_products import SupplierProductsScreen
from store.buying import suppliers
from store.catalog import master
from store.core import i18n
from store.customers import parties
from store.models import AuditEvent, Product, TillSync
from store.pricing import promotions
from store.shops import org, retiring
from tests.tui.test_backoffice import back_office, rows, text
from tests.tui.test_login_home import make_app
from tests.tui.test_promotions_screen import fill
from tests.tui.test_till import fresh_demo  # noqa: F401  (the fixture)


async def to_row(pilot, code: str) -> None:
    codes = [r[0].strip() for r in rows(pilot.app)]
    for _ in range(len(codes)):
        await pilot.press("up")
    for _ in range(codes.index(code)):
        await pilot.press("down")


async def key(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh_CN"])  # English: the other back-office screens' tests
async def test_the_owner_sets_up_the_shop_in_the_back_office(fresh_demo, lang) -> None:  # noqa: F811
    i18n.set_language(lang)
    before = org.settings()
    app = make_app(fresh_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await back_office(pilot, "owner", "8888")
        await key(pilot, "m", "0", "3")  # set-up, the shop
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, ["=", "=", "杭州市文三路 88 号", "=", "=", "=", "=", "0.3", "=", "="])
        assert "0.3" in text(app, "#form-error") and app.focused.id == "form-cash_rounding"
        assert org.settings().address == before.address  # nothing half-written
        await fill(pilot, ["0.5", "Asia/Shanghai", "cheapest"])  # no such rule: said
        assert app.focused.id == "form-promotion_rule"
        assert org.settings().address == before.address
        await fill(pilot, ["priority"])
        assert not isinstance(app.screen, FormDialog)
        assert promotions.rule() == "priority"
        shop = org.settings()
        assert (shop.address, shop.cash_rounding, shop.timezone, shop.name) == (
            "杭州市文三路 88 号", Decimal("0.5"), "Asia/Shanghai", before.name)

        from store.offline import sync

        sync.report("T1", 0, 0)  # T1 was heard from (an offline-capable till's sync)
        await key(pilot, "5")  # tills
        assert isinstance(app.screen, RegisterScreen)
        heard = TillSync.get(TillSync.terminal == "T1").synced_at.strftime("%m-%d %H:%M")
        assert [r[-1] for r in rows(app) if r[0] in ("T1", "T2")] == [heard, ""]
        await key(pilot, "f2")
        await fill(pilot, ["T3", "NOWHERE", "三号台"])
        assert "NOWHERE" in text(app, "#form-error")
        await fill(pilot, ["STORE", "三号台"])
        assert ["T3", "三号台", "STORE", i18n._("in use"), ""] in rows(app)
        await to_row(pilot, "T3")
        await key(pilot, "f6")
        assert ["T3", "三号台", "STORE", i18n._("deactivated"), ""] in rows(app)
        await key(pilot, "enter")  # change it: nothing typed is nothing to change
        await key(pilot, "f2")
        assert "Nothing" in text(app, "#form-error") or "没有" in text(app, "#form-error")
        await fill(pilot, ["前台三号", "="])
        assert retiring.all_terminals()[-1].name == "前台三号"
        await key(pilot, "escape", "8")  # units

        await key(pilot, "f2")
        await fill(pilot, ["jin", "斤", "catty", "7"])
        assert app.focused.id == "form-decimals" and "7" in text(app, "#form-error")
        await fill(pilot, ["3"])
        assert {u.code: u.decimals for u in master.units()}["jin"] == 3
        await to_row(pilot, "kg")
        await key(pilot, "f6")  # the demo sells by the kilo: refused, said
        assert "kg" in text(app, "#doc-message")
        assert {u.code: u.active for u in master.units()}["kg"] is True
        await key(pilot, "escape", "0")  # suppliers

        first = parties.suppliers()[0]
        await key(pilot, "enter")
        await fill(pilot, ["=", "=", "=", "abc", "="])
        assert app.focused.id == "form-payment_days"
        await fill(pilot, ["45", "="])
        assert parties.suppliers()[0].payment_days == 45
        assert parties.suppliers()[0].name == first.name
        await key(pilot, "f7")  # what the supplier sells: one more, its case of 24 preferred
        assert isinstance(app.screen, SupplierProductsScreen)
        sku = Product.select().where(Product.active).order_by(Product.id.desc()).first().sku
        await key(pilot, "f2")
        await fill(pilot, [sku, "KO-330", "1,80", "24", "", "yes"])
        assert app.focused.id == "form-price"  # 1,80: said, focused
        await fill(pilot, ["1.80", "24", "", "yes"])
        assert isinstance(app.screen, SupplierProductsScreen), text(app, "#form-error")
        mine = {r.sku: r for r in suppliers.products_of(first.code)}[sku]
        assert (mine.supplier_sku, mine.pack_qty, mine.preferred) == ("KO-330", 24, True)
        assert AuditEvent.select().where(AuditEvent.kind == "supplier_product_set",
                                         AuditEvent.reference == first.code).count() == 1
        assert [sku, "KO-330"] in [r[:3:2] for r in rows(app)]
        await key(pilot, "escape", "escape", "escape", "9", "4")  # customers menu, groups

        assert isinstance(app.screen, RegisterScreen)
        await key(pilot, "f2")
        await fill(pilot, ["GOLD", "金卡", "Gold", "NOPE"])
        assert app.focused.id == "form-price_list"
        await fill(pilot, [""])
        await to_row(pilot, "GOLD")
        await key(pilot, "enter")
        await fill(pilot, ["金卡会员", "=", "="])
        assert {g.code: g.name for g in parties.customer_groups()}["GOLD"] == "金卡会员"
