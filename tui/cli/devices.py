"""`zhanggui devices …`: list and probe the configured devices, print a test page, read the
scale, simulate a printer, a scanner or a scale."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from devices.errors import DeviceError
from devices.printer import ReceiptPrinter
from devices.scale import Reading
from devices.scanner import open_scanner_port
from devices.text import pad_right
from devices.transport import open_transport
from store.core.config import Config
from store.core.i18n import _
from store.core.money import format_qty

from ..printing import device_message, printer_settings, test_page_payload
from ..weighing import Weigher
from .common import print_json


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dev = sub.add_parser("devices", help=_("printers, scanners and displays"))
    dsub = dev.add_subparsers(dest="devices_command", metavar=_("COMMAND"), required=True)
    ls = dsub.add_parser("list", help=_("show the configured devices and whether each answers"))
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    tp = dsub.add_parser("test-print", help=_("print a test page on the receipt printer"))
    tp.set_defaults(func=cmd_test_print)
    sim = dsub.add_parser("simulate", help=_("run a simulated device"))
    ssub = sim.add_subparsers(dest="simulate_command", metavar=_("DEVICE"), required=True)
    sp = ssub.add_parser("printer", help=_("a network receipt printer that shows what it prints"))
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=9100)
    sp.set_defaults(func=cmd_simulate_printer)
    sc = ssub.add_parser("scanner", help=_("a serial scanner on a pseudo-terminal"))
    sc.add_argument("--interval", type=float, default=2.0, metavar=_("SECONDS"),
                    help=_("seconds between scans"))
    sc.add_argument("--suffix", default="CR", choices=["CR", "LF", "CRLF"])
    sc.add_argument("codes", nargs="*", help=_("codes to scan (default: a few demo barcodes)"))
    sc.set_defaults(func=cmd_simulate_scanner)
    sw = ssub.add_parser("scale", help=_("a retail scale on a pseudo-terminal: type a weight "
                                         "in kg and Enter to put it on the platter"))
    sw.add_argument("--protocol", choices=["toledo-continuous", "toledo-ecr"],
                    default="toledo-continuous")
    sw.set_defaults(func=cmd_simulate_scale)
    we = dsub.add_parser("weigh", help=_("read the scale once: the weight and whether it is "
                                         "steady"))
    we.add_argument("--json", action="store_true", help=_("print JSON"))
    we.set_defaults(func=cmd_weigh)


def _probe(url: str) -> tuple[bool, str]:
    try:
        open_transport(url, timeout=2.0).probe()
    except DeviceError as err:
        return False, device_message(err)
    return True, _("answers")


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    rows: list[dict[str, Any]] = []
    ok, status = _probe(cfg.printer.url)
    rows.append({"device": "printer", "url": cfg.printer.url, "ok": ok, "status": status,
                 "columns": cfg.printer.columns, "profile": cfg.printer.profile})
    if cfg.scanner.url:
        ok, status = _probe_serial(cfg.scanner.url)
        rows.append({"device": "scanner", "url": cfg.scanner.url, "ok": ok, "status": status,
                     "suffix": cfg.scanner.suffix})
    else:
        rows.append({"device": "scanner", "url": "", "ok": True,
                     "status": _("keyboard wedge (nothing to configure)")})
    if cfg.scale.url:
        ok, status = _probe_scale(cfg)
        rows.append({"device": "scale", "url": cfg.scale.url, "ok": ok, "status": status,
                     "protocol": cfg.scale.protocol})
    if cfg.display.url:
        ok, status = _probe(cfg.display.url)
        rows.append({"device": "display", "url": cfg.display.url, "ok": ok, "status": status})
    if args.json:
        print_json(rows)
    else:
        names = {"printer": _("Printer"), "scanner": _("Scanner"), "scale": _("Scale"),
                 "display": _("Display")}
        for r in rows:
            mark = "✓" if r["ok"] else "✗"
            print(f"{mark} {pad_right(names[r['device']], 8)} {pad_right(r['url'] or '-', 32)} "
                  f"{r['status']}")
    return 0 if all(r["ok"] for r in rows) else 1


def _probe_serial(url: str) -> tuple[bool, str]:
    try:
        open_scanner_port(url, timeout=0.5).close()
    except DeviceError as err:
        return False, device_message(err)
    return True, _("answers")


def _weigh(cfg: Config) -> Reading:
    weigher = Weigher(cfg)
    try:
        return weigher.weigh()
    finally:
        weigher.close()


def _reading_text(reading: Reading) -> str:
    return {"steady": _("{kg} kg, steady"), "motion": _("{kg} kg, not steady"),
            "zero": _("answers, nothing on it"), "negative": _("below zero: zero the scale"),
            "over": _("over capacity"), "pounds": _("set to pounds: set it to kilograms"),
            }[reading.status].format(kg=format_qty(reading.kg))


def _probe_scale(cfg: Config) -> tuple[bool, str]:
    try:
        return True, _reading_text(_weigh(cfg))
    except DeviceError as err:
        return False, device_message(err)


def cmd_weigh(args: argparse.Namespace, cfg: Config) -> int:
    if not cfg.scale.url:
        print(_("error: no scale is configured: set [scale] url in the configuration file or "
                "ZHANGGUI_SCALE"), file=sys.stderr)
        return 1
    try:
        reading = _weigh(cfg)
    except DeviceError as err:
        print(_("error: {message}").format(message=device_message(err)), file=sys.stderr)
        return 1
    if args.json:
        print_json({"kg": reading.kg, "status": reading.status})
    else:
        print(_reading_text(reading))
    return 0 if reading.steady else 1


def cmd_simulate_scale(args: argparse.Namespace, cfg: Config) -> int:
    from devices.sim.scale import PtyScale

    scale = PtyScale(args.protocol)
    print(_("Simulated scale on {path}; set ZHANGGUI_SCALE=serial://{path} (protocol "
            "{protocol}). Type a weight in kg and Enter (~0.5 while it swings); Ctrl+D "
            "stops it.").format(path=scale.path, protocol=args.protocol), flush=True)
    try:
        for line in sys.stdin:
            text = line.strip()
            try:
                scale.put(text.lstrip("~") or "0", moving=text.startswith("~"))
            except ArithmeticError:
                print(_("error: '{value}' is not a weight in kg").format(value=text),
                      file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        scale.close()
    return 0


def cmd_test_print(args: argparse.Namespace, cfg: Config) -> int:
    try:
        printer = ReceiptPrinter(printer_settings(cfg))
        printer.print_job("test", test_page_payload())
    except DeviceError as err:
        print(_("error: {message}").format(message=device_message(err)), file=sys.stderr)
        return 1
    print(_("Test page sent to {url}").format(url=cfg.printer.url))
    return 0


def cmd_simulate_printer(args: argparse.Namespace, cfg: Config) -> int:
    from devices.sim.printer import Job, PrinterSimulator

    def show(job: Job) -> None:
        print("─" * 48)
        for line in job.decoded.text:
            print(line)
        for event in job.decoded.events:
            if event[0] != "init":
                print(f"  [{' '.join(map(str, event))}]")
        sys.stdout.flush()

    try:
        sim = PrinterSimulator(host=args.host, port=args.port, on_job=show).start()
    except OSError as exc:
        print(_("error: cannot listen on {host}:{port}: {reason}").format(
            host=args.host, port=args.port, reason=exc.strerror), file=sys.stderr)
        return 1
    print(_("Simulated printer listening on {host}:{port}; set ZHANGGUI_PRINTER=tcp://{host}:"
            "{port}. Ctrl+C stops it.").format(host=args.host, port=sim.port), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


@contextlib.contextmanager
def simulated_printer(receipts: Path) -> Iterator[tuple[str, Path]]:
    """A printer simulator on a free local port that appends each decoded job to `receipts`."""
    from devices.sim.printer import Job, PrinterSimulator

    receipts.parent.mkdir(parents=True, exist_ok=True)

    def save(job: Job) -> None:
        with receipts.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(["─" * 48, *job.decoded.text, ""]))

    sim = PrinterSimulator(on_job=save).start()
    try:
        yield f"tcp://127.0.0.1:{sim.port}", receipts
    finally:
        sim.stop()


@contextlib.contextmanager
def simulated_scanner(feed: Path) -> Iterator[tuple[str, Path]]:
    """A serial scanner on a pseudo-terminal that scans each line appended to `feed`: from
    another terminal, `echo 6910000000006 >> scans.txt` is a scan through a real serial port."""
    from devices.sim.scanner import PtyScanner

    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.touch()
    scanner = PtyScanner()
    stop = threading.Event()

    # Only what is written from now on: the end is found here, before anyone is told the
    # feed is ready, so a line appended at once is not skipped by a thread that starts late.
    fh = feed.open(encoding="utf-8", errors="replace")
    fh.seek(0, os.SEEK_END)

    def follow() -> None:
        pending = ""  # a line caught half-written waits for its end
        while not stop.is_set():
            pending += fh.readline()
            if not pending.endswith("\n"):
                stop.wait(0.1)
                continue
            code, pending = pending.strip(), ""
            if code:
                with contextlib.suppress(OSError):
                    scanner.scan(code)

    thread = threading.Thread(target=follow, name="scanner-feed", daemon=True)
    thread.start()
    try:
        yield f"serial://{scanner.path}", feed
    finally:
        stop.set()
        thread.join(timeout=1)
        fh.close()
        scanner.close()


@contextlib.contextmanager
def simulated_scale(platter: Path) -> Iterator[str]:
    """A continuous-output scale on a pseudo-terminal weighing what `platter` says: from
    another terminal, `echo 0.735 > weight.txt` puts 0.735 kg on it (`~0.7` while it swings,
    `0` takes it off)."""
    from devices.sim.scale import PtyScale

    platter.parent.mkdir(parents=True, exist_ok=True)
    platter.write_text("0\n", encoding="utf-8")
    scale = PtyScale()
    stop = threading.Event()

    def follow() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError, ArithmeticError, ValueError):
                text = platter.read_text(encoding="utf-8").strip() or "0"
                scale.put(text.lstrip("~"), moving=text.startswith("~"))
            stop.wait(0.2)

    thread = threading.Thread(target=follow, name="scale-platter", daemon=True)
    thread.start()
    try:
        yield f"serial://{scale.path}"
    finally:
        stop.set()
        thread.join(timeout=1)
        scale.close()


DEMO_CODES = ["6910000000006", "16910000000003", "6920000000005", "P0000010", "6930000000004"]


def cmd_simulate_scanner(args: argparse.Namespace, cfg: Config) -> int:
    from devices.scanner import SUFFIXES
    from devices.sim.scanner import PtyScanner

    scanner = PtyScanner(SUFFIXES[args.suffix])
    print(_("Simulated scanner on {path}; set ZHANGGUI_SCANNER=serial://{path}. "
            "Ctrl+C stops it.").format(path=scanner.path), flush=True)
    codes = args.codes or DEMO_CODES
    try:
        i = 0
        while True:
            time.sleep(args.interval)
            scanner.scan(codes[i % len(codes)])
            print(_("scanned {code}").format(code=codes[i % len(codes)]), flush=True)
            i += 1
    except KeyboardInterrupt:
        pass
    finally:
        scanner.close()
    return 0
