"""``kiosk doctor`` probes for the cameras and the scanner, against the simulators."""
from __future__ import annotations

import numpy as np

from kiosk.config import CameraConfig, ScannerConfig
from kiosk.probes import run_probe


def test_camera_probe_on_image_folder(image_folder):
    folder = image_folder([np.zeros((48, 64, 3), np.uint8)])
    health = run_probe("qr_camera", CameraConfig(source=str(folder)))
    assert health.is_ok and "64x48" in health.detail


def test_camera_probe_missing_camera(tmp_path):
    for name in ("qr_camera", "doc_camera"):
        health = run_probe(name, CameraConfig(source=str(tmp_path / "video9")))
        assert (health.is_fault, health.reason) == (True, "camera_missing")


def test_scanner_probe_serial(serial_scanner_sim, tmp_path):
    assert run_probe("scanner", ScannerConfig(port=serial_scanner_sim.path)).is_ok
    serial_scanner_sim.unplug()
    assert run_probe("scanner", ScannerConfig(port=serial_scanner_sim.path)).reason == "port_missing"


def test_scanner_probe_evdev_on_a_non_input_file(tmp_path):
    path = tmp_path / "event0"
    path.write_bytes(b"")
    health = run_probe("scanner", ScannerConfig(kind="evdev", port=str(path)))
    assert health.is_fault or health.state.value == "degraded"
