"""``kiosk print-text --printer PORT TEXT...``: print lines as one receipt, then cut.

A diagnostic for technicians and the acceptance tests: the lines go through the same
encoder and print-then-commit path as real receipts, so Chinese text, wrapping and the
printer's status checks are exercised end to end (``file:OUT.bin`` writes the bytes).
"""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", required=True, metavar="PORT",
                        help="file:OUT.bin, host:9100, /dev/ttyUSB0 or usb:VID:PID")
    parser.add_argument("--paper-width", type=int, choices=(58, 80), default=80)
    parser.add_argument("--profile", default="default", help="printer capability profile")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the printer")
    parser.add_argument("text", nargs="+", metavar="TEXT", help="one line each (Chinese allowed)")


def run(args: argparse.Namespace) -> int:
    from drivers.ports import PortSyntaxError
    from drivers.printer.encoder import ReceiptEncoder
    from drivers.printer.errors import PrinterError
    from drivers.printer.profiles import UnknownProfile, get_profile
    from drivers.printer.thermal import ThermalPrinter

    try:
        profile = get_profile(args.profile, args.paper_width)
        printer = ThermalPrinter(args.printer, profile, timeout_s=args.timeout)
    except PortSyntaxError as exc:
        print(f"kiosk print-text: --printer: {exc}", file=sys.stderr)
        return 2
    except UnknownProfile:
        print(f"kiosk print-text: --profile: unknown printer profile {args.profile!r}", file=sys.stderr)
        return 2
    encoder = ReceiptEncoder(profile)
    for line in args.text:
        encoder.line(line)
    try:
        outcome = printer.print_job(encoder.cut().getvalue())
    except PrinterError as exc:
        print(f"print failed: {exc.reason} ({exc.detail})", file=sys.stderr)
        return 1
    state = "printed" if outcome.verified else "sent (no status on this transport)"
    print(f"{state}: {outcome.bytes_sent} bytes to {printer.spec}" + (f"; {outcome.warning}" if outcome.warning else ""))
    return 0
