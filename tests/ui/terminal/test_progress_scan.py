"""办件查询 by the QR of a 受理凭证: scanning ``ZWFW:CASE:<no>`` opens that case's timeline as typing it does."""
from __future__ import annotations

import pytest

from kiosk.payloads import receipt_payload
from tests.helpers.content_backend import CASE_NO
from tests.ui.terminal.test_identify_methods import scanner_ready
from tests.ui.terminal.steps import assert_nothing_personal, tap_text, wait_idle, wait_screen

pytestmark = pytest.mark.ui


def test_receipt_qr_opens_the_case_and_other_codes_say_which_to_scan(terminal, serial_scanner_sim):
    driver, backend = terminal(devices={"scanner": {"port": serial_scanner_sim.path, "reconnect_s": 0.2}})
    app = driver.app
    home = app.manager.get_screen("home")
    serial_scanner_sim.send(receipt_payload(CASE_NO).encode())  # on the home screen nobody listens
    driver.pump(seconds=0.5)
    driver.tap(home.tile("progress"))
    wait_screen(driver, "progress")
    screen = driver.screen
    assert screen.mode == "choose" and screen.can_scan
    assert "也可将受理凭证上的二维码对准扫码窗口" in " ".join(driver.texts())
    scanner_ready(screen)

    serial_scanner_sim.send(b"https://zwfw.example.gov.cn/item/000201001")
    assert driver.wait_for(lambda: screen.error == "请扫描受理凭证上的二维码", timeout=10)
    serial_scanner_sim.send(b"ZWFW:CASE:SB2026112099999999")
    assert driver.wait_for(lambda: screen.error == "未查询到该办件，请核对办件编号", timeout=10)
    serial_scanner_sim.send(b"ZWFW:CASE:??")
    assert driver.wait_for(lambda: screen.error == "受理凭证二维码有误，请输入凭证上的办件编号", timeout=10)

    serial_scanner_sim.send(receipt_payload(CASE_NO).encode())
    assert driver.wait_for(lambda: screen.mode == "case", timeout=10)
    wait_idle(driver)
    assert screen.case.case_no == CASE_NO and not screen.error
    assert [(s.name, s.state) for s in screen.ids.timeline.steps][:3] == [("收件", "done"), ("受理", "done"),
                                                                          ("审查", "current")]
    assert ("case_by_number", CASE_NO) in backend.calls
    assert app.session.identity is None  # a receipt shows one case, it identifies nobody
    calls = len(backend.calls)
    tap_text(driver, "返回首页")
    wait_screen(driver, "home")
    serial_scanner_sim.send(receipt_payload(CASE_NO).encode())  # the screen was left: its readers are closed
    driver.pump(seconds=0.8)
    assert len(backend.calls) == calls and app.manager.current == "home"
    assert_nothing_personal(app)
