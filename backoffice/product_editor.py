"""The product editor's forms and the price history: a new product, a change to one, in the
store's words when something is refused (the store checks who may, and records each change)."""

from __future__ import annotations

from decimal import Decimal

from textual.binding import Binding

from backoffice.forms import Field, FormDialog
from backoffice.purchasing import DocScreen
from store.catalog import editor
from store.catalog.products import (
    PRICE_SOURCES,
    ProductInput,
    format_barcodes,
    get_product,
    parse_barcodes,
)
from store.core.i18n import N_, _
from store.core.money import format_money, format_qty
from store.security.auth import SessionUser
from store.shops import org
from store.stock import expiry, inventory

# The form's fields, in the order Enter walks them (a msgid each).
FIELDS = (("name", N_("Name")), ("name_en", N_("English name")), ("price", N_("Price")),
          ("tax_rate", N_("Tax rate")), ("unit", N_("Unit")), ("category", N_("Category")),
          ("cost", N_("Cost")), ("barcodes", N_("Barcodes")))
HINTS = {"tax_rate": "13%", "unit": "pcs, kg, 瓶", "barcodes": "6901234567892|16901234567899*12"}
ALIASES = {"barcode": "barcodes", "pack_qty": "barcodes", "rate": "tax_rate"}


def _values(now: ProductInput) -> dict[str, str]:
    return {"name": now.name, "name_en": now.name_en, "price": f"{now.price}",
            "tax_rate": now.tax_rate, "unit": now.unit, "category": now.category or "",
            "cost": f"{Decimal(now.cost).normalize():f}",
            "barcodes": format_barcodes([(b.code, b.pack_qty) for b in now.barcodes])}


def new_product_form(user: SessionUser) -> FormDialog:
    def act(v: dict[str, str]) -> str:
        p = editor.add_product(user, ProductInput(
            sku=v["sku"], name=v["name"], name_en=v["name_en"], price=v["price"],
            tax_rate=v["tax_rate"], unit=v["unit"] or "pcs", category=v["category"] or None,
            cost=v["cost"] or "0", barcodes=parse_barcodes(v["barcodes"])))
        return _("Product {sku} {name} added at {price}").format(
            sku=p.sku, name=p.local_name, price=format_money(p.price))

    fields = [Field("sku", N_("SKU"))] + [Field(k, label, hint=HINTS.get(k, ""))
                                          for k, label in FIELDS]
    return FormDialog(_("New product"), fields, act, aliases=ALIASES | {"sku": "sku"})


def edit_product_form(user: SessionUser, sku: str) -> FormDialog:
    """The product's fields as they are; only what is changed is sent, so a price left alone
    needs no price permission and writes no history."""
    product = get_product(sku)
    before = _values(editor.current_input(product))
    before["lots"] = _("yes") if product.tracks_lots else _("no")

    def act(v: dict[str, str]) -> str:
        changed = {k: v[k] for k in before if v[k].strip() != before[k]}
        if not changed:
            return _("Nothing changed")
        barcodes = changed.get("barcodes")
        p = expiry.change_product(user, product.sku, editor.Changes(
            name=changed.get("name"), name_en=changed.get("name_en"),
            price=changed.get("price"), tax_rate=changed.get("tax_rate"),
            unit=changed.get("unit"), category=changed.get("category"),
            cost=changed.get("cost"),
            barcodes=parse_barcodes(barcodes) if barcodes is not None else None),
            tracks_lots=changed.get("lots"))
        return _("Product {sku} {name} changed; price {price}").format(
            sku=p.sku, name=p.local_name, price=format_money(p.price))

    fields = [Field(k, label, value=before[k], hint=HINTS.get(k, ""))
              for k, label in (*FIELDS, ("lots", N_("Lots and expiry")))]
    return FormDialog(_("Change {sku} {name}").format(sku=product.sku, name=product.local_name),
                      fields, act, aliases=ALIASES)


def reorder_form(user: SessionUser, sku: str) -> FormDialog:
    """When to reorder the product and up to how much, in each warehouse in use: the level
    that raises a low-stock alert and a purchase suggestion, and the level it orders up to.
    Both emptied: no rule there."""
    product = get_product(sku)
    rules = {r.warehouse_code: r for r in inventory.reorder_rules(product.id)}
    stores = org.warehouses()
    fields: list[Field] = []
    aliases: dict[str, str] = {}
    for i, w in enumerate(stores):
        rule = rules.get(w.code)
        for key, label, value in (
                ("min_qty", _("{warehouse}: reorder at").format(warehouse=w.code),
                 format_qty(rule.min_qty) if rule else ""),
                ("max_qty", _("{warehouse}: up to").format(warehouse=w.code),
                 format_qty(rule.max_qty) if rule else "")):
            fields.append(Field(f"{key}_{i}", label, value))
            aliases[f"{key}:{w.code}"] = f"{key}_{i}"

    def act(v: dict[str, str]) -> str:
        after = inventory.set_reorder_rules(user, product.sku, {
            w.code: (v[f"min_qty_{i}"], v[f"max_qty_{i}"]) for i, w in enumerate(stores)})
        return _("Reorder rules of {sku}: {rules}").format(sku=product.sku, rules=", ".join(
            f"{r.warehouse_code} {format_qty(r.min_qty)}→{format_qty(r.max_qty)}"
            for r in after) or _("none"))

    return FormDialog(_("Reorder {sku} {name}").format(sku=product.sku,
                                                       name=product.local_name),
                      fields, act, aliases=aliases)


class PriceHistoryScreen(DocScreen):
    """A product's shelf prices, newest first: when, old → new, who, and from where."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]
    SOURCES = PRICE_SOURCES

    def __init__(self, sku: str) -> None:
        super().__init__()
        self.sku = sku

    def reload(self) -> None:
        product = get_product(self.sku)
        rows = editor.price_history(self.sku)
        self.fill(_("Price history: {sku} {name}").format(sku=product.sku,
                                                          name=product.local_name),
                  _("{count} changes").format(count=len(rows)),
                  [_("When"), _("Old price"), _("New price"), _("By"), _("From")],
                  [[r.at.strftime("%Y-%m-%d %H:%M"),
                    format_money(r.old_price) if r.old_price is not None else "-",
                    format_money(r.new_price), r.user or "-",
                    " ".join(filter(None, [_(self.SOURCES.get(r.source, r.source)), r.note]))]
                   for r in rows])


def toggle_active(user: SessionUser, sku: str) -> str:
    product = get_product(sku)
    p = editor.change_product(user, product.sku, editor.Changes(active=not product.active))
    return (_("Product {sku} {name} is sold again") if p.active
            else _("Product {sku} {name} is no longer sold")).format(sku=p.sku,
                                                                     name=p.local_name)

