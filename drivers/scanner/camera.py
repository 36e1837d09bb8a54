"""Camera frame sources and a grabber that always hands out the newest frame.

A config ``source`` names one of: a device index (``0``), a device path
(``/dev/video2``), a video file, or a folder of images. Files and folders are how the
demo and the tests simulate a camera; they are paced at ``fps`` and loop, so they behave
like a live camera rather than a file read as fast as the disk allows.

:class:`FrameGrabber` reads continuously in its own thread and keeps only the latest
frame: when decoding is slower than the camera, old frames are dropped instead of queued,
so the kiosk reacts to what is in front of the camera now, not a second ago.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from drivers.health import Health

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


class CameraError(Exception):
    """A camera that cannot be opened or stopped delivering frames."""


class FrameSource(Protocol):
    name: str

    def read(self) -> np.ndarray:
        """The next frame; raises :class:`CameraError` when the camera is gone."""

    def close(self) -> None: ...


class _Pacer:
    """Sleeps so that successive frames of a file source come ``1/fps`` apart."""

    def __init__(self, fps: float) -> None:
        self.period = 1.0 / fps if fps > 0 else 0.0
        self._next = time.monotonic()

    def wait(self) -> None:
        if self.period:
            delay = self._next - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._next = max(self._next + self.period, time.monotonic())


class ImageFolderSource:
    """Every image in a folder, in name order, as a camera stream."""

    def __init__(self, folder: str | Path, fps: float = 10.0, loop: bool = True) -> None:
        self.name = str(folder)
        self._files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise CameraError(f"{folder} has no images")
        self._loop = loop
        self._index = 0
        self._pacer = _Pacer(fps)

    def read(self) -> np.ndarray:
        if self._index >= len(self._files):
            if not self._loop:
                raise CameraError("end of image folder")
            self._index = 0
        path = self._files[self._index]
        self._index += 1
        self._pacer.wait()
        frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if frame is None:
            raise CameraError(f"{path.name} is not an image")
        return frame

    def close(self) -> None:
        pass


class CaptureSource:
    """A camera device or a video file through ``cv2.VideoCapture``."""

    def __init__(self, source: int | str, width: int = 0, height: int = 0, fps: float = 0.0,
                 loop: bool = True) -> None:
        self.name = str(source)
        self._is_file = isinstance(source, str) and os.path.isfile(source)
        self._loop = loop
        self._cap = cv2.VideoCapture(source)
        if not self._cap.isOpened():
            self._cap.release()
            raise CameraError(f"cannot open {source}")
        if not self._is_file:
            self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # V4L2 queues frames: keep that queue short
            if width and height:
                self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
                self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        file_fps = self._cap.get(cv2.CAP_PROP_FPS) if self._is_file else 0.0
        self._pacer = _Pacer(fps or file_fps or 25.0) if self._is_file else None

    def read(self) -> np.ndarray:
        ok, frame = self._cap.read()
        if not ok and self._is_file and self._loop:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None:
            raise CameraError(f"{self.name}: no frame (unplugged?)")
        if self._pacer is not None:
            self._pacer.wait()
        return frame

    def close(self) -> None:
        self._cap.release()


def quiet_opencv() -> None:
    """A missing camera is a Health, not console noise from the capture backend.

    OpenCV 4 has ``cv2.setLogLevel``; OpenCV 5 only ``cv2.utils.logging.setLogLevel``.
    """
    try:
        from cv2.utils import logging as cv_logging

        cv_logging.setLogLevel(cv_logging.LOG_LEVEL_ERROR)
    except (ImportError, AttributeError):
        setter = getattr(cv2, "setLogLevel", None)
        if setter is not None:
            setter(2)


def open_source(source: str, width: int = 0, height: int = 0, fps: float = 10.0, loop: bool = True) -> FrameSource:
    """Open what a config ``source`` string names; raises :class:`CameraError`."""
    quiet_opencv()
    if source.isdigit():
        return CaptureSource(int(source), width, height)
    if os.path.isdir(source):
        return ImageFolderSource(source, fps, loop)
    if not os.path.exists(source):
        raise CameraError(f"{source} does not exist")
    return CaptureSource(source, width, height, fps, loop)


@dataclass(frozen=True)
class Frame:
    seq: int
    image: np.ndarray
    taken_at: float


class FrameGrabber:
    """Reads a source in a thread, keeps the newest frame, reopens a lost camera.

    Health: ``camera_lost`` (fault) while the source cannot be opened or read;
    ``no_frames`` (degraded) when it is open but nothing arrived for ``stall_s``.
    """

    def __init__(self, opener: Callable[[], FrameSource], reconnect_s: float = 2.0, stall_s: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._opener = opener
        self.reconnect_s = reconnect_s
        self.stall_s = stall_s
        self._clock = clock
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error = ""
        self._started_at = 0.0
        self.frames_read = 0
        self.frames_dropped = 0
        self._taken_seq = 0

    def start(self) -> "FrameGrabber":
        self._stop.clear()
        self._started_at = self._clock()
        self._thread = threading.Thread(target=self._run, name="frame-grabber", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> "FrameGrabber":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def latest(self, after_seq: int = 0, timeout: float = 1.0) -> Frame | None:
        """The newest frame with ``seq > after_seq``, waiting up to ``timeout``; frames
        that arrived in between and were never taken are counted as dropped."""
        deadline = self._clock() + timeout
        with self._cond:
            while (self._latest is None or self._latest.seq <= after_seq) and not self._stop.is_set():
                remaining = deadline - self._clock()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            frame = self._latest
            if frame is None or frame.seq <= after_seq:
                return None
            self._taken_seq = frame.seq
            return frame

    def health(self) -> Health:
        with self._cond:
            error, latest = self._error, self._latest
        if error:
            return Health.fault("camera_lost", error)
        last = latest.taken_at if latest is not None else self._started_at
        if self._clock() - last > self.stall_s:
            return Health.degraded("no_frames", f"no frame for {self.stall_s:.0f} s")
        return Health.ok(f"{self.frames_read} frames, {self.frames_dropped} dropped")

    def _run(self) -> None:
        source: FrameSource | None = None
        while not self._stop.is_set():
            if source is None:
                try:
                    source = self._opener()
                    self._set_error("")
                except CameraError as exc:
                    self._set_error(str(exc))
                    self._stop.wait(self.reconnect_s)
                    continue
            try:
                image = source.read()
            except CameraError as exc:
                log.warning("camera lost: %s", exc)
                self._set_error(str(exc))
                source.close()
                source = None
                self._stop.wait(self.reconnect_s)
                continue
            self._publish(image)
        if source is not None:
            source.close()

    def _set_error(self, error: str) -> None:
        with self._cond:
            self._error = error

    def _publish(self, image: np.ndarray) -> None:
        with self._cond:
            previous = self._latest
            if previous is not None and previous.seq > self._taken_seq:
                self.frames_dropped += 1  # overwritten before anyone looked at it
            self.frames_read += 1
            self._latest = Frame(self.frames_read, image, self._clock())
            self._cond.notify_all()
