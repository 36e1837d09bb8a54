"""An incremental ESC/POS parser: bytes in (in packets of any size), events out.

It is written from the command structure of the ESC/POS reference: each command has a
known number of parameter bytes, or a length inside it (``GS ( k pL pH``, ``GS v 0 xL xH yL
yH``, ``GS k m n``), or a terminator (``GS k m ... NUL``). A command cut in two by the
network waits in the buffer for its rest, so the events do not depend on packet
boundaries (a property test checks that). Text is decoded the way the printer would: in
Chinese mode (after ``FS &``) as GB18030, one to four bytes per character; otherwise one
byte per character in the code page chosen with ``ESC t``.

Commands are looked up in tables by their first two bytes, one small handler each, so a
new command is one line, and an unknown one becomes an ``Unknown`` event instead of an
exception: a printer never refuses bytes.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable

from drivers.printer import codes
from drivers.printer.virtual.events import (
    Barcode, ChineseMode, CodePage, Cut, Event, FeedDots, FeedLines, Ignored, Init, LineFeed, LineSpacing,
    QrPrint, QrStore, Raster, StatusRequest, Style, Text, Unknown,
)

# ESC t n -> Python codec for the single-byte code pages the printers we model carry.
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252", 17: "cp866",
              18: "cp852", 19: "cp858"}

Handler = Callable[[bytes], list[Event]]
Step = tuple[list[Event], int] | None  # events and bytes consumed, or None: wait for more


def _style(name: str, transform: Callable[[int], int] = lambda n: n) -> Handler:
    return lambda p: [Style(name, transform(p[0]))]


def _ignored(name: str) -> Handler:
    return lambda p: [Ignored(name, bytes(p))]


def _print_mode(p: bytes) -> list[Event]:
    n = p[0]
    return [Style("font", n & 1), Style("bold", n >> 3 & 1), Style("height", 2 if n & 0x10 else 1),
            Style("width", 2 if n & 0x20 else 1), Style("underline", n >> 7 & 1)]


def _size(p: bytes) -> list[Event]:
    return [Style("width", (p[0] >> 4 & 7) + 1), Style("height", (p[0] & 7) + 1)]


def _align(p: bytes) -> list[Event]:
    return [Style("align", p[0] - 48 if p[0] >= 48 else p[0])]


# (prefix, command) -> (number of parameter bytes, handler)
_FIXED: dict[tuple[int, int], tuple[int, Handler]] = {
    (codes.ESC, ord("@")): (0, lambda p: [Init()]),
    (codes.ESC, ord("E")): (1, _style("bold", lambda n: n & 1)),
    (codes.ESC, ord("G")): (1, _style("double_strike", lambda n: n & 1)),
    (codes.ESC, ord("-")): (1, _style("underline", lambda n: n % 48 if n >= 48 else n)),
    (codes.ESC, ord("a")): (1, _align),
    (codes.ESC, ord("!")): (1, _print_mode),
    (codes.ESC, ord("M")): (1, _style("font", lambda n: n % 48 if n >= 48 else n)),
    (codes.ESC, ord("d")): (1, lambda p: [FeedLines(p[0])]),
    (codes.ESC, ord("J")): (1, lambda p: [FeedDots(p[0])]),
    (codes.ESC, ord("2")): (0, lambda p: [LineSpacing(None)]),
    (codes.ESC, ord("3")): (1, lambda p: [LineSpacing(p[0])]),
    (codes.ESC, ord("t")): (1, lambda p: [CodePage(p[0])]),
    (codes.ESC, ord("i")): (0, lambda p: [Cut(partial=False)]),
    (codes.ESC, ord("m")): (0, lambda p: [Cut(partial=True)]),
    (codes.ESC, ord("R")): (1, _ignored("international charset")),
    (codes.ESC, ord("p")): (3, _ignored("drawer pulse")),
    (codes.ESC, ord("V")): (1, _ignored("rotate 90")),
    (codes.ESC, ord("{")): (1, _ignored("upside down")),
    (codes.ESC, ord(" ")): (1, _ignored("right spacing")),
    (codes.ESC, ord("$")): (2, _ignored("absolute position")),
    (codes.ESC, ord("\\")): (2, _ignored("relative position")),
    (codes.ESC, ord("=")): (1, _ignored("select peripheral")),
    (codes.ESC, ord("U")): (1, _ignored("unidirectional")),
    (codes.ESC, ord("c")): (2, _ignored("panel / sensor setting")),
    (codes.ESC, ord("r")): (1, _ignored("colour")),
    (codes.ESC, ord("S")): (0, _ignored("standard mode")),
    (codes.ESC, ord("L")): (0, _ignored("page mode")),
    (codes.GS, ord("!")): (1, _size),
    (codes.GS, ord("B")): (1, _style("reverse", lambda n: n & 1)),
    (codes.GS, ord("h")): (1, _style("barcode_height")),
    (codes.GS, ord("w")): (1, _style("barcode_module")),
    (codes.GS, ord("H")): (1, _style("barcode_hri", lambda n: n % 48 if n >= 48 else n)),
    (codes.GS, ord("f")): (1, _ignored("HRI font")),
    (codes.GS, ord("L")): (2, _ignored("left margin")),
    (codes.GS, ord("W")): (2, _ignored("print area width")),
    (codes.GS, ord("a")): (1, _ignored("automatic status back")),
    (codes.GS, ord("I")): (1, _ignored("transmit printer id")),
    (codes.GS, ord("r")): (1, _ignored("transmit status")),
    (codes.GS, ord("b")): (1, _ignored("smoothing")),
    (codes.GS, ord("P")): (2, _ignored("motion units")),
    (codes.GS, ord("/")): (1, _ignored("print downloaded image")),
    (codes.FS, ord("&")): (0, lambda p: [ChineseMode(True)]),
    (codes.FS, ord(".")): (0, lambda p: [ChineseMode(False)]),
    (codes.FS, ord("!")): (1, _ignored("chinese print mode")),
    (codes.FS, ord("-")): (1, _ignored("chinese underline")),
    (codes.FS, ord("C")): (1, _ignored("chinese code system")),
    (codes.FS, ord("S")): (2, _ignored("chinese spacing")),
    (codes.FS, ord("W")): (1, _ignored("chinese quadruple size")),
    (codes.FS, ord("p")): (2, _ignored("print NV image")),
    (codes.FS, ord("2")): (74, _ignored("define user chinese character")),
    (codes.DLE, codes.EOT): (1, lambda p: [StatusRequest(p[0])]),
    (codes.DLE, 0x05): (1, _ignored("real-time request")),
    (codes.DLE, 0x14): (3, _ignored("real-time command")),
}

_SINGLE: dict[int, Handler] = {
    codes.LF: lambda p: [LineFeed()],
    codes.CR: _ignored("carriage return"),
    codes.HT: lambda p: [Text(" ")],
    0x0C: _ignored("form feed"),
    0x18: _ignored("cancel"),
}


def _word(buf: bytearray, i: int) -> int:
    return buf[i] | buf[i + 1] << 8


def _need(buf: bytearray, end: int) -> bool:
    return len(buf) >= end


class EscPosParser:
    """Feed bytes with :meth:`feed`; call :meth:`close` at the end of the stream."""

    def __init__(self, chinese: bool = False, code_page: int = 0) -> None:
        self.chinese = chinese
        self.code_page = code_page
        self._buf = bytearray()
        self._gb = codecs.getincrementaldecoder("gb18030")(errors="replace")
        self._variable: dict[tuple[int, int], Callable[[bytearray, int], Step]] = {
            (codes.GS, ord("V")): self._gs_cut,
            (codes.GS, ord("k")): self._gs_barcode,
            (codes.GS, ord("(")): self._gs_paren,
            (codes.GS, ord("v")): self._gs_raster,
            (codes.GS, ord("8")): self._gs_large,
            (codes.GS, ord("*")): self._gs_define_image,
            (codes.ESC, ord("*")): self._esc_bit_image,
            (codes.ESC, ord("D")): self._esc_tabs,
            (codes.DLE, codes.EOT): self._dle_eot,
        }

    # --- public ---------------------------------------------------------------------------
    def feed(self, data: bytes) -> list[Event]:
        self._buf += data
        events: list[Event] = []
        i = 0
        while i < len(self._buf):
            step = self._step(self._buf, i)
            if step is None:
                break
            new, i = step
            for event in new:
                self._track_mode(event)
            events.extend(new)
        del self._buf[:i]
        return events

    def close(self) -> list[Event]:
        """End of stream: a half-received command or character is reported, not lost silently."""
        events: list[Event] = []
        tail = self._gb.decode(b"", final=True)
        if tail:
            events.append(Text(tail))
        if self._buf:
            events.append(Unknown(bytes(self._buf)))
            self._buf.clear()
        return events

    # --- dispatch ---------------------------------------------------------------------------
    def _track_mode(self, event: Event) -> None:
        if isinstance(event, ChineseMode):
            self.chinese = event.on
        elif isinstance(event, CodePage):
            self.code_page = event.number
        elif isinstance(event, Init):
            self.code_page = 0

    def _step(self, buf: bytearray, i: int) -> Step:
        b = buf[i]
        if b >= 0x20:
            return self._text(buf, i)
        flushed = self._flush_text()
        if b in _SINGLE:
            return flushed + _SINGLE[b](b""), i + 1
        if b not in (codes.ESC, codes.GS, codes.FS, codes.DLE):
            return flushed + [Unknown(bytes([b]))], i + 1
        if not _need(buf, i + 2):
            return (flushed, i) if flushed else None
        key = (b, buf[i + 1])
        if key in self._variable:
            step = self._variable[key](buf, i)
        elif key in _FIXED:
            count, handler = _FIXED[key]
            step = (handler(bytes(buf[i + 2:i + 2 + count])), i + 2 + count) if _need(buf, i + 2 + count) else None
        else:
            step = [Unknown(bytes(buf[i:i + 2]))], i + 2
        if step is None:
            return (flushed, i) if flushed else None
        return flushed + step[0], step[1]

    def _flush_text(self) -> list[Event]:
        tail = self._gb.decode(b"", final=True)
        return [Text(tail)] if tail else []

    def _text(self, buf: bytearray, i: int) -> Step:
        end = i
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        raw = bytes(buf[i:end])
        if self.chinese:
            text = self._gb.decode(raw, final=False)
        else:
            text = raw.decode(CODE_PAGES.get(self.code_page, "cp437"), errors="replace")
        return ([Text(text)] if text else []), end

    # --- commands with a length or terminator inside -----------------------------------------
    def _gs_cut(self, buf: bytearray, i: int) -> Step:
        if not _need(buf, i + 3):
            return None
        m = buf[i + 2]
        if m in (0, 1, 48, 49):
            return [Cut(partial=m in (1, 49))], i + 3
        if not _need(buf, i + 4):
            return None
        return [Cut(partial=m % 2 == 0, feed_dots=buf[i + 3])], i + 4

    def _gs_barcode(self, buf: bytearray, i: int) -> Step:
        if not _need(buf, i + 3):
            return None
        m = buf[i + 2]
        if m <= 6:  # function A: data ends with NUL
            end = buf.find(b"\x00", i + 3)
            if end < 0:
                return None
            return [Barcode(m, bytes(buf[i + 3:end]))], end + 1
        if not _need(buf, i + 4) or not _need(buf, i + 4 + buf[i + 3]):
            return None
        n = buf[i + 3]
        return [Barcode(m, bytes(buf[i + 4:i + 4 + n]))], i + 4 + n

    def _gs_paren(self, buf: bytearray, i: int) -> Step:
        if not _need(buf, i + 5):
            return None
        kind, size = buf[i + 2], _word(buf, i + 3)
        end = i + 5 + size
        if not _need(buf, end):
            return None
        body = bytes(buf[i + 5:end])
        raw = bytes(buf[i:end])
        if kind == ord("k") and len(body) >= 2 and body[0] == 49:
            return self._qr(body[1], body[2:], raw), end
        return [Ignored(f"GS ( {chr(kind)}", raw)], end

    @staticmethod
    def _qr(fn: int, params: bytes, raw: bytes) -> list[Event]:
        if fn == 67 and params:
            return [Style("qr_module", params[0])]
        if fn == 69 and params:
            return [Style("qr_ecc", params[0])]
        if fn == 80 and params:
            return [QrStore(params[1:])]
        if fn == 81:
            return [QrPrint()]
        return [Ignored("qr setting", raw)]

    def _gs_raster(self, buf: bytearray, i: int) -> Step:
        if not _need(buf, i + 8):
            return None
        if buf[i + 2] != ord("0"):
            return [Unknown(bytes(buf[i:i + 3]))], i + 3
        mode, xb, y = buf[i + 3], _word(buf, i + 4), _word(buf, i + 6)
        end = i + 8 + xb * y
        if not _need(buf, end):
            return None
        return [Raster(xb, y, bytes(buf[i + 8:end]), mode)], end

    def _gs_large(self, buf: bytearray, i: int) -> Step:  # GS 8 L p1 p2 p3 p4 m fn ...
        if not _need(buf, i + 7):
            return None
        size = int.from_bytes(buf[i + 3:i + 7], "little")
        end = i + 7 + size
        return ([Ignored("GS 8 L graphics", bytes(buf[i:end]))], end) if _need(buf, end) else None

    def _gs_define_image(self, buf: bytearray, i: int) -> Step:  # GS * x y d1..d(x*y*8)
        if not _need(buf, i + 4):
            return None
        end = i + 4 + buf[i + 2] * buf[i + 3] * 8
        return ([Ignored("define downloaded image", bytes(buf[i:end]))], end) if _need(buf, end) else None

    def _esc_bit_image(self, buf: bytearray, i: int) -> Step:  # ESC * m nL nH d1..dk
        if not _need(buf, i + 5):
            return None
        columns = _word(buf, i + 3)
        end = i + 5 + columns * (3 if buf[i + 2] in (32, 33) else 1)
        return ([Ignored("bit image", bytes(buf[i:end]))], end) if _need(buf, end) else None

    def _esc_tabs(self, buf: bytearray, i: int) -> Step:  # ESC D n1..nk NUL (at most 32)
        end = buf.find(b"\x00", i + 2, i + 35)
        if end < 0:
            if len(buf) < i + 35:
                return None
            return [Unknown(bytes(buf[i:i + 2]))], i + 2
        return [Ignored("tab positions", bytes(buf[i:end + 1]))], end + 1

    def _dle_eot(self, buf: bytearray, i: int) -> Step:  # n = 7 and 8 carry one more byte
        if not _need(buf, i + 3):
            return None
        n = buf[i + 2]
        if n in (7, 8):
            return ([Ignored("extended status", bytes(buf[i:i + 4]))], i + 4) if _need(buf, i + 4) else None
        return [StatusRequest(n)], i + 3
