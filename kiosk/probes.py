"""Probes used by ``kiosk doctor``: talk to each configured device once and report its Health.

A probe gets the device's config model and returns a :class:`drivers.health.Health`; it
must finish within a few seconds and never raise. ``PROBES`` maps a config device name to
``module:function``: a driver with a protocol-level probe (the SAM reader answering its
SAM-id command, the printer answering ``DLE EOT``) replaces the transport-level default
here by pointing at its own function.
"""
from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
from collections.abc import Callable
from typing import Any

from drivers.health import Health
from drivers.ports import PortSpec, parse_port

Probe = Callable[[Any], Health]

PROBES: dict[str, str] = {
    "idcard": "drivers.idcard.probe:probe",
    "sscard": "drivers.smartcard.probe:probe_sscard",
    "staffcard": "drivers.smartcard.probe:probe_staffcard",
    "printer": "kiosk.probes:probe_port",
    "a4printer": "kiosk.probes:probe_cups_queue",
    "qr_camera": "kiosk.probes:probe_camera",
    "doc_camera": "kiosk.probes:probe_camera",
    "scanner": "kiosk.probes:probe_scanner",
    "speaker": "kiosk.probes:probe_speaker",
}


def resolve(device_name: str) -> Probe:
    module_name, func_name = PROBES[device_name].split(":")
    return getattr(importlib.import_module(module_name), func_name)


def run_probe(device_name: str, device_config: Any) -> Health:
    """Run one probe; an exception inside it is itself reported as a fault."""
    try:
        return resolve(device_name)(device_config)
    except Exception as exc:  # a broken probe must not hide the other devices
        return Health.fault("probe_failed", f"{type(exc).__name__}: {exc}")


def probe_spec(spec: PortSpec, timeout_s: float = 2.0) -> Health:
    """Check that a transport can be opened at all: the device is plugged in and free."""
    if spec.kind == "serial":
        return _probe_serial(spec.path)
    if spec.kind == "tcp":
        try:
            with socket.create_connection((spec.host, spec.port), timeout=timeout_s):
                return Health.ok(f"{spec.host}:{spec.port} connected")
        except OSError as exc:
            return Health.fault("unreachable", f"{spec.host}:{spec.port}: {exc.strerror or exc}")
    if spec.kind == "file":
        parent = os.path.dirname(os.path.abspath(spec.path))
        if os.access(parent, os.W_OK):
            return Health.ok(f"writes to {spec.path}")
        return Health.fault("not_writable", spec.path)
    return _probe_usb(spec)


def _probe_serial(path: str) -> Health:
    if not os.path.exists(path):
        return Health.fault("port_missing", f"{path} does not exist (unplugged?)")
    import serial  # pyserial: imported here so that doctor's other probes do not need it

    try:
        with serial.Serial(path, timeout=0.5, exclusive=True):
            return Health.ok(f"{path} opened")
    except serial.SerialException as exc:
        return Health.fault("port_busy", f"{path}: {exc}")


def _probe_usb(spec: PortSpec) -> Health:
    try:
        import usb.core  # pyusb comes with python-escpos
    except ImportError:
        return Health.degraded("cannot_probe", "pyusb not installed")
    try:
        found = usb.core.find(idVendor=spec.vendor_id, idProduct=spec.product_id)
    except usb.core.NoBackendError:
        return Health.degraded("cannot_probe", "no libusb backend")
    if found is None:
        return Health.fault("usb_missing", f"{spec} not connected")
    return Health.ok(f"{spec} present")


def probe_port(device_config: Any) -> Health:
    return probe_spec(parse_port(device_config.port))


def probe_pcsc_reader(device_config: Any) -> Health:
    try:
        from smartcard.System import readers
    except ImportError:
        return Health.fault("pcsc_missing", "pyscard is not installed")
    try:
        names = [str(r) for r in readers()]
    except Exception as exc:  # pyscard raises several unrelated types when pcscd is not running
        return Health.fault("pcscd_unreachable", f"{type(exc).__name__}: {exc}")
    wanted = device_config.reader
    match = [n for n in names if wanted in n] if wanted else names
    if not match:
        return Health.fault("reader_missing", f"no reader matching {wanted!r}; readers: {names}")
    return Health.ok(match[0])


def probe_cups_queue(device_config: Any) -> Health:
    if shutil.which("lpstat") is None:
        return Health.fault("cups_missing", "lpstat not found (apt-get install cups-client)")
    cmd = ["lpstat"] + (["-h", device_config.server] if device_config.server else []) + ["-p", device_config.queue]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        return Health.fault("cups_unreachable", "lpstat timed out")
    text = (out.stdout + out.stderr).strip()
    if out.returncode != 0:
        return Health.fault("queue_missing", text.splitlines()[0] if text else "lpstat failed")
    if "disabled" in text:
        return Health.fault("queue_disabled", text.splitlines()[0])
    return Health.ok(text.splitlines()[0] if text else device_config.queue)


def probe_camera(device_config: Any) -> Health:
    import cv2

    source: Any = int(device_config.source) if device_config.source.isdigit() else device_config.source
    if isinstance(source, str) and os.path.isdir(source):
        images = [f for f in os.listdir(source) if f.lower().endswith((".png", ".jpg", ".jpeg"))]
        return Health.ok(f"{len(images)} images") if images else Health.fault("no_frames", f"{source} has no images")
    cap = cv2.VideoCapture(source)
    try:
        if not cap.isOpened():
            return Health.fault("camera_missing", f"cannot open {device_config.source}")
        ok, _frame = cap.read()
        return Health.ok("frame read") if ok else Health.fault("no_frames", "opened but no frame")
    finally:
        cap.release()


def probe_scanner(device_config: Any) -> Health:
    path = device_config.port
    if device_config.kind == "evdev":
        if not os.path.exists(path):
            return Health.fault("port_missing", f"{path} does not exist (unplugged?)")
        return Health.ok(path) if os.access(path, os.R_OK) else Health.fault("no_permission", path)
    return _probe_serial(path)


def probe_speaker(device_config: Any) -> Health:
    if shutil.which("espeak-ng") is None:
        return Health.degraded("tts_missing", "espeak-ng not found (apt-get install espeak-ng)")
    return Health.ok(device_config.voice)
