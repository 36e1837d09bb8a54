"""Simulated QR and document cameras for the demo: folders of generated frames.

A camera ``source`` may be a folder of images, played in a loop at the configured fps
(:mod:`drivers.scanner.camera`). This launcher fills two such folders with a scripted
scene: for the QR camera an empty view, then a receipt QR held up for a while, empty
again, then a licence QR; for the document camera an empty base plate, then two pages of
a form. Configure ``devices.qr_camera.source = cams.qr_folder`` and
``devices.doc_camera.source = cams.doc_folder``.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

DEMO_RECEIPT = "ZWFW:CASE:RS20261120000123"  # a demo case of the server (docs/CONTENT_API.md)
DEMO_LICENCE = "DZZZ:DEMO-LJH-ELICENCE-2026-0001"  # the demo person's e-licence (docs/CONTENT_API.md)


class SimulatedCameras:
    def __init__(self, root: str | Path | None = None, size: tuple[int, int] = (640, 480),
                 hold_frames: int = 20) -> None:
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="sim-cameras-"))
        self.size = size
        self.hold_frames = hold_frames

    @property
    def qr_folder(self) -> Path:
        return self.root / "qr"

    @property
    def doc_folder(self) -> Path:
        return self.root / "doc"

    def start(self) -> "SimulatedCameras":
        import cv2
        import numpy as np

        from drivers.docscan.synthetic import empty_desk, photograph, render_page
        from drivers.scanner.synthetic import background, make_scene

        self.qr_folder.mkdir(parents=True, exist_ok=True)
        self.doc_folder.mkdir(parents=True, exist_ok=True)
        width, height = self.size
        rng = np.random.default_rng(0)
        empty = [background(rng, height, width, clutter=4) for _ in range(3)]
        receipt = make_scene(1, 0.15, self.size, payload=DEMO_RECEIPT.encode()).image
        licence = make_scene(2, 0.15, self.size, payload=DEMO_LICENCE.encode()).image
        script = (empty * 5)[: self.hold_frames] + [receipt] * self.hold_frames \
            + (empty * 5)[: self.hold_frames] + [licence] * self.hold_frames
        for i, frame in enumerate(script):
            cv2.imwrite(str(self.qr_folder / f"{i:04d}.jpg"), frame)
        pages = [empty_desk(0, self.size).image] * 5 + [photograph(render_page(seed=s), s, self.size).image
                                                        for s in (1, 1, 1, 1, 1, 2, 2, 2, 2, 2)]
        for i, frame in enumerate(pages):
            cv2.imwrite(str(self.doc_folder / f"{i:04d}.jpg"), frame)
        return self

    def stop(self) -> None:
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "SimulatedCameras":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
