"""``kiosk doctor`` probes for the QR camera, the document camera and the hand scanners.

They open the device the way the driver will (same source parsing, same exclusive serial
open, evdev for keyboard wedges), read one frame or check the port, and close it again.
Each takes the device's config entry (duck-typed: drivers do not import ``kiosk``).
"""
from __future__ import annotations

import os
from typing import Any

from drivers.health import Health
from drivers.scanner.camera import CameraError, open_source


def probe_camera(device_config: Any) -> Health:
    """Open the source and read one frame: the camera is there and delivers pictures."""
    try:
        source = open_source(device_config.source, device_config.width, device_config.height,
                             fps=0, loop=True)
    except CameraError as exc:
        return Health.fault("camera_missing", str(exc))
    try:
        frame = source.read()
    except CameraError as exc:
        return Health.fault("no_frames", str(exc))
    finally:
        source.close()
    return Health.ok(f"{source.name}: {frame.shape[1]}x{frame.shape[0]} frame read")


def probe_scanner(device_config: Any) -> Health:
    path = device_config.port
    if not os.path.exists(path):
        return Health.fault("port_missing", f"{path} does not exist (unplugged?)")
    if device_config.kind == "evdev":
        return _probe_evdev(path)
    import serial

    try:
        with serial.Serial(path, device_config.baudrate, timeout=0.2, exclusive=True):
            return Health.ok(f"{path} opened")
    except (serial.SerialException, OSError) as exc:
        return Health.fault("port_busy", f"{path}: {exc}")


def _probe_evdev(path: str) -> Health:
    try:
        import evdev
    except ImportError:
        return Health.degraded("cannot_probe", "python-evdev not installed")
    try:
        device = evdev.InputDevice(path)
    except PermissionError:
        return Health.fault("no_permission", path)
    except OSError as exc:
        return Health.fault("port_missing", f"{path}: {exc.strerror or exc}")
    try:
        if evdev.ecodes.EV_KEY not in device.capabilities():
            return Health.fault("not_a_keyboard", f"{path} ({device.name}) sends no key events")
        return Health.ok(f"{path}: {device.name}")
    finally:
        device.close()
