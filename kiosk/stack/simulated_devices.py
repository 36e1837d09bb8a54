"""Start a simulator for every device a config marks ``simulated = true``.

The demo (and end-to-end tests) run the real app against these: each simulator speaks the
device's real protocol on the transport named in the config, so the app's config is the
same one real hardware would use, apart from the addresses.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from drivers.ports import parse_port
from kiosk.config import KioskConfig

log = logging.getLogger(__name__)


class Startable(Protocol):
    def start(self) -> Any: ...

    def stop(self) -> None: ...


def _idcard(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.idcard_sim import IdCardSimulator

    return IdCardSimulator(link=cfg.port)


def _sscard(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.vcard import VirtualCardSimulator

    return VirtualCardSimulator(kind="sscard", port=_vpcd_port(cfg.reader))


def _staffcard(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.vcard import VirtualCardSimulator

    return VirtualCardSimulator(kind="staff", port=_vpcd_port(cfg.reader), uid="04A1B2C3")


def _vpcd_port(reader: str) -> int:
    """vsmartcard-vpcd's readers ``Virtual PCD 00 0N`` wait for card clients on TCP 35963 + N."""
    return 35963 + int(reader.strip()[-1]) if reader.strip()[-1:].isdigit() else 35963


def _printer(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.printer_sim import VirtualPrinterLauncher

    spec = parse_port(cfg.port)
    if spec.kind != "tcp":
        raise ValueError(f"the virtual printer listens on TCP; printer.port is {cfg.port}")
    return VirtualPrinterLauncher(out_dir=work / "printer", port=spec.port, paper_width_mm=cfg.paper_width_mm)


def _a4printer(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.cups import CupsServer

    port = int(cfg.server.rsplit(":", 1)[1]) if cfg.server else 0
    return CupsServer(port=port, queue=cfg.queue)


def _scanner(cfg: Any, work: Path) -> Startable:
    from kiosk.stack.scanner_sim import ScannerSimulatorProcess

    return ScannerSimulatorProcess(link=cfg.port, codes=["ZWFW:CASE:RS20261120000123"], interval_s=20)


LAUNCHERS: dict[str, Callable[[Any, Path], Startable]] = {
    "idcard": _idcard,
    "sscard": _sscard,
    "staffcard": _staffcard,
    "printer": _printer,
    "a4printer": _a4printer,
    "scanner": _scanner,
}
NEEDS_PCSCD = {"sscard", "staffcard"}
CAMERAS = {"qr_camera", "doc_camera"}


class SimulatedDevices:
    """The simulators for one or more configs; ``stop()`` ends them in reverse order."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.started: dict[str, Startable] = {}

    def start_for(self, config: KioskConfig) -> None:
        devices = {n: d for n, d in config.devices.configured().items() if d.simulated}
        if NEEDS_PCSCD & devices.keys() and "pcscd" not in self.started:
            from kiosk.stack.pcscd import Pcscd

            self._start("pcscd", Pcscd())
        if CAMERAS & devices.keys() and "cameras" not in self.started:
            from kiosk.stack.camera_sim import SimulatedCameras

            self._start("cameras", SimulatedCameras(self._camera_root(devices)))
        for name, device in devices.items():
            if name in LAUNCHERS:
                self._start(f"{config.device.id}:{name}", LAUNCHERS[name](device, self.work_dir))

    @staticmethod
    def _camera_root(devices: dict[str, Any]) -> Path:
        """The folder whose qr/ and doc/ sub-folders the camera configs name."""
        source = Path((devices.get("qr_camera") or devices["doc_camera"]).source)
        return source.parent

    def _start(self, key: str, launcher: Startable) -> None:
        launcher.start()
        self.started[key] = launcher
        log.info("simulator started: %s", key)

    def get(self, key: str) -> Any:
        return self.started[key]

    def stop(self) -> None:
        for key, launcher in reversed(list(self.started.items())):
            try:
                launcher.stop()
            except Exception:
                log.exception("stopping simulator %s failed", key)
        self.started.clear()
