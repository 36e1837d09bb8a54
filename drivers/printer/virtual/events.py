"""What the parser makes of the byte stream: one small immutable event per command or text run."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class LineFeed:
    pass


@dataclass(frozen=True)
class Init:
    pass


@dataclass(frozen=True)
class Style:
    """A setting that lasts until changed: bold, underline, align, width, height, font, ...

    The QR and barcode parameters (``qr_module``, ``barcode_height`` ...) are styles too:
    like bold they are set once and apply to what follows.
    """

    name: str
    value: int


@dataclass(frozen=True)
class ChineseMode:
    on: bool


@dataclass(frozen=True)
class CodePage:
    number: int


@dataclass(frozen=True)
class FeedLines:
    lines: int


@dataclass(frozen=True)
class FeedDots:
    dots: int


@dataclass(frozen=True)
class LineSpacing:
    dots: int | None  # None: the default spacing


@dataclass(frozen=True)
class Cut:
    partial: bool
    feed_dots: int = 0


@dataclass(frozen=True)
class QrStore:
    data: bytes


@dataclass(frozen=True)
class QrPrint:
    pass


@dataclass(frozen=True)
class Barcode:
    system: int
    data: bytes


@dataclass(frozen=True)
class Raster:
    width_bytes: int
    height: int
    data: bytes
    mode: int = 0


@dataclass(frozen=True)
class StatusRequest:
    n: int


@dataclass(frozen=True)
class Ignored:
    """A command we understood that leaves no mark on paper (drawer kick, margins, ASB ...)."""

    name: str
    raw: bytes


@dataclass(frozen=True)
class Unknown:
    """Bytes no command of the ESC/POS reference explains; a real printer would garble here."""

    raw: bytes


Event = (Text | LineFeed | Init | Style | ChineseMode | CodePage | FeedLines | FeedDots | LineSpacing | Cut
         | QrStore | QrPrint | Barcode | Raster | StatusRequest | Ignored | Unknown)


def coalesce(events: list[Event]) -> list[Event]:
    """Join neighbouring ``Text`` events: how the stream was split into packets does not matter."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + event.text)
        elif not (isinstance(event, Text) and not event.text):
            out.append(event)
    return out
