"""What a printer prints, as plain data: receipts as documents, then laid out as blocks.

A receipt is built by the app from a sale (devices never sees the store), stored as JSON in
the print queue, and laid out at print time for the printer's width.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

Align = Literal["left", "center", "right"]


# ---- Blocks: the printer's vocabulary -------------------------------------------------------

@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # double height (headline, total)


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Barcode:
    data: str  # printed as CODE128, set B


@dataclass(frozen=True)
class QRCode:
    data: str
    size: int = 5


@dataclass(frozen=True)
class Image:
    path: str
    max_dots: int = 576  # the paper's printable width in dots: 384 on 58 mm, 576 on 80 mm


@dataclass(frozen=True)
class Cut:
    partial: bool = False


@dataclass(frozen=True)
class Drawer:
    pin: int = 2


Block = Text | Feed | Barcode | QRCode | Image | Cut | Drawer


# ---- Receipts ---------------------------------------------------------------------------------

@dataclass
class ReceiptLine:
    name: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    unit: str = ""
    discount: Decimal = Decimal(0)  # positive: money off this line
    discount_label: str = ""  # why: the override's or manual discount's reason
    # Each promotion that took something off this line: (its name, the amount).
    promotions: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class TaxLine:
    label: str  # "VAT 13%"
    amount: Decimal


@dataclass
class TenderLine:
    label: str  # "现金 Cash", "WeChat Pay"
    amount: Decimal
    reference: str = ""  # last digits or a payment reference, never a card number


@dataclass
class ReceiptLabels:
    """The words on a receipt, translated by the caller (devices has no language of its own)."""

    number: str = "No."
    time: str = "Time"
    cashier: str = "Cashier"
    terminal: str = "Till"
    customer: str = "Customer"
    subtotal: str = "Subtotal"
    discount: str = "Discount"
    total: str = "TOTAL"
    change: str = "Change"
    items: str = "Items"
    reprint: str = "*** REPRINT ***"
    rounding: str = "Rounding"
    saved: str = "You saved"


@dataclass
class Receipt:
    shop_name: str
    number: str
    time: str  # already formatted for the shop's locale
    cashier: str
    terminal: str
    lines: list[ReceiptLine]
    total: Decimal
    tenders: list[TenderLine] = field(default_factory=list)
    change: Decimal = Decimal(0)
    taxes: list[TaxLine] = field(default_factory=list)
    sale_discount: Decimal = Decimal(0)
    header_lines: list[str] = field(default_factory=list)  # address, phone, tax id
    customer: str = ""
    footer: str = ""
    code: Literal["barcode", "qr", "none"] = "barcode"
    currency_symbol: str = "￥"
    labels: ReceiptLabels = field(default_factory=ReceiptLabels)
    reprint: bool = False
    rounding: Decimal = Decimal(0)  # cash rounding, already in the total
    # What a stored-value card holds after the sale: its label, masked number, balance.
    balances: list[TenderLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the member's points, above the footer

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Receipt:
        data: dict[str, Any] = json.loads(text)
        dec = Decimal
        data["lines"] = [ReceiptLine(**{**ln, "qty": dec(ln["qty"]),
                                        "unit_price": dec(ln["unit_price"]),
                                        "amount": dec(ln["amount"]),
                                        "discount": dec(ln["discount"]),
                                        "promotions": [(n, dec(a)) for n, a in
                                                       ln.get("promotions", [])]})
                         for ln in data["lines"]]
        data["tenders"] = [TenderLine(**{**t, "amount": dec(t["amount"])})
                           for t in data["tenders"]]
        data["taxes"] = [TaxLine(**{**t, "amount": dec(t["amount"])}) for t in data["taxes"]]
        data["balances"] = [TenderLine(**{**t, "amount": dec(t["amount"])})
                            for t in data.get("balances", [])]
        data["labels"] = ReceiptLabels(**data["labels"])
        for key in ("total", "change", "sale_discount", "rounding"):
            if key in data:  # jobs queued by an older version lack the newer keys
                data[key] = dec(data[key])
        return cls(**data)
