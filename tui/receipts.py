"""A committed sale becomes a receipt document in the print queue (and a drawer kick for cash)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from devices.document import Receipt, ReceiptLine, TaxLine, TenderLine
from devices.text import two_columns
from store.common.clock import to_local
from store.core.i18n import _, current_language
from store.offline.till import TillLink
from store.selling import cards, points, vouchers
from store.selling.sales import SaleView, ShiftTotals, get_sale
from store.shops import org, printing

from .printing import receipt_labels


def build_receipt(sale: SaleView, shop: org.ShopSettings | None = None,
                  zone: dt.tzinfo | None = None) -> Receipt:
    """The sale's receipt; `shop` and `zone` given by a till selling offline (from its local
    copy), else read from the database."""
    shop = shop or org.settings()
    en = current_language() == "en"
    taxes: dict[str, Decimal] = {}
    for ln in sale.lines:  # the tax lines were derived per line; the receipt sums them by rate
        label = _("VAT {rate}%").format(rate=f"{(ln.tax_rate * 100).normalize():f}")
        taxes[label] = taxes.get(label, Decimal(0)) + ln.tax
    return Receipt(
        shop_name=(shop.name_en if en and shop.name_en else shop.name),
        number=sale.number,
        time=to_local(sale.created_at, zone).strftime("%Y-%m-%d %H:%M"),
        cashier=sale.cashier_name, terminal=sale.terminal,
        # The line shows qty × price, then what came off it and why.
        lines=[ReceiptLine(ln.name, ln.qty, ln.unit_price, ln.amount + ln.discount,
                           discount=ln.discount - sum((a for _n, a in ln.promotions),
                                                      Decimal(0)),
                           discount_label=ln.note, promotions=list(ln.promotions))
               for ln in sale.lines],
        total=sale.total,
        rounding=sale.rounding,
        customer=sale.customer_code,
        header_lines=shop_header(shop) + (
            [_("REFUND / RETURN of {number}").format(number=sale.original)]
            if sale.original else []),
        tenders=[TenderLine(p.tender_name_en if en and p.tender_name_en else p.tender_name,
                            p.amount, p.reference[-4:] if p.reference else "")
                 for p in sale.payments],
        change=sale.change,
        balances=[TenderLine(_("Card balance"), balance, card) for card, balance in
                  (cards.after_sale(sale.id) if any(p.kind == "store_credit"
                                                    for p in sale.payments) else [])],
        taxes=[TaxLine(label, amount) for label, amount in taxes.items() if amount],
        notes=points_note(sale) + coupon_notes(sale),
        footer=shop.receipt_footer or _("Thank you, come again!"),
        labels=receipt_labels())


def points_note(sale: SaleView) -> list[str]:
    """The member's points: what this sale moved and what they have now."""
    if not sale.customer_code or sale.status == "offline":
        return []
    moved = points.after_sale(sale.id)
    if moved is None:
        return []
    return [_("Points {moved:+,}, balance {balance:,}").format(moved=moved[0],
                                                               balance=moved[1])]


def coupon_notes(sale: SaleView) -> list[str]:
    """A "next visit" coupon the sale earned: its terms, code and last day."""
    if sale.status == "offline" or sale.total <= 0:
        return []
    return [line for code, batch in vouchers.handed_out(sale.id) for line in (
        _("Next visit: {terms}").format(terms=batch.terms),
        _("Code {code}").format(code=vouchers.pretty(code)),
        _("Good until {day}").format(day=batch.valid_to))]


def shop_header(shop: org.ShopSettings) -> list[str]:
    """The shop's address, phone and tax ID under its name, as the owner set them."""
    return [line for line in (
        shop.address,
        _("Tel {phone}").format(phone=shop.phone) if shop.phone else "",
        _("Tax ID {tax_id}").format(tax_id=shop.tax_id) if shop.tax_id else "") if line]


