"""PNGs of a PDF's pages for the preview before printing (poppler's ``pdftoppm``), in memory only.

A certificate is personal data, so nothing of it touches the disk: the PDF goes to
``pdftoppm`` on stdin and the PNG comes back on stdout. :class:`PreviewPages` renders a page
the first time it is shown and keeps it for the rest of the visit, so paging back and forth
costs a render once per page; :meth:`PreviewPages.clear` drops the PDF and every page when
the citizen leaves the screen or the session is wiped.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading

log = logging.getLogger(__name__)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_png(pdf: bytes, page: int = 1, dpi: int = 60, timeout_s: float = 20.0) -> bytes | None:
    """The page as PNG bytes, or None when poppler is missing or the PDF cannot be drawn."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        log.warning("pdftoppm is not installed: no print preview")
        return None
    try:  # no output root: pdftoppm writes the single page to stdout
        done = subprocess.run([tool, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-"],
                              input=pdf, check=True, capture_output=True, timeout=timeout_s)
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("preview failed: %s", type(exc).__name__)
        return None
    return done.stdout if done.stdout.startswith(b"\x89PNG") else None


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF we rendered ourselves (ReportLab writes ``/Type /Page`` once per page)."""
    return max(1, len(_PAGE.findall(pdf)))


class PreviewPages:
    """One document's pages, rendered lazily and cached until :meth:`clear`.

    Thread-safe: pages are rendered in the screen's worker thread while the UI thread may
    clear. A render that finishes after ``clear`` is returned to its caller (who drops it as
    a late answer) but never stored, so a wiped visit cannot refill the cache.
    """

    def __init__(self, pdf: bytes, dpi: int = 60) -> None:
        self._pdf: bytes | None = pdf
        self.count = pdf_page_count(pdf)
        self.dpi = dpi
        self._pngs: dict[int, bytes | None] = {}
        self._lock = threading.Lock()

    def cached(self, page: int) -> bool:
        with self._lock:
            return page in self._pngs

    def png(self, page: int) -> bytes | None:
        """Page ``page`` (1-based) as PNG; None when it cannot be drawn (the print still works)."""
        if not 1 <= page <= self.count:
            raise IndexError(f"page {page} of {self.count}")
        with self._lock:
            pdf = self._pdf
            if page in self._pngs or pdf is None:
                return self._pngs.get(page)
        png = pdf_page_png(pdf, page, self.dpi)
        with self._lock:
            if self._pdf is pdf:
                self._pngs[page] = png
        return png

    def clear(self) -> None:
        with self._lock:
            self._pdf = None
            self._pngs.clear()
