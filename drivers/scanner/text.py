"""Turning a code's raw payload bytes into text.

Phone apps and older government systems put GBK text into QR codes without an ECI marker;
zxing-cpp then reports Latin-1 mojibake in ``.text``. We therefore decode the raw bytes
ourselves: UTF-8 first (valid UTF-8 is almost never accidental), then GB18030 (a superset
of GBK). Bytes that are neither, or that decode to control characters, are "binary": the
text is then the Latin-1 reading, which round-trips to the exact bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "gb18030", "binary"]

# Tab, LF and CR appear in real multi-line payloads; any other C0/C1 control does not.
_ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: Encoding


def _has_controls(text: str) -> bool:
    return any((ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in _ALLOWED_CONTROLS for c in text)


def decode_payload(raw: bytes) -> DecodedText:
    """Decode ``raw`` as UTF-8, else GB18030, else call it binary."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _has_controls(text):
            return DecodedText(text, encoding)  # type: ignore[arg-type]
        break  # control characters: a different codec would not make it text
    return DecodedText(raw.decode("latin-1"), "binary")
