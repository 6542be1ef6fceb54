"""Shopify's order export (orders_export.csv): UTF-8, one row per line item, the order's own
fields only on its first row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from store.channels import parsing
from store.channels.base import Batch, ItemInput, OrderInput
from store.core.csvfile import read_rows
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _

ALIASES = {
    "id": ("Name",), "email": ("Email",), "financial": ("Financial Status",),
    "fulfillment": ("Fulfillment Status",), "shipping": ("Shipping",), "total": ("Total",),
    "created": ("Created at",), "cancelled": ("Cancelled at",), "qty": ("Lineitem quantity",),
    "title": ("Lineitem name",), "price": ("Lineitem price",), "sku": ("Lineitem sku",),
    "name": ("Shipping Name", "Billing Name"), "phone": ("Shipping Phone", "Phone"),
    "address1": ("Shipping Address1",), "address2": ("Shipping Address2",),
    "city": ("Shipping City",), "province": ("Shipping Province",), "zip": ("Shipping Zip",),
    "country": ("Shipping Country",), "note": ("Notes",),
}


def status_of(financial: str, fulfillment: str, cancelled: str) -> str | None:
    f, s = financial.strip().lower(), fulfillment.strip().lower()
    if cancelled.strip() or f in ("refunded", "voided"):
        return "cancelled"
    if s in ("fulfilled", "shipped"):
        return "shipped"
    if f in ("paid", "partially_paid", "partially_refunded", "authorized"):
        return "confirmed"
    if f in ("pending", ""):
        return "quote"
    return None


@dataclass
class ShopifyFile:
    orders: Path
    items: Path | None = None  # unused: Shopify puts the items in the same file
    channel: str = "shopify"

    @property
    def name(self) -> str:
        return self.channel

    def fetch(self, cursor: str = "") -> Batch:
        rows, _enc = read_rows(Path(self.orders), ALIASES, ("id", "qty", "title"),
                               mark_short=True)
        out: list[OrderInput] = []
        rejected: list[tuple[int, str]] = []
        bad: set[str] = set()  # an order with one bad row is refused whole
        current: OrderInput | None = None
        for line, v in rows:
            order_id = parsing.text(v["id"])
            if not order_id:
                rejected.append((line, _("no order number")))
                continue
            try:
                why = parsing.short(v)
                if why is not None:
                    raise ValidationError(why, field="row", value=line, row=line)
                item = ItemInput(parsing.text(v.get("sku", "")),
                                 parsing.text(v.get("title", "")),
                                 parsing.qty(v.get("qty", ""), field="Lineitem quantity",
                                             row=line),
                                 parsing.amount(v.get("price", ""), field="Lineitem price",
                                                row=line), line)
                if current is not None and current.external_id == order_id:
                    current.items.append(item)
                    current.total = (current.total + item.qty * item.unit_price).quantize(
                        Decimal("0.01"))
                    continue
                if any(o.external_id == order_id for o in out[-50:]) or order_id in bad:
                    raise ValidationError(_("the same order again, apart from its other rows"),
                                          field="Name", value=order_id, row=line)
                current = self._order(line, order_id, v, item)
                out.append(current)
            except StoreError as err:
                rejected.append((line, f"{order_id}: {err}"))
                bad.add(order_id)
                if current is not None and current.external_id == order_id:
                    current = None
        return Batch([o for o in out if o.external_id not in bad], "", rejected)

    @staticmethod
    def _order(line: int, order_id: str, v: dict[str, str], item: ItemInput) -> OrderInput:
        status = status_of(v.get("financial", ""), v.get("fulfillment", ""),
                           v.get("cancelled", ""))
        if status is None:
            raise ValidationError(_("unknown status '{status}'").format(
                status=v.get("financial", "")), field="Financial Status",
                value=v.get("financial", ""), row=line)
        address = ", ".join(p for p in (parsing.text(v.get(k, "")) for k in (
            "address1", "address2", "city", "province", "zip", "country")) if p)
        return OrderInput(
            external_id=order_id, status=status,
            channel_status="/".join(p for p in (v.get("financial", "").strip(),
                                                v.get("fulfillment", "").strip()) if p),
            buyer=parsing.text(v.get("email", "")),
            recipient=(parsing.text(v.get("name", "")),
                       parsing.phone(v.get("phone", ""), row=line), address),
            total=(item.qty * item.unit_price).quantize(Decimal("0.01")),
            shipping=parsing.amount(v.get("shipping", ""), field="Shipping", row=line),
            ordered_at=parsing.moment(v.get("created", "")), note=parsing.text(v.get("note", "")),
            items=[item], row=line)
