"""A terminal-like process for the print power-cut test: print jobs and record them, until killed.

Run as ``python -m tests.powercut.print_client DATA_DIR FIRST thermal HOST:PORT`` (receipts
through :func:`kiosk.journeys.thermal.print_receipt_bytes` to the virtual ESC/POS printer) or
``... FIRST a4 CUPS_SERVER QUEUE TITLE_PREFIX`` (certificates through
:func:`kiosk.journeys.printing.print_certificate` and the private CUPS). Events go to the real
outbox in DATA_DIR, as the app's ``record`` puts them there; each job's number ``n`` is in its
receipt (document number ``PC-n``) or its CUPS job title, and added to its events as ``job``.

It prints one line per phase, flushed, so the test can tell where a kill landed:
``send n`` before the job goes out, ``confirmed n`` when the printer confirmed it (the driver
returned and the journey is recording), ``recorded n`` once the outbox has the event.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from kiosk.outbox import Outbox

DEVICE_ID = "powercut-printer"


def job_tag(n: int) -> str:
    return f"PC-{n:06d}"


def recorder(outbox: Outbox, n: int) -> Callable[[str, dict], None]:
    def record(kind: str, payload: dict) -> None:
        print("confirmed", n, kind, flush=True)
        outbox.enqueue(kind, {**payload, "job": n})
        print("recorded", n, kind, flush=True)

    return record


def thermal_jobs(outbox: Outbox, first: int, port: str) -> None:
    from kiosk.config import ThermalPrinterConfig
    from kiosk.documents.receipts import Header, PrintReceipt, print_receipt
    from kiosk.journeys.printing import PrintError
    from kiosk.journeys.thermal import print_receipt_bytes

    config = SimpleNamespace(devices=SimpleNamespace(printer=ThermalPrinterConfig(port=port, timeout_s=5)))
    header = Header(hall="停电测试大厅", terminal_id="T-PC", phone="12345")
    n = first
    while True:
        receipt = PrintReceipt(document_title="参保缴费证明", document_number=job_tag(n), pages=1, copies=1,
                               verify_code=f"V{n:06d}", verify_url=f"https://example.invalid/v/{n}",
                               owner_name="张三", printed_at=dt.datetime(2026, 11, 23, 9, 0))
        data = print_receipt(receipt, header)
        print("send", n, flush=True)
        try:
            print_receipt_bytes(config, data, "print_receipt", recorder(outbox, n))
        except PrintError as exc:
            print("failed", n, exc.reason, flush=True)
        n += 1


def a4_jobs(outbox: Outbox, first: int, server: str, queue: str, prefix: str) -> None:
    from drivers.printer.cups import CupsPrinter
    from kiosk.documents.certificate import render_certificate
    from kiosk.documents.samples import sample_certificate
    from kiosk.journeys.printing import PrintError, print_certificate

    cert = sample_certificate()
    pdf = render_certificate(cert)
    printer = CupsPrinter(queue, server, job_timeout_s=60, poll_s=0.1)
    n = first
    while True:
        print("send", n, flush=True)
        try:
            print_certificate(printer, cert, pdf, 1, recorder(outbox, n), job_title=f"{prefix}{n:06d}")
        except PrintError as exc:
            print("failed", n, exc.reason, flush=True)
        n += 1


def main(argv: list[str]) -> int:
    data_dir, first, mode = Path(argv[0]), int(argv[1]), argv[2]
    outbox = Outbox(data_dir / "outbox.sqlite3", DEVICE_ID)
    print("ready", outbox.last_seq(), flush=True)
    if mode == "thermal":
        thermal_jobs(outbox, first, argv[3])
    else:
        a4_jobs(outbox, first, argv[3], argv[4], argv[5])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
