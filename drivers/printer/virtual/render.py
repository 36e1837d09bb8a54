"""Turning a :class:`Page` into a PNG people can look at, with a real CJK font.

Each character is drawn centred in its printer cell (12 or 24 dots wide, times the size
multiplier), so columns line up exactly as on paper, whatever the font's own advance
widths. The font is passed in (the kiosk finds one with ``kiosk.fonts``); drivers do not
search for fonts themselves.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.printer.virtual.page import CELL_HEIGHT, Glyph, Page

MARGIN = 16


class Renderer:
    def __init__(self, font_path: str | Path | None, face_index: int = 0) -> None:
        self.font_path = str(font_path) if font_path else None
        self.face_index = face_index

    @lru_cache(maxsize=16)
    def _font(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if self.font_path is None:
            return ImageFont.load_default(size)
        return ImageFont.truetype(self.font_path, size, index=self.face_index)

    @lru_cache(maxsize=8192)
    def _glyph(self, char: str, cell: int, width: int, height: int, bold: bool) -> Image.Image:
        """The character as a mask (255 = ink), exactly ``cell`` x ``CELL_HEIGHT * height`` dots.

        Drawn at the final height; a glyph wider than its cell (``m``, ``W`` in a
        proportional font) is squeezed horizontally, as the printer's 12-dot font is narrow.
        """
        canvas_h = CELL_HEIGHT * height
        font = self._font((CELL_HEIGHT - 2) * height)
        probe = ImageDraw.Draw(Image.new("L", (1, 1)))
        left, _top, right, _bottom = probe.textbbox((0, 0), char, font=font, anchor="ms")
        uniform_w = cell // width * height
        canvas_w = max(uniform_w, right - left + 2 + height)
        mask = Image.new("L", (canvas_w, canvas_h), 0)
        draw = ImageDraw.Draw(mask)
        # Emphasised print on a thermal head is the same dots struck again one dot to the right.
        for shift in range(height + 1 if bold else 1):
            draw.text((canvas_w // 2 + shift - (height if bold else 0) // 2, round(canvas_h * 0.82)), char,
                      fill=255, font=font, anchor="ms")
        return mask if canvas_w == cell else mask.resize((cell, canvas_h), Image.LANCZOS)

    def render(self, page: Page) -> Image.Image:
        """The job as an RGB image: white paper with a thin edge, at 1 pixel per printer dot."""
        height = max(page.y, max((p.y + p.image.height for p in page.pictures), default=0)) + 2 * MARGIN
        paper = Image.new("RGB", (page.width_dots + 2 * MARGIN, max(height, 64)), "white")
        draw = ImageDraw.Draw(paper)
        draw.rectangle((0, 0, paper.width - 1, paper.height - 1), outline=(200, 200, 200))
        for line in page.lines:
            offset = {1: (page.width_dots - line.used) // 2, 2: page.width_dots - line.used}.get(line.align, 0)
            base = line.y + line.height
            for g in line.glyphs:
                self._draw_glyph(paper, draw, g, MARGIN + offset + g.x, MARGIN + base - g.height * CELL_HEIGHT)
        for picture in page.pictures:
            ink = picture.image.convert("L").point(lambda v: 255 - v)
            paper.paste((0, 0, 0), (MARGIN + picture.x, MARGIN + picture.y), ink)
        if page.cut is not None:
            y = paper.height - 4
            for x in range(0, paper.width, 12):
                draw.line((x, y, x + 6, y), fill=(150, 150, 150))
        return paper

    def _draw_glyph(self, paper: Image.Image, draw: ImageDraw.ImageDraw, g: Glyph, x: int, y: int) -> None:
        h = g.height * CELL_HEIGHT
        if g.reverse:
            draw.rectangle((x, y, x + g.cell_width - 1, y + h - 1), fill="black")
        if g.char != " ":
            mask = self._glyph(g.char, g.cell_width, g.width, g.height, g.bold)
            paper.paste("white" if g.reverse else "black", (x, y), mask)
        if g.underline:
            draw.line((x, y + h - 1, x + g.cell_width - 1, y + h - 1), fill="black", width=2)
