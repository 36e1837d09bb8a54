"""Greyed tiles with specific reasons, and the out-of-service screen, driven by the simulators' faults."""
from __future__ import annotations

import pytest

from kiosk.enrolment import Credentials, TokenStore
from tests.unit.backend.contract import TOKEN, ContentServer

pytestmark = pytest.mark.ui


def _start(ui, config):
    TokenStore(config.paths.data_dir).save(Credentials(config.device.id, TOKEN, config.server.url))
    driver = ui(config)
    _recheck(driver)
    return driver


def _recheck(driver) -> None:
    """Run the device checks now and wait until the screens have their result."""
    app = driver.app
    assert driver.wait_for(lambda: not app.device_checks_running, timeout=30)  # one already under way
    app.refresh_device_health()  # starts a round at once
    assert app.device_checks_running
    assert driver.wait_for(lambda: not app.device_checks_running, timeout=30)
    driver.pump(seconds=0.2, frames=3)  # the result is applied on the UI thread
    assert app.device_rows
    driver.pump(frames=4)


def _tile(driver, key):
    return driver.app.manager.get_screen("home").tile(key)


def test_paper_out_pauses_applications_only(ui, all_implemented, terminal_config, printer_sim):
    driver = _start(ui, terminal_config())
    assert not _tile(driver, "declare").disabled
    assert not _tile(driver, "progress").disabled and not _tile(driver, "guide").disabled
    assert _tile(driver, "print").reason == "A4 打印机未配置，暂停打印服务"  # this terminal has no A4 printer

    printer_sim.control("paper-out")
    _recheck(driver)
    declare = _tile(driver, "declare")
    assert declare.disabled and declare.reason == "凭条打印机缺纸，暂停申报服务"
    assert not _tile(driver, "progress").disabled  # the rest goes on
    assert driver.app.manager.current == "home"

    driver.app.set_language("en")
    driver.pump(frames=4)
    assert _tile(driver, "declare").reason == "Receipt printer: out of paper; applications paused"

    printer_sim.control("clear")
    _recheck(driver)
    assert not _tile(driver, "declare").disabled


def test_unplugged_reader_pauses_what_needs_identity(ui, all_implemented, terminal_config, sam_sim):
    driver = _start(ui, terminal_config())
    sam_sim.unplug()
    _recheck(driver)
    assert _tile(driver, "progress").reason == "身份证阅读器未连接，暂停查询服务"
    assert _tile(driver, "declare").reason == "身份证阅读器未连接，暂停申报服务"
    assert not _tile(driver, "guide").disabled and not _tile(driver, "call_staff").disabled
    sam_sim.replug()
    _recheck(driver)
    assert not _tile(driver, "progress").disabled


def test_server_down_shows_out_of_service_with_hotline_and_recovers(ui, all_implemented, terminal_config, tmp_path):
    server = ContentServer().start()
    server.push("/catalog", *[(503, {"detail": "maintenance"})] * 100)  # no catalog copy: the guide needs the server
    port = server.httpd.server_address[1]
    driver = _start(ui, terminal_config(server.url, hotline="0531-88886666"))
    app = driver.app
    assert app.manager.current == "home"

    server.stop()
    _recheck(driver)
    assert driver.wait_for(lambda: app.manager.current == "out_of_service", timeout=5)
    texts = driver.texts()
    assert "本机暂停服务" in texts and "服务热线 0531-88886666" in texts
    assert "故障设备：管理平台" in texts
    driver.screenshot(tmp_path / "out_of_service.png")
    app.go_home()  # e.g. an idle wipe: home would offer nothing usable, so the screen comes back
    assert driver.wait_for(lambda: app.manager.current == "out_of_service", timeout=5)

    server = ContentServer(port).start()  # the server is back on the same address
    try:
        _recheck(driver)
        assert driver.wait_for(lambda: app.manager.current == "home", timeout=5)
        assert not _tile(driver, "progress").disabled
    finally:
        server.stop()


def test_with_a_stored_catalog_the_guide_works_offline(ui, all_implemented, terminal_config):
    import json
    from pathlib import Path

    from tests.unit.backend.contract import CATALOG

    config = terminal_config("http://127.0.0.1:9")  # nothing listens there
    data_dir = Path(config.paths.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "catalog.json").write_text(json.dumps({"etag": '"x"', "catalog": CATALOG}), encoding="utf-8")
    driver = _start(ui, config)
    assert driver.app.manager.current == "home"
    assert not _tile(driver, "guide").disabled
    assert _tile(driver, "progress").reason == "管理平台无法连接，暂停查询服务"


def test_call_staff_works_out_of_service(ui, all_implemented, terminal_config):
    driver = _start(ui, terminal_config("http://127.0.0.1:9"))
    app = driver.app
    assert driver.wait_for(lambda: app.manager.current == "out_of_service", timeout=5)
    button = next(w for w in driver.find("Tile") if w.key == "call_staff")
    driver.tap(button)
    assert app.toast_text == "已通知工作人员，请在原地稍候"
