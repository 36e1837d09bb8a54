"""``kiosk scan --image FILE [--json]``: decode the codes in one picture (diagnostics, acceptance).

With ``--json`` it prints a JSON list, one object per code, with the keys ``format``,
``text``, ``bytes_hex`` and ``encoding`` (``utf-8``, ``gb18030`` or ``binary``); this
shape is an acceptance contract, keep it stable. A file that is missing or not an image
prints one line on stderr and exits 1.
"""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--image", required=True, metavar="FILE", help="a picture (PNG, JPEG, BMP...)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of one line per code")


def run(args: argparse.Namespace) -> int:
    from drivers.scanner.decoder import UnreadableImage, decode_image

    try:
        codes = decode_image(args.image)
    except UnreadableImage:
        print(f"kiosk scan: cannot read {args.image} as an image", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([c.as_json() for c in codes], ensure_ascii=False))
    else:
        for code in codes:
            print(f"{code.format}\t{code.encoding}\t{code.text}")
        if not codes:
            print("no code found", file=sys.stderr)
    return 0
