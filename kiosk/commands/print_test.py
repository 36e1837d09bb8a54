"""``kiosk print-test --config FILE``: a test page on every printer the config names.

The receipt printer gets a page with every feature (Chinese, columns, sizes, QR,
barcode, cut) under print-then-commit; the A4 printer gets the sample certificate
through CUPS, followed until the job completes. One line per printer says what happened.
"""
from __future__ import annotations

import argparse
from datetime import datetime


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="terminal config (TOML)")
    parser.add_argument("--section", help="table of a multi-device file, e.g. terminal in config/demo.toml")


def _thermal(config, device) -> str:
    from drivers.printer.errors import PrinterError
    from drivers.printer.thermal import ThermalPrinter
    from kiosk.documents.receipts import Header, test_page

    printer = ThermalPrinter.from_config(device)
    header = Header(hall=config.device.hall or config.device.name or "自助终端", terminal_id=config.device.id)
    details = [("端口", device.port), ("型号配置", printer.profile.name), ("纸宽", f"{device.paper_width_mm}mm"),
               ("QR方式", "GS ( k" if printer.profile.native_qr else "光栅图像")]
    try:
        outcome = printer.print_job(test_page(header, datetime.now(), details, printer.profile))
    except PrinterError as exc:
        raise _Failed(f"{exc.reason}: {exc.detail}") from None
    return ("printed" if outcome.verified else "sent, not verified") + (f", {outcome.warning}" if outcome.warning else "")


def _a4(config, device) -> str:
    from drivers.printer.cups import A4PrintFailed, CupsPrinter
    from kiosk.documents.certificate import render_certificate
    from kiosk.documents.samples import sample_certificate

    printer = CupsPrinter.from_config(device)
    try:
        result = printer.print_pdf(render_certificate(sample_certificate()), "kiosk-print-test")
    except A4PrintFailed as exc:
        raise _Failed(f"{exc.reason}: {exc.detail}") from None
    return f"job {result.job_id} {result.state}"


class _Failed(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from kiosk.config import load_kiosk_config

    config = load_kiosk_config(args.config, args.section)
    targets = [(name, fn, dev) for name, fn in (("printer", _thermal), ("a4printer", _a4))
               if (dev := getattr(config.devices, name)) is not None]
    if not targets:
        print(f"{args.config}: no printer configured (devices.printer / devices.a4printer)")
        return 1
    failed = 0
    for name, fn, device in targets:
        try:
            print(f"{name}: {fn(config, device)}")
        except _Failed as exc:
            failed += 1
            print(f"{name}: FAILED {exc}")
    return 1 if failed else 0
