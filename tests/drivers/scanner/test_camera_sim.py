"""The demo's simulated cameras deliver the scripted codes and pages through the real drivers."""
from __future__ import annotations

from drivers.docscan.capture import DocumentCamera
from drivers.scanner.camera import FrameGrabber, open_source
from drivers.scanner.qrcamera import CameraScanner
from kiosk.payloads import PayloadKind, classify_code
from kiosk.stack.camera_sim import DEMO_LICENCE, DEMO_RECEIPT, SimulatedCameras


def test_demo_cameras(tmp_path):
    # Each code is held for 20 frames so that a decoder slowed down by a busy machine (it takes
    # only the newest frame) still lands on both codes; the loop stops as soon as both are seen.
    with SimulatedCameras(tmp_path, size=(320, 240), hold_frames=20) as cams:
        scanner = CameraScanner.from_source(str(cams.qr_folder), fps=0, repeat_after_s=600)
        with scanner.grabber:
            seen = []
            while scanner.frames_decoded < 600 and len(seen) < 2:
                seen += scanner.poll(timeout=5)
        # The folder loops and the newest frame is decoded, so either may come first.
        kinds = {(classify_code(c).kind, c.text) for c in seen}
        assert kinds == {(PayloadKind.RECEIPT, DEMO_RECEIPT), (PayloadKind.LICENCE, DEMO_LICENCE)}

        camera = DocumentCamera(FrameGrabber(lambda: open_source(str(cams.doc_folder), fps=0)))
        with camera.grabber:
            results = {camera.capture(timeout=5).reason for _ in range(30)}
        assert {"", "no_page"} <= results
