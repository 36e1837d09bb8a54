"""Readers built from the terminal's config entries, end to end through the simulators."""
from __future__ import annotations

import numpy as np

from drivers.docscan.capture import build_document_camera
from drivers.scanner.factory import build_hand_scanner, build_qr_camera
from drivers.scanner.serialscanner import SerialScanner
from drivers.scanner.synthetic import make_scene
from drivers.scanner.wedge import WedgeScanner
from kiosk.config import CameraConfig, ScannerConfig
from kiosk.payloads import Payload, PayloadKind, PayloadRules, classify_code


def test_serial_scanner_from_config_to_payload(serial_scanner_sim):
    config = ScannerConfig(port=serial_scanner_sim.path, reconnect_s=0.05, max_payload_bytes=64)
    scanner = build_hand_scanner(config)
    assert isinstance(scanner, SerialScanner)
    rules = PayloadRules.from_config(config)
    with scanner:
        scanner.wait_health(lambda h: h.is_ok, 5)
        serial_scanner_sim.send(b"ZWFW:CASE:2026-000042")
        serial_scanner_sim.send(b"Z" * 100)  # longer than allowed: must reach the kiosk to be refused
        codes = scanner.wait_codes(2, 5)
    assert [classify_code(c, rules) for c in codes] == [
        Payload(PayloadKind.RECEIPT, "2026-000042"), Payload(PayloadKind.REJECTED, message_key="scan.too_long")]


def test_wedge_scanner_from_config():
    assert isinstance(build_hand_scanner(ScannerConfig(kind="evdev", port="/dev/input/event3")), WedgeScanner)


def test_qr_and_document_cameras_from_config(image_folder, page_photos):
    frame = np.dstack([make_scene(9, 0.1, (320, 240), payload=b"ZWFW:CASE:2026-000043").image] * 3)
    qr = build_qr_camera(CameraConfig(source=str(image_folder([frame], "qr")), fps=50))
    with qr.grabber:
        assert [c.text for c in qr.poll(timeout=5)] == ["ZWFW:CASE:2026-000043"]
    doc = build_document_camera(CameraConfig(source=str(image_folder([page_photos[2].image], "doc")), fps=50))
    with doc.grabber:
        assert doc.capture(timeout=5).found


def test_config_default_formats_are_the_decoder_defaults():
    from drivers.scanner.decoder import DEFAULT_FORMATS

    assert tuple(CameraConfig(source="0").formats) == DEFAULT_FORMATS
