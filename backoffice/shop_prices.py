"""A shop's own prices (issue 18.1), from the shops register's F7: each product it charges its
own price for, beside the chain's. F2 sets one, Enter changes the one under the cursor, Del
takes it back to the chain's price (`shops prices`)."""

from __future__ import annotations

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.core.i18n import N_, _
from store.core.money import format_money
from store.pricing import shop_prices
from store.pricing.shop_prices import ShopPriceRow
from store.security.auth import SessionUser
from tui.screens.stockdoc import clip, right


class ShopPricesScreen(DocScreen):
    row_action = "edit"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back"),
                Binding("f2", "new", N_("New"), id="shop_prices.new"),
                Binding("f4", "edit", N_("Edit"), id="shop_prices.edit"),
                Binding("delete", "remove", N_("Chain price"), id="shop_prices.remove")]

    def __init__(self, user: SessionUser, code: str, name: str) -> None:
        super().__init__()
        self.user, self.code, self.shop_name = user, code, name
        self.rows: list[ShopPriceRow] = []

    def reload(self) -> None:
        self.rows = shop_prices.prices(self.code, viewer=self.user)
        self.fill(_("{code} {name}: its own prices").format(code=self.code, name=self.shop_name),
                  _("{count} products · F2 new · Del back to the chain's price").format(
                      count=len(self.rows)),
                  [_("SKU"), _("Name"), _("Chain price"), _("Shop price")],
                  [[r.sku, clip(r.name, 24), right(format_money(r.chain_price)),
                    right(format_money(r.price))] for r in self.rows])

    def _form(self, row: ShopPriceRow | None) -> FormDialog:
        def act(v: dict[str, str]) -> str:
            done = shop_prices.set_price(self.user, self.code, v["sku"].strip(), v["price"])
            return _("{shop} sells {sku} at {price} (the chain: {chain})").format(
                shop=done.shop, sku=done.sku, price=format_money(done.price),
                chain=format_money(done.chain_price))

        return FormDialog(
            _("{code}'s own price").format(code=self.code),
            [Field("sku", N_("SKU"), row.sku if row else ""),
             Field("price", N_("Shop price"), f"{row.price}" if row else "")], act)

    def action_new(self) -> None:
        self.ask(self._form(None), self.reload_and_say)

    def action_edit(self) -> None:
        row = self.row()
        if 0 <= row < len(self.rows):
            self.ask(self._form(self.rows[row]), self.reload_and_say)

    def action_remove(self) -> None:
        row = self.row()
        if not 0 <= row < len(self.rows):
            return
        sku = self.rows[row].sku
        if self.attempt(lambda: shop_prices.remove_price(self.user, self.code, sku)):
            self.reload()
            self.say(_("{shop} sells {sku} at the chain's price again").format(
                shop=self.code, sku=sku))
