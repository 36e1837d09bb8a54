"""The document camera on a simulated camera, and the application's JPEGs and PDF."""
from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from drivers.docscan.capture import DocumentCamera
from drivers.docscan.synthetic import empty_desk
from drivers.scanner.camera import FrameGrabber, open_source
from kiosk.docscan import ApplicationScans, message_key


def _camera(folder):
    return DocumentCamera(FrameGrabber(lambda: open_source(str(folder), fps=0)))


def test_capture_finds_straightens_and_enhances(image_folder, page_photos):
    camera = _camera(image_folder([page_photos[1].image]))
    with camera.grabber:
        result = camera.capture(timeout=5)
    assert result.found and result.reason == ""
    assert result.page.ndim == 2 and result.page.shape[0] > result.page.shape[1]  # portrait A4
    assert np.abs(result.corners - page_photos[1].corners).max() < 6


def test_capture_without_page_says_no_page(image_folder):
    camera = _camera(image_folder([empty_desk(3).image]))
    with camera.grabber:
        result = camera.capture(timeout=5)
    assert (result.found, result.reason) == (False, "no_page")
    assert message_key(result.reason) == "docscan.no_page"


def test_capture_without_camera_says_no_frame(tmp_path):
    camera = DocumentCamera(FrameGrabber(lambda: open_source(str(tmp_path / "gone")), reconnect_s=0.05))
    with camera.grabber:
        result = camera.capture(timeout=0.2)
        assert camera.health().reason == "camera_lost"
    assert result.reason == "no_frame"
    assert message_key(result.reason) == "docscan.camera_unavailable"


def test_preview_frames_with_outline(scripted_grabber, page_photos):
    camera = DocumentCamera(scripted_grabber([page_photos[0].image, empty_desk(1).image]))
    preview = camera.preview(max_width=320, timeout=5)
    frames = [next(preview) for _ in range(4)]
    preview.close()
    assert all(f.image.shape[1] == 320 and f.image.ndim == 3 for f in frames)
    assert [f.seq for f in frames] == [1, 2, 3, 4]
    assert [f.page_found for f in frames] == [True, False, True, False]
    green = (frames[0].image[..., 1] > 180) & (frames[0].image[..., 0] < 100) & (frames[0].image[..., 2] < 100)
    assert green.sum() > 100  # the outline was drawn


def test_pages_saved_as_jpeg_and_one_multipage_pdf(tmp_path, page_photos):
    from drivers.docscan.capture import process_photo

    scans = ApplicationScans(tmp_path, "APP-2026-0001")
    for photo in page_photos[:3]:
        scans.add_page(process_photo(photo.image).page)
    assert [p.name for p in scans.pages] == ["page-001.jpg", "page-002.jpg", "page-003.jpg"]
    assert cv2.imread(str(scans.pages[0])) is not None
    scans.remove_last()
    pdf = scans.write_pdf()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", data)) == 2
    assert len(re.findall(rb"/DCTDecode", data)) == 2  # the JPEGs themselves, not re-encoded
    assert not list(scans.folder.glob("*.tmp*"))
    scans.discard()
    assert not scans.folder.exists()


def test_application_id_cannot_escape_the_folder(tmp_path):
    with pytest.raises(ValueError):
        ApplicationScans(tmp_path, "../etc")
    with pytest.raises(ValueError):
        ApplicationScans(tmp_path, "APP-1").write_pdf()


def test_capture_into_application(tmp_path, scripted_grabber, page_photos):
    from kiosk.docscan import capture_into

    camera = DocumentCamera(scripted_grabber([page_photos[3].image, empty_desk(2).image, page_photos[4].image]))
    scans = ApplicationScans(tmp_path, "APP-2")
    outcomes = [capture_into(camera, scans) for _ in range(3)]
    assert [o.message_key for o in outcomes] == ["", "docscan.no_page", ""]
    assert [o.saved.number for o in outcomes if o.saved] == [1, 2]
    assert len(re.findall(rb"/Type /Page\b", (scans.folder / "application.pdf").read_bytes())) == 2
