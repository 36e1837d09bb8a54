"""The virtual printer's ESC/POS parser: structure of each command, and robustness (hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer import codes
from drivers.printer.encoder import ReceiptEncoder
from drivers.printer.virtual.events import (
    Barcode, ChineseMode, Cut, Ignored, Init, LineFeed, QrPrint, QrStore, Raster, StatusRequest, Style, Text, Unknown,
    coalesce,
)
from drivers.printer.virtual.parser import EscPosParser

from .helpers import events_of

COMMANDS = [codes.INIT, codes.CHINESE_ON, codes.CHINESE_OFF, codes.bold(True), codes.align("center"),
            codes.char_size(2, 2), codes.cut(), codes.status_request(4), b"\n", codes.feed_lines(2),
            codes.qr_function(80, b"0abc"), codes.raster(1, 2, b"\xff\x00"), b"\x1dk\x49\x04{B12",
            b"\x1dk\x04ABC\x00", "中文，".encode("gb18030"), b"plain text ", b"\x1b!\x38", b"\x1b*\x00\x02\x00\xff\xff"]


def _split_feed(data: bytes, cuts: list[int]) -> list:
    parser = EscPosParser()
    events, last = [], 0
    for cut in sorted(set(c % (len(data) + 1) for c in cuts)):
        events += parser.feed(data[last:cut])
        last = cut
    events += parser.feed(data[last:]) + parser.close()
    return coalesce(events)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=400))
def test_any_bytes_parse_without_error_and_consume_everything(data):
    parser = EscPosParser()
    parser.feed(data)
    parser.close()
    assert not parser._buf


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(COMMANDS), max_size=30).map(b"".join), st.lists(st.integers(0, 10_000), max_size=8))
def test_packet_boundaries_do_not_change_the_events(data, cuts):
    assert _split_feed(data, cuts) == events_of(data)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=200), st.lists(st.integers(0, 10_000), max_size=6))
def test_packet_boundaries_do_not_matter_for_garbage_either(data, cuts):
    assert _split_feed(data, cuts) == events_of(data)


def test_structure_of_commands():
    events = events_of(codes.INIT + codes.bold(True) + codes.char_size(3, 2) + codes.status_request(2)
                       + codes.cut(partial=False, feed_dots=10) + codes.cut(partial=True))
    assert events == [Init(), Style("bold", 1), Style("width", 3), Style("height", 2), StatusRequest(2),
                      Cut(partial=False, feed_dots=10), Cut(partial=True, feed_dots=0)]


def test_chinese_mode_decodes_gb18030_and_leaves_it_with_fs_dot():
    data = codes.CHINESE_ON + "办件，€𠀀".encode("gb18030") + codes.CHINESE_OFF + b"\x9c"
    assert events_of(data) == [ChineseMode(True), Text("办件，€𠀀"), ChineseMode(False), Text("£")]


def test_without_fs_ampersand_gb_bytes_print_as_code_page_characters():
    assert events_of("中".encode("gb18030")) == [Text("╓╨")]


def test_qr_raster_and_barcodes():
    data = ReceiptEncoder().qr("https://x.cn/q?c=1").getvalue()
    events = events_of(data)
    assert QrStore(b"https://x.cn/q?c=1") in events and QrPrint() in events
    assert events_of(codes.raster(2, 1, b"\x80\x01")) == [Raster(2, 1, b"\x80\x01", 0)]
    assert events_of(b"\x1dk\x49\x05{BA12") == [Barcode(73, b"{BA12")]
    assert events_of(b"\x1dk\x02123456789012\x00") == [Barcode(2, b"123456789012")]


def test_incomplete_and_unknown_commands():
    parser = EscPosParser()
    assert parser.feed(b"\x1dv0\x00\x01\x00\x02") == []  # waits for the rest of the header
    assert parser.feed(b"\x00\xff\xff") == [Raster(1, 2, b"\xff\xff", 0)]
    assert events_of(b"\x1b\x07") == [Unknown(b"\x1b\x07")]
    assert events_of(b"\x1bp\x00\x19\xfa") == [Ignored("drawer pulse", b"\x00\x19\xfa")]
    assert events_of(b"\x1d(k\x03\x00") == [Unknown(b"\x1d(k\x03\x00")]  # cut short at end of stream
    assert events_of(b"\n") == [LineFeed()]


def test_styles_and_logo_image_come_back_from_the_encoder():
    from PIL import Image, ImageDraw

    from .helpers import page_of

    logo = Image.new("L", (100, 30), 255)
    ImageDraw.Draw(logo).rectangle((10, 5, 60, 20), fill=0)
    data = ReceiptEncoder().line("标题", align="center", bold=True, size=2).image(logo, align="right").getvalue()
    page = page_of(data)
    title = page.lines[0]
    assert title.align == 1 and title.glyphs[0].bold and title.glyphs[0].width == 2 == title.glyphs[0].height
    picture = page.pictures[0]
    assert picture.kind == "raster" and picture.x == 576 - 104  # right-aligned, width padded to 104 dots
    assert picture.image.getpixel((10, 5)) == 0 and picture.image.getpixel((70, 5)) != 0
