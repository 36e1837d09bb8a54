"""ESC/POS command bytes, shared by the encoder that writes them and the parser that reads them.

One table on both sides means the virtual printer cannot silently agree with a typo in the
encoder: the parser is written from the command *structure* (lengths, parameters), and the
constants here only name the opcodes.
"""
from __future__ import annotations

ESC = 0x1B
GS = 0x1D
FS = 0x1C
DLE = 0x10
EOT = 0x04
LF = 0x0A
CR = 0x0D
HT = 0x09
NUL = 0x00

INIT = bytes([ESC, ord("@")])
CHINESE_ON = bytes([FS, ord("&")])  # FS & : Kanji/Chinese mode on (GB18030 double-/four-byte text)
CHINESE_OFF = bytes([FS, ord(".")])  # FS . : Chinese mode off (single-byte code page again)

ALIGN = {"left": 0, "center": 1, "right": 2}
ECC_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}

# GS k function B barcode systems (m = 65..73) by the names the encoder accepts.
BARCODE_SYSTEMS = {"UPC-A": 65, "UPC-E": 66, "EAN13": 67, "EAN8": 68, "CODE39": 69, "ITF": 70,
                   "CODABAR": 71, "CODE93": 72, "CODE128": 73}
BARCODE_NAMES = {v: k for k, v in BARCODE_SYSTEMS.items()}


def esc(*params: int) -> bytes:
    return bytes([ESC, *params])


def gs(*params: int) -> bytes:
    return bytes([GS, *params])


def bold(on: bool) -> bytes:
    return esc(ord("E"), 1 if on else 0)


def align(where: str) -> bytes:
    return esc(ord("a"), ALIGN[where])


def char_size(width: int, height: int) -> bytes:
    """GS ! n: width and height multipliers 1..8 for ASCII and Chinese characters alike."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size multipliers are 1..8")
    return gs(ord("!"), ((width - 1) << 4) | (height - 1))


def feed_lines(n: int) -> bytes:
    return esc(ord("d"), max(0, min(255, n)))


def cut(partial: bool = True, feed_dots: int = 0) -> bytes:
    """GS V 65/66 n: feed ``feed_dots`` then cut, so the last line clears the blade."""
    return gs(ord("V"), 66 if partial else 65, max(0, min(255, feed_dots)))


def status_request(n: int) -> bytes:
    """DLE EOT n (1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor)."""
    return bytes([DLE, EOT, n])


def qr_function(fn: int, payload: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn payload: one function of the QR code symbol."""
    size = len(payload) + 2
    return gs(ord("("), ord("k"), size & 0xFF, size >> 8, 49, fn) + payload


def raster(width_bytes: int, height: int, data: bytes, mode: int = 0) -> bytes:
    """GS v 0 m xL xH yL yH d1..dk: a monochrome raster image, 8 dots per byte, MSB left."""
    if len(data) != width_bytes * height:
        raise ValueError("raster data does not match its size")
    return gs(ord("v"), ord("0"), mode, width_bytes & 0xFF, width_bytes >> 8, height & 0xFF, height >> 8) + data
