"""Encoder -> virtual printer -> text: every character comes back as it went in.

"All of GB18030's common range": the whole GBK double-byte table (GB2312 symbols, full-
width punctuation and forms, level 1 and 2 hanzi, and the GBK extension), plus a sample of
four-byte GB18030 characters (CJK Extension B, symbols outside GBK).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.encoder import ReceiptEncoder, encode_text
from drivers.printer.profiles import get_profile
from drivers.printer.thermal import ThermalPrinter
from drivers.printer.width import text_columns

from .helpers import page_of


def _gbk_characters() -> list[str]:
    chars = []
    for lead in range(0x81, 0xFF):
        for trail in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)):
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if ch.isprintable() and not ch.isascii():
                chars.append(ch)
    return chars


GBK = _gbk_characters()
GB2312 = [c for c in GBK if len(c.encode("gb2312", errors="ignore")) == 2]
FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + list("，。、；：？！“”‘’《》（）【】—…·￥")
FOUR_BYTE = ["𠀀", "𠀁", "𪚥", "€", "•", "🀄", "\u3400", "\u4db5", "\u9fa6", "\u20ac"]


def _chunks(chars: list[str], size: int) -> list[str]:
    return ["".join(chars[i:i + size]) for i in range(0, len(chars), size)]


def test_the_character_sets_are_complete():
    assert len(GB2312) >= 6763 + 682 - 10  # hanzi levels 1+2 and the GB2312 symbols
    assert {"啊", "座", "亍", "齄", "，", "。", "“", "《", "ａ", "～"} <= set(GB2312)  # first/last of each level
    assert len(GBK) > 21000
    assert sum(len(c.encode("gb18030")) == 4 for c in FOUR_BYTE) >= 6


@pytest.mark.parametrize("paper", [80, 58])
def test_all_gbk_characters_and_full_width_punctuation_come_back(paper):
    profile = get_profile("default", paper)
    lines = _chunks(GBK + FULL_WIDTH + FOUR_BYTE, profile.columns // 2)
    encoder = ReceiptEncoder(profile)
    for line in lines:
        encoder.line(line)
    page = page_of(encoder.cut().getvalue(), profile.dots_per_line)
    assert page.text_lines() == lines  # same lines: our layout and the printer's agree, no auto-wrap


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(st.sampled_from(GB2312[:800] + FULL_WIDTH + list("abcXYZ 0189:/-")), max_size=120))
def test_mixed_text_round_trips_through_wrapping(text):
    encoder = ReceiptEncoder()
    encoder.line(text)
    lines = page_of(encoder.getvalue()).text_lines()
    assert "".join(lines).replace(" ", "") == text.strip().replace(" ", "")
    assert all(text_columns(line) <= 48 for line in lines)


def test_ascii_takes_the_fast_path():
    assert encode_text("BJ2026 ok") == b"BJ2026 ok"
    assert encode_text("号A") == b"\x1c&" + "号".encode("gb18030") + b"\x1c.A"


def test_a_receipt_through_tcp_comes_back_the_same(printer_sim):
    lines = _chunks(GB2312[:2000] + FULL_WIDTH, 24)
    encoder = ReceiptEncoder()
    for line in lines:
        encoder.line(line)
    outcome = ThermalPrinter(printer_sim.port, timeout_s=5).print_job(encoder.cut().getvalue())
    assert outcome.verified
    assert printer_sim.device.state.jobs[-1].text == lines
