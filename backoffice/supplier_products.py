"""What a supplier sells (issue 16.2: suppliers "and what each supplies"), from the suppliers
register's F7: each product with the supplier's own code, last price, pack, days to deliver and
whether it is the preferred source — the figures purchase suggestions and new orders start
from. F2 records one more, Enter changes the one under the cursor (`purchase`)."""

from __future__ import annotations

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.buying import suppliers
from store.core import text
from store.core.i18n import N_, _
from store.core.money import format_money, format_qty
from store.security.auth import SessionUser


class SupplierProductsScreen(DocScreen):
    row_action = "edit"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back"),
                Binding("f2", "new", N_("New"), id="supplier_products.new"),
                Binding("f4", "edit", N_("Edit"), id="supplier_products.edit")]

    def __init__(self, user: SessionUser, code: str) -> None:
        super().__init__()
        self.user, self.code = user, code
        self.rows: list[suppliers.SupplierProductView] = []

    def reload(self) -> None:
        self.rows = suppliers.products_of(self.code)
        supplier = suppliers.get_supplier(self.code)
        self.fill(_("{code} {name}: what it sells").format(code=supplier.code,
                                                           name=supplier.name),
                  _("{count} products").format(count=len(self.rows)),
                  [_("SKU"), _("Name"), _("Their code"), _("Last price"), _("Pack"),
                   _("Days to deliver"), _("Preferred")],
                  [[r.sku, r.name, r.supplier_sku,
                    format_money(r.last_price) if r.last_price is not None else "-",
                    format_qty(r.pack_qty), str(r.lead_time_days),
                    _("yes") if r.preferred else ""] for r in self.rows])

    def _form(self, row: suppliers.SupplierProductView | None) -> FormDialog:
        def act(v: dict[str, str]) -> str:
            days = v["lead_time_days"].strip()
            suppliers.set_product(
                self.user, self.code, v["sku"].strip(), supplier_sku=v["supplier_sku"],
                price=v["price"].strip() or None,
                lead_time_days=text.whole(days, field="lead_time_days", lowest=0,
                                          highest=365) if days else None,
                pack_qty=v["pack_qty"].strip() or "1",
                preferred=text.yes_no(v["preferred"] or "no", field="preferred"))
            return _("{sku} recorded for {code}").format(sku=v["sku"].strip(), code=self.code)

        return FormDialog(
            _("What {code} sells").format(code=self.code),
            [Field("sku", N_("SKU"), row.sku if row else ""),
             Field("supplier_sku", N_("Their code"), row.supplier_sku if row else ""),
             Field("price", N_("Last price"),
                   f"{row.last_price}" if row and row.last_price is not None else ""),
             Field("pack_qty", N_("Pack"), format_qty(row.pack_qty) if row else "1",
                   hint=_("units in the case they sell")),
             Field("lead_time_days", N_("Days to deliver"),
                   str(row.lead_time_days) if row else "", hint=_("empty: the supplier's")),
             Field("preferred", N_("Preferred"),
                   (_("yes") if row.preferred else _("no")) if row else _("no"),
                   hint=_("yes or no"))], act)

    def action_new(self) -> None:
        self.ask(self._form(None), self.reload_and_say)

    def action_edit(self) -> None:
        row = self.row()
        if 0 <= row < len(self.rows):
            self.ask(self._form(self.rows[row]), self.reload_and_say)
