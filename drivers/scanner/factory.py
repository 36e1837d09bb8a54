"""Building the code readers a terminal's config names, in one place.

The kiosk passes its ``devices.qr_camera`` / ``devices.scanner`` entries (duck-typed:
drivers do not import ``kiosk``) and a handler; what comes back has ``start()``,
``stop()`` and ``health()`` whatever the hardware is, so the terminal wires every code
source the same way.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.scanner.codes import ScannedCode
from drivers.scanner.qrcamera import CameraScanner
from drivers.scanner.reader import DeviceReader

CodeHandler = Callable[[ScannedCode], None]


def build_qr_camera(config: Any, on_code: CodeHandler | None = None) -> CameraScanner:
    return CameraScanner.from_source(
        config.source, width=config.width, height=config.height, fps=config.fps, formats=config.formats,
        repeat_after_s=config.repeat_after_s, reconnect_s=config.reconnect_s, on_code=on_code)


def build_hand_scanner(config: Any, on_code: CodeHandler | None = None) -> DeviceReader:
    max_bytes = getattr(config, "max_payload_bytes", 2048) * 2  # past the limit, so the kiosk can refuse it
    if config.kind == "evdev":
        from drivers.scanner.wedge import WedgeScanner

        return WedgeScanner(config.port, on_code, config.reconnect_s, max_chars=max_bytes)
    from drivers.scanner.serialscanner import SerialScanner

    return SerialScanner(config.port, config.baudrate, config.suffix, on_code, config.reconnect_s, max_bytes)
