"""The terminal with its simulated devices (ID-card reader, receipt printer, document camera,
CUPS A4 when available) and the in-memory content backend, driven through its journeys."""
from __future__ import annotations

import pytest

from kiosk.enrolment import Credentials, TokenStore
from tests.helpers.content_backend import FakeContentBackend
from tests.helpers.soak import with_idcard_port
from tests.unit.backend.contract import TOKEN, ContentServer


@pytest.fixture(scope="module")
def health_server():
    """A content server for the health probe and the token only: journeys use the fake backend."""
    server = ContentServer().start()
    yield server
    server.stop()


@pytest.fixture
def terminal(ui, make_config, tmp_path, printer_sim, sam_sim, health_server):
    """``terminal(**ui_settings, a4=cups_server | None)`` -> (driver, backend): home shown, devices checked."""
    from kiosk.config import KioskConfig

    def start(devices: dict | None = None, **ui_settings):
        config = make_config(devices={"printer": {"port": printer_sim.port}, **(devices or {})}, **ui_settings)
        data = config.to_dict()
        data["server"] = {"url": health_server.url, "timeout_s": 2}
        config = KioskConfig.validate(data)
        config = with_idcard_port(config, sam_sim.path)
        TokenStore(config.paths.data_dir).save(Credentials(config.device.id, TOKEN, config.server.url))
        driver = ui(config)
        backend = FakeContentBackend()
        driver.app._backend = backend
        app = driver.app
        app.refresh_device_health()
        assert driver.wait_for(lambda: bool(app.device_rows), timeout=20)
        driver.pump(frames=4)
        return driver, backend

    return start
