"""Staff photos: any uploaded image becomes a small, EXIF-free JPEG with a content ETag.

Phones write location and camera data into EXIF and often store the picture sideways with an
orientation tag; Pillow applies the orientation, and re-encoding drops every metadata block.
The evaluator shows the photo in a box of about 240x310 px, so 360x480 is plenty.
"""
from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
SIZE = (360, 480)
QUALITY = 85


class PhotoError(ValueError):
    """Not an image we can use; the message is shown on the dashboard."""


def normalise(data: bytes) -> tuple[bytes, str]:
    """``(jpeg, etag)`` of an uploaded image, cropped to 3:4 portrait and re-encoded without EXIF."""
    if not data:
        raise PhotoError("没有选择照片 (no file)")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError("照片过大，最大 8 MB (photo too large)")
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            picture = ImageOps.fit(upright.convert("RGB"), SIZE, Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise PhotoError("无法识别的图片文件 (not an image)") from exc
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=QUALITY, optimize=True)  # no exif= argument: nothing carried over
    jpeg = out.getvalue()
    return jpeg, etag_of(jpeg)


def etag_of(jpeg: bytes) -> str:
    return '"' + hashlib.sha256(jpeg).hexdigest()[:32] + '"'
