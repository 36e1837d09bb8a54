"""The QR camera: newest frame -> decoder -> sighting filter -> the kiosk.

One loop, in its own thread: take the newest frame the grabber has (older ones were
dropped), decode it, pass only new sightings on. Decoding therefore sets the pace, and a
slow frame never makes the next one late.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from drivers.background import BackgroundWorker
from drivers.health import Health
from drivers.scanner.camera import FrameGrabber, open_source
from drivers.scanner.codes import ScannedCode
from drivers.scanner.decoder import DEFAULT_FORMATS, FrameDecoder
from drivers.scanner.dedup import SightingFilter

log = logging.getLogger(__name__)

CodeHandler = Callable[[ScannedCode], None]


class CameraScanner(BackgroundWorker):
    thread_name = "qr-camera"

    def __init__(self, grabber: FrameGrabber, decoder: FrameDecoder, sightings: SightingFilter,
                 on_code: CodeHandler | None = None) -> None:
        self.grabber = grabber
        self.decoder = decoder
        self.sightings = sightings
        self.on_code = on_code
        self.frames_decoded = 0
        self._seq = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_source(cls, source: str, *, width: int = 0, height: int = 0, fps: float = 10.0,
                    formats: Sequence[str] = DEFAULT_FORMATS, repeat_after_s: float = 3.0,
                    reconnect_s: float = 2.0, on_code: CodeHandler | None = None) -> "CameraScanner":
        """Build the whole chain from the settings in a camera's config entry."""
        grabber = FrameGrabber(lambda: open_source(source, width, height, fps), reconnect_s=reconnect_s)
        sightings = SightingFilter(lambda c: c.key, repeat_after_s=repeat_after_s)
        return cls(grabber, FrameDecoder(formats, retries_per_frame=1), sightings, on_code)

    def poll(self, timeout: float = 1.0) -> list[ScannedCode]:
        """Decode the newest unseen frame; return the codes to report (maybe none)."""
        frame = self.grabber.latest(self._seq, timeout)
        if frame is None:
            return []
        self._seq = frame.seq
        self.frames_decoded += 1
        return self.sightings.update(self.decoder.decode(frame.image))

    def health(self) -> Health:
        return self.grabber.health()

    def start(self) -> "CameraScanner":
        self.grabber.start()  # frames first, then the decoding thread
        return super().start()

    def _after_stop(self) -> None:
        self.grabber.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            for code in self.poll(0.5):
                if self.on_code is not None:
                    try:
                        self.on_code(code)
                    except Exception:  # the kiosk's handler must not kill the camera loop
                        log.exception("code handler failed")
