"""Our ESC/POS text layer: Chinese as GB18030 inside ``FS &`` ... ``FS .``, laid out by columns.

Why not python-escpos's ``text()``: it sends Chinese bytes without switching the printer
into Chinese mode and guesses code pages character by character, so full-width punctuation
comes out as ``?`` and it is slow. Here a line is split into ASCII runs (sent as they are:
the fast path) and non-ASCII runs (GB18030, which encodes every Unicode character, inside
``FS &``/``FS .``). Layout is by printer columns (a Chinese character is two), so wrapping
and two-column rows line up on 80 mm (48 columns) and 58 mm (32 columns) paper.

The encoder only builds bytes; :mod:`drivers.printer.thermal` sends them.
"""
from __future__ import annotations

import re
from typing import Literal

from PIL import Image

from drivers.printer import codes
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.raster import qr_image, raster_bytes
from drivers.printer.width import clean, leader_row, wrap

Align = Literal["left", "center", "right"]

_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def encode_text(text: str) -> bytes:
    """Bytes that print ``text`` (no line feed); control characters must already be gone."""
    if text.isascii():
        return text.encode("ascii")
    out = bytearray()
    for run in _RUNS.findall(text):
        if run[0] < "\x80":
            out += run.encode("ascii")
        else:
            out += codes.CHINESE_ON + run.encode("gb18030") + codes.CHINESE_OFF
    return bytes(out)


class ReceiptEncoder:
    """Builds one receipt; every method appends and returns ``self`` so templates read top-down."""

    def __init__(self, profile: PrinterProfile | None = None) -> None:
        self.profile = profile or get_profile()
        self._out = bytearray(codes.INIT + codes.CHINESE_OFF)
        self._bold = False
        self._align: Align = "left"
        self._size = (1, 1)

    @property
    def columns(self) -> int:
        return self.profile.columns

    def getvalue(self) -> bytes:
        return bytes(self._out)

    # --- state, sent only when it changes --------------------------------------------
    def _set(self, *, bold: bool, align: Align, size: int | tuple[int, int]) -> None:
        wh = (size, size) if isinstance(size, int) else size
        if bold != self._bold:
            self._out += codes.bold(bold)
            self._bold = bold
        if align != self._align:
            self._out += codes.align(align)
            self._align = align
        if wh != self._size:
            self._out += codes.char_size(*wh)
            self._size = wh

    # --- text ---------------------------------------------------------------------------
    def line(self, text: str = "", *, align: Align = "left", bold: bool = False,
             size: int | tuple[int, int] = 1) -> "ReceiptEncoder":
        """Print ``text`` wrapped to the paper; ``size`` 2 is double width and height."""
        self._set(bold=bold, align=align, size=size)
        width = size if isinstance(size, int) else size[0]
        for part in wrap(text, self.columns // width) if text else [""]:
            self._out += encode_text(part) + b"\n"
        return self

    def lines(self, texts: list[str], **style) -> "ReceiptEncoder":
        for text in texts:
            self.line(text, **style)
        return self

    def row(self, label: str, value: str, *, leader: str = ".", bold: bool = False) -> "ReceiptEncoder":
        """Label on the left, value on the right, dot leaders between (two columns)."""
        self._set(bold=bold, align="left", size=1)
        for part in leader_row(label, value, self.columns, leader):
            self._out += encode_text(part) + b"\n"
        return self

    def rule(self, char: str = "-") -> "ReceiptEncoder":
        self._set(bold=False, align="left", size=1)
        char = clean(char)[:1] or "-"
        count = self.columns if char.isascii() else self.columns // 2
        self._out += encode_text(char * count) + b"\n"
        return self

    def feed(self, lines: int = 1) -> "ReceiptEncoder":
        self._out += codes.feed_lines(lines)
        return self

    # --- codes and pictures -------------------------------------------------------------
    def qr(self, data: str | bytes, *, module: int = 6, ecc: str = "M", align: Align = "center") -> "ReceiptEncoder":
        """A QR code: ``GS ( k`` when the profile has it, else the same symbol as a raster image."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self._set(bold=False, align=align, size=1)
        if self.profile.native_qr:
            self._out += codes.qr_function(65, bytes([50, 0]))  # model 2
            self._out += codes.qr_function(67, bytes([max(1, min(16, module))]))
            self._out += codes.qr_function(69, bytes([codes.ECC_LEVELS[ecc]]))
            self._out += codes.qr_function(80, b"\x30" + payload)
            self._out += codes.qr_function(81, b"\x30")
        elif self.profile.raster:
            self._out += raster_bytes(qr_image(payload, module, ecc), self.profile.dots_per_line)
        else:  # neither: at least the address itself, so the person can type it
            return self.line(payload.decode("utf-8", "replace"), align=align)
        self._out += b"\n"
        return self

    def barcode(self, data: str, *, system: str = "CODE128", height: int = 80, module: int = 2,
                align: Align = "center") -> "ReceiptEncoder":
        """A 1D barcode with its text printed below (HRI), via ``GS k`` function B."""
        if not self.profile.barcode_b:
            raise ValueError(f"printer profile {self.profile.name} cannot print {system} barcodes")
        body = data.encode("ascii")
        if system == "CODE128":
            body = b"{B" + body  # code set B: printable ASCII
        self._set(bold=False, align=align, size=1)
        self._out += codes.gs(ord("h"), max(1, min(255, height))) + codes.gs(ord("w"), max(2, min(6, module)))
        self._out += codes.gs(ord("H"), 2)
        self._out += codes.gs(ord("k"), codes.BARCODE_SYSTEMS[system], len(body)) + body + b"\n"
        return self

    def image(self, image: Image.Image, *, align: Align = "center") -> "ReceiptEncoder":
        """A logo or stamp, scaled to the print width and thresholded to black dots."""
        if not self.profile.raster:
            raise ValueError(f"printer profile {self.profile.name} cannot print raster images")
        self._set(bold=False, align=align, size=1)
        self._out += raster_bytes(image, self.profile.dots_per_line) + b"\n"
        return self

    def cut(self) -> "ReceiptEncoder":
        """Feed past the blade and cut (or just feed for tear-off on printers without a cutter)."""
        self._set(bold=False, align="left", size=1)
        if self.profile.cut == "none":
            self._out += codes.feed_lines(4)
        else:
            self._out += codes.cut(partial=self.profile.cut == "partial", feed_dots=96)
        return self
