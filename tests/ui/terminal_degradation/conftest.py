"""A terminal whose services are all built, on simulated devices and a local content server."""
from __future__ import annotations

import dataclasses

import pytest

import kiosk.functions
import screens.terminal.home
from tests.unit.backend.contract import ContentServer


@pytest.fixture
def all_implemented(monkeypatch):
    """Every function as if its journey were built (the journeys land separately); real needs."""
    functions = tuple(dataclasses.replace(f, implemented=True) for f in kiosk.functions.TERMINAL_FUNCTIONS)
    monkeypatch.setattr(kiosk.functions, "TERMINAL_FUNCTIONS", functions)
    monkeypatch.setattr(screens.terminal.home, "TERMINAL_FUNCTIONS", functions)
    return functions


@pytest.fixture
def content_server():
    server = ContentServer().start()
    yield server
    server.stop()


@pytest.fixture
def doc_camera_folder(tmp_path):
    import cv2
    import numpy as np

    folder = tmp_path / "doc-camera"
    folder.mkdir()
    page = np.full((480, 640, 3), 255, dtype=np.uint8)
    cv2.rectangle(page, (100, 60), (540, 420), (40, 40, 40), 3)
    cv2.imwrite(str(folder / "page.png"), page)
    return folder


@pytest.fixture
def terminal_config(make_config, tmp_path, printer_sim, sam_sim, content_server, doc_camera_folder):
    """``make(server_url=...)``: receipt printer, ID-card reader, document camera and a server."""
    from kiosk.config import IdCardReaderConfig, KioskConfig

    def make(server_url: str | None = None, **ui) -> KioskConfig:
        config = make_config(devices={
            "printer": {"port": printer_sim.port},
            "doc_camera": {"source": str(doc_camera_folder)},
        }, **ui)
        data = config.to_dict()
        data["server"] = {"url": server_url or content_server.url, "timeout_s": 2}
        data["backend"] = {"source": "server"}
        config = KioskConfig.validate(data)
        # the simulator's stable link lives under the test's tmp dir, which the config's /dev/... rule refuses
        idcard = IdCardReaderConfig(port=sam_sim.path, timeout_s=0.5, retries=1)
        return config.replace(devices=config.devices.replace(idcard=idcard))

    return make
