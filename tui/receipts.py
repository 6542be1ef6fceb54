"""A committed sale becomes a receipt document in the print queue (and a drawer kick for cash)."""

from __future__ import annotations

from decimal import Decimal

from devices.document import Receipt, ReceiptLine, TaxLine, TenderLine
from store import org, printing
from store.i18n import _, current_language
from store.sales import SaleView

from .printing import receipt_labels


def build_receipt(sale: SaleView) -> Receipt:
    shop = org.settings()
    en = current_language() == "en"
    taxes: dict[str, Decimal] = {}
    for ln in sale.lines:  # the tax lines were derived per line; the receipt sums them by rate
        label = _("VAT {rate}%").format(rate=f"{(ln.tax_rate * 100).normalize():f}")
        taxes[label] = taxes.get(label, Decimal(0)) + ln.tax
    return Receipt(
        shop_name=(shop.name_en if en and shop.name_en else shop.name),
        number=sale.number,
        time=sale.created_at.strftime("%Y-%m-%d %H:%M"),
        cashier=sale.cashier_name, terminal=sale.terminal,
        lines=[ReceiptLine(ln.name, ln.qty, ln.unit_price, ln.amount) for ln in sale.lines],
        total=sale.total,
        tenders=[TenderLine(p.tender_name_en if en and p.tender_name_en else p.tender_name,
                            p.amount, p.reference[-4:] if p.reference else "")
                 for p in sale.payments],
        change=sale.change,
        taxes=[TaxLine(label, amount) for label, amount in taxes.items() if amount],
        footer=_("Thank you, come again!"),
        labels=receipt_labels())


def queue_receipt(sale: SaleView, terminal: str) -> None:
    """Drawer first for cash (it opens while the receipt prints), then the receipt."""
    if any(p.kind == "cash" for p in sale.payments):
        printing.enqueue(terminal, "drawer", "", reference=sale.number)
    printing.enqueue(terminal, "receipt", build_receipt(sale).to_json(), reference=sale.number)
