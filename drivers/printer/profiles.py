"""What a printer model can do: a capability table, never ``if model == ...`` in the encoder.

Two sources, in this order:

1. our table for the Chinese kiosk printers python-escpos does not describe (Chinese mode,
   real-time status, which of them lack native QR);
2. python-escpos's ``capabilities.json`` for every model it knows (``TM-T88V``, ``POS-5890``
   ...), read as data so that importing the encoder does not run escpos's import-time cache.

``profile = "..."`` in the printer's config picks the entry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

CutKind = Literal["partial", "full", "none"]


class UnknownProfile(KeyError):
    """The config names a printer model that neither table knows."""


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    native_qr: bool = True  # GS ( k; otherwise the QR code is sent as a raster image
    raster: bool = True  # GS v 0 raster images (logos, QR fallback)
    barcode_b: bool = True  # GS k m=65..73 (CODE128 needs it)
    cut: CutKind = "partial"
    realtime_status: bool = True  # answers DLE EOT
    chinese: bool = True  # FS & / FS . with GB18030 text
    dots_per_mm: int = 8  # 203 dpi
    paper_width_mm: int = 80

    @property
    def columns(self) -> int:
        return 48 if self.paper_width_mm == 80 else 32

    @property
    def dots_per_line(self) -> int:
        return 576 if self.paper_width_mm == 80 else 384


_OURS: dict[str, PrinterProfile] = {
    # Generic Chinese 80 mm kiosk printer (Epson-compatible command set, GB18030 font).
    "default": PrinterProfile("default"),
    # 58 mm desktop printers (Xprinter XP-58 class): no cutter, no native QR.
    "xprinter-58": PrinterProfile("xprinter-58", native_qr=False, cut="none", paper_width_mm=58),
    # Kiosk modules (e.g. embedded panel printers) that only print QR codes as images.
    "kiosk-raster-qr": PrinterProfile("kiosk-raster-qr", native_qr=False),
}


@lru_cache(maxsize=1)
def _escpos_capabilities() -> dict:
    # found without importing escpos or importlib.resources: config validation asks for the
    # names before the UI's first frame (bench/startup.py)
    spec = find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        return {}
    try:
        text = (Path(next(iter(spec.submodule_search_locations))) / "capabilities.json").read_text(encoding="utf-8")
    except OSError:
        return {}
    return json.loads(text).get("profiles", {})


def _from_escpos(name: str, entry: dict) -> PrinterProfile:
    features = entry.get("features", {})
    width = entry.get("media", {}).get("width", {}).get("mm")
    paper = 58 if isinstance(width, (int, float)) and width < 60 else 80
    cut: CutKind = "partial" if features.get("paperPartCut") else "full" if features.get("paperFullCut") else "none"
    return PrinterProfile(name, native_qr=bool(features.get("qrCode")), raster=bool(features.get("bitImageRaster")),
                          barcode_b=bool(features.get("barcodeB")), cut=cut, chinese=True, paper_width_mm=paper)


def get_profile(name: str = "default", paper_width_mm: int | None = None) -> PrinterProfile:
    """The capabilities of printer model ``name``; ``paper_width_mm`` from config wins."""
    if name in _OURS:
        profile = _OURS[name]
    elif name in _escpos_capabilities():
        profile = _from_escpos(name, _escpos_capabilities()[name])
    else:
        raise UnknownProfile(name)
    if paper_width_mm is not None and paper_width_mm != profile.paper_width_mm:
        profile = replace(profile, paper_width_mm=paper_width_mm)
    return profile


def profile_names() -> list[str]:
    return sorted(set(_OURS) | set(_escpos_capabilities()))
