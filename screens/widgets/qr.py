"""A QR code drawn from text (the online version of a guide, a case to follow on the phone)."""
from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import StringProperty
from kivy.uix.image import Image


class QrImage(Image):
    data = StringProperty("")

    def on_data(self, *_args) -> None:
        if not self.data:
            self.texture = None
            return
        import qrcode

        image = qrcode.make(self.data, box_size=8, border=2).get_image().convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        texture = CoreImage(buffer, ext="png").texture
        texture.mag_filter = "nearest"
        self.texture = texture
