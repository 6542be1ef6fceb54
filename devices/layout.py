"""Laying out documents for a paper width: 32 columns (58 mm), 42 or 48 (80 mm)."""

from __future__ import annotations

from decimal import Decimal

from .document import Barcode, Block, Cut, Feed, QRCode, Receipt, Text
from .text import center, two_columns, wrap

WIDTHS = (32, 42, 48)


def money(amount: Decimal, symbol: str = "") -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


def qty(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rule(columns: int, char: str = "-") -> Text:
    return Text(char * columns)


def _pairs(left: str, right: str, columns: int, *, bold: bool = False,
           double: bool = False) -> list[Block]:
    lines = two_columns(left, right, columns) if right else wrap(left, columns)
    return [Text(line, bold=bold, double=double) for line in lines]


def layout_receipt(r: Receipt, columns: int, *, cut: bool = True) -> list[Block]:
    """The receipt as blocks: header, lines, totals, tenders, footer, the number as a code."""
    if columns not in WIDTHS:
        raise ValueError(f"columns must be one of {WIDTHS}, not {columns}")
    lb, sym = r.labels, r.currency_symbol
    out: list[Block] = []
    for line in wrap(r.shop_name, columns):
        out.append(Text(line, align="center", bold=True, double=True))
    out += [Text(center(x, columns)) for h in r.header_lines for x in wrap(h, columns)]
    if r.reprint:
        out.append(Text(center(lb.reprint, columns), bold=True))
    out.append(rule(columns))
    out += _pairs(f"{lb.number} {r.number}", f"{lb.terminal} {r.terminal}", columns)
    out += _pairs(f"{lb.time} {r.time}", "", columns)
    out += [Text(x) for x in wrap(f"{lb.cashier} {r.cashier}", columns)]
    if r.customer:
        out += [Text(x) for x in wrap(f"{lb.customer} {r.customer}", columns)]
    out.append(rule(columns))
    count = Decimal(0)
    saved = r.sale_discount
    for ln in r.lines:
        out += [Text(x) for x in wrap(ln.name, columns)]
        unit = f" {ln.unit}" if ln.unit else ""
        out += _pairs(f"  {qty(ln.qty)}{unit} × {money(ln.unit_price)}", money(ln.amount),
                      columns)
        for name, off in ln.promotions:  # each promotion by its name, as the shop set it
            out += _pairs(f"  {name}", money(-off), columns)
            saved += off
        if ln.discount:
            label = ln.discount_label or lb.discount
            out += _pairs(f"  {label}", money(-ln.discount), columns)
            saved += ln.discount
        # Pieces count as pieces; a weighed line (0.835 kg) counts as one item.
        count += ln.qty if ln.qty == ln.qty.to_integral_value() else 1
    out.append(rule(columns))
    out += _pairs(f"{lb.items} {qty(count)}", "", columns)
    if r.sale_discount:
        out += _pairs(lb.discount, money(-r.sale_discount), columns)
    if r.rounding:
        out += _pairs(lb.rounding, money(r.rounding), columns)
    out += _pairs(lb.total, money(r.total, sym), columns, bold=True, double=True)
    for t in r.taxes:
        out += _pairs(f"  {t.label}", money(t.amount), columns)
    for p in r.tenders:
        ref = f" {p.reference}" if p.reference else ""
        out += _pairs(f"{p.label}{ref}", money(p.amount), columns)
    if r.change:
        out += _pairs(lb.change, money(r.change), columns)
    for b in r.balances:
        out += _pairs(f"{b.label} {b.reference}", money(b.amount), columns)
    if saved > 0:  # what the promotions and discounts took off, as supermarket slips say
        out += _pairs(lb.saved, money(saved, sym), columns, bold=True)
    for note in r.notes:
        out += [Text(x) for x in wrap(note, columns)]
    out.append(rule(columns))
    if r.footer:
        out += [Text(center(x, columns)) for x in wrap(r.footer, columns)]
    if r.code == "barcode":
        out += [Feed(), Barcode(r.number), Text(center(r.number, columns))]
    elif r.code == "qr":
        out += [Feed(), QRCode(r.number), Text(center(r.number, columns))]
    out.append(Feed(2))
    if cut:
        out.append(Cut())
    return out


def layout_lines(title: str, rows: list[tuple[str, str]], columns: int, *,
                 footer: str = "", cut: bool = True) -> list[Block]:
    """A titled list of label … value rows: X/Z reports and similar slips."""
    out: list[Block] = [Text(x, align="center", bold=True, double=True)
                        for x in wrap(title, columns)]
    out.append(rule(columns))
    for left, right in rows:
        if left == "-" and not right:
            out.append(rule(columns))
        else:
            out += _pairs(left, right, columns)
    if footer:
        out += [rule(columns), *[Text(center(x, columns)) for x in wrap(footer, columns)]]
    out.append(Feed(2))
    if cut:
        out.append(Cut())
    return out
