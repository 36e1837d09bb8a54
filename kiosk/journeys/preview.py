"""A PNG of one PDF page, for the preview before printing (poppler's ``pdftoppm``).

The PDF goes in on stdin and the image is read back from a private temporary folder that
is removed at once; the documents previewed carry masked personal data only.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_png(pdf: bytes, page: int = 1, dpi: int = 60, timeout_s: float = 20.0) -> bytes | None:
    """The page as PNG bytes, or None when poppler is missing or the PDF cannot be drawn."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        log.warning("pdftoppm is not installed: no print preview")
        return None
    with tempfile.TemporaryDirectory(prefix="kiosk-preview-") as folder:
        base = Path(folder) / "page"
        try:
            subprocess.run([tool, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-", str(base)],
                           input=pdf, check=True, capture_output=True, timeout=timeout_s)
            return base.with_suffix(".png").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("preview failed: %s", type(exc).__name__)
            return None


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF we rendered ourselves (ReportLab writes ``/Type /Page`` once per page)."""
    return max(1, len(_PAGE.findall(pdf)))
