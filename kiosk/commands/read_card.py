"""``kiosk read-card``: wait for one card and print what it says, as one JSON object.

Used for acceptance and by technicians, so the output is a stable contract: keys
``card_type name sex nation birth_date address id_number_masked issuer valid_from
valid_until``. The full ID number is printed only with ``--unmasked`` (as an extra
``id_number`` key). Any reader error is one line on stderr and a non-zero exit.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

EXIT_NO_CARD = 3
EXIT_READER = 4
EXIT_CARD_DATA = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--idcard", metavar="PORT", help="SAM ID-card reader on this serial port")
    source.add_argument("--pcsc", nargs="?", const="", metavar="READER",
                        help="social-security card in this PC/SC reader (name substring; default: first)")
    parser.add_argument("--json", action="store_true", help="print JSON (the only format; kept for scripts)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card (default 10)")
    parser.add_argument("--unmasked", action="store_true", help="also print the full ID number")
    parser.add_argument("--baudrate", type=int, default=115200, help="ID-card reader speed (fallback 9600)")


def run(args: argparse.Namespace) -> int:
    from kiosk.privacy import mask_id_number

    try:
        if args.idcard is not None:
            identity = _wait_idcard(args)
        else:
            identity = _wait_sscard(args)
    except _Failure as exc:
        print(f"kiosk read-card: {exc.message}", file=sys.stderr)
        return exc.code
    out = identity.public_dict(mask_id_number(identity.id_number))
    if args.unmasked:
        out["id_number"] = identity.id_number
    print(json.dumps(out, ensure_ascii=False))
    return 0


class _Failure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _wait_idcard(args: argparse.Namespace):
    from drivers.idcard.errors import CardDataError, IdCardError, NoCardError
    from drivers.idcard.reader import SamReader

    deadline = time.monotonic() + args.timeout
    try:
        reader = SamReader.open(args.idcard, baudrate=args.baudrate)
    except IdCardError as exc:
        raise _Failure(EXIT_READER, f"ID-card reader on {args.idcard}: {exc}") from None
    with reader:
        while True:
            try:
                return reader.read_identity()
            except NoCardError:
                pass
            except CardDataError as exc:
                raise _Failure(EXIT_CARD_DATA, f"card refused: {exc}") from None
            except IdCardError as exc:
                raise _Failure(EXIT_READER, f"ID-card reader on {args.idcard}: {exc}") from None
            if time.monotonic() >= deadline:
                raise _Failure(EXIT_NO_CARD, f"no card within {args.timeout:g} s")
            time.sleep(0.1)


def _wait_sscard(args: argparse.Namespace):
    from drivers.smartcard.errors import CardDataError as SsDataError
    from drivers.smartcard.errors import NoCardError as SsNoCard
    from drivers.smartcard.errors import SmartCardError, StatusWordError
    from drivers.smartcard.pcsc import PcscSession
    from drivers.smartcard.sscard import read_sscard

    deadline = time.monotonic() + args.timeout
    session = PcscSession()
    try:
        while True:
            try:
                with session.connect(args.pcsc) as conn:
                    return read_sscard(conn)
            except SsNoCard:
                pass
            except (SsDataError, StatusWordError) as exc:  # the card answered, but not as a 社保卡
                raise _Failure(EXIT_CARD_DATA, f"card refused: {exc}") from None
            except SmartCardError as exc:
                raise _Failure(EXIT_READER, f"PC/SC: {exc}") from None
            if time.monotonic() >= deadline:
                raise _Failure(EXIT_NO_CARD, f"no card within {args.timeout:g} s")
            time.sleep(0.2)
    finally:
        session.close()
