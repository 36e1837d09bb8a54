"""``kiosk screenshots --out DIR``: regenerate the screenshot gallery (runs the UI in a child)."""
from __future__ import annotations

import argparse
import subprocess
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="docs/screenshots", help="folder for the PNG files")


def run(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "screens.gallery", "--out", args.out])
