"""Serial scales: frames and answers parsed as the protocols describe them (bytes written out
by hand here), and both drivers reading a simulated scale on a pseudo-terminal — settling
goods, an empty platter, over capacity, the cable pulled and put back."""

from __future__ import annotations

import sys
import time
from decimal import Decimal

import pytest

from devices.errors import DeviceError
from devices.scale import ScaleSettings, open_scale, parse_continuous, parse_ecr
from devices.sim.scale import PtyScale

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
D = Decimal


def frame(swa: int, swb: int, weight: bytes, *, checksum: bool = True) -> bytes:
    body = bytes([0x02, swa, swb, 0x20]) + weight + b"000000\r"
    if checksum:  # what makes the 7-bit sum of the whole frame a multiple of 128
        body += bytes([(128 - sum(b & 0x7F for b in body) % 128) % 128])
    return body


def test_toledo_continuous_frames() -> None:
    # SWA 0x2D: decimal point XXX.XXX; SWB 0x30: kilograms, steady, positive.
    assert parse_continuous(frame(0x2D, 0x30, b"001234")) == parse_continuous(
        frame(0x2D, 0x30, b"001234"))
    reading = parse_continuous(frame(0x2D, 0x30, b"001234"))
    assert reading.kg == D("1.234") and reading.steady
    assert parse_continuous(frame(0x2C, 0x30, b"000150")).kg == D("1.50")  # XXXX.XX
    assert parse_continuous(frame(0x2D, 0x38, b"001234")).status == "motion"
    assert parse_continuous(frame(0x2D, 0x32, b"000020")).status == "negative"
    assert parse_continuous(frame(0x2D, 0x34, b"999999")).status == "over"
    assert parse_continuous(frame(0x2D, 0x20, b"001234")).status == "pounds"
    assert parse_continuous(frame(0x2D, 0x30, b"000000")).status == "zero"
    assert parse_continuous(frame(0x2D, 0x30, b"000500", checksum=False),
                            checksum=False).kg == D("0.500")
    bad = bytearray(frame(0x2D, 0x30, b"001234"))
    bad[9] = ord("5")  # one digit changed on the wire: the checksum catches it
    for garbage in (bytes(bad), frame(0x2D, 0x30, b"00A234"), b"\x02short\r",
                    frame(0x28, 0x30, b"001234")):  # 0x28: a decimal point retail never uses
        with pytest.raises(DeviceError) as err:
            parse_continuous(garbage)
        assert err.value.code == "garbage"


def test_toledo_ecr_answers() -> None:
    assert parse_ecr(b"\x0201.234\r").kg == D("1.234")
    assert parse_ecr(b"\x0201.234\r").steady
    assert parse_ecr(b"\x02 2.50KGN\r").kg == D("2.50")  # with units, net
    assert parse_ecr(b"\x0202.205LB\r").status == "pounds"
    assert parse_ecr(b"\x02?1\r").status == "motion"  # 0x31: in motion
    assert parse_ecr(b"\x02?2\r").status == "zero"  # 0x32: at zero
    assert parse_ecr(b"\x02?p2\r").status == "over"  # 0x70 another byte follows; 0x32
    assert parse_ecr(b"\x02?p1\r").status == "negative"  # 0x31: under zero
    for garbage in (b"\x02?\r", b"\x02abc\r", b"01.234\r", b"\x021234\r", b"\x02NaN.0\r"):
        with pytest.raises(DeviceError):
            parse_ecr(garbage)


@pytest.mark.parametrize("protocol", ["toledo-continuous", "toledo-ecr"])
def test_a_scale_on_a_pseudo_terminal(protocol: str) -> None:
    sim = PtyScale(protocol)
    scale = open_scale(ScaleSettings(url=sim.path, protocol=protocol))
    try:
        assert scale.stable_weight(1.0).status == "zero"  # nothing on it
        sim.put("0.486", moving=True)  # the bag still swinging
        assert scale.stable_weight(0.5).status == "motion"
        sim.put("0.512")
        reading = scale.stable_weight(2.0)
        assert reading.steady and reading.kg == D("0.512")
        sim.put("31.000", over=True)
        assert scale.stable_weight(1.0).status == "over"
        sim.put("-0.020")
        assert scale.stable_weight(1.0).status == "negative"
        sim.unplug()
        time.sleep(0.1)
        with pytest.raises(DeviceError) as err:
            scale.stable_weight(0.5)
        assert err.value.code in ("io", "not_found", "timeout")
        sim.plug()
        sim.put("1.250")
        assert scale.stable_weight(2.0).kg == D("1.250")  # back without restarting the till
    finally:
        scale.close()
        sim.close()
    if protocol == "toledo-ecr":
        assert sim.requests >= 5


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(DeviceError) as err:
        open_scale(ScaleSettings(url="/dev/null", protocol="dibal"))
    assert "toledo-continuous" in str(err.value)
