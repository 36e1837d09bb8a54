"""Finding a CJK font that every part of the product can register explicitly.

Kivy's default Roboto has no Chinese glyphs, ReportLab's CID fonts are not embedded in the
PDF, and receipt renderers need a TrueType file: all three ask this module for one font
file. The lookup prefers WenQuanYi Micro Hei (Simplified Chinese glyph shapes, a plain TTF
face at index 0). Noto Sans CJK is a collection whose face 0 is the *Japanese* variant, so
when only Noto is present its Simplified Chinese face is extracted to a cache file.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEBIAN_PACKAGE = "fonts-wqy-microhei"

_PREFERRED = ("wqy-microhei.ttc", "wqy-zenhei.ttc")
_NOTO_SC_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf")
_FAST_PATHS = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
               Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
_KNOWN_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class FontNotFound(RuntimeError):
    """No usable CJK font: the message names the Debian package that provides one."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            f"未找到中文字体 / no CJK font found{': ' + detail if detail else ''}; "
            f"install one with: apt-get install {DEBIAN_PACKAGE}"
        )


@dataclass(frozen=True)
class CjkFont:
    path: Path
    face_index: int = 0

    @property
    def name(self) -> str:
        return self.path.stem


def _fontconfig_files() -> list[Path]:
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def _walk_known_dirs() -> list[Path]:
    found: list[Path] = []
    for base in _KNOWN_DIRS:
        if base.is_dir():
            for root, _dirs, files in os.walk(base):
                found.extend(Path(root) / f for f in files if f in _PREFERRED + _NOTO_SC_NAMES)
    return found


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhengwu-kiosk"


def _extract_noto_sc(collection: Path) -> Path:
    """Write the Simplified Chinese face of a Noto CJK collection to its own TTF/OTF file."""
    target = _cache_dir() / "NotoSansCJKsc-Regular.otf"
    if target.exists() and target.stat().st_mtime >= collection.stat().st_mtime:
        return target
    from fontTools.ttLib import TTCollection  # only needed on machines without WenQuanYi

    target.parent.mkdir(parents=True, exist_ok=True)
    for font in TTCollection(str(collection)).fonts:
        names = {rec.toUnicode() for rec in font["name"].names if rec.nameID in (1, 4)}
        if any(n.endswith(" SC") or " SC " in n for n in names):
            tmp = target.with_suffix(".tmp")
            font.save(str(tmp))
            os.replace(tmp, target)
            return target
    raise FontNotFound(f"{collection} has no Simplified Chinese face")


def find_cjk_font(configured: Path | None = None) -> CjkFont:
    """Return the font to use: the configured file, else the best one installed."""
    if configured is not None:
        if not Path(configured).is_file():
            raise FontNotFound(f"configured font {configured} does not exist")
        return CjkFont(Path(configured))
    for path in _FAST_PATHS:  # Debian's locations: no fc-list process on the start-up path
        if path.is_file():
            return CjkFont(path)
    candidates = _fontconfig_files() or _walk_known_dirs()
    by_name = {p.name: p for p in candidates}
    for name in _PREFERRED:
        if name in by_name:
            return CjkFont(by_name[name])
    if "NotoSansCJKsc-Regular.otf" in by_name:
        return CjkFont(by_name["NotoSansCJKsc-Regular.otf"])
    if "NotoSansCJK-Regular.ttc" in by_name:
        return CjkFont(_extract_noto_sc(by_name["NotoSansCJK-Regular.ttc"]))
    raise FontNotFound()
