"""Opening stock from a file: what is on the shelves when the shop starts using Zhanggui (or
moves from another system), per product and warehouse at its unit cost, posted as opening
stock moves and one balanced entry against the owner's capital — so the books agree with the
warehouse from the first day. Stock that already moved is refused: a second run cannot double
it (a correction is a stock count)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from peewee import fn

from store.catalog.products import find_product
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.importing import ImportReport, Outcome, run_rows
from store.core.money import COST_PLACES, QTY_PLACES, parse_decimal
from store.core.sheetfile import open_table
from store.models import StockMove, Warehouse
from store.security import audit, permissions
from store.security.auth import SessionUser
from store.stock import costing

ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商家编码", "商品编码", "编码", "货号"),
    "warehouse": ("warehouse", "仓库", "仓库编码"),
    "qty": ("qty", "quantity", "数量", "库存", "库存数量", "期初数量"),
    "unit_cost": ("unit_cost", "cost", "成本", "进价", "成本价", "单位成本"),
}
EXAMPLE = {"sku": "COKE330", "warehouse": "STORE", "qty": "48", "unit_cost": "2.10"}


def import_stock(path: Path, actor: SessionUser, *, warehouse: str | None = None,
                 skip_bad: bool = False, dry_run: bool = False) -> ImportReport:
    """Each row: SKU, warehouse (or `warehouse` for all), quantity, unit cost (the product's
    cost when empty). Needs `approve_count`. All or nothing unless skip_bad."""
    permissions.check_apart(actor, "approve_count", reference=Path(path).name[:64])
    table = open_table(Path(path), ALIASES, ("sku", "qty"))
    if "warehouse" not in table.columns.values() and not warehouse:
        raise ValidationError(_("{file}: no warehouse column; say which warehouse with "
                                "--warehouse").format(file=path), field="warehouse", value="")
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    total = [Decimal(0)]
    seen: dict[tuple[int, int], int] = {}

    def apply(line: int, values: dict[str, str]) -> Outcome:
        product = find_product(values["sku"])
        if product is None:
            raise ValidationError(_("sku: no product '{value}'").format(value=values["sku"]),
                                  field="sku", value=values["sku"], row=line)
        store = _warehouse(values.get("warehouse") or warehouse or "", line)
        if (product.id, store.id) in seen:
            raise ValidationError(
                _("sku: {sku} in {warehouse} is also on line {line}").format(
                    sku=product.sku, warehouse=store.code, line=seen[product.id, store.id]),
                field="sku", value=product.sku, row=line)
        qty = parse_decimal(values["qty"], field="qty", places=QTY_PLACES, row=line)
        if qty == 0:
            return "unchanged"
        if product.unit.decimals == 0 and qty != qty.to_integral_value():
            raise ValidationError(_("qty: '{value}' is not a whole number of {unit}").format(
                value=values["qty"], unit=product.unit.name), field="qty", value=values["qty"],
                row=line)
        if not product.stock_tracked:
            raise ValidationError(_("sku: {sku} keeps no stock").format(sku=product.sku),
                                  field="sku", value=product.sku, row=line)
        if StockMove.select().where((StockMove.product == product.id)
                                    & (StockMove.warehouse == store.id)).exists():
            raise ValidationError(
                _("sku: {sku} already has stock in {warehouse}; correct it with a stock "
                  "count").format(sku=product.sku, warehouse=store.code),
                field="sku", value=product.sku, row=line)
        cost = parse_decimal(values.get("unit_cost") or product.cost, field="unit_cost",
                             places=COST_PLACES, row=line)
        seen[product.id, store.id] = line
        result = costing.stock_in(product.id, store.id, qty, cost, reason="opening",
                                  reference="OPENING", user_id=actor.id)
        total[0] += result.value + result.correction
        return "created"

    def finish() -> None:
        costing.post_opening_balance(total[0], "OPENING")
        audit.record("stock_imported", {"file": Path(path).name[:200], "rows": report.created,
                                        "value": audit.minor(total[0])},
                     user_id=actor.id, reference=Path(path).name[:64])

    return run_rows(table, apply, report, skip_bad=skip_bad, dry_run=dry_run, finish=finish)


def _warehouse(text: str, line: int) -> Warehouse:
    value = text.strip()
    found = Warehouse.get_or_none((fn.UPPER(Warehouse.code) == value.upper())
                                  | (Warehouse.name == value) | (Warehouse.name_en == value))
    if found is None or not found.active:
        raise ValidationError(_("warehouse: no warehouse '{value}'").format(value=value),
                              field="warehouse", value=value, row=line)
    return found
