"""The print queue end to end: the store's queue, the worker thread, the TCP printer simulator."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from devices.document import Receipt, ReceiptLine, TenderLine
from devices.print_worker import PrintWorker
from devices.printer import PrinterSettings, ReceiptPrinter
from devices.sim.printer import PrinterSimulator
from store.shops import printing
from tests.waiting import wait_for as _wait_for
from tui.printing import StoreJobSource


def wait_for(predicate, seconds: float = 10.0) -> bool:  # this file's bound
    return _wait_for(predicate, seconds)


def receipt_json(n: int) -> str:
    return Receipt("掌柜便利店", f"T1-{n:06d}", "2026-11-25 14:03", "收银员小王", "T1",
                   [ReceiptLine("可口可乐 330ml", Decimal(1), Decimal("3.50"), Decimal("3.50"))],
                   Decimal("3.50"), [TenderLine("现金", Decimal("5.00"))], Decimal("1.50")
                   ).to_json()




@pytest.fixture
def sim():
    simulator = PrinterSimulator().start()
    yield simulator
    simulator.stop()


def make_worker(sim: PrinterSimulator, **kw) -> PrintWorker:
    printer = ReceiptPrinter(PrinterSettings(url=f"tcp://127.0.0.1:{sim.port}", columns=32,
                                             timeout=0.5))
    return PrintWorker(StoreJobSource("T1"), printer, poll=0.05, backoff=(0.05, 0.1, 0.2),
                       **kw)


def test_receipts_queued_while_the_printer_is_down_print_once_in_order(db, sim) -> None:
    states = []
    sim.set_mode("refuse")
    worker = make_worker(sim, on_state=states.append).start()
    try:
        for n in range(1, 21):  # 20 sales while the printer is off
            printing.enqueue("T1", "receipt", receipt_json(n), reference=f"T1-{n:06d}")
            worker.wake()
        assert wait_for(lambda: any(s.status == "error" for s in states))
        assert printing.state("T1").queued == 20 and sim.jobs == []
        assert "offline" in printing.state("T1").last_error
        sim.set_mode("ok")  # the printer is back
        assert wait_for(lambda: printing.state("T1").queued == 0)
    finally:
        worker.stop()
    numbers = [next(line for line in job.decoded.text if line.startswith("No. ")).split()[1]
               for job in sim.jobs]
    assert numbers == [f"T1-{n:06d}" for n in range(1, 21)]  # each once, in order
    assert printing.printed_references("T1") == numbers
    assert states[-1].status == "ready"


def test_a_printer_that_drops_mid_job_gets_the_job_again(db, sim) -> None:
    sim.set_mode("drop")
    worker = make_worker(sim).start()
    try:
        printing.enqueue("T1", "receipt", receipt_json(1), reference="T1-000001")
        assert wait_for(lambda: sim.aborted >= 1)
        sim.set_mode("ok")
        assert wait_for(lambda: printing.state("T1").queued == 0)
    finally:
        worker.stop()
    assert len(sim.jobs) == 1  # the complete receipt, once


def test_a_job_that_cannot_print_does_not_block_the_queue(db, sim) -> None:
    bad = printing.enqueue("T1", "receipt", "{not json", reference="BAD")
    printing.enqueue("T1", "lines", json.dumps({"title": "X 报表", "rows": [["现金", "1.00"]]}),
                     reference="X1")
    worker = make_worker(sim).start()
    try:
        assert wait_for(lambda: printing.state("T1").queued == 0)
    finally:
        worker.stop()
    assert printing.printed_references("T1") == ["X1"]
    assert sim.jobs[0].decoded.text[0] == "X 报表"
    from store.models import PrintJob

    assert PrintJob.get_by_id(bad).status == "cancelled"


def test_queue_survives_a_restart_and_retried_enqueue_does_not_duplicate(db_url) -> None:
    """A till process queues a job and ends (power cut before it printed); the next process
    finds the job queued, and the same job queued again after the restart is not doubled."""
    import subprocess
    import sys
    import uuid

    from store import bootstrap

    key = uuid.uuid4()
    child = subprocess.run(
        [sys.executable, "-c",
         "import sys, uuid\n"
         "from store import bootstrap\n"
         "from store.shops import printing\n"
         "bootstrap.open_store(sys.argv[1])\n"
         "print(printing.enqueue('T1', 'drawer', '', job_uuid=uuid.UUID(sys.argv[2])))\n"
         "import os; os._exit(0)  # no clean shutdown: the process is gone\n",
         db_url, str(key)], capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    first = int(child.stdout.strip())
    bootstrap.open_store(db_url)  # this process: the till started again
    assert printing.state("T1").queued == 1 and printing.next_job("T1").id == first
    assert printing.enqueue("T1", "drawer", "", job_uuid=key) == first
    printing.enqueue("T2", "drawer", "")  # another terminal's printer
    assert printing.state("T1").queued == 1 and printing.next_job("T1").id == first


def test_reprint_queues_a_copy(db, sim) -> None:
    job = printing.enqueue("T1", "receipt", receipt_json(7), reference="T1-000007")
    printing.mark_printed(job)
    again = printing.reprint(job)
    assert again != job and printing.next_job("T1").id == again
