"""The QR camera chain on a simulated camera (a looping folder of generated pictures)."""
from __future__ import annotations

import threading

import numpy as np

from drivers.scanner.qrcamera import CameraScanner
from drivers.scanner.synthetic import make_scene


def _scene(seed, payload):
    return np.dstack([make_scene(seed, 0.1, (320, 240), payload=payload).image] * 3)


def test_code_held_in_view_is_reported_once(image_folder):
    folder = image_folder([_scene(s, b"ZWFW:CASE:2026-000001") for s in range(4)])
    scanner = CameraScanner.from_source(str(folder), fps=0, repeat_after_s=600)
    with scanner.grabber:
        reported = []
        for _ in range(12):  # the folder loops: the same receipt seen in every frame
            reported += scanner.poll(timeout=2)
        assert [c.raw for c in reported] == [b"ZWFW:CASE:2026-000001"]
        assert scanner.frames_decoded == 12
        assert scanner.health().is_ok


def test_code_that_left_the_view_is_reported_again(scripted_grabber):
    from drivers.scanner.decoder import FrameDecoder
    from drivers.scanner.dedup import SightingFilter

    empty = np.full((240, 320, 3), 128, np.uint8)
    frames = [_scene(1, b"DZZZ:ABCDEFGHIJKLMNOPQRSTUV")] * 2 + [empty] * 3
    sightings = SightingFilter(lambda c: c.key, repeat_after_s=600, gone_frames=3)
    scanner = CameraScanner(scripted_grabber(frames), FrameDecoder(), sightings)
    reported = [len(scanner.poll()) for _ in range(10)]
    assert reported == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_threaded_scanner_calls_the_handler(image_folder):
    folder = image_folder([_scene(2, "办件查询".encode("gbk"))])
    got = threading.Event()
    seen = []

    def handler(code):
        seen.append(code)
        got.set()

    with CameraScanner.from_source(str(folder), fps=20, on_code=handler):
        assert got.wait(10)
    assert seen[0].text == "办件查询" and seen[0].encoding == "gb18030"


def test_missing_camera_reports_health(tmp_path):
    scanner = CameraScanner.from_source(str(tmp_path / "no-camera"), reconnect_s=0.05)
    with scanner.grabber:
        assert scanner.poll(timeout=0.3) == []
        assert scanner.health().reason == "camera_lost"
