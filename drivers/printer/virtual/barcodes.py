"""Drawing the 1D barcodes a printer receives through ``GS k``, so the rendered receipt shows them.

The bar patterns come from python-barcode (a python-escpos dependency); data it rejects
is drawn as an empty box with the data inside, clearly not a scannable symbol. The
human-readable line below a symbol is laid out by the page, in the printer's font.
"""
from __future__ import annotations

from PIL import Image, ImageDraw

from drivers.printer import codes

# GS k m (function A 0..6 and function B 65..73) -> python-barcode name
_PYBARCODE = {0: "upca", 65: "upca", 2: "ean13", 67: "ean13", 3: "ean8", 68: "ean8", 4: "code39", 69: "code39",
              5: "itf", 70: "itf", 6: "codabar", 71: "codabar", 73: "code128"}


def _modules(system: int, data: str) -> str:
    import barcode

    name = _PYBARCODE.get(system)
    if name is None:
        return ""
    try:
        cls = barcode.get_barcode_class(name)
        symbol = cls(data, add_checksum=False) if name == "code39" else cls(data)
        return "".join(symbol.build())
    except Exception:  # python-barcode raises many types for data it rejects; draw the box instead
        return ""


def draw_barcode(system: int, data: bytes, module: int, height: int) -> Image.Image:
    """A mode-"1" picture of the symbol (black = 0), ``module`` dots per narrow bar."""
    text = data.decode("ascii", errors="replace")
    if system == codes.BARCODE_SYSTEMS["CODE128"] and text.startswith("{"):
        text = text[2:]
    bars = _modules(system, text)
    module = max(1, module)
    width = max(len(bars) * module, 96)
    hri_height = 26 if not bars else 0
    image = Image.new("1", (width, height + hri_height), 1)
    draw = ImageDraw.Draw(image)
    if bars:
        for i, bit in enumerate(bars):
            if bit == "1":
                draw.rectangle((i * module, 0, (i + 1) * module - 1, height - 1), fill=0)
    else:
        draw.rectangle((0, 0, width - 1, height - 1), outline=0)
    if hri_height:
        draw.text((4, height + 4), text, fill=0)
    return image
