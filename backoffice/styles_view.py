"""Styles in sizes, colours or flavours (F9 in Products): the styles, one style's variants
laid out, a new style made from its attributes, and a new value with its variants. Each
variant is then a product like any other (F4 in Products)."""

from __future__ import annotations

from textual.binding import Binding

from store.catalog import variants
from store.catalog.products import ProductInput
from store.catalog.variants import ValueInput
from store.core.i18n import N_, NC_, _
from store.core.money import format_money
from store.security.auth import SessionUser
from tui.screens.stockdoc import clip, qty_text, right

from .forms import Field, FormDialog
from .purchasing import DocScreen


class StylesScreen(DocScreen):
    reload_on_resume = True
    row_action = "open"
    BINDINGS = [
        Binding("enter", "open", NC_("record", "Open"), id="styles.open"),
        Binding("f2", "new", N_("New style"), id="styles.new"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser) -> None:
        super().__init__()
        self.user = user
        self.rows: list[tuple[str, str, int]] = []

    def reload(self) -> None:
        self.rows = variants.templates()
        self.fill(_("Styles"), _("{n} styles · Enter its variants · F2 a new style").format(
            n=len(self.rows)), [_("Code"), _("Name"), _("Variants")],
            [[code, clip(name, 40), right(str(count))] for code, name, count in self.rows])

    def action_open(self) -> None:
        if self.rows:
            self.app.push_screen(StyleScreen(self.user, self.rows[self.row()][0]))

    def action_new(self) -> None:
        def act(v: dict[str, str]) -> str:
            attributes = [variants.parse_attribute(part) for part in
                          v["attributes"].replace("；", ";").split(";") if part.strip()]
            base = ProductInput(sku="", name="", price=v["price"], tax_rate=v["tax_rate"],
                                unit=v["unit"] or "pcs", category=v["category"] or None,
                                cost=v["cost"] or "0")
            view = variants.create_template(self.user, v["code"], v["name"], attributes, base)
            return _("{code}: {n} variants added").format(code=view.code,
                                                          n=len(view.variants))

        self.ask(FormDialog(_("New style"), [
            Field("code", N_("Code"), hint=_("TSHIRT: the variants' SKUs start with it")),
            Field("name", N_("Name")),
            Field("attributes", N_("Attributes"), hint="尺码=S,M,L; 颜色=RED:红,WHITE:白"),
            Field("price", N_("Price")),
            Field("tax_rate", N_("Tax rate"), "13%"),
            Field("unit", N_("Unit"), "pcs"),
            Field("category", N_("Category")),
            Field("cost", N_("Cost"))], act,
            aliases={"attribute": "attributes", "value": "attributes", "values": "attributes"}),
            self.reload_and_say)


class StyleScreen(DocScreen):
    BINDINGS = [
        Binding("v", "add_value", N_("New value"), id="style.value"),
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
    ]

    def __init__(self, user: SessionUser, code: str) -> None:
        super().__init__()
        self.user = user
        self.code = code

    def reload(self) -> None:
        view = variants.view(self.code)
        self.fill(f"{view.code} {view.name}", " · ".join(
            f"{name}: " + ", ".join(label for _code, label in values)
            for name, values in view.attributes) + " · " + _("v a new value"),
            [_("SKU"), *[name for name, _values in view.attributes], _("Price"), _("On hand")],
            [[v.sku, *v.values, right(format_money(v.price)), qty_text(v.on_hand)]
             for v in view.variants])

    def action_add_value(self) -> None:
        def act(v: dict[str, str]) -> str:
            code, _sep, name = v["value"].partition(":")
            before = len(variants.view(self.code).variants)
            view = variants.add_value(self.user, self.code, v["attribute"],
                                      ValueInput(code, name))
            return _("{code}: {n} variants added").format(
                code=view.code, n=len(view.variants) - before)

        attributes = variants.view(self.code).attributes
        self.ask(FormDialog(_("A new value"), [
            Field("attribute", N_("Attribute"), attributes[-1][0] if attributes else ""),
            Field("value", N_("Value"), hint="BLUE:蓝")], act,
            aliases={"code": "value", "name": "value", "values": "value"}),
            self.reload_and_say)
