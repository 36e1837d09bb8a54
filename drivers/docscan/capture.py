"""The document camera as the kiosk uses it: a live preview, and a capture on request.

The preview shows the citizen what the camera sees with the page outline drawn when a
page is found, so they can straighten the paper before pressing "capture". A capture
takes the newest full-resolution frame, finds the page, straightens, crops and enhances
it; when no page is found it says so (``reason="no_page"``) instead of saving the desk.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from drivers.docscan.enhance import Mode, enhance
from drivers.docscan.page import find_page, rectify
from drivers.health import Health
from drivers.scanner.camera import FrameGrabber

OUTLINE_BGR = (60, 200, 60)


@dataclass(frozen=True)
class PageCapture:
    page: np.ndarray | None  # straightened, cropped, enhanced; None when nothing was found
    corners: np.ndarray | None  # where the page was in the frame
    reason: str = ""  # "" on success, else "no_page" or "no_frame" (UI translation keys)

    @property
    def found(self) -> bool:
        return self.page is not None


@dataclass(frozen=True)
class PreviewFrame:
    image: np.ndarray  # BGR, at most ``max_width`` wide, outline drawn on it
    page_found: bool
    seq: int


class DocumentCamera:
    def __init__(self, grabber: FrameGrabber, min_area: float = 0.15, mode: Mode = "gray") -> None:
        self.grabber = grabber
        self.min_area = min_area
        self.mode = mode

    def health(self) -> Health:
        return self.grabber.health()

    def capture(self, timeout: float = 2.0) -> PageCapture:
        frame = self.grabber.latest(0, timeout)
        if frame is None:
            return PageCapture(None, None, "no_frame")
        return process_photo(frame.image, self.min_area, self.mode)

    def preview(self, max_width: int = 640, timeout: float = 1.0) -> Iterator[PreviewFrame]:
        """Frames for the UI, one per new camera frame, until the generator is closed.

        A gap with no frame yields nothing and keeps waiting: the screen shows the last
        frame and the camera's Health says what is wrong.
        """
        seq = 0
        while True:
            frame = self.grabber.latest(seq, timeout)
            if frame is None:
                if self.grabber.health().is_fault:
                    return
                continue
            seq = frame.seq
            yield make_preview(frame.image, seq, max_width, self.min_area)


def process_photo(image: np.ndarray, min_area: float = 0.15, mode: Mode = "gray") -> PageCapture:
    """Find, straighten, crop and enhance the page in one photo."""
    corners = find_page(image, min_area)
    if corners is None:
        return PageCapture(None, None, "no_page")
    return PageCapture(enhance(rectify(image, corners), mode), corners)


def make_preview(image: np.ndarray, seq: int, max_width: int, min_area: float) -> PreviewFrame:
    scale = min(1.0, max_width / image.shape[1])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image.copy()
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    corners = find_page(small, min_area)
    if corners is not None:
        cv2.polylines(small, [corners.astype(np.int32)], True, OUTLINE_BGR, 3)
    return PreviewFrame(small, corners is not None, seq)


def build_document_camera(config: Any) -> DocumentCamera:
    """From a ``devices.doc_camera`` entry (duck-typed)."""
    from drivers.scanner.camera import open_source

    grabber = FrameGrabber(lambda: open_source(config.source, config.width, config.height, config.fps),
                           reconnect_s=config.reconnect_s)
    return DocumentCamera(grabber, min_area=config.min_page_area)
