"""Optional decoding of the card's 1024-byte WLT photo through a vendor library.

WLT is a proprietary wavelet format; only the vendor's ``libwlt`` (Linux) can unpack it.
We never ship it: a technician configures its path, and without it the terminal simply
works without a photo (``kiosk doctor`` says so). The usual entry point is
``int unpack(char *wlt, unsigned char *bmp, int save_flag)`` returning 1 on success and
writing a 102x126 24-bit BMP (38862 bytes).
"""
from __future__ import annotations

import ctypes
from pathlib import Path

BMP_SIZE = 38862
WLT_SIZE = 1024


class PhotoDecoderError(Exception):
    """The configured library cannot be loaded or does not export the entry point."""


class WltDecoder:
    def __init__(self, library: str | Path, symbol: str = "unpack", save_flag: int = 708) -> None:
        path = Path(library)
        if not path.is_file():
            raise PhotoDecoderError(f"{path} does not exist")
        try:
            lib = ctypes.CDLL(str(path))
            self._unpack = getattr(lib, symbol)
        except (OSError, AttributeError) as exc:
            raise PhotoDecoderError(f"{path}: {exc}") from None
        self._unpack.restype = ctypes.c_int
        self._save_flag = save_flag
        self.path = path

    def __call__(self, wlt: bytes) -> bytes | None:
        """The BMP bytes, or ``None`` if the library refused this photo."""
        if len(wlt) != WLT_SIZE:
            return None
        src = ctypes.create_string_buffer(wlt, WLT_SIZE)
        dst = ctypes.create_string_buffer(BMP_SIZE + 1024)
        if self._unpack(src, dst, self._save_flag) != 1:
            return None
        return dst.raw[:BMP_SIZE]


def load_decoder(path: str | Path | None) -> tuple[WltDecoder | None, str]:
    """The decoder for a configured path and a one-line note for ``kiosk doctor``."""
    if not path:
        return None, "no WLT photo decoder configured: cards are read without photos"
    try:
        return WltDecoder(path), f"WLT photo decoder {path}"
    except PhotoDecoderError as exc:
        return None, f"WLT photo decoder unusable ({exc}): cards are read without photos"
