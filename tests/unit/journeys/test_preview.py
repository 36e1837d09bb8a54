"""The print preview: every page of a certificate, rendered once when first shown, in memory only."""
from __future__ import annotations

import shutil
import tempfile

import pytest

from kiosk.journeys import preview
from kiosk.journeys.preview import PreviewPages, pdf_page_count, pdf_page_png
from kiosk.journeys.printing import fetch_certificate
from kiosk.journeys.sample_backend import CERTIFICATES, ID_NUMBER, SampleBackend

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def record_pdf() -> bytes:
    """The 示例 个人参保缴费明细: three pages."""
    return fetch_certificate(SampleBackend(), ID_NUMBER, CERTIFICATES[1])[1]


def test_each_page_renders_to_its_own_png_without_touching_the_disk(record_pdf, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert pdf_page_count(record_pdf) == CERTIFICATES[1].pages == 3
    pngs = [pdf_page_png(record_pdf, page) for page in (1, 2, 3)]
    assert all(png and png.startswith(b"\x89PNG") for png in pngs) and len(set(pngs)) == 3
    assert pdf_page_png(record_pdf, 4) is None and pdf_page_png(b"not a pdf") is None
    assert list(scratch.iterdir()) == []


def test_pages_render_lazily_once_and_are_forgotten_on_clear(record_pdf, monkeypatch):
    rendered: list[int] = []
    real = preview.pdf_page_png
    monkeypatch.setattr(preview, "pdf_page_png", lambda pdf, page, dpi: rendered.append(page) or real(pdf, page, dpi))
    pages = PreviewPages(record_pdf)
    assert pages.count == 3 and rendered == [] and not pages.cached(1)
    second = pages.png(2)
    assert pages.png(2) == second and rendered == [2] and pages.cached(2) and not pages.cached(1)
    with pytest.raises(IndexError):
        pages.png(4)
    pages.clear()
    assert not pages.cached(2) and pages.png(1) is None and rendered == [2]  # nothing left to render from


def test_a_render_finishing_after_clear_is_not_kept(record_pdf, monkeypatch):
    pages = PreviewPages(record_pdf)
    real = preview.pdf_page_png

    def render_while_the_session_is_wiped(pdf, page, dpi):
        png = real(pdf, page, dpi)
        pages.clear()  # the citizen left while the page was being drawn
        return png

    monkeypatch.setattr(preview, "pdf_page_png", render_while_the_session_is_wiped)
    assert pages.png(1) is not None and not pages.cached(1)
