"""Probes used by ``kiosk doctor`` and the health monitor: each device's Health, once.

A probe gets the device's config model and returns a :class:`drivers.health.Health`; it
must finish within a few seconds and never raise. ``PROBES`` maps a config device name to
``module:function`` in the device's driver, which talks the device's own protocol (the SAM
reader answers its SAM-id command, the printer answers ``DLE EOT``, CUPS reports the
queue's printer-state-reasons), so a plugged-in but dead device is not reported ok.
"""
from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from typing import Any

from drivers.health import Health

Probe = Callable[[Any], Health]

PROBES: dict[str, str] = {
    "idcard": "drivers.idcard.probe:probe",
    "sscard": "drivers.smartcard.probe:probe_sscard",
    "staffcard": "drivers.smartcard.probe:probe_staffcard",
    "printer": "drivers.printer.probe:probe",
    "a4printer": "drivers.printer.cups:probe",
    "qr_camera": "drivers.scanner.probe:probe_camera",
    "doc_camera": "drivers.scanner.probe:probe_camera",
    "scanner": "drivers.scanner.probe:probe_scanner",
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


def probe_speaker(device_config: Any) -> Health:
    if shutil.which("espeak-ng") is None:
        return Health.degraded("tts_missing", "espeak-ng not found (apt-get install espeak-ng)")
    return Health.ok(device_config.voice)


def device_probes(config: Any) -> dict[str, Callable[[], Health]]:
    """One zero-argument probe per configured device, for the health monitor's polling."""
    return {name: (lambda n=name, d=dev: run_probe(n, d)) for name, dev in config.devices.configured().items()}
