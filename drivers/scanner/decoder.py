"""Decoding the codes in one camera frame: zxing-cpp first, extra passes only on a miss.

Measured on the generated bench set (``bench/scan.py``): one zxing-cpp pass restricted to
the formats a hall sees is ~1.4x faster than zxing-cpp with all formats and finds the same
codes. On a miss, three cheap retries recover most of the rest:

* half scale: a code that fills the view or is out of focus decodes better smaller;
* 1.5x scale + unsharp mask: small, soft codes get modules wide enough to sample;
* CLAHE + unsharp mask: dim phone screens and glare-washed receipts get their contrast back.

Retries run with ``try_rotate``/``try_invert`` off (a QR code is found at any angle
anyway), which makes each of them about 3x cheaper than a first pass. The OpenCV QR
detector found nothing the zxing-cpp passes miss on that set, so it is off by default and
kept as an option for cameras where it does help (``use_opencv``).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from drivers.scanner.codes import ScannedCode

log = logging.getLogger(__name__)

# QR plus the common 1D codes. DataMatrix and PDF417 detection cost 1.5-2x more per frame
# on the bench set and are rare on citizens' phones and receipts: enable them in config.
DEFAULT_FORMATS: tuple[str, ...] = (
    "QRCode", "MicroQRCode", "Code128", "Code39", "Code93", "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar",
)

Transform = Callable[[np.ndarray], np.ndarray]


def to_gray(frame: np.ndarray) -> np.ndarray:
    """Frames come as BGR from cameras and as grayscale from files; decoders want gray."""
    if frame.ndim == 2:
        return frame
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def _scale(factor: float) -> Transform:
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return lambda img: cv2.resize(img, None, fx=factor, fy=factor, interpolation=interpolation)


def _unsharp(img: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(img, 2.0, cv2.GaussianBlur(img, (0, 0), 2), -1.0, 0)


_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


@dataclass(frozen=True)
class RetryPass:
    """One extra attempt on a frame in which the first pass found nothing."""

    name: str
    transform: Transform
    scale: float  # how coordinates in the transformed image map back to the frame


RETRY_PASSES: tuple[RetryPass, ...] = (
    RetryPass("half", _scale(0.5), 0.5),
    RetryPass("up_sharp", lambda img: _unsharp(_scale(1.5)(img)), 1.5),
    RetryPass("clahe_sharp", lambda img: _unsharp(_CLAHE.apply(img)), 1.0),
)


class FrameDecoder:
    """Finds every code in a frame; ``last_pass`` says which pass found them (for tests).

    ``retries_per_frame`` bounds the retry passes tried on one frame. A single picture
    (``kiosk scan``, the bench) gets all of them. A live camera gets one per frame, a
    different one each frame: most frames show no code at all, and on those the full set
    of retries would triple the CPU time, while a code held up to the camera is in the
    next frames too, so every retry still gets its turn within a few frames.
    """

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS, retries: bool = True,
                 use_opencv: bool = False, source: str = "camera", retries_per_frame: int | None = None) -> None:
        import zxingcpp

        self._zxing = zxingcpp
        self._formats = zxingcpp.barcode_formats_from_str(",".join(formats))
        self._retries = RETRY_PASSES if retries else ()
        self._per_frame = len(self._retries) if retries_per_frame is None else min(retries_per_frame,
                                                                                  len(self._retries))
        self._next_retry = 0
        self._opencv = cv2.QRCodeDetector() if use_opencv else None
        self._source = source
        self.last_pass = ""

    def decode(self, frame: np.ndarray) -> list[ScannedCode]:
        gray = to_gray(frame)
        codes = self._read(gray, 1.0, first=True)
        self.last_pass = "first"
        for retry in self._retry_turn() if not codes else ():
            codes = self._read(retry.transform(gray), retry.scale, first=False)
            if codes:
                self.last_pass = retry.name
                break
        if not codes and self._opencv is not None:
            codes = self._read_opencv(gray)
            self.last_pass = "opencv" if codes else self.last_pass
        if not codes:
            self.last_pass = ""
        return codes

    def _retry_turn(self) -> list[RetryPass]:
        """The retry passes for this frame, continuing where the previous frame stopped."""
        if not self._per_frame:
            return []
        count = len(self._retries)
        turn = [self._retries[(self._next_retry + i) % count] for i in range(self._per_frame)]
        self._next_retry = (self._next_retry + self._per_frame) % count
        return turn

    def _read(self, gray: np.ndarray, scale: float, first: bool) -> list[ScannedCode]:
        results = self._zxing.read_barcodes(gray, formats=self._formats, try_rotate=first, try_invert=first)
        codes = []
        for barcode in results:
            pos = barcode.position
            corners = tuple((round(p.x / scale), round(p.y / scale))
                            for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            codes.append(ScannedCode.from_bytes(bytes(barcode.bytes), barcode.format.name, self._source, corners))
        return codes

    def _read_opencv(self, gray: np.ndarray) -> list[ScannedCode]:
        assert self._opencv is not None
        try:
            text, points, _ = self._opencv.detectAndDecode(gray)
        except cv2.error as exc:  # the detector throws on some degenerate quads
            log.debug("opencv qr detector failed: %s", exc)
            return []
        if not text:
            return []
        # OpenCV returns the payload as str; byte-mode payloads came through as Latin-1.
        raw = text.encode("latin-1", errors="ignore") if all(ord(c) < 256 for c in text) else text.encode()
        corners: tuple[tuple[int, int], ...] = ()
        if points is not None:
            corners = tuple((round(float(x)), round(float(y))) for x, y in points.reshape(-1, 2))
        return [ScannedCode.from_bytes(raw, "QRCode", self._source, corners)]


def decode_image(path: str, formats: Sequence[str] = DEFAULT_FORMATS) -> list[ScannedCode]:
    """Decode a picture file; raises :class:`UnreadableImage` when it is not one."""
    from drivers.scanner.camera import quiet_opencv

    quiet_opencv()  # the one-line error is ours; OpenCV's own warning would be a second line
    try:
        data = np.fromfile(path, dtype=np.uint8)  # also for paths imread cannot open (non-ASCII)
    except OSError:
        raise UnreadableImage(path) from None
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        raise UnreadableImage(path)
    return FrameDecoder(formats, source="file").decode(image)


class UnreadableImage(Exception):
    """The file does not exist or is not an image OpenCV can read."""
