"""Pictures for the thermal head: logos and QR codes as 1-bit ``GS v 0`` rasters.

Thermal printers print black dots only, so images are thresholded (not dithered: a logo
with dithered edges looks dirty at 203 dpi) and scaled to fit the print width.
"""
from __future__ import annotations

from PIL import Image

from drivers.printer import codes


def to_mono(image: Image.Image, max_width: int, threshold: int = 128) -> Image.Image:
    """A black-on-white 1-bit image no wider than ``max_width`` dots (transparency = white)."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    gray = image.convert("L")
    if gray.width > max_width:
        height = max(1, round(gray.height * max_width / gray.width))
        gray = gray.resize((max_width, height), Image.LANCZOS)
    return gray.point(lambda v: 255 if v >= threshold else 0, mode="1")


def raster_bytes(image: Image.Image, max_width: int) -> bytes:
    """``GS v 0`` for ``image``: rows padded to whole bytes, a set bit is a black dot."""
    mono = to_mono(image, max_width)
    width_bytes = (mono.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, mono.height), 1)
    padded.paste(mono, (0, 0))
    # In mode "1" PIL packs white as 1; the printer wants black as 1, so invert the bits.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    return codes.raster(width_bytes, mono.height, data)


def qr_image(data: bytes, module_dots: int, ecc: str = "M") -> Image.Image:
    """The QR symbol as a picture, for printers without ``GS ( k`` (and for the renderer)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

    levels = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
    qr = qrcode.QRCode(error_correction=levels[ecc], box_size=module_dots, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