def queue_receipt(sale: SaleView, terminal: str, link: TillLink | None = None) -> None:
    """Drawer first for cash (it opens while the receipt prints), then the receipt. A sale
    made offline prints from the till's own queue, laid out from its local copy."""
    if sale.status == "offline" and link is not None:
        receipt = build_receipt(sale, link.copy.settings(), link.copy.zone())
        if any(p.kind == "cash" for p in sale.payments):
            link.outbox.enqueue_print("drawer", "", sale.number)
        link.outbox.enqueue_print("receipt", receipt.to_json(), sale.number)
        return
    if any(p.kind == "cash" for p in sale.payments):
        printing.enqueue(terminal, "drawer", "", reference=sale.number)
    printing.enqueue(terminal, "receipt", build_receipt(sale).to_json(), reference=sale.number)


def reprint(number: str, terminal: str) -> None:
    """Queue a copy of any receipt, marked as a reprint (the drawer stays shut)."""
    receipt = build_receipt(get_sale(number))
    receipt.reprint = True
    printing.enqueue(terminal, "receipt", receipt.to_json(), reference=f"{number} reprint")


def shift_report_title(t: ShiftTotals) -> str:
    return (_("Z report {number}").format(number=f"{t.shift.terminal}-Z{t.z_number:04d}")
            if t.z_number else _("X report"))


def shift_report_rows(t: ShiftTotals) -> list[tuple[str, str]]:
    """The X/Z report as label and figure rows, for the printer, the screen and the CLI."""
    en = current_language() == "en"
    rows = [(_("Terminal"), t.shift.terminal),
            (_("Shift"), f"#{t.shift.number}"),
            (_("Opened"), to_local(t.shift.opened_at).strftime("%Y-%m-%d %H:%M")),
            (_("Opened by"), t.shift.opened_by)]
    if t.closed_at is not None:
        rows += [(_("Closed"), to_local(t.closed_at).strftime("%Y-%m-%d %H:%M")),
                 (_("Closed by"), t.closed_by)]
    rows += [("-", ""),
             (_("Sales count"), str(t.sales)),
             (_("Total"), f"{t.total:.2f}"),
             (_("Tax"), f"{t.tax:.2f}")]
    if t.returns:
        rows.append((_("Returns ({count})").format(count=t.returns), f"{t.returns_total:.2f}"))
    if t.rounding:
        rows.append((_("Cash rounding"), f"{t.rounding:+.2f}"))
    rows.append(("-", ""))
    rows += [(tt.name_en if en and tt.name_en else tt.name, f"{tt.amount:.2f}")
             for tt in t.tenders]
    if t.card_money:  # money put onto stored-value cards: in the drawer, not a sale
        rows += [("-", ""), (_("Stored-value card top-ups"), "")]
        rows += [("  " + (tt.name_en if en and tt.name_en else tt.name), f"{tt.amount:.2f}")
                 for tt in t.card_money]
    rows += [("-", ""), (_("Opening float"), f"{t.shift.opening_float:.2f}"),
             (_("Expected cash"), f"{t.expected_cash:.2f}")]
    if t.counted_cash is not None:
        rows += [(_("Counted cash"), f"{t.counted_cash:.2f}"),
                 (_("Over/short"), f"{t.over_short:+.2f}")]
    if t.grand_total is not None:
        rows.append((_("Grand total"), f"{t.grand_total:.2f}"))
    if t.seal:  # kept on paper: `zhanggui audit verify --anchor SEQ:HASH` checks it later
        rows.append((_("Audit seal"), t.seal))
    return rows


def queue_shift_report(t: ShiftTotals, terminal: str) -> None:
    """The X report (so far) or, once the shift is closed, the Z report."""
    title = shift_report_title(t)
    shop = org.settings()
    footer = shop.name_en if current_language() == "en" and shop.name_en else shop.name
    printing.enqueue_lines(terminal, title, shift_report_rows(t), footer=footer)


def report_lines(rows: list[tuple[str, str]], columns: int) -> list[str]:
    """Rows as text lines `columns` wide; a row ("-", "") is a rule. The figure is never cut:
    a long label wraps."""
    lines: list[str] = []
    for label, value in rows:
        lines += ["─" * columns] if label == "-" and not value \
            else two_columns(label, value, columns)
    return lines
