"""``kiosk sim NAME ...``: run one device simulator in the foreground.

Simulators speak the real protocol over the real transport (a pty, TCP 9100, vpcd), so
the app under test cannot tell them from hardware. Each entry names ``module:function``;
the function takes the remaining argv and returns an exit code.
"""
from __future__ import annotations

import argparse
import importlib

SIMULATORS: dict[str, tuple[str, str]] = {
    "printer": ("kiosk.stack.printer_sim:sim_main", "virtual ESC/POS receipt printer on TCP 9100 / pty"),
    "idcard": ("drivers.idcard.simulator:main", "SAM ID-card reader on a pty (fictitious cards, faults)"),
    "sscard": ("drivers.smartcard.simulator:main", "social-security + staff card for vsmartcard-vpcd"),
    "scanner": ("drivers.scanner.simulator:main", "serial QR/barcode scanner on a pty (codes, GBK, unplug)"),
    "window": ("kiosk.window_sim:main", "window/queue system driving an evaluator's local API (cases, invitations)"),
    "window-serial": ("drivers.windowline.simulator:main", "older queue system on a serial line (pty): CASE/INVITE/…"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(sorted(SIMULATORS)) or "none yet"
    parser.add_argument("name", help=f"which simulator ({names})")
    parser.add_argument("sim_args", nargs=argparse.REMAINDER, help="options of that simulator (NAME --help)")


def run(args: argparse.Namespace) -> int:
    if args.name not in SIMULATORS:
        print(f"kiosk sim: unknown simulator {args.name!r}; known: {', '.join(sorted(SIMULATORS))}")
        return 2
    target, _help = SIMULATORS[args.name]
    module_name, func_name = target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    return int(func(list(args.sim_args)) or 0)
