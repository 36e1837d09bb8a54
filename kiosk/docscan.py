"""Pages captured by the document camera for one application (自助申报): JPEGs and one PDF.

Each application gets its own folder under ``<data_dir>/applications/<application id>/``
with ``page-001.jpg``, ``page-002.jpg``... and ``application.pdf`` holding every page on
A4 in order, which is what is uploaded with the application. A page the camera could not
find is not saved; the caller gets the UI message key instead. These files are the
citizen's documents: :meth:`ApplicationScans.discard` deletes them when the application
is cancelled or the session ends without submitting, and nothing here logs their content.
"""
from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

PDF_NAME = "application.pdf"
JPEG_QUALITY = 85  # text stays crisp at this quality; about 60-120 KB per enhanced A4 page
_APP_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Reasons from drivers.docscan.capture.PageCapture -> message keys shown on screen.
MESSAGE_KEYS = {"no_page": "docscan.no_page", "no_frame": "docscan.camera_unavailable"}


@dataclass(frozen=True)
class SavedPage:
    number: int
    path: Path


class ApplicationScans:
    def __init__(self, data_dir: str | Path, application_id: str) -> None:
        if not _APP_ID_RE.match(application_id):
            raise ValueError("application id must be 1-64 letters, digits, '-' or '_'")
        self.application_id = application_id
        self.folder = Path(data_dir) / "applications" / application_id

    @property
    def pages(self) -> list[Path]:
        return sorted(self.folder.glob("page-*.jpg"))

    def add_page(self, page: np.ndarray) -> SavedPage:
        """Save one straightened page as the next JPEG; the PDF is rebuilt by :meth:`write_pdf`."""
        import cv2

        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(self.pages) + 1
        path = self.folder / f"page-{number:03d}.jpg"
        tmp = path.with_suffix(".tmp.jpg")
        if not cv2.imwrite(str(tmp), page, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]):
            raise OSError(f"could not write {tmp}")
        tmp.replace(path)  # a half-written page never counts as a page
        log.info("application %s: page %d saved", self.application_id, number)
        return SavedPage(number, path)

    def remove_last(self) -> None:
        """"Retake": drop the last page."""
        pages = self.pages
        if pages:
            pages[-1].unlink()

    def write_pdf(self) -> Path:
        """One A4 PDF with every page, each fitted inside a 10 mm margin, JPEGs embedded as they are."""
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        pages = self.pages
        if not pages:
            raise ValueError("no pages to put into a PDF")
        target = self.folder / PDF_NAME
        tmp = target.with_suffix(".tmp.pdf")
        pdf = canvas.Canvas(str(tmp), pagesize=A4, pageCompression=1)
        pdf.setTitle(f"application {self.application_id}")
        margin = 10 * mm
        box_w, box_h = A4[0] - 2 * margin, A4[1] - 2 * margin
        for path in pages:
            width, height = ImageReader(str(path)).getSize()
            scale = min(box_w / width, box_h / height)
            w, h = width * scale, height * scale
            pdf.drawImage(str(path), (A4[0] - w) / 2, (A4[1] - h) / 2, w, h)
            pdf.showPage()
        pdf.save()
        tmp.replace(target)
        return target

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def message_key(reason: str) -> str:
    """The on-screen message for a capture that found no page."""
    return MESSAGE_KEYS.get(reason, "docscan.failed")


@dataclass(frozen=True)
class CaptureOutcome:
    """What the "capture" button led to: a saved page, or the message to show instead."""

    saved: SavedPage | None
    message_key: str = ""


def capture_into(camera: Any, scans: ApplicationScans, timeout: float = 2.0) -> CaptureOutcome:
    """Capture one page with a :class:`drivers.docscan.capture.DocumentCamera` and save it.

    The PDF is rewritten after each page so that what is on disk is always complete.
    """
    result = camera.capture(timeout)
    if not result.found:
        return CaptureOutcome(None, message_key(result.reason))
    saved = scans.add_page(result.page)
    scans.write_pdf()
    return CaptureOutcome(saved)
