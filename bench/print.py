"""Encode a full receipt with our encoder and with python-escpos's ``text()``; time and correctness.

Both outputs are decoded by the virtual printer's parser (what a printer in its power-on
state would print), and every character that differs from the input counts as wrong.
Target: zero wrong characters for ours, and our time <= python-escpos's. Prints the ratio
(ours / python-escpos); exits 1 when the target is missed.
"""
from __future__ import annotations

import difflib
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.printer.encoder import ReceiptEncoder  # noqa: E402
from drivers.printer.virtual.page import Page  # noqa: E402
from drivers.printer.virtual.parser import EscPosParser  # noqa: E402
from kiosk.documents import receipts, samples  # noqa: E402

ROUNDS = 200


def receipt_lines() -> list[str]:
    """The text of a real 受理凭证 plus a service guide: Chinese, full-width punctuation, ASCII."""
    lines: list[str] = []
    for data in (receipts.acceptance_receipt(samples.ACCEPTANCE, samples.HEADER),
                 receipts.service_guide(samples.GUIDE, samples.HEADER)):
        lines += printed_lines(data)
    return [line for line in lines if line.strip()]


def printed_lines(data: bytes) -> list[str]:
    page, parser = Page(), EscPosParser()
    for event in parser.feed(data) + parser.close():
        page.apply(event)
    page.finish()
    return page.text_lines()


def ours(lines: list[str]) -> bytes:
    encoder = ReceiptEncoder()
    for line in lines:
        encoder.line(line)
    return encoder.getvalue()


def make_escpos():
    from escpos.printer import Dummy

    return Dummy()


def theirs(printer, lines: list[str]) -> bytes:
    printer.clear()
    printer.hw("INIT")
    for line in lines:
        printer.textln(line)
    return printer.output


def wrong_characters(expected: list[str], got: list[str]) -> int:
    a, b = "\n".join(expected), "\n".join(got)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return max(len(a), len(b)) - same


def timed(fn, *args) -> tuple[float, bytes]:
    fn(*args)  # warm-up (imports, caches)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        out = fn(*args)
    return (time.perf_counter() - start) / ROUNDS, out


def main() -> int:
    lines = receipt_lines()
    chars = sum(len(line) for line in lines)
    printer = make_escpos()
    t_ours, b_ours = timed(ours, lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_theirs, b_theirs = timed(theirs, printer, lines)
    w_ours = wrong_characters(lines, printed_lines(b_ours))
    w_theirs = wrong_characters(lines, printed_lines(b_theirs))
    ratio = t_ours / t_theirs
    print(f"receipt: {len(lines)} lines, {chars} characters; {ROUNDS} rounds each")
    print(f"ours          {t_ours * 1e3:8.3f} ms  {len(b_ours):6d} bytes  wrong characters: {w_ours}")
    print(f"python-escpos {t_theirs * 1e3:8.3f} ms  {len(b_theirs):6d} bytes  wrong characters: {w_theirs}")
    print(f"ratio (ours / python-escpos time): {ratio:.3f}  target <= 1.0 with 0 wrong")
    return 0 if (w_ours == 0 and ratio <= 1.0) else 1


if __name__ == "__main__":
    sys.exit(main())
