"""Scanners (wedge timing, serial on a pseudo-terminal, unplug and replug) and the pole display."""

from __future__ import annotations

import pytest

from devices.display import PoleDisplay, decode_frame, fit
from devices.errors import DeviceError
from devices.scanner import ScannerSettings, SerialScanner, WedgeDetector, clean_code
from devices.sim.scanner import PtyScanner
from devices.text import width
from devices.transport import DummyTransport
from tests.waiting import wait_for


def burst(detector: WedgeDetector, text: str, gap: float, start: float = 100.0) -> str | None:
    t = start
    for ch in text:
        detector.key(ch, t)
        t += gap
    return detector.enter(t)


@pytest.mark.parametrize("gap", [0.0, 0.002, 0.005, 0.010, 0.015])
def test_bursts_are_scans(gap: float) -> None:
    assert burst(WedgeDetector(), "6901234567892", gap) == "6901234567892"


@pytest.mark.parametrize("gap", [0.08, 0.15, 0.3])
def test_typing_is_not_a_scan(gap: float) -> None:
    assert burst(WedgeDetector(), "6901234567892", gap) is None


def test_a_scan_right_after_typing_is_still_a_scan() -> None:
    d = WedgeDetector()
    for i, ch in enumerate("abc"):  # someone typed slowly ...
        d.key(ch, 10.0 + i * 0.2)
    assert burst(d, "96385074", 0.005, start=12.0) == "96385074"  # ... then scanned


def test_one_slow_key_in_a_burst_breaks_it() -> None:
    d = WedgeDetector()
    for i, ch in enumerate("69012"):
        d.key(ch, 1.0 + i * 0.005)
    for i, ch in enumerate("34567892"):
        d.key(ch, 2.0 + i * 0.005)  # a one-second pause in the middle
    assert d.enter(2.05) == "34567892"  # only the part after the pause


def test_short_bursts_and_slow_enter() -> None:
    assert burst(WedgeDetector(min_length=4), "12", 0.005) is None
    d = WedgeDetector()
    for i, ch in enumerate("6901234567892"):
        d.key(ch, 1.0 + i * 0.005)
    assert d.enter(3.0) is None  # Enter pressed by hand two seconds later


def test_prefix_marks_a_scan_whatever_the_timing() -> None:
    assert burst(WedgeDetector(prefix="~"), "~6901234567892", 0.2) == "6901234567892"


def test_clean_code() -> None:
    s = ScannerSettings(strip_prefix="]E0", strip_suffix="#")
    assert clean_code("\x02]E06901234567892#\x03", s) == "6901234567892"




@pytest.mark.parametrize(("suffix", "raw"), [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n")])
def test_serial_scanner_on_a_pty_survives_an_unplug(suffix: str, raw: bytes) -> None:
    sim = PtyScanner(raw)
    codes: list[str] = []
    states: list[str] = []
    scanner = SerialScanner(ScannerSettings(url=f"serial://{sim.path}", suffix=suffix),
                            codes.append, on_state=lambda st, err: states.append(st),
                            backoff=(0.05, 0.1)).start()
    try:
        assert wait_for(lambda: states[-1:] == ["connected"])
        sim.scan("6901234567892")
        sim.scan(b"\x02\x07GARB\x00AGE\x1b42")  # control characters are dropped
        assert wait_for(lambda: len(codes) == 2)
        assert codes == ["6901234567892", "GARBAGE42"]
        sim.unplug()
        assert wait_for(lambda: states[-1:] == ["disconnected"])
        sim.plug()
        assert wait_for(lambda: states[-1:] == ["connected"])
        sim.scan("96385074")
        assert wait_for(lambda: codes[-1:] == ["96385074"])
    finally:
        scanner.stop()
        sim.close()


def test_a_missing_serial_port_reports_disconnected() -> None:
    states: list[tuple[str, DeviceError | None]] = []
    scanner = SerialScanner(ScannerSettings(url="serial:///dev/no-such-scanner"), print,
                            on_state=lambda st, err: states.append((st, err)),
                            backoff=(0.05,)).start()
    try:
        assert wait_for(lambda: bool(states))
        state, err = states[0]
        assert state == "disconnected" and err is not None and err.code == "not_found"
    finally:
        scanner.stop()


def test_pole_display_shows_item_and_total() -> None:
    transport = DummyTransport()
    display = PoleDisplay("dummy://", transport=transport)
    display.show_item("可口可乐 330ml 冰镇饮料", "3.50", "合计 TOTAL", "24.69")
    upper, lower = decode_frame(transport.jobs[-1])
    assert width(upper) == width(lower) == 20
    assert upper.endswith(" 3.50") and upper.startswith("可口可乐")
    assert lower.startswith("合计 TOTAL") and lower.endswith("24.69")


def test_fit_never_exceeds_twenty_columns() -> None:
    for left in ("", "a", "可" * 30, "x" * 40):
        for right in ("", "1.00", "12345.67"):
            assert width(fit(left, right)) == 20


def test_the_demo_scanner_scans_what_is_appended_to_its_feed(tmp_path) -> None:
    """`zhanggui demo --simulate`: a line added to scans.txt arrives over the serial port."""
    from tui.cli.devices import simulated_scanner

    feed = tmp_path / "scans.txt"
    feed.write_text("1111111111116\n")  # written before: not scanned
    codes: list[str] = []
    states: list[str] = []
    with simulated_scanner(feed) as (url, _path):
        scanner = SerialScanner(ScannerSettings(url=url), codes.append,
                                on_state=lambda st, err: states.append(st),
                                backoff=(0.05,)).start()
        try:
            assert wait_for(lambda: states[-1:] == ["connected"])
            with feed.open("a") as fh:
                fh.write("6910000000006\n\n6920000000005\n")
            assert wait_for(lambda: len(codes) == 2)
            assert codes == ["6910000000006", "6920000000005"]
        finally:
            scanner.stop()
