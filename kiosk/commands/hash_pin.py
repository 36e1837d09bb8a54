"""``kiosk hash-pin``: print the hash to put in ``maintenance.pin_hash``."""
from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.pin import hash_pin


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pin", help="the PIN (asked for when omitted; avoid shell history)")


def run(args: argparse.Namespace) -> int:
    pin = args.pin if args.pin is not None else getpass.getpass("PIN: ")
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        print("kiosk hash-pin: a PIN is 4 to 12 digits (the maintenance keypad has only digits)", file=sys.stderr)
        return 2
    print(hash_pin(pin))
    return 0
