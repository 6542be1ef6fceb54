"""Transports against the TCP printer simulator, and every bad URL as a clear error code."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.document import Cut, Text
from devices.errors import DeviceError
from devices.escpos_render import render
from devices.sim.printer import PrinterSimulator
from devices.transport import DummyTransport, FileTransport, open_transport
from tests.waiting import wait_for as _wait_for


def wait_for(predicate, seconds: float = 3.0) -> bool:  # this file's bound
    return _wait_for(predicate, seconds)


@pytest.fixture
def sim():
    simulator = PrinterSimulator().start()
    yield simulator
    simulator.stop()




JOB = render([Text("测试 ￥1.00"), Cut()])


def test_a_job_arrives_decoded(sim) -> None:
    open_transport(f"tcp://127.0.0.1:{sim.port}", timeout=2).send(JOB)
    assert wait_for(lambda: len(sim.jobs) == 1)
    assert sim.jobs[0].decoded.text[0] == "测试 ￥1.00"
    assert sim.jobs[0].decoded.events_of("cut")


@pytest.mark.parametrize(("mode", "code"), [("paper_out", "paper_out"), ("refuse", "offline"),
                                            ("stall", "timeout"), ("drop", "offline"),
                                            ("garbage", "garbage")])
def test_faults_fail_the_attempt_with_a_code(sim, mode: str, code: str) -> None:
    sim.set_mode(mode)
    t = open_transport(f"tcp://127.0.0.1:{sim.port}", timeout=0.5)
    with pytest.raises(DeviceError) as err:
        t.send(render([Text("x" * 200), Cut()]))
    assert err.value.code == code
    sim.set_mode("ok")
    t.send(JOB)
    assert wait_for(lambda: len(sim.jobs) == 1)  # and it prints again once the fault is gone


def test_probe(sim) -> None:
    t = open_transport(f"tcp://127.0.0.1:{sim.port}", timeout=0.5)
    t.probe()
    sim.set_mode("paper_out")
    with pytest.raises(DeviceError, match="paper"):
        t.probe()
    assert sim.jobs == []  # a probe is not a job


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://printer", "unknown_scheme"), ("tcp://", "bad_url"), ("usb://zz:1", "bad_url"),
    ("serial:///dev/does-not-exist", "not_found"), ("file:///no/such/dir/lp0", "not_found"),
    ("serial:///dev/ttyS0?baudrate=fast", "bad_url"),
])
def test_bad_device_urls(url: str, code: str) -> None:
    with pytest.raises(DeviceError) as err:
        open_transport(url).probe()
    assert err.value.code == code


def test_file_and_dummy(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    t = open_transport(f"file://{target}")
    assert isinstance(t, FileTransport)
    t.send(JOB)
    t.send(JOB)
    assert target.read_bytes() == JOB * 2
    d = open_transport("dummy://")
    assert isinstance(d, DummyTransport)
    d.send(JOB)
    assert d.jobs == [JOB]


def test_usb_without_pyusb_says_which_extra_to_install(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "usb", None)  # as on a machine without pyusb
    monkeypatch.setitem(sys.modules, "usb.core", None)
    with pytest.raises(DeviceError) as err:
        open_transport("usb://04b8:0e15").probe()
    assert err.value.code == "usb_missing" and "zhanggui[usb]" in str(err.value)
