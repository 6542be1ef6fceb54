"""A receipt printer: settings, the layout of each kind of job, rendering, and its transport."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .document import Barcode, Block, Cut, Drawer, Feed, Image, QRCode, Receipt, Text
from .escpos_render import render
from .layout import WIDTHS, layout_lines, layout_receipt, money
from .text import center, wrap
from .transport import Transport, open_transport

KINDS = ("receipt", "lines", "test", "drawer", "vouchers")


@dataclass
class PrinterSettings:
    url: str = "dummy://"
    columns: int = 42
    profile: str = "default"
    cut: bool = True
    drawer_pin: int = 2
    logo: str = ""
    chinese: bool = True  # the printer has a GB18030 Chinese mode (FS &)
    timeout: float = 5.0


@dataclass
class ReceiptPrinter:
    settings: PrinterSettings
    transport: Transport = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.settings.columns not in WIDTHS:
            raise ValueError(f"columns must be one of {WIDTHS}")
        if self.transport is None:
            self.transport = open_transport(self.settings.url, timeout=self.settings.timeout)

    def blocks(self, kind: str, payload: str) -> list[Block]:
        s = self.settings
        if kind == "receipt":
            out = layout_receipt(Receipt.from_json(payload), s.columns, cut=s.cut)
            dots = 384 if s.columns == 32 else 576  # 58 mm or 80 mm paper
            return ([Image(s.logo, dots)] if s.logo else []) + out
        if kind == "lines":
            data = json.loads(payload)
            return layout_lines(data["title"], [tuple(r) for r in data["rows"]], s.columns,
                                footer=data.get("footer", ""), cut=s.cut)
        if kind == "test":
            return test_page(json.loads(payload), s)
        if kind == "drawer":
            return [Drawer(s.drawer_pin)]
        if kind == "vouchers":
            return voucher_slips(json.loads(payload), s)
        raise ValueError(f"unknown print job kind {kind!r}")

    def render(self, kind: str, payload: str) -> bytes:
        return render(self.blocks(kind, payload), profile=self.settings.profile,
                      chinese=self.settings.chinese)

    def print_job(self, kind: str, payload: str) -> None:
        self.transport.send(self.render(kind, payload))

    def probe(self) -> None:
        self.transport.probe()


def voucher_slips(data: dict[str, Any], s: PrinterSettings) -> list[Block]:
    """One slip per voucher code, cut apart: the shop's words (title, value, terms, already
    in the shop's language) and the code as a CODE128 barcode a till scans, and in print."""
    cols = s.columns
    out: list[Block] = []
    for code in data["codes"]:
        out += [Text(data.get("shop", ""), align="center"),
                Text(data.get("title", ""), align="center", bold=True, double=True),
                Text(center(data.get("value", ""), cols), bold=True, double=True),
                *[Text(line) for line in wrap(data.get("terms", ""), cols)],
                Feed(), Barcode(code), Text(center(code, cols)), Feed(2)]
        if s.cut:
            out.append(Cut())
    return out


def test_page(words: dict[str, str], s: PrinterSettings) -> list[Block]:
    """English, Chinese, ￥ amounts, a barcode, a QR code and a cut: everything a receipt uses."""
    cols = s.columns

    def para(text: str) -> list[Block]:
        return [Text(line) for line in wrap(text, cols)]

    out: list[Block] = [
        Text(words.get("title", "Zhanggui test page"), align="center", bold=True, double=True),
        Text("-" * cols),
        *para(words.get("printer", "") + f" {s.url}"),
        *para(f"{words.get('columns', 'Columns')} {cols} · {s.profile}"),
        Text("-" * cols),
        *para("The quick brown fox jumps over the lazy dog."),
        *para("掌柜收银测试：你好，世界！（中文、标点、全角）"),
        Text(center(money(Decimal("1234.50"), "￥"), cols), bold=True),
        Text("0123456789" * (cols // 10) + "0123456789"[: cols % 10]),
        Text("一二三四五六七八九十" * (cols // 20) + "一二三四五六七八九十"[: (cols % 20) // 2]),
        Feed(),
        Barcode("TEST-000001"),
        Text(center("TEST-000001", cols)),
        QRCode("https://example.invalid/zhanggui/test"),
        Text(center(words.get("end", "End of test page"), cols)),
        Feed(2),
    ]
    if s.cut:
        out.append(Cut())
    return out
