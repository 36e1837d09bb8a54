"""Colours, sizes and the CJK font of the kiosk UI.

Kivy's default font has no Chinese glyphs, so the CJK font found by :mod:`kiosk.fonts` is
registered as Kivy's *default* font: every Label, including ones in third-party widgets,
draws Chinese. Sizes are in dp and multiplied by ``scale`` (1.5 in 长者模式, the elderly
mode). Colours are chosen for at least WCAG AA contrast (4.5:1) of text on its background.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kivy.core.text import DEFAULT_FONT, LabelBase

from kiosk.fonts import CjkFont, find_cjk_font

FONT_NAME = "KioskCJK"


def register_cjk_font(configured: Path | None = None) -> CjkFont:
    """Register the CJK font under our name and as Kivy's default; raises FontNotFound."""
    font = find_cjk_font(configured)
    for name in (FONT_NAME, DEFAULT_FONT):
        LabelBase.register(name, fn_regular=str(font.path), fn_bold=str(font.path))
    return font


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


@dataclass(frozen=True)
class Palette:
    background: str
    header: str
    header_text: str
    text: str
    muted_text: str
    tile_text: str
    tiles: tuple[str, ...]
    disabled_tile: str
    disabled_text: str
    ok: str
    warn: str
    fault: str


# White on each tile colour is >= 4.5:1; the muted grey on the background is >= 4.5:1 too.
STANDARD = Palette(
    background="#F2F5F9", header="#0B4F9C", header_text="#FFFFFF", text="#1B2430", muted_text="#4A5565",
    tile_text="#FFFFFF",
    tiles=("#1565C0", "#00796B", "#6A1B9A", "#AD4A00", "#2E7D32", "#C62828", "#37474F", "#0277BD"),
    disabled_tile="#D5DAE1", disabled_text="#3F4853", ok="#1B7F3B", warn="#9A5B00", fault="#B3261E",
)

# 长者模式: black on white and white on very dark tiles, for >= 7:1 contrast.
HIGH_CONTRAST = Palette(
    background="#FFFFFF", header="#000000", header_text="#FFFFFF", text="#000000", muted_text="#222222",
    tile_text="#FFFFFF",
    tiles=("#0D2F6E", "#004D40", "#4A148C", "#7A2E00", "#1B5E20", "#8E0000", "#212121", "#01579B"),
    disabled_tile="#BDBDBD", disabled_text="#000000", ok="#0B5D1E", warn="#6B3E00", fault="#8E0000",
)

ELDERLY_SCALE = 1.5

# Touch targets of at least 15 mm (issue 11): an elderly finger on a vertical kiosk screen.
MIN_TARGET_MM = 15.0


def px_per_mm(width_px: int, height_px: int, diagonal_in: float) -> float:
    """Physical pixel density of the configured screen (``[ui] width/height/screen_diagonal_in``)."""
    return (width_px ** 2 + height_px ** 2) ** 0.5 / diagonal_in / 25.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _a = rgba(hex_colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio (1 to 21); AA for normal text needs 4.5."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
