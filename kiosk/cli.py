"""``kiosk``: the one command for terminals, evaluators, simulators and diagnostics.

Each sub-command lives in its own module under ``kiosk.commands`` and is imported only
when it is run, so ``kiosk run`` does not pay for OpenCV or pyscard at start-up.
A module provides ``add_arguments(parser)`` and ``run(args) -> int``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from kiosk.errors import ConfigError

# name -> (module under kiosk.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run the terminal or evaluator UI under its liveness supervisor"),
    "doctor": ("doctor", "validate a config and probe every configured device and the server link"),
    "demo": ("demo", "start the server, a terminal and an evaluator with simulated devices"),
    "sim": ("sim", "run a device simulator (see `kiosk sim --help`)"),
    "read-card": ("read_card", "wait for an ID card or social-security card and print it as JSON"),
    "hash-pin": ("hash_pin", "make the maintenance PIN hash for a config file"),
    "screenshots": ("screenshots", "regenerate docs/screenshots from the real app under Xvfb"),
    "print-text": ("print_text", "print lines as one receipt with a cut (e.g. --printer file:OUT.bin)"),
    "print-test": ("print_test", "print a test page on every printer of a config"),
    "scan": ("scan", "decode the QR/barcodes in an image file (--json for the acceptance format)"),
    "report-status": ("report_status", "pending events, last upload and server link state of this device"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``only``, just that command's arguments are loaded (the others keep
    their one-line help). ``kiosk run`` then imports no other command's module before it
    starts the UI, which is on the start-up critical path (bench/startup.py)."""
    parser = argparse.ArgumentParser(prog="kiosk", description="政务服务自助终端 / government service kiosk")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(_module=module_name)
        if only is None or name == only:
            _load(module_name).add_arguments(sub)
    return parser


def _load(module_name: str):
    return importlib.import_module(f"kiosk.commands.{module_name}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    first = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(first if first in COMMANDS else None).parse_args(argv)
    try:
        return int(_load(args._module).run(args) or 0)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
