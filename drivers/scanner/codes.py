"""The one record every scanner source produces."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from drivers.scanner.text import Encoding, decode_payload


@dataclass(frozen=True)
class ScannedCode:
    """A decoded code. ``raw`` is kept because the text is only our best reading of it.

    ``source`` says which device read it (``camera``, ``serial``, ``wedge``); ``corners``
    is the position in the frame for camera codes (used to outline it on the preview).
    """

    format: str
    raw: bytes
    text: str
    encoding: Encoding
    source: str = "camera"
    corners: tuple[tuple[int, int], ...] = ()
    seen_at: float = field(default_factory=time.time, compare=False)

    @classmethod
    def from_bytes(cls, raw: bytes, format: str, source: str,
                   corners: tuple[tuple[int, int], ...] = ()) -> "ScannedCode":
        decoded = decode_payload(raw)
        return cls(format, raw, decoded.text, decoded.encoding, source, corners)

    @property
    def key(self) -> tuple[str, bytes]:
        """What makes two sightings "the same code" for de-duplication."""
        return (self.format, self.raw)

    def as_json(self) -> dict[str, str]:
        """The stable shape printed by ``kiosk scan --json``."""
        return {"format": self.format, "text": self.text, "bytes_hex": self.raw.hex(), "encoding": self.encoding}
