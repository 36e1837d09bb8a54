"""The paper of one job: where each character, picture and code lands, in printer dots.

The virtual printer applies parsed events here. Positions follow the printer's rules:
font A cells are 12 x 24 dots (a Chinese character in Chinese mode 24 x 24), ``GS !``
multiplies them, a line advances by the line spacing (30 dots by default) or by its
tallest character, text that reaches the right edge wraps, and alignment is taken when a
line starts. So the paper length used (for paper-near-end) and the picture (for people)
come from the same layout. Rendering to PNG is a separate step that needs a CJK font.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from drivers.printer import codes
from drivers.printer.raster import qr_image
from drivers.printer.virtual.events import (
    Barcode, ChineseMode, Cut, Event, FeedDots, FeedLines, Init, LineFeed, LineSpacing, QrPrint, QrStore, Raster,
    Style, Text,
)

DEFAULT_SPACING = 30
CELL_HEIGHT = 24
HALF_CELL = 12
ECC_BY_CODE = {v: k for k, v in codes.ECC_LEVELS.items()}
DEFAULT_STYLE = {"bold": 0, "underline": 0, "align": 0, "width": 1, "height": 1, "font": 0, "reverse": 0,
                 "double_strike": 0, "qr_module": 3, "qr_ecc": 48, "barcode_height": 162,
                 "barcode_module": 3, "barcode_hri": 0}


@dataclass(frozen=True)
class Glyph:
    char: str
    x: int
    cell_width: int
    width: int
    height: int
    bold: bool
    underline: bool
    reverse: bool


@dataclass
class Line:
    y: int = 0
    glyphs: list[Glyph] = field(default_factory=list)
    align: int = 0
    used: int = 0  # dots from the left edge

    @property
    def height(self) -> int:
        return max((g.height * CELL_HEIGHT for g in self.glyphs), default=0)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


@dataclass
class Picture:
    y: int
    x: int
    image: Image.Image  # mode "1", black = 0
    kind: str  # "raster", "qr" or "barcode"
    payload: bytes = b""


class Page:
    """One job's paper. ``apply(event)`` returns how many dots of paper it used."""

    def __init__(self, width_dots: int = 576) -> None:
        self.width_dots = width_dots
        self.style = dict(DEFAULT_STYLE)
        self.spacing = DEFAULT_SPACING
        self.chinese = False
        self.y = 0
        self.lines: list[Line] = []
        self.pictures: list[Picture] = []
        self.qr_data = b""
        self.cut: Cut | None = None
        self._line = Line()

    # --- what tests and people read back ------------------------------------------------
    def text_lines(self) -> list[str]:
        """The printed text, one string per printed line (auto-wrapped lines separately)."""
        return [line.text for line in self.lines + ([self._line] if self._line.glyphs else [])]

    def qr_codes(self) -> list[bytes]:
        return [p.payload for p in self.pictures if p.kind == "qr"]

    def barcodes(self) -> list[bytes]:
        return [p.payload for p in self.pictures if p.kind == "barcode"]

    @property
    def is_blank(self) -> bool:
        return not (self.lines or self.pictures or self._line.glyphs)

    # --- events -----------------------------------------------------------------------------
    def apply(self, event: Event) -> int:
        before = self.y
        handler = getattr(self, "_on_" + type(event).__name__, None)
        if handler is not None:
            handler(event)
        return self.y - before

    def finish(self) -> int:
        """End of job: a line still in the buffer is printed, as a printer does before a cut."""
        before = self.y
        if self._line.glyphs:
            self._commit_line()
        return self.y - before

    def _on_Init(self, _e: Init) -> None:
        self.style = dict(DEFAULT_STYLE)
        self.spacing = DEFAULT_SPACING

    def _on_Style(self, e: Style) -> None:
        self.style[e.name] = e.value

    def _on_ChineseMode(self, e: ChineseMode) -> None:
        self.chinese = e.on

    def _on_LineSpacing(self, e: LineSpacing) -> None:
        self.spacing = DEFAULT_SPACING if e.dots is None else e.dots

    def _on_Text(self, e: Text) -> None:
        for ch in e.text:
            self._put(ch)

    def _on_LineFeed(self, _e: LineFeed) -> None:
        self._commit_line()

    def _on_FeedLines(self, e: FeedLines) -> None:
        self._commit_line_if_any()
        self.y += e.lines * self.spacing

    def _on_FeedDots(self, e: FeedDots) -> None:
        self._commit_line_if_any()
        self.y += e.dots

    def _on_Cut(self, e: Cut) -> None:
        self._commit_line_if_any()
        self.y += e.feed_dots
        self.cut = e

    def _on_Raster(self, e: Raster) -> None:
        image = Image.frombytes("1", (e.width_bytes * 8, e.height), bytes(b ^ 0xFF for b in e.data))
        scale_x, scale_y = (2 if e.mode & 1 else 1), (2 if e.mode & 2 else 1)
        if scale_x > 1 or scale_y > 1:
            image = image.resize((image.width * scale_x, image.height * scale_y))
        self._place(image, "raster")

    def _on_QrStore(self, e: QrStore) -> None:
        self.qr_data = e.data

    def _on_QrPrint(self, _e: QrPrint) -> None:
        if self.qr_data:
            ecc = ECC_BY_CODE.get(self.style["qr_ecc"], "M")
            image = qr_image(self.qr_data, max(1, self.style["qr_module"]), ecc).convert("1")
            self._place(image, "qr", self.qr_data)

    def _on_Barcode(self, e: Barcode) -> None:
        from drivers.printer.virtual.barcodes import draw_barcode

        payload = e.data[2:] if e.data.startswith(b"{") else e.data
        image = draw_barcode(e.system, e.data, self.style["barcode_module"], self.style["barcode_height"])
        self._place(image, "barcode", payload)
        if self.style["barcode_hri"] in (2, 3):  # the human-readable digits, in font A, centred below
            self._line = Line(align=1, glyphs=[Glyph(chr(b), i * HALF_CELL, HALF_CELL, 1, 1, False, False, False)
                                               for i, b in enumerate(payload)], used=len(payload) * HALF_CELL)
            self._commit_line()

    # --- layout -------------------------------------------------------------------------------
    def _put(self, ch: str) -> None:
        wide = self.chinese and ord(ch) >= 0x80
        w, h = max(1, self.style["width"]), max(1, self.style["height"])
        cell = (2 * HALF_CELL if wide else HALF_CELL) * w
        if self._line.used + cell > self.width_dots and self._line.glyphs:
            self._commit_line()
        if not self._line.glyphs:
            self._line.align = self.style["align"]
        self._line.glyphs.append(Glyph(ch, self._line.used, cell, w, h, bool(self.style["bold"]),
                                       bool(self.style["underline"]), bool(self.style["reverse"])))
        self._line.used += cell

    def _commit_line_if_any(self) -> None:
        if self._line.glyphs:
            self._commit_line()

    def _commit_line(self) -> None:
        line = self._line
        line.y = self.y
        if line.glyphs:
            self.lines.append(line)
        self.y += max(self.spacing, line.height)
        self._line = Line()

    def _place(self, image: Image.Image, kind: str, payload: bytes = b"") -> None:
        self._commit_line_if_any()
        image = image if image.width <= self.width_dots else image.crop((0, 0, self.width_dots, image.height))
        free = self.width_dots - image.width
        x = {0: 0, 1: free // 2, 2: free}.get(self.style["align"], 0)
        self.pictures.append(Picture(self.y, x, image, kind, payload))
        self.y += image.height
