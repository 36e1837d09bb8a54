"""Camera sources (folder, video file, device) and the newest-frame grabber with its Health."""
from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from drivers.scanner.camera import CameraError, FrameGrabber, ImageFolderSource, open_source


def _frames(n, size=(64, 48)):
    return [np.full((size[1], size[0], 3), 20 * i, np.uint8) for i in range(n)]


def _wait(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


def test_image_folder_in_name_order_and_looping(image_folder):
    source = open_source(str(image_folder(_frames(3))), fps=0)
    assert isinstance(source, ImageFolderSource)
    values = [int(source.read()[0, 0, 0]) for _ in range(5)]
    assert values == [0, 20, 40, 0, 20]


def test_image_folder_without_loop_ends(image_folder):
    source = ImageFolderSource(image_folder(_frames(2)), fps=0, loop=False)
    source.read(), source.read()
    with pytest.raises(CameraError):
        source.read()


def test_empty_folder_and_missing_paths_are_camera_errors(tmp_path):
    with pytest.raises(CameraError):
        open_source(str(tmp_path))
    with pytest.raises(CameraError):
        open_source(str(tmp_path / "nope.avi"))
    with pytest.raises(CameraError):
        open_source("/dev/video99")


def test_video_file_source_loops(tmp_path):
    path = str(tmp_path / "clip.avi")
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 25, (64, 48))
    for frame in _frames(3):
        writer.write(frame)
    writer.release()
    source = open_source(path, fps=0)
    assert [source.read().shape for _ in range(5)] == [(48, 64, 3)] * 5  # 3 frames, then from the start
    source.close()


class GatedSource:
    """A camera whose frames the test releases one by one; can be told to die."""

    name = "gated"

    def __init__(self) -> None:
        self.gate = threading.Semaphore(0)
        self.dead = threading.Event()
        self.count = 0

    def read(self):
        while not self.gate.acquire(timeout=0.05):
            if self.dead.is_set():
                raise CameraError("unplugged")
        if self.dead.is_set():
            raise CameraError("unplugged")
        self.count += 1
        return np.full((4, 4), self.count, np.uint8)

    def close(self):
        pass


def test_grabber_hands_out_newest_frame_and_counts_dropped():
    source = GatedSource()
    with FrameGrabber(lambda: source) as grabber:
        for _ in range(5):
            source.gate.release()
        _wait(lambda: grabber.frames_read == 5)
        frame = grabber.latest(0, timeout=1)
        assert frame.seq == 5 and int(frame.image[0, 0]) == 5
        assert grabber.frames_dropped == 4
        assert grabber.latest(frame.seq, timeout=0.05) is None  # nothing newer: no stale re-delivery
        source.gate.release()
        assert grabber.latest(frame.seq, timeout=2).seq == 6
        source.dead.set()


def test_lost_camera_is_a_fault_and_is_reopened():
    sources = [GatedSource(), GatedSource()]
    opened = []

    def opener():
        if len(opened) == len(sources):
            raise CameraError("unplugged for good")
        opened.append(1)
        return sources[len(opened) - 1]

    with FrameGrabber(opener, reconnect_s=0.02) as grabber:
        sources[0].gate.release()
        _wait(lambda: grabber.frames_read == 1)
        assert grabber.health().is_ok
        sources[0].dead.set()
        _wait(lambda: len(opened) == 2)
        sources[1].gate.release()
        _wait(lambda: grabber.frames_read == 2)
        assert grabber.health().is_ok
        sources[1].dead.set()
        _wait(lambda: grabber.health().is_fault)
        assert grabber.health().reason == "camera_lost"


def test_camera_that_never_opens_is_camera_lost():
    def opener():
        raise CameraError("cannot open /dev/video7")

    with FrameGrabber(opener, reconnect_s=0.02) as grabber:
        _wait(lambda: grabber.health().is_fault)
        assert grabber.health().reason == "camera_lost"
        assert grabber.latest(0, timeout=0.05) is None


def test_open_camera_without_frames_is_no_frames():
    now = [100.0]
    source = GatedSource()
    grabber = FrameGrabber(lambda: source, stall_s=3.0, clock=lambda: now[0]).start()
    try:
        assert grabber.health().is_ok
        now[0] += 3.5
        health = grabber.health()
        assert (health.state.value, health.reason) == ("degraded", "no_frames")
    finally:
        source.dead.set()
        grabber.stop()
