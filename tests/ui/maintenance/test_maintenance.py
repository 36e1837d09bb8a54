"""Maintenance mode with the simulators: device states, faults, the four self-tests, lock/unlock."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

pytestmark = pytest.mark.ui


@pytest.fixture
def camera_folders(tmp_path):
    """An image folder for the QR camera (one QR code) and one for the document camera (a page)."""
    from drivers.docscan.synthetic import photograph, render_page
    from drivers.scanner.synthetic import qr_modules, render_symbol

    qr_dir, doc_dir = tmp_path / "qr", tmp_path / "doc"
    qr_dir.mkdir()
    doc_dir.mkdir()
    canvas = np.full((480, 640), 255, dtype=np.uint8)
    symbol = render_symbol(qr_modules(b"TEST-CODE-0123456789"), 300)
    canvas[90:90 + symbol.shape[0], 170:170 + symbol.shape[1]] = symbol
    cv2.imwrite(str(qr_dir / "code.png"), canvas)
    cv2.imwrite(str(doc_dir / "page.png"), photograph(render_page(), seed=3).image)
    return qr_dir, doc_dir


@pytest.fixture
def maintenance(ui, make_config, printer_sim, sam_sim, camera_folders):
    from kiosk.config import IdCardReaderConfig

    qr_dir, doc_dir = camera_folders
    config = make_config(devices={"printer": {"port": printer_sim.port},
                                  "qr_camera": {"source": str(qr_dir)}, "doc_camera": {"source": str(doc_dir)}})
    idcard = IdCardReaderConfig(port=sam_sim.path, timeout_s=0.5, retries=1)  # tmp-dir link
    config = config.replace(devices=config.devices.replace(idcard=idcard))
    driver = ui(config)
    driver.app.show("maintenance")
    assert driver.wait_for(lambda: len(driver.app.device_rows) >= 4, timeout=20)
    driver.pump(frames=3)
    return driver


def _button(driver, text):
    from kivy.uix.button import Button

    return next(w for w in driver.screen.walk(restrict=True) if isinstance(w, Button) and w.text == text)


def _run(driver, button_text, name, timeout=25):
    screen = driver.screen
    driver.tap(_button(driver, button_text))
    assert driver.wait_for(lambda: not screen.running.get(name), timeout=timeout)
    driver.pump(frames=3)
    return screen.results[name]


def test_states_versions_link_and_faults(maintenance, printer_sim, tmp_path):
    driver = maintenance
    texts = driver.texts()
    assert any("配置版本: test-1" in t for t in texts)
    screen = driver.screen
    assert "管理平台: 未配置管理平台" in screen.link_text and "待上报" in screen.link_text
    assert screen.faults_text == "当前无故障设备"
    printer_sim.control("paper-out")
    driver.app.refresh_device_health()
    assert driver.wait_for(lambda: "凭条打印机（打印机缺纸）" in screen.faults_text, timeout=20)
    driver.screenshot(tmp_path / "maintenance.png")


def test_print_test_page_prints_on_the_receipt_printer(maintenance, printer_sim):
    jobs = len(printer_sim.device.state.jobs)
    assert _run(maintenance, "打印测试页", "print") == "测试页已打印，请查看出纸口"
    assert len(printer_sim.device.state.jobs) == jobs + 1
    printer_sim.control("paper-out")
    assert _run(maintenance, "打印测试页", "print") == "测试失败：打印机缺纸"
    box = maintenance.screen.ids.test_print
    assert box.outcome == "fault"


def test_read_a_test_card_shows_only_masked_data(maintenance, sam_sim):
    from drivers.idcard.people import PEOPLE

    person = PEOPLE["zhang"]
    sam_sim.place(person)
    result = _run(maintenance, "读卡测试", "card")
    assert result.startswith("读卡成功：张*")
    assert person.id_number not in result and person.id_number[-4:] in result
    assert person.id_number not in " ".join(maintenance.texts())
    sam_sim.remove()
    sam_sim.unplug()
    assert _run(maintenance, "读卡测试", "card") == "测试失败：设备未连接"


def test_scan_a_test_code_and_capture_a_test_page(maintenance):
    assert _run(maintenance, "扫码测试", "code") == "扫码成功：QRCode，20 字节"
    result = _run(maintenance, "拍摄测试", "capture")
    assert result.startswith("拍摄成功："), result
    assert maintenance.screen.ids.test_capture.outcome == "ok"


def test_lock_and_unlock(maintenance):
    driver = maintenance
    app = driver.app
    driver.tap(_button(driver, "锁定终端"))
    assert app.lock_state.locked and "终端已锁定" in driver.screen.link_text
    driver.tap(_button(driver, "退出维护"))
    assert app.manager.current == "locked"
    app.show("maintenance")
    driver.pump(frames=3)
    driver.tap(_button(driver, "解除锁定"))
    assert not app.lock_state.locked
    driver.tap(_button(driver, "退出维护"))
    assert app.manager.current == "home"
