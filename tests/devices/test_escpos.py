"""Receipts to bytes: exact ESC/POS commands, and decoded receipts equal to their documents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.document import (
    Barcode,
    Cut,
    Drawer,
    QRCode,
    Receipt,
    ReceiptLine,
    TaxLine,
    TenderLine,
    Text,
)
from devices.escpos_render import barcode_bytes, drawer_kick, render
from devices.layout import WIDTHS, layout_receipt
from devices.sim.decoder import decode
from devices.text import width, wrap

D = Decimal


def sample_receipt(**over) -> Receipt:
    data = dict(
        shop_name="掌柜便利店", number="T1-000123", time="2026-11-25 14:03", cashier="收银员小王",
        terminal="T1",
        lines=[ReceiptLine("可口可乐 330ml（冰镇）", D(2), D("3.50"), D("7.00"), "瓶"),
               ReceiptLine("乐事薯片 番茄味 70g 家庭装 Lay's Potato Chips Tomato Family size",
                           D(1), D("7.50"), D("7.00"), "袋", D("0.50"), "会员价 Member price"),
               ReceiptLine("苹果", D("0.835"), D("12.80"), D("10.69"), "千克")],
        total=D("24.69"), tenders=[TenderLine("现金 Cash", D("50.00"))], change=D("25.31"),
        taxes=[TaxLine("增值税 13%", D("1.61")), TaxLine("增值税 9%", D("0.88"))],
        header_lines=["上海市徐汇区漕溪北路 88 号", "电话 021-5555-0100"],
        footer="谢谢惠顾，欢迎再来！ Thank you, come again!")
    data.update(over)
    return Receipt(**data)


def test_exact_command_bytes() -> None:
    assert render([], init=True) == b"\x1b@"
    assert render([Text("你好，￥1")], init=False) == (
        b"\x1c&\x1c!\x00" + "你好，￥1".encode("gb18030") + b"\x1c.\n")
    assert "，￥".encode("gb18030") == b"\xa3\xac\xa3\xa4"  # what python-escpos prints as ???
    assert render([Text("plain")], init=False) == b"plain\n"
    assert render([Cut()], init=False) == b"\x1bd\x06\x1dV\x00"
    assert render([Cut(partial=True)], init=False) == b"\x1bd\x06\x1dV\x01"
    assert render([Drawer(2)], init=False) == drawer_kick(2) == b"\x1bp\x00\x32\x32"
    assert drawer_kick(5) == b"\x1bp\x01\x32\x32"
    assert barcode_bytes("T1-000123") == (b"\x1ba\x01\x1dh\x40\x1dw\x02\x1dH\x00\x1dk\x49\x0b"
                                          b"{BT1-000123\n\x1ba\x00")
    assert render([QRCode("T1", size=4)], init=False) == (
        b"\x1ba\x01\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x04\x1d(k\x03\x001E0"
        b"\x1d(k\x05\x001P0T1\x1d(k\x03\x001Q0\x1ba\x00")


def test_style_is_sent_only_when_it_changes() -> None:
    data = render([Text("a"), Text("b"), Text("c", bold=True)], init=False)
    assert data.startswith(b"a\nb\n") and data.count(b"\x1bE\x01") == 1


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("code", ["barcode", "qr"])
def test_decoded_receipt_matches_its_document_line_by_line(columns: int, code: str) -> None:
    blocks = layout_receipt(sample_receipt(code=code), columns)
    decoded = decode(render(blocks))
    expected = [b.text for b in blocks if isinstance(b, Text)]
    assert [ln for ln in decoded.text if ln != ""] == expected
    assert all(width(line) <= columns for line in expected)
    assert decoded.unknown == []
    assert ("cut", "full") in decoded.events
    if code == "barcode":
        assert decoded.events_of("barcode") == [("barcode", 0x49, "T1-000123")]
    else:
        assert decoded.events_of("qr") == [("qr", "T1-000123")]
    total = next(ln for ln in decoded.lines if ln.text.endswith("￥24.69"))
    assert total.bold and total.double
    shop = decoded.lines[0]
    assert shop.text == "掌柜便利店" and shop.double


@pytest.mark.parametrize("columns", WIDTHS)
def test_amounts_are_right_aligned(columns: int) -> None:
    lines = [b.text for b in layout_receipt(sample_receipt(), columns) if isinstance(b, Text)]
    for amount in ("7.00", "-0.50", "10.69", "￥24.69", "50.00", "25.31"):
        line = next(ln for ln in lines if ln.endswith(amount))
        assert width(line) == columns


def test_english_printer_gets_a_code_page_yen() -> None:
    data = render([Text("Total ￥12.50")], chinese=False, init=False)
    assert b"\x9d12.50" in data and b"\x1c&" not in data


def test_receipt_json_round_trip() -> None:
    r = sample_receipt()
    assert Receipt.from_json(r.to_json()) == r


@settings(max_examples=200)
@given(st.lists(st.sampled_from([*list("可口乐￥，abcXYZ0123-"), "Coca-Cola", " ", "chips"]),
                max_size=60).map("".join), st.sampled_from(WIDTHS))
def test_wrap_never_exceeds_the_width(text: str, columns: int) -> None:
    lines = wrap(text, columns)
    assert all(width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_barcode_event_decodes_data() -> None:
    assert decode(render([Barcode("ABC-1")], init=False)).events == [("barcode", 0x49, "ABC-1")]


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_receipt_says_what_the_customer_saved(columns: int) -> None:
    """Each promotion by name on its line, then the whole saving — promotions, line and sale
    discounts — once at the foot; a receipt with none says nothing of it."""
    bundle = ReceiptLine("百岁山矿泉水 1.5L", D(3), D("4.00"), D("9.60"), "瓶",
                         promotions=[("三件特惠", D("2.40"))])
    r = sample_receipt(lines=[*sample_receipt().lines, bundle], sale_discount=D("1.00"))
    lines = [b.text for b in layout_receipt(r, columns) if isinstance(b, Text)]
    assert any(ln.startswith("  三件特惠") and ln.endswith("-2.40") for ln in lines)
    saved = [ln for ln in lines if ln.startswith("You saved")]
    assert saved == [saved[0]] and saved[0].endswith("￥3.90")  # 2.40 + 0.50 + 1.00
    assert width(saved[0]) == columns
    plain = sample_receipt(lines=[sample_receipt().lines[0]])
    assert not any(b.text.startswith("You saved") for b in layout_receipt(plain, columns)
                   if isinstance(b, Text))


@pytest.mark.parametrize(("columns", "dots"), [(32, 384), (48, 576)])
def test_a_logo_prints_within_the_paper_and_a_bad_one_never_stops_the_receipt(
        tmp_path, columns: int, dots: int) -> None:
    """The shop's logo ([printer] logo = a PNG) goes over TCP 9100 as a GS v 0 raster no wider
    than the paper: a 2,000-pixel logo is scaled to 384 dots on 58 mm paper, 576 on 80 mm.
    A moved file or one that is not an image prints the receipt without it."""
    from PIL import Image as Pillow

    from devices.printer import PrinterSettings, ReceiptPrinter
    from devices.sim.printer import PrinterSimulator
    from tests.waiting import wait_for

    wide = tmp_path / "logo.png"
    Pillow.new("L", (2000, 400), 0).save(wide)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    sim = PrinterSimulator().start()
    try:
        for logo in (str(wide), str(tmp_path / "gone.png"), str(broken)):
            printer = ReceiptPrinter(PrinterSettings(url=f"tcp://127.0.0.1:{sim.port}",
                                                     columns=columns, logo=logo))
            printer.print_job("receipt", sample_receipt().to_json())
        assert wait_for(lambda: len(sim.jobs) == 3, 5)
        images = [job.decoded.events_of("image") for job in sim.jobs]
        assert images[0] == [("image", dots, 400 * dots // 2000)]
        assert images[1] == images[2] == []  # printed without the logo
        assert all("T1-000123" in "\n".join(job.decoded.text) for job in sim.jobs)
    finally:
        sim.stop()
