"""A QR code drawn from text (the online version of a guide, a case to follow on the phone).

The code is drawn as a texture of one pixel per module, magnified with ``nearest`` filtering,
instead of a PIL image encoded to PNG and decoded again: that round trip took most of the
~35 ms a code cost on the UI thread while the screen was switching (bench/ui.py). Public
codes (a guide's address) may be kept with ``cacheable``; a citizen's own codes never are.
"""
from __future__ import annotations

import functools

from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.image import Image

DARK, LIGHT = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"


def qr_pixels(data: str, border: int = 2) -> tuple[int, bytes]:
    """Side length in modules and RGBA rows bottom-up (GL's order), quiet zone included."""
    import qrcode

    code = qrcode.QRCode(border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    return len(matrix), b"".join(DARK if dark else LIGHT for row in reversed(matrix) for dark in row)


_public_qr_pixels = functools.lru_cache(maxsize=32)(qr_pixels)


class QrImage(Image):
    data = StringProperty("")
    cacheable = BooleanProperty(False)  # the data is public (a guide's address), not a citizen's

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("fit_mode", "contain")  # magnify the one-pixel modules to the widget's size
        super().__init__(**kwargs)

    def on_data(self, *_args) -> None:
        if not self.data:
            self.texture = None
            return
        side, pixels = (_public_qr_pixels if self.cacheable else qr_pixels)(self.data)
        texture = Texture.create(size=(side, side), colorfmt="rgba")
        texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.texture = texture
